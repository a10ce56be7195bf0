/* emulate_event.c - event kind -> VMM emulation entry point. */
#include "emulate_event.h"

#include <string.h>

#include "../vmm/vmm_emul.h"

/* the entry point's work, and the vmm_op it counts the call under */
#define RUN(o, call) (*op = (o), (call))

struct vmm_work emulate_event(struct vmm_vcpu *v, const struct guest_event *ev, enum vmm_op *op)
{
    switch ((enum guest_event_kind)ev->kind) {
    case GE_ITC_I:
        return RUN(VMM_OP_ITC_I, vmm_itc(v, VMM_I_TLB, ev->op0, ev->op1, ev->va));
    case GE_ITC_D:
        return RUN(VMM_OP_ITC_D, vmm_itc(v, VMM_D_TLB, ev->op0, ev->op1, ev->va));
    case GE_ITR_I:
        return RUN(VMM_OP_ITR_I, vmm_itr(v, VMM_I_TLB, ev->slot, ev->op0, ev->op1, ev->va));
    case GE_ITR_D:
        return RUN(VMM_OP_ITR_D, vmm_itr(v, VMM_D_TLB, ev->slot, ev->op0, ev->op1, ev->va));
    case GE_PTC_L:
        return RUN(VMM_OP_PTC_L, vmm_ptc_l(v, ev->va, (unsigned)ev->op0));
    case GE_PTC_G:
        return RUN(VMM_OP_PTC_G, vmm_ptc_g(v, ev->va, (unsigned)ev->op0, 0));
    case GE_PTC_GA:
        return RUN(VMM_OP_PTC_GA, vmm_ptc_g(v, ev->va, (unsigned)ev->op0, 1));
    case GE_PTC_E:
        return RUN(VMM_OP_PTC_E, vmm_ptc_e(v, ev->va));
    case GE_PTR_I:
        return RUN(VMM_OP_PTR_I, vmm_ptr(v, VMM_I_TLB, ev->va, (unsigned)ev->op0));
    case GE_PTR_D:
        return RUN(VMM_OP_PTR_D, vmm_ptr(v, VMM_D_TLB, ev->va, (unsigned)ev->op0));
    case GE_MOV_RR:
        return RUN(VMM_OP_MOV_RR, vmm_set_rr(v, ev->va, ev->op0));
    case GE_MOV_PTA:
        return RUN(VMM_OP_MOV_PTA, vmm_set_pta(v, ev->op0));
    case GE_SET_PSR:
        return RUN(VMM_OP_SET_PSR, vmm_set_psr(v, ev->op0));
    default: { /* references, CTX_SWITCH and MARK are not VMM instructions */
        struct vmm_work none;
        memset(&none, 0, sizeof none);
        *op = VMM_OP_COUNT;
        return none;
    }
    }
}

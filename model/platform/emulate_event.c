/* emulate_event.c - event kind -> VMM emulation entry point. */
#include "emulate_event.h"

#include <string.h>

#include "../vmm/vmm_emul.h"

struct vmm_work emulate_event(struct vmm_vcpu *v, const struct guest_event *ev)
{
    switch ((enum guest_event_kind)ev->kind) {
    case GE_ITC_I:
        return vmm_itc(v, VMM_I_TLB, ev->op0, ev->op1, ev->va);
    case GE_ITC_D:
        return vmm_itc(v, VMM_D_TLB, ev->op0, ev->op1, ev->va);
    case GE_ITR_I:
        return vmm_itr(v, VMM_I_TLB, ev->slot, ev->op0, ev->op1, ev->va);
    case GE_ITR_D:
        return vmm_itr(v, VMM_D_TLB, ev->slot, ev->op0, ev->op1, ev->va);
    case GE_PTC_L:
        return vmm_ptc_l(v, ev->va, (unsigned)ev->op0);
    case GE_PTC_G:
        return vmm_ptc_g(v, ev->va, (unsigned)ev->op0, 0);
    case GE_PTC_GA:
        return vmm_ptc_g(v, ev->va, (unsigned)ev->op0, 1);
    case GE_PTC_E:
        return vmm_ptc_e(v, ev->va);
    case GE_PTR_I:
        return vmm_ptr(v, VMM_I_TLB, ev->va, (unsigned)ev->op0);
    case GE_PTR_D:
        return vmm_ptr(v, VMM_D_TLB, ev->va, (unsigned)ev->op0);
    case GE_MOV_RR:
        return vmm_set_rr(v, ev->va, ev->op0);
    case GE_MOV_PTA:
        return vmm_set_pta(v, ev->op0);
    case GE_SET_PSR:
        return vmm_set_psr(v, ev->op0);
    default: { /* references, CTX_SWITCH and MARK are not VMM instructions */
        struct vmm_work none;
        memset(&none, 0, sizeof none);
        return none;
    }
    }
}

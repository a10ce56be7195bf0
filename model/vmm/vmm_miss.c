/* vmm_miss.c - the miss path of KVM/ia64 (process.c kvm_page_fault, physical_tlb_miss). */
#include "vmm_miss.h"

#include <string.h>

#include "../ia64/ia64_vhpt_hash.h"
#include "vtlb.h"

/* mirrors physical_tlb_miss: identity pte of the machine (metaphysical) page size */
static void physical_tlb_miss(struct vmm_vcpu *v, uint64_t vadr, enum vmm_tlb_side type)
{
    const uint64_t rr = vmm_m_get_rr(v, vadr);
    const uint64_t pte = (vadr & IA64_PTE_PPN_MASK) | IA64_PHY_PAGE_WB;
    thash_vhpt_insert(v, pte, (uint64_t)ia64_rr_ps(rr) << 2, vadr, type);
}

/* mirrors vcpu_thash */
uint64_t vmm_guest_thash(const struct vmm_vcpu *v, uint64_t va)
{
    const uint64_t vrr = vmm_vcpu_get_rr(v, va);
    if (ia64_pta_vf(v->vpta)) /* PAL_VPS_THASH: the processor's long-format hash */
        return ia64_lvhpt_thash(IA64_LVHPT_HASH_SKI, v->vpta, vrr, va);
    return ia64_svhpt_thash(v->vpta, vrr, va);
}

static enum vmm_fault fault_or_nested(const struct vmm_vcpu *v, enum vmm_fault fault)
{
    return ia64_psr_ic(v->vpsr) ? fault : VMM_FAULT_NESTED_DTLB;
}

/* The branches of kvm_page_fault; `fault` is filled when the outcome is VMM_MISS_FAULT. */
static enum vmm_miss_outcome page_fault(struct vmm_vcpu *v, uint64_t vadr, enum vmm_tlb_side type,
                                        int rse, enum vmm_fault *fault)
{
    const unsigned page_shift = v->vm->params.page_shift;

    /* guest physical mode, metaphysical region (0 or 4: bits 62..61 clear) */
    if (vmm_is_physical_mode(v) && !((vadr << 1) >> 62)) {
        v->work.p2m_lookups += type == VMM_D_TLB;
        if (type == VMM_D_TLB && p2m_gpfn_is_io(&v->vm->p2m, (vadr << 1) >> (page_shift + 1)))
            return VMM_MISS_PHYSICAL_IO; /* emulate_io_inst */
        physical_tlb_miss(v, vadr, type);
        return VMM_MISS_PHYSICAL_INSERT;
    }

    const struct ia64_lvhpt_entry *data = vtlb_lookup(v, vadr, type);
    if (data != NULL) {
        if (type == VMM_D_TLB) {
            const unsigned ps = ia64_entry_ps(data);
            const uint64_t gppa = (vadr & (ia64_psize(ps) - 1)) +
                                  ((ia64_pte_ppn(data->page_flags) >> (ps - 12)) << ps);
            v->work.p2m_lookups++;
            if (p2m_gpfn_is_io(&v->vm->p2m, gppa >> page_shift)) {
                if (ia64_pte_pl(data->page_flags) >= ia64_psr_cpl(v->vpsr))
                    return VMM_MISS_VTLB_IO; /* emulate_io_inst */
                *fault = VMM_FAULT_DATA_ACCESS_RIGHTS;
                return VMM_MISS_FAULT;
            }
        }
        thash_vhpt_insert(v, data->page_flags, data->itir, vadr, type);
        return VMM_MISS_VTLB_INSERT;
    }

    uint64_t pteval = 0;
    if (type == VMM_D_TLB) {
        const uint64_t itir = vmm_vcpu_get_rr(v, vadr) & (IA64_RR_RID_MASK | IA64_RR_PS_MASK);
        if (!vhpt_enabled(v, vadr, rse ? RSE_REF : DATA_REF)) {
            *fault = fault_or_nested(v, VMM_FAULT_ALT_DTLB);
            return VMM_MISS_FAULT;
        }
        const uint64_t vhpt_adr = vmm_guest_thash(v, vadr);
        if (!guest_vhpt_lookup(v, vhpt_adr, &pteval)) {
            if (!(pteval & IA64_PTE_P)) {
                *fault = fault_or_nested(v, VMM_FAULT_DTLB);
                return VMM_MISS_FAULT;
            }
            if ((pteval & IA64_PTE_MA_MASK) != IA64_PTE_MA_ST) {
                thash_purge_and_insert(v, pteval, itir, vadr, VMM_D_TLB);
                return VMM_MISS_GUEST_VHPT_INSERT;
            }
            *fault = fault_or_nested(v, VMM_FAULT_DTLB);
            return VMM_MISS_FAULT;
        }
        *fault = fault_or_nested(v, VMM_FAULT_DVHPT);
        return VMM_MISS_FAULT;
    }

    /* I side */
    if (!vhpt_enabled(v, vadr, INST_REF)) {
        *fault = VMM_FAULT_ALT_ITLB;
        return VMM_MISS_FAULT;
    }
    const uint64_t vhpt_adr = vmm_guest_thash(v, vadr);
    if (!guest_vhpt_lookup(v, vhpt_adr, &pteval)) {
        if (pteval & IA64_PTE_P) {
            if ((pteval & IA64_PTE_MA_MASK) == IA64_PTE_MA_ST) {
                *fault = VMM_FAULT_ITLB;
                return VMM_MISS_FAULT;
            }
            const uint64_t itir = vmm_vcpu_get_rr(v, vadr) & (IA64_RR_RID_MASK | IA64_RR_PS_MASK);
            thash_purge_and_insert(v, pteval, itir, vadr, VMM_I_TLB);
            return VMM_MISS_GUEST_VHPT_INSERT;
        }
        *fault = VMM_FAULT_INST_PAGE_NOT_PRESENT;
        return VMM_MISS_FAULT;
    }
    *fault = VMM_FAULT_IVHPT;
    return VMM_MISS_FAULT;
}

struct vmm_miss_result vmm_page_fault(struct vmm_vcpu *v, uint64_t vadr, enum vmm_tlb_side type, int rse)
{
    memset(&v->work, 0, sizeof v->work);
    struct vmm_miss_result r = {.fault = VMM_FAULT_NONE};
    r.outcome = page_fault(v, vadr, type, rse, &r.fault);
    r.work = v->work;

    const enum vmm_op op = type == VMM_D_TLB ? VMM_OP_DTLB_MISS : VMM_OP_ITLB_MISS;
    v->stats.op[op].count++;
    vmm_work_add(&v->stats.op[op].work, &v->work);
    v->stats.miss_outcome[r.outcome]++;
    v->stats.fault[r.fault]++;
    return r;
}

void vmm_reflect_fault(struct vmm_vcpu *v, enum vmm_fault fault)
{
    v->stats.fault[fault]++;
}

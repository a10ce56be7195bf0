/* vmm_emul.c - emulated TLB-management instructions (KVM/ia64 vcpu.c, process.c). */
#include "vmm_emul.h"

#include <string.h>

#include "vtlb.h"

/* _PAGE_SIZE_16M: itr.d of a 16 MiB page skips the purge (the guest kernel's identity TRs) */
#define PAGE_SIZE_16M_SHIFT 24u

/* PSR bits vcpu_set_psr clears because they reset after every instruction: id (37), da (38),
 * dd (39), ss (40), ed (43), ia (45); bn (44) is kept */
#define VPSR_TRANSIENT_BITS                                                                   \
    ((UINT64_C(1) << 37) | (UINT64_C(1) << 38) | (UINT64_C(1) << 39) | (UINT64_C(1) << 40) | \
     (UINT64_C(1) << 43) | (UINT64_C(1) << 45))

/* mm_switch_table actions (vcpu.c) */
enum { SW_BAD = 0, SW_V2P, SW_P2V, SW_SELF, SW_NOP };

/* mirrors mm_switch_table, indexed by MODE_IND = it << 2 | dt << 1 | rt */
static const unsigned char mm_switch_table[8][8] = {
    {SW_SELF, 0, 0, SW_NOP, 0, 0, 0, SW_P2V}, /* (0,0,0) */
    {0, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0},
    {SW_NOP, 0, 0, SW_SELF, 0, 0, 0, SW_P2V}, /* (0,1,1) */
    {0, 0, 0, 0, 0, 0, 0, SW_P2V},            /* (1,0,0) */
    {0, 0, 0, 0, 0, SW_SELF, 0, SW_P2V},      /* (1,0,1) */
    {0, 0, 0, 0, 0, 0, 0, 0},
    {SW_V2P, 0, 0, 0, SW_V2P, SW_V2P, 0, SW_SELF}, /* (1,1,1) */
};

static unsigned mode_ind(uint64_t psr)
{
    return (ia64_psr_it(psr) << 2) + (ia64_psr_dt(psr) << 1) + ia64_psr_rt(psr);
}

/* mirrors switch_to_physical_rid */
static void switch_to_physical_rid(struct vmm_vcpu *v)
{
    vmm_m_set_rr(v, ia64_region_base(0), v->metaphysical_rr0);
    vmm_m_set_rr(v, ia64_region_base(4), v->metaphysical_rr4);
}

/* mirrors switch_to_virtual_rid */
static void switch_to_virtual_rid(struct vmm_vcpu *v)
{
    vmm_m_set_rr(v, ia64_region_base(0), v->metaphysical_saved_rr0);
    vmm_m_set_rr(v, ia64_region_base(4), v->metaphysical_saved_rr4);
}

/* mirrors switch_mm_mode; an unexpected transition does nothing, as in the kernel */
static void switch_mm_mode(struct vmm_vcpu *v, uint64_t old_psr, uint64_t new_psr)
{
    switch (mm_switch_table[mode_ind(old_psr)][mode_ind(new_psr)]) {
    case SW_V2P:
        switch_to_physical_rid(v);
        v->mode_flags |= VMM_GUEST_IN_PHY;
        v->stats.mode_v2p++;
        break;
    case SW_P2V:
        switch_to_virtual_rid(v);
        v->mode_flags &= ~VMM_GUEST_IN_PHY;
        v->stats.mode_p2v++;
        break;
    default:
        break;
    }
}

/* mirrors check_mm_mode_switch */
static void check_mm_mode_switch(struct vmm_vcpu *v, uint64_t old_psr, uint64_t new_psr)
{
    if (ia64_psr_dt(old_psr) != ia64_psr_dt(new_psr) || ia64_psr_it(old_psr) != ia64_psr_it(new_psr) ||
        ia64_psr_rt(old_psr) != ia64_psr_rt(new_psr))
        switch_mm_mode(v, old_psr, new_psr);
}

/* mirrors prepare_if_physical_mode: TLB instructions need the guest's virtual rr0/rr4 */
static void prepare_if_physical_mode(struct vmm_vcpu *v)
{
    if (vmm_is_physical_mode(v)) {
        v->mode_flags |= VMM_GUEST_PHY_EMUL;
        switch_to_virtual_rid(v);
    }
}

/* mirrors recover_if_physical_mode */
static void recover_if_physical_mode(struct vmm_vcpu *v)
{
    if (vmm_is_physical_mode(v))
        switch_to_physical_rid(v);
    v->mode_flags &= ~VMM_GUEST_PHY_EMUL;
}

/* kvm_emulate's frame around one instruction: the work record starts empty */
static void emulate_begin(struct vmm_vcpu *v)
{
    memset(&v->work, 0, sizeof v->work);
    prepare_if_physical_mode(v);
}

static struct vmm_work emulate_end(struct vmm_vcpu *v, enum vmm_op op)
{
    recover_if_physical_mode(v);
    v->stats.op[op].count++;
    vmm_work_add(&v->stats.op[op].work, &v->work);
    return v->work;
}

/* mirrors vcpu_set_tr */
static void set_tr(struct ia64_lvhpt_entry *trp, uint64_t pte, uint64_t itir, uint64_t va, uint64_t rid)
{
    trp->page_flags = pte;
    trp->itir = itir;
    trp->etag = va;   /* vadr */
    trp->word3 = rid; /* rid */
}

struct vmm_work vmm_itc(struct vmm_vcpu *v, enum vmm_tlb_side side, uint64_t pte, uint64_t itir,
                        uint64_t ifa)
{
    emulate_begin(v);
    thash_purge_and_insert(v, pte, itir, ifa, side); /* vcpu_itc_i / vcpu_itc_d */
    return emulate_end(v, side == VMM_D_TLB ? VMM_OP_ITC_D : VMM_OP_ITC_I);
}

struct vmm_work vmm_itr(struct vmm_vcpu *v, enum vmm_tlb_side side, unsigned slot, uint64_t pte,
                        uint64_t itir, uint64_t ifa)
{
    emulate_begin(v);
    const unsigned ps = ia64_itir_ps(itir);
    const uint64_t va = ia64_page_align(ifa, ps);
    pte &= ~IA64_PAGE_FLAGS_RV_MASK;
    if (side == VMM_D_TLB) {
        /* mirrors vcpu_itr_d */
        if (ps != PAGE_SIZE_16M_SHIFT)
            thash_purge_entries(v, va, ps);
        const uint64_t gpfn = (pte & IA64_PTE_PPN_MASK) >> v->vm->params.page_shift;
        v->work.p2m_lookups++;
        if (p2m_gpfn_is_io(&v->vm->p2m, gpfn))
            pte |= VTLB_PTE_IO;
        const uint64_t rid = vmm_vcpu_get_rr(v, va) & IA64_RR_RID_MASK;
        set_tr(&v->dtrs[slot], pte, itir, va, rid);
        v->dtr_regions = (uint8_t)(v->dtr_regions | (1u << ia64_region(va)));
        return emulate_end(v, VMM_OP_ITR_D);
    }
    /* mirrors vcpu_itr_i: no purge on the I side; the rid is read at ifa */
    const uint64_t rid = vmm_vcpu_get_rr(v, ifa) & IA64_RR_RID_MASK;
    set_tr(&v->itrs[slot], pte, itir, va, rid);
    v->itr_regions = (uint8_t)(v->itr_regions | (1u << ia64_region(va)));
    return emulate_end(v, VMM_OP_ITR_I);
}

struct vmm_work vmm_ptr(struct vmm_vcpu *v, enum vmm_tlb_side side, uint64_t ifa, unsigned ps)
{
    emulate_begin(v);
    /* mirrors vcpu_ptr_d / vcpu_ptr_i */
    const uint64_t va = ia64_page_align(ifa, ps);
    struct ia64_lvhpt_entry *trs = side == VMM_D_TLB ? v->dtrs : v->itrs;
    int index;
    while ((index = vtr_find_overlap(v, va, ps, side)) >= 0)
        trs[index].page_flags = 0;
    thash_purge_entries(v, va, ps);
    return emulate_end(v, side == VMM_D_TLB ? VMM_OP_PTR_D : VMM_OP_PTR_I);
}

/* mirrors vcpu_ptc_l */
static void ptc_l(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    thash_purge_entries(v, ia64_page_align(va, ps), ps);
}

struct vmm_work vmm_ptc_l(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    emulate_begin(v);
    ptc_l(v, va, ps);
    return emulate_end(v, VMM_OP_PTC_L);
}

struct vmm_work vmm_ptc_e(struct vmm_vcpu *v, uint64_t va)
{
    (void)va; /* vcpu_ptc_e ignores the address: one thash_purge_all */
    emulate_begin(v);
    thash_purge_all(v);
    return emulate_end(v, VMM_OP_PTC_E);
}

/* mirrors vcpu_global_purge, run by the host for each target vCPU */
static void global_purge(struct vmm_vcpu *target, const struct vmm_ptc_g_record *data)
{
    if (target->requests & VMM_REQ_TLB_FLUSH) {
        target->stats.ptc_g_dropped++;
        return;
    }
    target->requests |= VMM_REQ_PTC_G;
    if (target->ptc_g_count < VMM_MAX_PTC_G_NUM) {
        target->ptc_g_data[target->ptc_g_count++] = *data;
        target->stats.ptc_g_queued++;
    } else {
        target->requests &= ~VMM_REQ_PTC_G;
        target->ptc_g_count = 0;
        target->requests |= VMM_REQ_TLB_FLUSH;
        target->stats.ptc_g_overflows++;
    }
}

struct vmm_work vmm_ptc_g(struct vmm_vcpu *v, uint64_t va, unsigned ps, int global_acquire)
{
    emulate_begin(v);
    /* mirrors vcpu_ptc_ga: the exit carries {rr(va), va, ps} to handle_global_purge */
    const struct vmm_ptc_g_record data = {.rr = vmm_vcpu_get_rr(v, va), .vaddr = va, .ps = ps};
    for (unsigned i = 0; i < v->vm->nr_vcpus; i++) {
        struct vmm_vcpu *other = v->vm->vcpus[i];
        if (other && other != v)
            global_purge(other, &data);
    }
    ptc_l(v, va, ps); /* then the local purge */
    return emulate_end(v, global_acquire ? VMM_OP_PTC_GA : VMM_OP_PTC_G);
}

struct vmm_work vmm_set_rr(struct vmm_vcpu *v, uint64_t reg, uint64_t val)
{
    emulate_begin(v);
    /* mirrors vcpu_set_rr (rr6's exit to the host only changes where the write is done) */
    const unsigned r = ia64_region(reg);
    v->vrr[r] = val;
    const uint64_t rrval = vmm_vrrtomrr(v, val);
    if (r == 4 || r == 0) {
        if (r == 4)
            v->metaphysical_saved_rr4 = rrval;
        else
            v->metaphysical_saved_rr0 = rrval;
        if (!vmm_is_physical_mode(v))
            vmm_m_set_rr(v, reg, rrval);
    } else {
        vmm_m_set_rr(v, reg, rrval);
    }
    return emulate_end(v, VMM_OP_MOV_RR);
}

struct vmm_work vmm_set_pta(struct vmm_vcpu *v, uint64_t val)
{
    emulate_begin(v);
    v->vpta = val; /* vcpu_set_pta: read back by vhpt_enabled and vcpu_thash */
    return emulate_end(v, VMM_OP_MOV_PTA);
}

struct vmm_work vmm_set_psr(struct vmm_vcpu *v, uint64_t val)
{
    emulate_begin(v);
    /* mirrors vcpu_set_psr's translation-relevant part */
    const uint64_t old_psr = v->vpsr;
    v->vpsr = val & ~VPSR_TRANSIENT_BITS;
    check_mm_mode_switch(v, old_psr, v->vpsr);
    return emulate_end(v, VMM_OP_SET_PSR);
}

/* mirrors ptc_ga_remote_func */
static void ptc_ga_remote_func(struct vmm_vcpu *v, unsigned pos)
{
    const struct vmm_ptc_g_record *p = &v->ptc_g_data[pos];
    const uint64_t oldrid = v->vrr[0];
    v->vrr[0] = p->rr;
    const uint64_t oldpsbits = v->psbits[0];
    v->psbits[0] = v->psbits[ia64_region(p->vaddr)];
    const uint64_t moldrid = vmm_m_get_rr(v, 0);
    vmm_m_set_rr(v, 0, vmm_vrrtomrr(v, p->rr));

    thash_purge_entries_remote(v, ia64_page_align(p->vaddr, p->ps), p->ps);

    v->vrr[0] = oldrid;
    v->psbits[0] = oldpsbits;
    vmm_m_set_rr(v, 0, moldrid);
}

struct vmm_work vmm_resume(struct vmm_vcpu *v)
{
    /* mirrors kvm_do_resume_op (no kvm_emulate frame: it runs on every VMM exit path) */
    memset(&v->work, 0, sizeof v->work);
    if (v->requests & VMM_REQ_TLB_FLUSH) {
        v->requests &= ~VMM_REQ_TLB_FLUSH;
        thash_purge_all(v);
        v->stats.op[VMM_OP_REMOTE_FLUSH].count++;
        vmm_work_add(&v->stats.op[VMM_OP_REMOTE_FLUSH].work, &v->work);
        return v->work;
    }
    if (v->requests & VMM_REQ_PTC_G) {
        v->requests &= ~VMM_REQ_PTC_G;
        while (v->ptc_g_count > 0) {
            ptc_ga_remote_func(v, --v->ptc_g_count);
            v->stats.op[VMM_OP_REMOTE_PURGE].count++;
        }
        vmm_work_add(&v->stats.op[VMM_OP_REMOTE_PURGE].work, &v->work);
    }
    return v->work;
}

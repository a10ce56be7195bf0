/*
 * vtlb.c - KVM/ia64's vTLB/VHPT code paths (arch/ia64/kvm/vtlb.c of the seed patch), written
 * anew over struct vmm_vcpu. Each function names the one it mirrors; the branches, the order of
 * the loops and the words written are the kernel's. The only additions are the work counters.
 */
#include "vtlb.h"

#include <stddef.h>

#include "../ia64/ia64_arch.h"

/* Helpers reading the `struct thash_data` bit-fields the kernel code names. */
static inline unsigned entry_p(const struct ia64_lvhpt_entry *e) { return ia64_pte_p(e->page_flags); }
static inline unsigned entry_ps(const struct ia64_lvhpt_entry *e) { return ia64_itir_ps(e->itir); }
/* For TR entries the tag word is vadr and the fourth word is rid. */
static inline uint64_t tr_vadr(const struct ia64_lvhpt_entry *e) { return e->etag; }
static inline uint64_t tr_rid(const struct ia64_lvhpt_entry *e) { return e->word3; }

static inline uint64_t host_page_mask(const struct vmm_vcpu *v)
{
    return ~(ia64_psize(v->vm->params.page_shift) - 1); /* PAGE_MASK */
}

static inline unsigned lowest_bit(uint64_t x) { return (unsigned)__builtin_ctzll(x); } /* __ffs */

/* mirrors __is_tr_translated */
static int is_tr_translated(const struct ia64_lvhpt_entry *trp, uint64_t rid, uint64_t va)
{
    return entry_p(trp) && tr_rid(trp) == rid && (va - tr_vadr(trp)) < ia64_psize(entry_ps(trp));
}

/* mirrors __is_tr_overlap (guest TR format only) */
static int is_tr_overlap(const struct ia64_lvhpt_entry *trp, uint64_t rid, uint64_t sva, uint64_t eva)
{
    if (!entry_p(trp) || tr_rid(trp) != rid)
        return 0;
    const uint64_t sa1 = tr_vadr(trp);
    const uint64_t ea1 = sa1 + ia64_psize(entry_ps(trp)) - 1;
    eva -= 1;
    return !(sva > ea1 || sa1 > eva);
}

/* mirrors vcpu_quick_region_check */
static inline int quick_region_check(uint8_t bits, uint64_t va) { return (bits >> ia64_region(va)) & 1u; }
/* mirrors vcpu_quick_region_set */
static inline void quick_region_set(uint8_t *bits, uint64_t va) { *bits = (uint8_t)(*bits | (1u << ia64_region(va))); }

/* mirrors machine_tlb_purge */
void machine_tlb_purge(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    v->mach.ops->ptc_l(v->mach.ctx, va, ps);
    v->work.machine_ptc_l++;
}

/* mirrors local_flush_tlb_all */
void local_flush_tlb_all(struct vmm_vcpu *v)
{
    const struct vmm_params *p = &v->vm->params;
    uint64_t addr = p->ptce_base;
    for (uint32_t i = 0; i < p->ptce_count[0]; ++i) {
        for (uint32_t j = 0; j < p->ptce_count[1]; ++j) {
            v->mach.ops->ptc_e(v->mach.ctx, addr);
            v->work.machine_ptc_e++;
            addr += p->ptce_stride[1];
        }
        addr += p->ptce_stride[0];
    }
}

/* mirrors vhpt_enabled */
int vhpt_enabled(const struct vmm_vcpu *v, uint64_t vadr, enum vhpt_ref ref)
{
    const uint64_t vpsr = v->vpsr;
    const uint64_t vrr = vmm_vcpu_get_rr(v, vadr);
    if (ia64_rr_ve(vrr) & ia64_pta_ve(v->vpta)) {
        switch (ref) {
        case DATA_REF:
        case NA_REF:
            return (int)ia64_psr_dt(vpsr);
        case INST_REF:
            return ia64_psr_dt(vpsr) && ia64_psr_it(vpsr) && ia64_psr_ic(vpsr);
        case RSE_REF:
            return ia64_psr_dt(vpsr) && ia64_psr_rt(vpsr);
        }
    }
    return 0;
}

/* mirrors vsa_thash */
uint64_t vsa_thash(uint64_t pta, uint64_t va, uint64_t vrr, uint64_t *tag)
{
    const uint64_t pfn_bits = (uint64_t)ia64_pta_size(pta) - 5 - 8;
    const uint64_t pfn = ia64_region_offset(va) >> ia64_rr_ps(vrr);
    const uint64_t rid = ia64_rr_rid(vrr);
    const uint64_t index = ((rid & 0xff) << pfn_bits) | (pfn & ((UINT64_C(1) << pfn_bits) - 1));
    *tag = ((rid >> 8) & 0xffff) | ((pfn >> pfn_bits) << 16);
    return (ia64_pta_base_field(pta) << IA64_PTA_BASE_SHIFT) + (index << 5);
}

/* mirrors __vtr_lookup */
struct ia64_lvhpt_entry *vtr_lookup(struct vmm_vcpu *v, uint64_t va, enum vmm_tlb_side type)
{
    const uint64_t rid = vmm_vcpu_get_rr(v, va) & IA64_RR_RID_MASK;
    const uint8_t regions = type == VMM_D_TLB ? v->dtr_regions : v->itr_regions;
    struct ia64_lvhpt_entry *trs = type == VMM_D_TLB ? v->dtrs : v->itrs;
    const int ntrs = type == VMM_D_TLB ? VMM_NDTRS : VMM_NITRS;
    if (quick_region_check(regions, va)) {
        for (int i = 0; i < ntrs; i++) {
            v->work.tr_probes++;
            if (is_tr_translated(&trs[i], rid, va))
                return &trs[i];
        }
    }
    return NULL;
}

/* mirrors vhpt_insert */
void vhpt_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t ifa, uint64_t gpte)
{
    const unsigned ps = ia64_itir_ps(itir);
    const uint64_t gpaddr = (((gpte & IA64_PTE_PPN_MASK) >> ps) << ps) | (ifa & (ia64_psize(ps) - 1));
    const uint64_t rr = vmm_m_get_rr(v, ifa);
    struct ia64_lvhpt_entry *head = thash_table_slot(&v->vhpt, v->mach.ops->thash(v->mach.ctx, ifa));
    const uint64_t tag = v->mach.ops->ttag(v->mach.ctx, ifa);

    if (ia64_entry_tag_valid(head) && head->etag != tag)
        v->stats.vhpt_insert_overwrites++;
    head->etag = IA64_INVALID_TI_TAG;
    head->page_flags = pte & ~IA64_PAGE_FLAGS_RV_MASK;
    head->itir = (uint64_t)ia64_rr_ps(rr) << 2;
    head->etag = tag;
    head->word3 = gpaddr;
    v->work.vhpt_inserts++;
}

/* mirrors mark_pages_dirty */
void mark_pages_dirty(struct vmm_vcpu *v, uint64_t pte, unsigned ps)
{
    const unsigned page_shift = v->vm->params.page_shift;
    const uint64_t base_gfn = (pte & IA64_PTE_PPN_MASK) >> page_shift;
    const uint64_t dirty_pages = UINT64_C(1) << (ps <= page_shift ? 0 : ps - page_shift);
    for (uint64_t i = 0; i < dirty_pages; i++)
        dirty_log_mark(&v->vm->dirty, base_gfn + i);
    v->work.dirty_pages += dirty_pages;
}

/* mirrors thash_vhpt_insert */
void thash_vhpt_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t va,
                       enum vmm_tlb_side type)
{
    const uint64_t mrr = vmm_m_get_rr(v, va);
    uint64_t phy_pte = translate_phy_pte(v, &pte, itir, va);

    if (ia64_itir_ps(itir) >= ia64_rr_ps(mrr)) {
        vhpt_insert(v, phy_pte, itir, va, pte);
    } else {
        phy_pte &= ~IA64_PAGE_FLAGS_RV_MASK;
        v->mach.ops->itc(v->mach.ctx, type, va, phy_pte, ia64_itir_ps(itir));
        v->work.machine_itc++;
        v->stats.vhpt_insert_direct_itc++;
    }
    if (!(pte & VTLB_PTE_IO))
        mark_pages_dirty(v, pte, ia64_itir_ps(itir));
}

/* mirrors vhpt_lookup */
struct ia64_lvhpt_entry *vhpt_lookup(struct vmm_vcpu *v, uint64_t va)
{
    struct ia64_lvhpt_entry *head = thash_table_slot(&v->vhpt, v->mach.ops->thash(v->mach.ctx, va));
    const uint64_t tag = v->mach.ops->ttag(v->mach.ctx, va);
    v->work.vhpt_probes++;
    return head->etag == tag ? head : NULL;
}

/* mirrors guest_vhpt_lookup; the ld8.s is the machine's speculative load */
int guest_vhpt_lookup(struct vmm_vcpu *v, uint64_t iha, uint64_t *pte)
{
    const struct ia64_lvhpt_entry *data = vtr_lookup(v, iha, VMM_D_TLB);
    if (data != NULL) {
        thash_vhpt_insert(v, data->page_flags, data->itir, iha, VMM_D_TLB);
        v->stats.gvhpt_tr_inserts++;
    }
    uint64_t value = 0;
    v->work.guest_vhpt_loads++;
    if (v->mach.ops->load8_spec(v->mach.ctx, iha, &value) != 0) {
        v->stats.gvhpt_fail++;
        return 1; /* NaT: r9 = 0, *pte untouched */
    }
    *pte = value & ((UINT64_C(1) << 53) - 1); /* extr.u r9 = r9, 0, 53 */
    v->stats.gvhpt_ok++;
    return 0;
}

/* mirrors vtlb_purge */
void vtlb_purge(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    uint64_t vrr = vmm_vcpu_get_rr(v, va);
    uint64_t psbits = v->psbits[ia64_region(va)];
    const uint64_t start = va & ~(ia64_psize(ps) - 1);
    while (psbits) {
        uint64_t curadr = start;
        const unsigned rr_ps = lowest_bit(psbits);
        psbits &= ~(UINT64_C(1) << rr_ps);
        uint64_t num = UINT64_C(1) << ((ps < rr_ps) ? 0 : (ps - rr_ps));
        const uint64_t size = ia64_psize(rr_ps);
        vrr = ia64_rr_with_ps(vrr, rr_ps);
        while (num) {
            uint64_t tag;
            struct ia64_lvhpt_entry *cur = thash_table_slot(&v->vtlb, vsa_thash(v->vtlb.pta, curadr, vrr, &tag));
            v->work.vtlb_probes++;
            if (cur->etag == tag && entry_ps(cur) == rr_ps) {
                cur->etag = IA64_INVALID_TI_TAG;
                v->work.vtlb_invalidated++;
            }
            curadr += size;
            num--;
        }
    }
}

/* mirrors vhpt_purge */
void vhpt_purge(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    uint64_t start = va & ~(ia64_psize(ps) - 1);
    const uint64_t rr = vmm_m_get_rr(v, va);
    const unsigned rr_ps = ia64_rr_ps(rr);
    const uint64_t size = ia64_psize(rr_ps);
    uint64_t num = UINT64_C(1) << ((ps < rr_ps) ? 0 : (ps - rr_ps));
    while (num) {
        struct ia64_lvhpt_entry *cur = thash_table_slot(&v->vhpt, v->mach.ops->thash(v->mach.ctx, start));
        const uint64_t tag = v->mach.ops->ttag(v->mach.ctx, start);
        v->work.vhpt_probes++;
        if (cur->etag == tag) {
            cur->etag = IA64_INVALID_TI_TAG;
            v->work.vhpt_invalidated++;
        }
        start += size;
        num--;
    }
    machine_tlb_purge(v, va, ps);
}

/* mirrors vtlb_insert */
void vtlb_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t va)
{
    const unsigned ps = ia64_itir_ps(itir);
    const uint64_t vrr = ia64_rr_with_ps(vmm_vcpu_get_rr(v, va), ps);
    uint64_t tag;
    v->psbits[ia64_region(va)] |= UINT64_C(1) << ps;
    struct ia64_lvhpt_entry *head = thash_table_slot(&v->vtlb, vsa_thash(v->vtlb.pta, va, vrr, &tag));
    if (ia64_entry_tag_valid(head) && (head->etag != tag || entry_ps(head) != ps))
        v->stats.vtlb_insert_overwrites++;
    head->page_flags = pte;
    head->itir = itir;
    head->etag = tag;
    v->work.vtlb_inserts++;
    seen_pages_add(&v->vtlb_seen, ia64_rr_rid(vrr), ps, ia64_region_offset(va) >> ps);
}

/* mirrors vtr_find_overlap */
int vtr_find_overlap(struct vmm_vcpu *v, uint64_t va, unsigned ps, enum vmm_tlb_side type)
{
    const uint64_t rid = vmm_vcpu_get_rr(v, va) & IA64_RR_RID_MASK;
    const uint64_t end = va + ia64_psize(ps);
    const uint8_t regions = type == VMM_D_TLB ? v->dtr_regions : v->itr_regions;
    const struct ia64_lvhpt_entry *trs = type == VMM_D_TLB ? v->dtrs : v->itrs;
    const int ntrs = type == VMM_D_TLB ? VMM_NDTRS : VMM_NITRS;
    if (quick_region_check(regions, va)) {
        for (int i = 0; i < ntrs; i++) {
            v->work.tr_probes++;
            if (is_tr_overlap(&trs[i], rid, va, end))
                return i;
        }
    }
    return -1;
}

/* mirrors thash_purge_entries */
void thash_purge_entries(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    if (quick_region_check(v->tc_regions, va))
        vtlb_purge(v, va, ps);
    vhpt_purge(v, va, ps);
}

/* mirrors thash_purge_entries_remote */
void thash_purge_entries_remote(struct vmm_vcpu *v, uint64_t va, unsigned ps)
{
    const uint64_t old_va = va;
    va = ia64_region_offset(va);
    if (quick_region_check(v->tc_regions, old_va))
        vtlb_purge(v, va, ps);
    vhpt_purge(v, va, ps);
}

/* mirrors translate_phy_pte */
uint64_t translate_phy_pte(struct vmm_vcpu *v, uint64_t *pte, uint64_t itir, uint64_t va)
{
    const unsigned ps = ia64_itir_ps(itir);
    const uint64_t ps_mask = ~(ia64_psize(ps) - 1);
    const uint64_t page_mask = host_page_mask(v);
    uint64_t phy_pte = *pte;
    const uint64_t paddr = ((*pte & IA64_PTE_PPN_MASK) & ps_mask) | (va & ~ps_mask);
    uint64_t maddr = p2m_lookup(&v->vm->p2m, paddr >> v->vm->params.page_shift);
    v->work.p2m_lookups++;
    if (maddr & GPFN_IO_MASK) {
        *pte |= VTLB_PTE_IO;
        return UINT64_MAX; /* the kernel's `return -1` */
    }
    maddr = ((maddr & IA64_PTE_PPN_MASK) & page_mask) | (paddr & ~page_mask);
    phy_pte = ia64_pte_with_ppn(phy_pte, maddr >> IA64_ARCH_PAGE_SHIFT);
    return phy_pte;
}

/* mirrors thash_purge_and_insert */
int thash_purge_and_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t ifa,
                           enum vmm_tlb_side type)
{
    const unsigned ps = ia64_itir_ps(itir);
    const uint64_t mrr = vmm_m_get_rr(v, ifa);
    const unsigned mrr_ps = ia64_rr_ps(mrr);
    int ret = 0;

    uint64_t phy_pte = translate_phy_pte(v, &pte, itir, ifa);

    /* WB for normal memory (vga acceleration maps the shared vram WB) */
    if (!(pte & VTLB_PTE_IO) && ((pte & IA64_PTE_MA_MASK) != IA64_PTE_MA_NAT)) {
        pte &= ~IA64_PTE_MA_MASK;
        phy_pte &= ~IA64_PTE_MA_MASK;
    }
    if (pte & VTLB_PTE_IO) {
        ret = 1;
        v->stats.tpi_io++;
    }

    vtlb_purge(v, ifa, ps);
    vhpt_purge(v, ifa, ps);

    if (ps == mrr_ps) {
        v->stats.tpi_ps_eq++;
        if (!(pte & VTLB_PTE_IO)) {
            vhpt_insert(v, phy_pte, itir, ifa, pte);
        } else {
            vtlb_insert(v, pte, itir, ifa);
            quick_region_set(&v->tc_regions, ifa);
        }
    } else if (ps > mrr_ps) {
        v->stats.tpi_ps_gt++;
        vtlb_insert(v, pte, itir, ifa);
        quick_region_set(&v->tc_regions, ifa);
        if (!(pte & VTLB_PTE_IO))
            vhpt_insert(v, phy_pte, itir, ifa, pte);
    } else {
        v->stats.tpi_ps_lt++;
        phy_pte &= ~IA64_PAGE_FLAGS_RV_MASK;
        v->mach.ops->itc(v->mach.ctx, type, ifa, phy_pte, ps);
        v->work.machine_itc++;
    }
    if (!(pte & VTLB_PTE_IO))
        mark_pages_dirty(v, pte, ps);
    return ret;
}

static void invalidate_all(struct thash_table *t)
{
    for (uint32_t i = 0; i < t->num; i++) {
        struct ia64_lvhpt_entry *head = &t->hash[i];
        head->page_flags = 0;
        head->etag = IA64_INVALID_TI_TAG;
        head->itir = 0;
        head->word3 = 0;
    }
}

/* mirrors thash_purge_all */
void thash_purge_all(struct vmm_vcpu *v)
{
    for (int i = 0; i < 8; i++)
        v->psbits[i] = 0;
    invalidate_all(&v->vtlb);
    invalidate_all(&v->vhpt);
    v->work.purge_all_entries += (uint64_t)v->vtlb.num + v->vhpt.num;
    local_flush_tlb_all(v);
}

/* statistics: a vtlb_lookup miss, compulsory if the page (at the region's page size) was never
 * inserted into this vTLB */
static void count_lookup_miss(struct vmm_vcpu *v, uint64_t va)
{
    const uint64_t vrr = vmm_vcpu_get_rr(v, va);
    const unsigned ps = ia64_rr_ps(vrr);
    v->stats.vtlb_lookup_misses++;
    if (!seen_pages_has(&v->vtlb_seen, ia64_rr_rid(vrr), ps, ia64_region_offset(va) >> ps))
        v->stats.vtlb_compulsory_misses++;
}

/* mirrors vtlb_lookup */
struct ia64_lvhpt_entry *vtlb_lookup(struct vmm_vcpu *v, uint64_t va, enum vmm_tlb_side type)
{
    struct ia64_lvhpt_entry *cch = vtr_lookup(v, va, type);
    if (cch) {
        v->stats.vtlb_lookup_tr_hits++;
        return cch;
    }
    if (quick_region_check(v->tc_regions, va) == 0) {
        count_lookup_miss(v, va);
        return NULL;
    }
    uint64_t psbits = v->psbits[ia64_region(va)];
    uint64_t vrr = vmm_vcpu_get_rr(v, va);
    while (psbits) {
        const unsigned ps = lowest_bit(psbits);
        uint64_t tag;
        psbits &= ~(UINT64_C(1) << ps);
        vrr = ia64_rr_with_ps(vrr, ps);
        cch = thash_table_slot(&v->vtlb, vsa_thash(v->vtlb.pta, va, vrr, &tag));
        v->work.vtlb_probes++;
        if (cch->etag == tag && entry_ps(cch) == ps) {
            v->stats.vtlb_lookup_tc_hits++;
            return cch;
        }
    }
    count_lookup_miss(v, va);
    return NULL;
}

/* mirrors thash_init */
void thash_init(struct thash_table *t, unsigned sz)
{
    t->pta = ia64_pta_make(t->base, sz, 1, 1);
    invalidate_all(t);
}

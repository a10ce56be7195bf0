/*
 * vmm_work.h - what one VMM call did, in countable units, and the outcome a caller charges.
 *
 * Every vtlb.c function adds to the vCPU's current `struct vmm_work`; each entry point of
 * vmm_emul.h / vmm_miss.h starts from a zeroed record and returns it, so the cost model can
 * charge "entries probed x per-entry cost" without re-deriving anything.
 */
#ifndef VHPTSIM_VMM_WORK_H
#define VHPTSIM_VMM_WORK_H

#include <stdint.h>

struct vmm_work {
    uint64_t tr_probes;         /* guest TR slots examined (__vtr_lookup, vtr_find_overlap) */
    uint64_t vtlb_probes;       /* vTLB slots hashed and compared (vtlb_lookup, vtlb_purge) */
    uint64_t vtlb_invalidated;  /* vTLB tags set to INVALID_TI_TAG by vtlb_purge */
    uint64_t vtlb_inserts;      /* vtlb_insert */
    uint64_t vhpt_probes;       /* machine VHPT slots compared (vhpt_purge, vhpt_lookup) */
    uint64_t vhpt_invalidated;  /* VHPT tags invalidated by vhpt_purge */
    uint64_t vhpt_inserts;      /* vhpt_insert */
    uint64_t purge_all_entries; /* entries rewritten by thash_purge_all (vtlb.num + vhpt.num) */
    uint64_t machine_itc;       /* ia64_itc issued to the machine TLB */
    uint64_t machine_ptc_l;     /* ia64_ptcl issued */
    uint64_t machine_ptc_e;     /* ia64_ptce steps issued (ptce_count[0] x ptce_count[1]) */
    uint64_t dirty_pages;       /* frames visited by mark_pages_dirty */
    uint64_t p2m_lookups;       /* kvm_lookup_mpa calls */
    uint64_t guest_vhpt_loads;  /* speculative loads of a guest VHPT entry */
};

#define VMM_WORK_FIELDS(X)                                                                     \
    X(tr_probes) X(vtlb_probes) X(vtlb_invalidated) X(vtlb_inserts) X(vhpt_probes)            \
    X(vhpt_invalidated) X(vhpt_inserts) X(purge_all_entries) X(machine_itc) X(machine_ptc_l)  \
    X(machine_ptc_e) X(dirty_pages) X(p2m_lookups) X(guest_vhpt_loads)

static inline void vmm_work_add(struct vmm_work *sum, const struct vmm_work *w)
{
#define VMM_WORK_ADD(f) sum->f += w->f;
    VMM_WORK_FIELDS(VMM_WORK_ADD)
#undef VMM_WORK_ADD
}

/* Slots of the software tables touched: what "entries touched by a purge" means. */
static inline uint64_t vmm_work_entries_touched(const struct vmm_work *w)
{
    return w->vtlb_probes + w->vhpt_probes + w->purge_all_entries;
}

/* The guest interruptions the miss path can inject (kvm_page_fault and its callees). */
enum vmm_fault {
    VMM_FAULT_NONE = 0,
    VMM_FAULT_ALT_DTLB,
    VMM_FAULT_NESTED_DTLB,
    VMM_FAULT_DTLB,
    VMM_FAULT_DVHPT,
    VMM_FAULT_ALT_ITLB,
    VMM_FAULT_ITLB,
    VMM_FAULT_IVHPT,
    VMM_FAULT_INST_PAGE_NOT_PRESENT,
    VMM_FAULT_DATA_ACCESS_RIGHTS,
    /* reflected by the VMM when the machine TLB / walker finds an entry with p = 0 */
    VMM_FAULT_PAGE_NOT_PRESENT,
    VMM_FAULT_COUNT
};

const char *vmm_fault_name(enum vmm_fault f);

/* How the miss path ended (kvm_page_fault's branches). */
enum vmm_miss_outcome {
    VMM_MISS_PHYSICAL_INSERT = 0, /* physical_tlb_miss: identity pte inserted */
    VMM_MISS_PHYSICAL_IO,         /* physical mode, D side, I/O gpfn: emulate_io_inst */
    VMM_MISS_VTLB_INSERT,         /* vtlb_lookup hit -> thash_vhpt_insert */
    VMM_MISS_VTLB_IO,             /* vtlb_lookup hit, D side, I/O gpfn: emulate_io_inst */
    VMM_MISS_GUEST_VHPT_INSERT,   /* guest VHPT walk found a present pte -> purge_and_insert */
    VMM_MISS_FAULT,               /* a guest fault was injected (see the fault kind) */
    VMM_MISS_OUTCOME_COUNT
};

const char *vmm_miss_outcome_name(enum vmm_miss_outcome o);

struct vmm_miss_result {
    enum vmm_miss_outcome outcome;
    enum vmm_fault fault; /* VMM_FAULT_NONE unless outcome == VMM_MISS_FAULT */
    struct vmm_work work;
};

#endif

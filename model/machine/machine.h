/*
 * machine.h - one host processor as the VMM and the guest see it: region registers, the PTA,
 * the I and D machine TLBs, the hardware VHPT walker, and access to machine memory.
 *
 * `machine_vmm_ops` implements vmm_machine.h on top of it, so the VMM core's ia64_itc /
 * ia64_ptcl / ia64_thash ... land here.
 */
#ifndef VHPTSIM_MACHINE_H
#define VHPTSIM_MACHINE_H

#include <stdint.h>

#include "../ia64/ia64_vhpt_hash.h"
#include "../vmm/vmm_machine.h"
#include "mtlb.h"
#include "phys_mem.h"

#define MACHINE_DEFAULT_TC_ENTRIES 128 /* Itanium 2 L2 DTLB / ITLB: 128 entries, fully associative */

struct machine_params {
    uint32_t itc_entries; /* I-side translation cache entries */
    uint32_t dtc_entries; /* D-side translation cache entries */
    enum ia64_lvhpt_hash_kind hash;
};

void machine_params_default(struct machine_params *p);

struct walker_stats {
    uint64_t walks;       /* TLB misses the walker searched the VHPT for */
    uint64_t hits;        /* tag matched: entry inserted into the TLB */
    uint64_t misses;      /* tag mismatch (or walker disabled): VHPT miss to the VMM */
    uint64_t not_present; /* hit an entry with p = 0 */
};

struct machine {
    struct machine_params params;
    uint64_t rr[8];
    uint64_t pta;
    const struct thash_table *vhpt_mem; /* what the PTA points at */
    struct mtlb itlb, dtlb;
    struct phys_mem *mem; /* machine memory, shared by the machines of one host */
    struct walker_stats walker;
    uint64_t ptc_l_count, ptc_e_count, itc_count;
};

int machine_init(struct machine *m, const struct machine_params *p, struct phys_mem *mem);
void machine_free(struct machine *m);

static inline struct mtlb *machine_tlb(struct machine *m, enum vmm_tlb_side side)
{
    return side == VMM_I_TLB ? &m->itlb : &m->dtlb;
}

static inline uint64_t machine_rid(const struct machine *m, uint64_t va)
{
    return ia64_rr_rid(m->rr[ia64_region(va)]);
}

/* A machine TLB lookup for a guest reference (counts the hit or miss). */
static inline const struct mtlb_entry *machine_tlb_lookup(struct machine *m, enum vmm_tlb_side side, uint64_t va)
{
    return mtlb_lookup(machine_tlb(m, side), va, machine_rid(m, va));
}

enum walk_result { WALK_HIT = 0, WALK_MISS };

/*
 * The hardware VHPT walker after a TLB miss on `side`: hashes va with the machine rr and PTA,
 * and on a tag match inserts the entry into that side's TLB. *entry gets the inserted entry.
 */
enum walk_result machine_walk(struct machine *m, enum vmm_tlb_side side, uint64_t va,
                              const struct mtlb_entry **entry);

/* Machine physical address of va through a TLB entry. */
static inline uint64_t machine_paddr(const struct mtlb_entry *e, uint64_t va)
{
    return (((e->pte & IA64_PTE_PPN_MASK) & e->mask) | (va & ~e->mask));
}

extern const struct vmm_machine_ops machine_vmm_ops;

static inline struct vmm_machine machine_as_vmm_machine(struct machine *m)
{
    return (struct vmm_machine){.ops = &machine_vmm_ops, .ctx = m};
}

#endif

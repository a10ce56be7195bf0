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
#include "walker_latency.h"

#define MACHINE_DEFAULT_TC_ENTRIES 128 /* L2 ITLB / DTLB entries (docs/machine-tlb.md) */

struct machine_params {
    struct mtlb_params itlb, dtlb; /* their seeds are ignored: tlb_seed seeds both sides */
    uint64_t tlb_seed;             /* random replacement: I side stream 1, D side stream 2 */
    struct walker_latency_params walker;
    enum ia64_lvhpt_hash_kind hash;
};

/* Itanium 2 TLB levels (mtlb_params_default), walker served by L2, seeds 1, Ski hash. */
void machine_params_default(struct machine_params *p);
/* NULL, or a static message naming the impossible parameter (side and level included). */
const char *machine_params_check(const struct machine_params *p);

struct walker_stats {
    uint64_t walks;       /* TLB misses the walker searched the VHPT for */
    uint64_t hits;        /* tag matched: entry inserted into the TLB */
    uint64_t misses;      /* tag mismatch (or walker disabled): VHPT miss to the VMM */
    uint64_t not_present; /* hit an entry with p = 0 */
    uint64_t mem[WALKER_MEM_LEVELS]; /* VHPT entry reads served by L1, L2, L3, memory */
};

struct machine {
    struct machine_params params;
    uint64_t rr[8];
    uint64_t pta;
    const struct thash_table *vhpt_mem; /* what the PTA points at */
    struct mtlb itlb, dtlb;
    struct phys_mem *mem; /* machine memory, shared by the machines of one host */
    struct walker_stats walker;
    struct walker_latency walker_lat;
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

/* A machine TLB lookup for a guest reference (counts the hit or miss); *hit: which level. */
static inline const struct mtlb_entry *machine_tlb_lookup_level(struct machine *m, enum vmm_tlb_side side,
                                                                uint64_t va, enum mtlb_hit *hit)
{
    return mtlb_lookup_level(machine_tlb(m, side), va, machine_rid(m, va), hit);
}

/* The L1 most-recently-used hit only (mtlb_lookup_mru); NULL with nothing changed otherwise. */
static inline const struct mtlb_entry *machine_tlb_lookup_mru(struct machine *m, enum vmm_tlb_side side, uint64_t va)
{
    return mtlb_lookup_mru(machine_tlb(m, side), va, machine_rid(m, va));
}

/* The same, only for a present translation (mtlb_lookup_mru_present). */
static inline const struct mtlb_entry *machine_tlb_lookup_mru_present(struct machine *m, enum vmm_tlb_side side,
                                                                      uint64_t va)
{
    return mtlb_lookup_mru_present(machine_tlb(m, side), va, machine_rid(m, va));
}

static inline const struct mtlb_entry *machine_tlb_lookup(struct machine *m, enum vmm_tlb_side side, uint64_t va)
{
    enum mtlb_hit hit;
    return machine_tlb_lookup_level(m, side, va, &hit);
}

enum walk_result { WALK_HIT = 0, WALK_MISS };

/*
 * The hardware VHPT walker after a TLB miss on `side`: hashes va with the machine rr and PTA,
 * reads the VHPT entry (when the rr and PTA enable the walker: *mem gets the memory level that
 * served the read, drawn by walker_latency.h, else WALKER_MEM_NONE), and on a tag match
 * inserts the entry into that side's TLB. *entry gets the inserted entry. Only after va missed
 * in that side's TLB, as the hardware walks (the insert relies on it: mtlb_insert_missed).
 */
enum walk_result machine_walk_mem(struct machine *m, enum vmm_tlb_side side, uint64_t va,
                                  const struct mtlb_entry **entry, enum walker_mem_level *mem);

static inline enum walk_result machine_walk(struct machine *m, enum vmm_tlb_side side, uint64_t va,
                                            const struct mtlb_entry **entry)
{
    enum walker_mem_level mem;
    return machine_walk_mem(m, side, va, entry, &mem);
}

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

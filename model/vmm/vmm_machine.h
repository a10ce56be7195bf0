/*
 * vmm_machine.h - the machine operations the VMM core calls.
 *
 * vtlb.c runs on a real Itanium and uses ia64 intrinsics (ia64_get_rr, ia64_thash, ia64_ttag,
 * ia64_itc, ia64_ptcl, ia64_ptce, ld8.s). In vhptsim those are calls into a machine model
 * through this table, so the core never touches a global or the host and unit tests can hand
 * it a recording fake.
 */
#ifndef VHPTSIM_VMM_MACHINE_H
#define VHPTSIM_VMM_MACHINE_H

#include <stdint.h>

#include "vmm_table.h"

/* KVM's numbering: I_TLB = 1, D_TLB = 2 (also the interruption vector of the miss). */
enum vmm_tlb_side { VMM_I_TLB = 1, VMM_D_TLB = 2 };

struct vmm_machine_ops {
    uint64_t (*get_rr)(void *ctx, uint64_t va);                 /* ia64_get_rr */
    void (*set_rr)(void *ctx, uint64_t va, uint64_t value);     /* ia64_set_rr */
    /* ia64_set_pta; `table` is the memory the PTA points at, which the walker reads */
    void (*set_pta)(void *ctx, uint64_t pta, const struct thash_table *table);
    uint64_t (*thash)(void *ctx, uint64_t va);                  /* ia64_thash */
    uint64_t (*ttag)(void *ctx, uint64_t va);                   /* ia64_ttag */
    void (*itc)(void *ctx, enum vmm_tlb_side side, uint64_t va, uint64_t pte, unsigned ps);
    void (*ptc_l)(void *ctx, uint64_t va, unsigned ps);         /* ia64_ptcl(va, ps << 2) */
    void (*ptc_e)(void *ctx, uint64_t addr);                    /* one ia64_ptce step */
    /* ld8.s at a guest virtual address: 0 and *value on success, 1 when it would defer (NaT) */
    int (*load8_spec)(void *ctx, uint64_t va, uint64_t *value);
};

struct vmm_machine {
    const struct vmm_machine_ops *ops;
    void *ctx;
};

#endif

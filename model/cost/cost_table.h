/*
 * cost_table.h - the cycle cost of every path, and the account that charges it.
 *
 * One row per thing that costs cycles. Every cycle the simulator reports was added by
 * cost_charge() to exactly one row, so the per-row breakdown sums to the total by construction.
 * Defaults model an Itanium 2 host; docs/costs.md gives each default's source (a measurement,
 * a manual, or an estimate with its reasoning).
 */
#ifndef VHPTSIM_COST_TABLE_H
#define VHPTSIM_COST_TABLE_H

#include <stdint.h>

#include "../vmm/vmm_work.h"

/* X(enum suffix, name, default cycles) */
#define COST_ROWS(X)                                                                            \
    X(GUEST_REF, "guest_ref", 1)               /* issuing the reference itself */             \
    X(TLB_L1_HIT, "tlb_l1_hit", 0)             /* L1 TLB hit: hidden in the L1 cache access */ \
    X(TLB_L2_HIT, "tlb_l2_hit", 4)             /* L1 TLB miss, L2 TLB hit */                  \
    X(WALKER_L1, "walker_l1", 15)              /* walker: VHPT line from the L1 cache */      \
    X(WALKER_L2, "walker_l2", 15)              /* ... from L2 */                              \
    X(WALKER_L3, "walker_l3", 25)              /* ... from L3 */                              \
    X(WALKER_MEM, "walker_mem", 233)           /* ... from memory */                          \
    X(VMM_EXIT, "vmm_exit", 500)               /* guest -> VMM -> guest round trip */         \
    X(EMULATE, "emulate", 100)                 /* decode + dispatch of an intercepted instr. */ \
    X(TR_PROBE, "tr_probe", 3)                 /* one guest TR compared */                    \
    X(VTLB_PROBE, "vtlb_probe", 10)            /* one vTLB slot hashed and compared */        \
    X(VHPT_PROBE, "vhpt_probe", 10)            /* one VHPT slot thash'ed and compared */      \
    X(VTLB_INSERT, "vtlb_insert", 10)                                                         \
    X(VHPT_INSERT, "vhpt_insert", 12)                                                         \
    X(PURGE_ALL_ENTRY, "purge_all_entry", 2)   /* one entry rewritten by thash_purge_all */   \
    X(MACHINE_ITC, "machine_itc", 20)                                                         \
    X(MACHINE_PTC_L, "machine_ptc_l", 20)                                                     \
    X(MACHINE_PTC_E, "machine_ptc_e", 20)      /* one ptc.e step */                           \
    X(DIRTY_PAGE, "dirty_page", 5)             /* one frame visited by mark_pages_dirty */    \
    X(P2M_LOOKUP, "p2m_lookup", 6)                                                            \
    X(GUEST_VHPT_LOAD, "guest_vhpt_load", 30)  /* the VMM's ld8.s of a guest VHPT entry */    \
    X(IO_EMULATE, "io_emulate", 2000)          /* emulate_io_inst: exit to the device model */ \
    X(PTC_G_IPI, "ptc_g_ipi", 2000)            /* host IPI per other vCPU for ptc.g/ga */     \
    X(FAULT_INJECT, "fault_inject", 150)       /* reflecting an interruption into the guest */ \
    X(GUEST_HANDLER, "guest_handler", 40)      /* the guest kernel's handler body */

enum cost_row {
#define COST_ENUM(id, name, def) COST_##id,
    COST_ROWS(COST_ENUM)
#undef COST_ENUM
    COST_ROW_COUNT
};

struct cost_table {
    uint64_t cycles[COST_ROW_COUNT];
};

void cost_table_default(struct cost_table *t);
const char *cost_row_name(enum cost_row r);
/* 0 and *r for a known row name, -1 otherwise. */
int cost_row_parse(const char *name, enum cost_row *r);

/* Cycles charged so far, per row, and their sum. (How often a path ran is counted by the
 * models' own statistics, not here.) */
struct cost_account {
    uint64_t cycles[COST_ROW_COUNT];
    uint64_t total;
    int overflow; /* the total passed 2^64 - 1 cycles: every figure here is wrong, report it */
};

/* Charges n units of row r; returns the cycles added. The only way cycles enter an account. */
static inline uint64_t cost_charge(struct cost_account *a, const struct cost_table *t, enum cost_row r, uint64_t n)
{
    uint64_t c;
    /* no row exceeds the total, so checking the total covers every row */
    a->overflow |= __builtin_mul_overflow(t->cycles[r], n, &c) | __builtin_add_overflow(a->total, c, &a->total);
    a->cycles[r] += c;
    return c;
}

/* Charges everything a VMM call did (its struct vmm_work); returns the cycles added. */
uint64_t cost_charge_work(struct cost_account *a, const struct cost_table *t, const struct vmm_work *w);

/* Sum of the rows (equals a->total unless the account was corrupted). */
uint64_t cost_account_sum(const struct cost_account *a);

#endif

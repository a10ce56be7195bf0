/*
 * ski_system.h - the system-mode half of the Ski reader (docs/ski-traces.md, "System mode").
 *
 * A trace Ski wrote while running a privileged guest (../shared/traces/ski-system/README.md)
 * differs from a user-mode one: an IOFFSET after almost every CAPSULE, two INTERRUPTION records
 * per interruption, and the guest's own TLB management in its instructions. ski_reader.c checks
 * and parses every record and hands the system-mode ones to the hooks below; this layer keeps
 * the bundle being executed, decodes it (ia64_decode.h), follows the registers that carry the
 * operands (the ar.k annotation, constants, cr/psr/rr) and queues the guest events:
 *
 *   SET_PSR 0            first, when tracing started at the first instruction (Ski's loader
 *                        starts a system-mode image with psr = 0)
 *   IFETCH               one per bundle execution (or per instruction); va = the bundle address,
 *                        the first IOFFSET among the bundle's capsules; flags GE_F_TRACED
 *   LOAD, STORE, ...     one per DOFFSET, flags GE_F_TRACED
 *   the attempt          the reference an interruption interrupted, flagged GE_F_TRACE_FAULT with
 *                        op1 = the vector (from the handler's address): the DOFFSET just before
 *                        the pair, or an IFETCH of iip for an instruction fetch (isr.x)
 *   MARK 1               one per interruption pair (va = iip, op1 = isr of the second record)
 *   ITC_*, ITR_*, PTC_*, PTR_*, MOV_RR, MOV_PTA
 *                        the executed TLB instructions with all their operands
 *   SET_PSR              rfi (psr = cr.ipsr), rsm, ssm, mov psr.l, when the new psr is known
 *   MARK 3               an operation the trace shows but whose operands it does not determine
 *                        (GE_MARK_UNRECOVERED), instead of an event with invented values
 *   MARK 2               discontinuity (as in user mode)
 *
 * Instructions: every CAPSULE (an attempt an interruption cut short included: Ski's -stats
 * counts it too) adds 1 to the `insns` of the newest event once it is read: the IFETCH it queued,
 * or the event before it. The events' insns add up to ski_stats.instructions, as in user mode.
 */
#ifndef VHPTSIM_SKI_SYSTEM_H
#define VHPTSIM_SKI_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_event.h"
#include "ia64_decode.h"

/* Privileged instructions by kind (README's table). */
enum ski_priv {
    SKI_PRIV_ITC_D = 0,
    SKI_PRIV_ITC_I,
    SKI_PRIV_ITR_I,
    SKI_PRIV_ITR_D,
    SKI_PRIV_PTR_I,
    SKI_PRIV_PTR_D,
    SKI_PRIV_PTC_L,
    SKI_PRIV_PTC_G,
    SKI_PRIV_PTC_GA,
    SKI_PRIV_PTC_E,
    SKI_PRIV_MOV_RR,
    SKI_PRIV_MOV_CR_PTA,
    SKI_PRIV_MOV_CR_IVA,
    SKI_PRIV_MOV_CR_IFA,
    SKI_PRIV_MOV_CR_ITIR,
    SKI_PRIV_MOV_CR_IPSR,
    SKI_PRIV_MOV_CR_IIP,
    SKI_PRIV_MOV_CR_IFS,
    SKI_PRIV_MOV_CR_OTHER,
    SKI_PRIV_MOV_PSR_L,
    SKI_PRIV_RSM,
    SKI_PRIV_SSM,
    SKI_PRIV_RFI,
    SKI_PRIV_COUNT
};
const char *ski_priv_name(enum ski_priv k); /* "itc_d", "mov_cr_pta", ... */

/* The guest operations the replay executes: the TLB instructions (incl. mov cr.pta) + psr. */
enum ski_op {
    SKI_OP_ITC_I = 0,
    SKI_OP_ITC_D,
    SKI_OP_ITR_I,
    SKI_OP_ITR_D,
    SKI_OP_PTC_L,
    SKI_OP_PTC_G,
    SKI_OP_PTC_GA,
    SKI_OP_PTC_E,
    SKI_OP_PTR_I,
    SKI_OP_PTR_D,
    SKI_OP_MOV_RR,
    SKI_OP_MOV_PTA,
    SKI_OP_TLB_COUNT, /* the TLB operations end here */
    SKI_OP_PSR = SKI_OP_TLB_COUNT,
    SKI_OP_COUNT
};
const char *ski_op_name(enum ski_op k); /* "itc_d", ..., "mov_rr", "mov_pta", "psr" */

/* Operands (bit i = GE_UNRECOVERED_* bit i): addr, value, itir, slot, ps, and "invalid". */
#define SKI_OPND_COUNT 6
const char *ski_operand_name(unsigned i); /* "addr", "value", "itir", "slot", "ps", "invalid" */

#define SKI_INTR_KINDS 4 /* by the isr of the second record: fetch (x), read (r), write (w), other */
const char *ski_intr_kind_name(unsigned k);

struct ski_sys_stats {
    uint64_t bundles;          /* bundle executions (IFETCH events in bundle mode) */
    uint64_t bundles_no_ioffset; /* addressed by the branch target or the slot rule: no IOFFSET */
    uint64_t ioffset_mismatch; /* a bundle's first IOFFSET differed from its branch target / slot rule */
    uint64_t undecoded;        /* capsules of a bundle whose BUNDLE record was missing */
    uint64_t interrupted;      /* capsules an interruption interrupted (not executed) */
    uint64_t interruptions;    /* INTERRUPTION pairs */
    /* by vector entry (index 68: vector not known) x kind x region of the faulting address
       (region 8: no faulting address) */
    uint64_t intr[69][SKI_INTR_KINDS][9];
    uint64_t psr_mismatch;     /* a first INTERRUPTION record's psr differed from the followed psr */
    uint64_t iva_mismatch;     /* a handler outside the IVT that cr.iva named */
    uint64_t priv[SKI_PRIV_COUNT]; /* executed privileged instructions */
    uint64_t ar_values;        /* AR_VALUE records */
    uint64_t ar_values_kernel; /* ... that a mov ar.k0..k7 wrote */
    uint64_t ar_values_unattributed; /* ... following no decoded move to an AR */
    uint64_t ops[SKI_OP_COUNT];           /* executed operations by kind */
    uint64_t ops_complete[SKI_OP_COUNT];  /* ... with every operand (events produced) */
    uint64_t ops_annotated[SKI_OP_COUNT]; /* ... every operand from the ar.k annotation */
    uint64_t ops_missing[SKI_OP_COUNT][SKI_OPND_COUNT]; /* operands not recovered (or invalid) */
    uint64_t operand_mismatch; /* annotation and code disagreed on an operand (annotation used) */
};

struct ski_sys;

/* mode: SKI_IFETCH_BUNDLE (0) or SKI_IFETCH_INSN (1) as in ski_reader.h. start_psr_known: the
 * trace starts at the first instruction, with psr = 0. NULL when out of memory. */
struct ski_sys *ski_sys_new(int per_insn, bool start_psr_known, uint64_t first_off);
void ski_sys_free(struct ski_sys *s);

/* The record hooks: 0, or -1 with ski_sys_error() / ski_sys_error_offset(). */
int ski_sys_capsule(struct ski_sys *s, unsigned cpu, bool pred, unsigned slot, uint64_t off);
int ski_sys_bundle(struct ski_sys *s, const uint8_t bytes[16], uint64_t off);
int ski_sys_ioffset(struct ski_sys *s, uint64_t addr, uint64_t off);
int ski_sys_dref(struct ski_sys *s, const struct guest_event *ev, uint64_t off);
int ski_sys_interruption(struct ski_sys *s, const uint64_t v[5], uint64_t off); /* psr ipsr isr iip iipa */
int ski_sys_branch(struct ski_sys *s, uint64_t target, uint64_t off);
int ski_sys_ar_value(struct ski_sys *s, uint64_t value, uint64_t off);
int ski_sys_discontinuity(struct ski_sys *s, uint64_t untraced, uint64_t off); /* the MARK 2 */
int ski_sys_other(struct ski_sys *s, uint64_t off); /* any other record */
int ski_sys_end(struct ski_sys *s, uint64_t off);

/* The next ready event: 1 (and its record's offset), 0 when none is ready yet. The newest event
 * is ready only when final (no record follows: the end, or an error): every CAPSULE adds 1 to the
 * `insns` of the newest event when it is read, as in user mode (ski_reader.h, "Instructions"). */
int ski_sys_pop(struct ski_sys *s, struct guest_event *ev, uint64_t *off, bool final);
const char *ski_sys_error(const struct ski_sys *s);
uint64_t ski_sys_error_offset(const struct ski_sys *s);
const struct ski_sys_stats *ski_sys_stats(const struct ski_sys *s);

#endif

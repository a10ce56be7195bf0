/* ski_system.c - system-mode Ski traces: bundles, interruptions, the guest's TLB operations and
 * their operands. See ski_system.h and docs/ski-traces.md ("System mode"). */
#include "ski_system.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ia64/ia64_arch.h"
#include "../model/ia64/ia64_vector.h"

#define QCAP 1024u /* events waiting for a bundle address or a vector */
#define QMARGIN 8u /* one record queues at most 3 events */

enum hold { H_NONE = 0, H_ADDR, H_DREF, H_VECTOR };

struct qent {
    struct guest_event ev;
    uint64_t off;
    uint8_t hold;
};

struct known {
    uint64_t v;
    bool k;
};

struct ski_sys {
    struct qent q[QCAP];
    uint64_t qhead, qtail; /* absolute positions; q[i % QCAP] */
    bool per_insn;

    /* the bundle being executed */
    bool in_bundle, settled, have_guess, have_bytes, vector_bundle;
    uint64_t addr, guess, bundle_off;
    uint64_t ifetch[3];
    unsigned nifetch;
    struct ia64_bundle dec;
    int prev_slot;
    unsigned cpu;
    bool seen_capsule;
    bool have_prev;
    uint64_t prev_addr;
    bool after_intr, after_branch;
    uint64_t branch_target;

    /* the capsule whose instruction has not retired yet */
    bool cap_open, cap_pred;
    unsigned cap_slot;
    uint64_t cap_off;
    int ar_expect; /* the AR the last retired instruction moved to, -1 none */

    /* the DOFFSET just read (an interruption may follow it) */
    bool dref_pending;
    uint64_t dref_idx;

    /* interruptions */
    bool intr_first; /* the first record of a pair was read */
    uint64_t intr1_psr, intr1_off;
    bool vector_pending, attempt_queued;
    uint64_t attempt_idx;
    unsigned intr_kind, intr_region;

    /* what the instructions and records determine */
    struct known gr[32], psr, rr[8];
    struct known cr_ifa, cr_itir, cr_ipsr, cr_iva;
    struct known ark[8];
    bool ark_fresh[8]; /* written (AR_VALUE) since an operation last used it */

    struct ski_sys_stats st;
    char err[256];
    uint64_t err_off;
};

/* ---- names ---------------------------------------------------------------------------------- */

const char *ski_priv_name(enum ski_priv k)
{
    static const char *const n[SKI_PRIV_COUNT] = {
        "itc_d",       "itc_i",       "itr_i",       "itr_d",        "ptr_i",       "ptr_d",
        "ptc_l",       "ptc_g",       "ptc_ga",      "ptc_e",        "mov_rr",      "mov_cr_pta",
        "mov_cr_iva",  "mov_cr_ifa",  "mov_cr_itir", "mov_cr_ipsr",  "mov_cr_iip",  "mov_cr_ifs",
        "mov_cr_other", "mov_psr_l",  "rsm",         "ssm",          "rfi",
    };
    return (unsigned)k < SKI_PRIV_COUNT ? n[k] : "?";
}

const char *ski_op_name(enum ski_op k)
{
    static const char *const n[SKI_OP_COUNT] = {"itc_i", "itc_d", "itr_i", "itr_d",  "ptc_l",   "ptc_g", "ptc_ga",
                                                "ptc_e", "ptr_i", "ptr_d", "mov_rr", "mov_pta", "psr"};
    return (unsigned)k < SKI_OP_COUNT ? n[k] : "?";
}

const char *ski_operand_name(unsigned i)
{
    static const char *const n[SKI_OPND_COUNT] = {"addr", "value", "itir", "slot", "ps", "invalid"};
    return i < SKI_OPND_COUNT ? n[i] : "?";
}

const char *ski_intr_kind_name(unsigned k)
{
    static const char *const n[SKI_INTR_KINDS] = {"fetch", "read", "write", "other"};
    return k < SKI_INTR_KINDS ? n[k] : "?";
}

static const enum guest_event_kind op_event[SKI_OP_COUNT] = {
    GE_ITC_I, GE_ITC_D, GE_ITR_I, GE_ITR_D, GE_PTC_L, GE_PTC_G, GE_PTC_GA,
    GE_PTC_E, GE_PTR_I, GE_PTR_D, GE_MOV_RR, GE_MOV_PTA, GE_SET_PSR,
};

/* ---- errors, queue ---------------------------------------------------------------------------- */

static int fail(struct ski_sys *s, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct ski_sys *s, uint64_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->err_off = off;
    return -1;
}

const char *ski_sys_error(const struct ski_sys *s) { return s->err; }
uint64_t ski_sys_error_offset(const struct ski_sys *s) { return s->err_off; }
const struct ski_sys_stats *ski_sys_stats(const struct ski_sys *s) { return &s->st; }

static struct qent *at(struct ski_sys *s, uint64_t idx) { return &s->q[idx % QCAP]; }

static int force_oldest(struct ski_sys *s);

/* Queues an event; returns its position, or UINT64_MAX on an error (message set). */
static uint64_t push(struct ski_sys *s, const struct guest_event *ev, uint64_t off, enum hold hold)
{
    if (s->qtail - s->qhead >= QCAP - QMARGIN && force_oldest(s) != 0)
        return UINT64_MAX;
    const uint64_t idx = s->qtail++;
    struct qent *e = at(s, idx);
    e->ev = *ev;
    e->off = off;
    e->hold = (uint8_t)hold;
    return idx;
}

static struct guest_event event(enum guest_event_kind kind, unsigned cpu, uint64_t va)
{
    struct guest_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint8_t)kind;
    ev.cpu = (uint16_t)cpu;
    ev.va = va;
    return ev;
}

int ski_sys_pop(struct ski_sys *s, struct guest_event *ev, uint64_t *off, bool final)
{
    if (s->qhead == s->qtail || at(s, s->qhead)->hold != H_NONE)
        return 0;
    if (s->qtail - s->qhead == 1 && !final)
        return 0; /* the newest event waits for the next CAPSULE (count_insn) */
    const struct qent *e = at(s, s->qhead++);
    *ev = e->ev;
    *off = e->off;
    return 1;
}

/* Counts the CAPSULE just read at the newest event, as the user-mode reader does (ski_reader.h,
 * "Instructions"): its own IFETCH, or the event before it for an instruction inside a bundle
 * already entered. ski_sys_pop holds the newest event back, so there is one. */
static void count_insn(struct ski_sys *s)
{
    if (s->qtail == s->qhead)
        return; /* cannot happen: the first CAPSULE starts a bundle and queues its IFETCH */
    struct guest_event *newest = &at(s, s->qtail - 1)->ev;
    if (newest->insns < UINT16_MAX) /* at most 3 per event: a bundle holds three slots */
        newest->insns++;
}

/* ---- what the trace determines ---------------------------------------------------------------- */

static const struct known unknown = {0, false};
static struct known known(uint64_t v) { return (struct known){v, true}; }

static struct known gr(const struct ski_sys *s, unsigned r)
{
    if (r == 0)
        return known(0);
    return r < 32 ? s->gr[r] : unknown; /* the stacked registers are not followed */
}

static void set_gr(struct ski_sys *s, unsigned r, struct known v)
{
    if (r > 0 && r < 32)
        s->gr[r] = v;
}

static void forget_banked(struct ski_sys *s)
{
    for (unsigned r = 16; r < 32; r++)
        s->gr[r] = unknown;
}

static void forget_grs(struct ski_sys *s)
{
    for (unsigned r = 0; r < 32; r++)
        s->gr[r] = unknown;
}

/* After a gap in the trace (discontinuity, an undecodable instruction, another processor). */
static void forget_all(struct ski_sys *s)
{
    forget_grs(s);
    s->psr = unknown;
    for (unsigned r = 0; r < 8; r++) {
        s->rr[r] = unknown;
        s->ark[r] = unknown;
        s->ark_fresh[r] = false;
    }
    s->cr_ifa = s->cr_itir = s->cr_ipsr = s->cr_iva = unknown;
    s->ar_expect = -1;
}

struct ski_sys *ski_sys_new(int per_insn, bool start_psr_known, uint64_t first_off)
{
    struct ski_sys *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->per_insn = per_insn != 0;
    s->prev_slot = -1;
    s->ar_expect = -1;
    if (start_psr_known) {
        /* Ski's elfLoad starts a system-mode image with psr = 0 (physical addressing, ic = 0) */
        s->psr = known(0);
        struct guest_event ev = event(GE_SET_PSR, 0, 0);
        push(s, &ev, first_off, H_NONE);
    }
    return s;
}

void ski_sys_free(struct ski_sys *s) { free(s); }

/* ---- interruptions and vectors ---------------------------------------------------------------- */

/* The handler's first bundle is at iva + the vector's offset. */
static void resolve_vector(struct ski_sys *s, bool have, uint64_t handler)
{
    if (!s->vector_pending)
        return;
    s->vector_pending = false;
    int index = -1;
    if (have) {
        index = ia64_vector_index(handler & (IA64_IVT_SIZE - 1));
        const uint64_t iva = handler & ~(uint64_t)(IA64_IVT_SIZE - 1);
        if (s->cr_iva.k && s->cr_iva.v != iva)
            s->st.iva_mismatch++;
    }
    s->st.intr[index < 0 ? IA64_IVT_ENTRIES : (unsigned)index][s->intr_kind][s->intr_region]++;
    if (s->attempt_queued) {
        struct qent *e = at(s, s->attempt_idx);
        e->ev.op1 = index < 0 ? GE_VECTOR_UNKNOWN : ia64_vector_offset((unsigned)index);
        e->hold = H_NONE;
        s->attempt_queued = false;
    }
}

/* ---- bundles ------------------------------------------------------------------------------------ */

static void settle(struct ski_sys *s, uint64_t addr)
{
    s->settled = true;
    s->addr = addr;
    for (unsigned i = 0; i < s->nifetch; i++) {
        struct qent *e = at(s, s->ifetch[i]);
        e->ev.va = addr;
        e->hold = H_NONE;
    }
    s->nifetch = 0;
    s->have_prev = true;
    s->prev_addr = addr;
    if (s->vector_bundle) {
        s->vector_bundle = false;
        resolve_vector(s, true, addr);
    }
}

/* The bundle ends: without an IOFFSET its address is the branch target or the slot rule's. */
static int end_bundle(struct ski_sys *s)
{
    if (!s->in_bundle)
        return 0;
    s->in_bundle = false;
    if (s->settled)
        return 0;
    if (!s->have_guess)
        return fail(s, s->bundle_off,
                    "instruction without an address: this CAPSULE starts a bundle after an interruption or a "
                    "discontinuity, but no IOFFSET record follows it or another CAPSULE of its bundle");
    s->st.bundles_no_ioffset++;
    settle(s, s->guess);
    return 0;
}

static int queue_ifetch(struct ski_sys *s, uint64_t off)
{
    struct guest_event ev = event(GE_IFETCH, s->cpu, s->settled ? s->addr : 0);
    ev.size = 16;
    ev.flags = GE_F_TRACED;
    const uint64_t idx = push(s, &ev, off, s->settled ? H_NONE : H_ADDR);
    if (idx == UINT64_MAX)
        return -1;
    if (!s->settled && s->nifetch < 3)
        s->ifetch[s->nifetch++] = idx;
    return 0;
}

static int start_bundle(struct ski_sys *s, uint64_t off)
{
    if (end_bundle(s) != 0)
        return -1;
    s->in_bundle = true;
    s->settled = false;
    s->have_bytes = false;
    s->nifetch = 0;
    s->bundle_off = off;
    s->vector_bundle = s->after_intr && s->vector_pending;
    s->have_guess = !s->after_intr && (s->after_branch || s->have_prev);
    s->guess = s->after_branch ? s->branch_target : s->prev_addr + 16;
    s->after_intr = s->after_branch = false;
    s->st.bundles++;
    return s->per_insn ? 0 : queue_ifetch(s, off);
}

/* Makes the oldest held event ready (the queue is nearly full). */
static int force_oldest(struct ski_sys *s)
{
    struct qent *e = at(s, s->qhead);
    switch (e->hold) {
    case H_ADDR:
        if (!s->have_guess)
            return fail(s, e->off, "instruction without an address: %u events wait for this bundle's IOFFSET", QCAP);
        s->st.bundles_no_ioffset++;
        settle(s, s->guess);
        return 0;
    case H_DREF:
        e->hold = H_NONE;
        s->dref_pending = false;
        return 0;
    case H_VECTOR:
        s->vector_bundle = false;
        resolve_vector(s, false, 0);
        return 0;
    default:
        return 0;
    }
}

static void release_dref(struct ski_sys *s)
{
    if (s->dref_pending) {
        s->dref_pending = false;
        at(s, s->dref_idx)->hold = H_NONE;
    }
}

/* ---- operations --------------------------------------------------------------------------------- */

/* One operand: the ar.k annotation (when written since its last use) and what the code gives. */
struct operand {
    struct known v;
    bool annotated;
};

static struct operand operand(struct ski_sys *s, int k, struct known code)
{
    struct operand o = {code, false};
    if (k >= 0 && s->ark_fresh[k]) {
        s->ark_fresh[k] = false; /* an annotation serves one operation */
        if (code.k && code.v != s->ark[k].v)
            s->st.operand_mismatch++;
        o.v = s->ark[k];
        o.annotated = true;
    }
    return o;
}

/* NULL if the operands make a valid operation (the checks of the vtrace reader, docs/vtrace.md). */
static bool operands_valid(const struct guest_event *ev)
{
    switch ((enum guest_event_kind)ev->kind) {
    case GE_ITC_I:
    case GE_ITC_D: return ia64_page_size_valid(ia64_itir_ps(ev->op1));
    case GE_ITR_I:
    case GE_ITR_D: return ia64_page_size_valid(ia64_itir_ps(ev->op1)) && ev->slot < 8;
    case GE_PTC_L:
    case GE_PTC_G:
    case GE_PTC_GA:
    case GE_PTR_I:
    case GE_PTR_D: return ia64_page_size_valid(ev->op0);
    case GE_MOV_RR: return !(ev->op0 & IA64_RR_RESERVED_MASK) && ia64_page_size_valid(ia64_rr_ps(ev->op0));
    case GE_MOV_PTA: {
        const unsigned size = ia64_pta_size(ev->op0);
        if (ev->op0 & IA64_PTA_RESERVED_MASK)
            return false;
        return !ia64_pta_ve(ev->op0) ||
               (size >= 15 && size <= 61 && !(ia64_pta_base_addr(ev->op0) & ((UINT64_C(1) << size) - 1)));
    }
    case GE_SET_PSR: return !(ev->op0 & IA64_PSR_KVM_UNSUPPORTED);
    default: return true;
    }
}

/* Queues the operation, or a MARK saying what the trace did not determine. */
static int emit_op(struct ski_sys *s, enum ski_op op, struct guest_event *ev, unsigned missing, bool annotated)
{
    s->st.ops[op]++;
    if (!missing && !operands_valid(ev))
        missing = GE_UNRECOVERED_INVALID;
    if (missing) {
        for (unsigned i = 0; i < SKI_OPND_COUNT; i++)
            if (missing & (1u << i))
                s->st.ops_missing[op][i]++;
        struct guest_event m = event(GE_MARK, s->cpu, s->addr);
        m.op0 = GE_MARK_UNRECOVERED;
        m.op1 = (uint64_t)op_event[op] | (uint64_t)missing << 8;
        return push(s, &m, s->cap_off, H_NONE) == UINT64_MAX ? -1 : 0;
    }
    s->st.ops_complete[op]++;
    s->st.ops_annotated[op] += annotated;
    ev->cpu = (uint16_t)s->cpu;
    return push(s, ev, s->cap_off, H_NONE) == UINT64_MAX ? -1 : 0;
}

static int tlb_op(struct ski_sys *s, const struct ia64_insn *in)
{
    struct guest_event ev = event(GE_IFETCH, s->cpu, 0);
    unsigned missing = 0;
    bool annotated = true;
    enum ski_op op;
#define TAKE(dst, kreg, code, bit)                                \
    do {                                                          \
        const struct operand o_ = operand(s, (kreg), (code));     \
        annotated = annotated && o_.annotated;                    \
        if (o_.v.k)                                               \
            (dst) = o_.v.v;                                       \
        else                                                      \
            missing |= (bit);                                     \
    } while (0)
    switch ((enum ia64_op)in->op) {
    case IA64_ITC_I:
    case IA64_ITC_D:
    case IA64_ITR_I:
    case IA64_ITR_D: {
        static const enum ski_op ops[] = {[IA64_ITC_I] = SKI_OP_ITC_I, [IA64_ITC_D] = SKI_OP_ITC_D,
                                          [IA64_ITR_I] = SKI_OP_ITR_I, [IA64_ITR_D] = SKI_OP_ITR_D};
        op = ops[in->op];
        const bool itr = in->op == IA64_ITR_I || in->op == IA64_ITR_D;
        uint64_t slot = 0;
        if (itr)
            TAKE(slot, 4, gr(s, in->r3), GE_UNRECOVERED_SLOT);
        TAKE(ev.va, 5, s->cr_ifa, GE_UNRECOVERED_ADDR);
        TAKE(ev.op1, 6, s->cr_itir, GE_UNRECOVERED_ITIR);
        TAKE(ev.op0, 7, gr(s, in->r2), GE_UNRECOVERED_VALUE);
        ev.slot = (uint8_t)(slot < 8 ? slot : 0xff);
        break;
    }
    case IA64_PTC_L:
    case IA64_PTC_G:
    case IA64_PTC_GA:
    case IA64_PTR_I:
    case IA64_PTR_D: {
        static const enum ski_op ops[] = {[IA64_PTC_L] = SKI_OP_PTC_L, [IA64_PTC_G] = SKI_OP_PTC_G,
                                          [IA64_PTC_GA] = SKI_OP_PTC_GA, [IA64_PTR_I] = SKI_OP_PTR_I,
                                          [IA64_PTR_D] = SKI_OP_PTR_D};
        op = ops[in->op];
        TAKE(ev.va, 6, gr(s, in->r3), GE_UNRECOVERED_ADDR);
        TAKE(ev.op0, 7, gr(s, in->r2), GE_UNRECOVERED_PS);
        ev.op0 = (ev.op0 >> 2) & 0x3f; /* r2{7:2} is the purge size */
        break;
    }
    case IA64_PTC_E:
        op = SKI_OP_PTC_E;
        TAKE(ev.va, 7, gr(s, in->r3), GE_UNRECOVERED_ADDR);
        break;
    case IA64_MOV_TO_RR:
        op = SKI_OP_MOV_RR;
        TAKE(ev.va, 6, gr(s, in->r3), GE_UNRECOVERED_ADDR);
        TAKE(ev.op0, 7, gr(s, in->r2), GE_UNRECOVERED_VALUE);
        ev.va = ia64_region_base(ia64_region(ev.va)); /* r3{63:61} selects the region */
        break;
    default: /* mov cr.pta */
        op = SKI_OP_MOV_PTA;
        TAKE(ev.op0, 6, gr(s, in->r2), GE_UNRECOVERED_VALUE);
        break;
    }
#undef TAKE
    ev.kind = (uint8_t)op_event[op];
    /* what later interruptions read back (itir) */
    if (op == SKI_OP_MOV_RR && (missing & GE_UNRECOVERED_ADDR))
        for (unsigned r = 0; r < 8; r++)
            s->rr[r] = unknown; /* some region changed */
    else if (op == SKI_OP_MOV_RR)
        s->rr[ia64_region(ev.va)] = missing ? unknown : known(ev.op0);
    return emit_op(s, op, &ev, missing, annotated);
}

/* rfi, rsm, ssm, mov psr.l: the new psr when the trace determines it. */
static int psr_op(struct ski_sys *s, const struct ia64_insn *in)
{
    struct known now = unknown;
    switch ((enum ia64_op)in->op) {
    case IA64_RFI:
        now = s->cr_ipsr;
        forget_banked(s); /* ipsr.bn may switch the register bank */
        break;
    case IA64_RSM:
        if (s->psr.k)
            now = known(s->psr.v & ~in->imm);
        break;
    case IA64_SSM:
        if (s->psr.k)
            now = known(s->psr.v | in->imm);
        break;
    default: { /* mov psr.l = r2 sets psr{31:0} */
        const struct known v = gr(s, in->r2);
        if (s->psr.k && v.k)
            now = known((s->psr.v & ~UINT64_C(0xffffffff)) | (v.v & UINT64_C(0xffffffff)));
        break;
    }
    }
    s->psr = now;
    struct guest_event ev = event(GE_SET_PSR, s->cpu, 0);
    ev.op0 = now.v;
    return emit_op(s, SKI_OP_PSR, &ev, now.k ? 0 : GE_UNRECOVERED_VALUE, false);
}

static int mov_to_cr(struct ski_sys *s, const struct ia64_insn *in)
{
    const struct known v = gr(s, in->r2);
    switch (in->reg) {
    case IA64_CR_PTA:
        s->st.priv[SKI_PRIV_MOV_CR_PTA]++;
        return tlb_op(s, in);
    case IA64_CR_IVA:
        s->st.priv[SKI_PRIV_MOV_CR_IVA]++;
        s->cr_iva = operand(s, 7, v).v; /* annotated with k7 = iva */
        return 0;
    case IA64_CR_IFA:
        s->st.priv[SKI_PRIV_MOV_CR_IFA]++;
        s->cr_ifa = v;
        return 0;
    case IA64_CR_ITIR:
        s->st.priv[SKI_PRIV_MOV_CR_ITIR]++;
        s->cr_itir = v;
        return 0;
    case IA64_CR_IPSR:
        s->st.priv[SKI_PRIV_MOV_CR_IPSR]++;
        s->cr_ipsr = v;
        return 0;
    case IA64_CR_IIP: s->st.priv[SKI_PRIV_MOV_CR_IIP]++; return 0;
    case IA64_CR_IFS: s->st.priv[SKI_PRIV_MOV_CR_IFS]++; return 0;
    default: s->st.priv[SKI_PRIV_MOV_CR_OTHER]++; return 0;
    }
}

/* The instruction of the open capsule took effect (its predicate was true). */
static int execute(struct ski_sys *s, const struct ia64_insn *in)
{
    static const int8_t priv[IA64_OP_COUNT] = {
        [IA64_OTHER] = -1,   [IA64_ITC_I] = SKI_PRIV_ITC_I,   [IA64_ITC_D] = SKI_PRIV_ITC_D,
        [IA64_ITR_I] = SKI_PRIV_ITR_I, [IA64_ITR_D] = SKI_PRIV_ITR_D, [IA64_PTC_L] = SKI_PRIV_PTC_L,
        [IA64_PTC_G] = SKI_PRIV_PTC_G, [IA64_PTC_GA] = SKI_PRIV_PTC_GA, [IA64_PTC_E] = SKI_PRIV_PTC_E,
        [IA64_PTR_I] = SKI_PRIV_PTR_I, [IA64_PTR_D] = SKI_PRIV_PTR_D, [IA64_MOV_TO_RR] = SKI_PRIV_MOV_RR,
        [IA64_MOV_TO_CR] = -1, [IA64_MOV_TO_PSR_L] = SKI_PRIV_MOV_PSR_L, [IA64_RSM] = SKI_PRIV_RSM,
        [IA64_SSM] = SKI_PRIV_SSM, [IA64_RFI] = SKI_PRIV_RFI, [IA64_MOV_TO_AR] = -1,
        [IA64_MOV_TO_AR_IMM] = -1, [IA64_MOVL] = -1, [IA64_ADDL] = -1, [IA64_ADDS] = -1,
        [IA64_BREAK] = -1,   [IA64_BSW] = -1,                [IA64_LONG] = -1,
    };
    if (priv[in->op] >= 0)
        s->st.priv[priv[in->op]]++;
    switch ((enum ia64_op)in->op) {
    case IA64_ITC_I:
    case IA64_ITC_D:
    case IA64_ITR_I:
    case IA64_ITR_D:
    case IA64_PTC_L:
    case IA64_PTC_G:
    case IA64_PTC_GA:
    case IA64_PTC_E:
    case IA64_PTR_I:
    case IA64_PTR_D:
    case IA64_MOV_TO_RR: return tlb_op(s, in);
    case IA64_MOV_TO_CR: return mov_to_cr(s, in);
    case IA64_MOV_TO_PSR_L:
    case IA64_RSM:
    case IA64_SSM:
    case IA64_RFI: return psr_op(s, in);
    case IA64_MOV_TO_AR:
    case IA64_MOV_TO_AR_IMM:
        s->ar_expect = in->reg; /* the AR_VALUE record that follows carries the value */
        return 0;
    case IA64_MOVL: set_gr(s, in->r1, known(in->imm)); return 0;
    case IA64_ADDL:
    case IA64_ADDS: {
        const struct known b = gr(s, in->r3);
        set_gr(s, in->r1, b.k ? known(b.v + in->imm) : unknown);
        return 0;
    }
    case IA64_BREAK: forget_grs(s); return 0; /* a Ski firmware call (SSC) may return anything */
    case IA64_BSW: forget_banked(s); return 0;
    default:
        /* anything else may write r1 (A, I, M, X formats), an M-unit one also its base r3 */
        if (in->unit != IA64_UNIT_B && in->unit != IA64_UNIT_F) {
            set_gr(s, in->r1, unknown);
            if (in->unit == IA64_UNIT_M)
                set_gr(s, in->r3, unknown);
        }
        return 0;
    }
}

static int retire(struct ski_sys *s)
{
    if (!s->cap_open)
        return 0;
    s->cap_open = false;
    s->ar_expect = -1;
    if (!s->have_bytes) {
        s->st.undecoded++;
        forget_all(s); /* an unknown instruction may have changed anything */
        return 0;
    }
    if (!s->cap_pred)
        return 0;
    /* an MLX bundle's capsules are slots 0 and 1; slot 1 is the X instruction in slot 2 */
    unsigned slot = s->cap_slot;
    if (s->dec.slot[slot].unit == IA64_UNIT_L)
        slot = 2;
    return execute(s, &s->dec.slot[slot]);
}

/* Ski writes an interruption as two records, nothing between them. */
static int check_pair(struct ski_sys *s)
{
    if (s->intr_first)
        return fail(s, s->intr1_off,
                    "INTERRUPTION record without its second record: in system mode Ski writes two per "
                    "interruption, the state before and after delivery");
    return 0;
}

/* Every record but BUNDLE and IOFFSET ends the previous capsule's preamble. */
static int before_record(struct ski_sys *s, bool keep_capsule, bool keep_dref)
{
    if (check_pair(s) != 0)
        return -1;
    if (!keep_dref)
        release_dref(s);
    return keep_capsule ? 0 : retire(s);
}

/* ---- record hooks ------------------------------------------------------------------------------ */

int ski_sys_capsule(struct ski_sys *s, unsigned cpu, bool pred, unsigned slot, uint64_t off)
{
    if (before_record(s, false, false) != 0)
        return -1;
    const bool cpu_change = s->seen_capsule && cpu != s->cpu;
    if (cpu_change)
        forget_all(s); /* the followed registers are one processor's */
    const bool new_bundle = !s->in_bundle || (int)slot <= s->prev_slot || s->after_intr || s->after_branch ||
                            cpu_change;
    s->seen_capsule = true;
    s->cpu = cpu;
    if (new_bundle && start_bundle(s, off) != 0)
        return -1;
    s->prev_slot = (int)slot;
    if (s->per_insn && queue_ifetch(s, off) != 0)
        return -1;
    count_insn(s);
    s->cap_open = true;
    s->cap_pred = pred;
    s->cap_slot = slot;
    s->cap_off = off;
    return 0;
}

int ski_sys_bundle(struct ski_sys *s, const uint8_t bytes[16], uint64_t off)
{
    (void)off;
    if (check_pair(s) != 0)
        return -1;
    if (s->in_bundle && !s->have_bytes) {
        s->have_bytes = true;
        ia64_decode_bundle(bytes, &s->dec); /* a reserved template decodes as "other" slots */
    }
    return 0;
}

int ski_sys_ioffset(struct ski_sys *s, uint64_t addr, uint64_t off)
{
    (void)off;
    if (check_pair(s) != 0)
        return -1;
    addr &= ~UINT64_C(0xf);
    if (!s->in_bundle) {
        s->have_prev = true;
        s->prev_addr = addr;
        return 0;
    }
    if (s->settled) {
        if (addr != s->addr)
            s->st.ioffset_mismatch++;
        return 0;
    }
    if (s->have_guess && addr != s->guess)
        s->st.ioffset_mismatch++;
    settle(s, addr);
    return 0;
}

int ski_sys_dref(struct ski_sys *s, const struct guest_event *ev, uint64_t off)
{
    if (before_record(s, true, false) != 0)
        return -1;
    struct guest_event e = *ev;
    e.cpu = (uint16_t)s->cpu;
    e.flags |= GE_F_TRACED;
    const uint64_t idx = push(s, &e, off, H_DREF);
    if (idx == UINT64_MAX)
        return -1;
    s->dref_pending = true;
    s->dref_idx = idx;
    return 0;
}

int ski_sys_interruption(struct ski_sys *s, const uint64_t v[5], uint64_t off)
{
    enum { PSR, IPSR, ISR, IIP, IIPA };
    if (!s->intr_first) { /* the state before delivery */
        s->intr_first = true;
        s->intr1_psr = v[PSR];
        s->intr1_off = off;
        if (s->psr.k && s->psr.v != v[PSR])
            s->st.psr_mismatch++;
        return 0;
    }
    s->intr_first = false;
    if (v[IPSR] != s->intr1_psr) /* delivery saves the psr of the first record in ipsr */
        s->st.psr_mismatch++;
    resolve_vector(s, false, 0); /* an earlier interruption whose handler never showed */
    s->st.interruptions++;
    const uint64_t isr = v[ISR];
    const bool fetch = (isr >> 32) & 1;
    s->intr_kind = fetch ? 0 : (isr >> 34) & 1 ? 1 : (isr >> 33) & 1 ? 2 : 3;
    struct known fault_addr = unknown;
    s->attempt_queued = false;
    if (fetch) {
        /* the fetch of iip faulted: no CAPSULE shows it; the instruction before it completed */
        if (retire(s) != 0)
            return -1;
        release_dref(s);
        fault_addr = known(v[IIP]);
        struct guest_event ev = event(GE_IFETCH, s->cpu, v[IIP]);
        ev.size = 16;
        ev.flags = GE_F_TRACED | GE_F_TRACE_FAULT;
        ev.op1 = GE_VECTOR_UNKNOWN;
        const uint64_t idx = push(s, &ev, off, H_VECTOR);
        if (idx == UINT64_MAX)
            return -1;
        s->attempt_queued = true;
        s->attempt_idx = idx;
    } else {
        /* the open capsule was interrupted: it did not execute; its DOFFSET, if any, is the attempt */
        if (s->cap_open) {
            s->cap_open = false;
            s->st.interrupted++;
        }
        if (s->dref_pending) {
            s->dref_pending = false;
            struct qent *e = at(s, s->dref_idx);
            e->ev.flags |= GE_F_TRACE_FAULT;
            e->ev.op1 = GE_VECTOR_UNKNOWN;
            e->hold = H_VECTOR;
            fault_addr = known(e->ev.va);
            s->attempt_queued = true;
            s->attempt_idx = s->dref_idx;
        }
        /* the interrupted instruction's bundle is the one iip names */
        if (s->in_bundle && !s->settled) {
            s->have_guess = true;
            s->guess = v[IIP] & ~UINT64_C(0xf);
        }
    }
    s->intr_region = fault_addr.k ? ia64_region(fault_addr.v) : 8;
    if (end_bundle(s) != 0)
        return -1;
    struct guest_event m = event(GE_MARK, s->cpu, v[IIP]);
    m.op0 = GE_MARK_INTERRUPTION;
    m.op1 = isr;
    if (push(s, &m, off, H_NONE) == UINT64_MAX)
        return -1;
    /* the state delivery leaves: the second record's psr, ipsr; ifa / itir of the faulting access
     * (itir = the region's rr.ps and rr.rid, as a TLB fault sets it) */
    s->psr = known(v[PSR]);
    s->cr_ipsr = known(v[IPSR]);
    s->cr_ifa = fault_addr;
    s->cr_itir = unknown;
    if (fault_addr.k && s->rr[ia64_region(fault_addr.v)].k) {
        const uint64_t rr = s->rr[ia64_region(fault_addr.v)].v;
        s->cr_itir = known(rr & (IA64_RR_RID_MASK | IA64_RR_PS_MASK));
    }
    forget_banked(s); /* psr.bn = 0 */
    s->vector_pending = true;
    s->after_intr = true;
    s->after_branch = false;
    s->prev_slot = -1;
    return 0;
}

int ski_sys_branch(struct ski_sys *s, uint64_t target, uint64_t off)
{
    (void)off;
    if (before_record(s, false, false) != 0)
        return -1;
    s->after_branch = true;
    s->branch_target = target & ~UINT64_C(0xf);
    return 0;
}

int ski_sys_ar_value(struct ski_sys *s, uint64_t value, uint64_t off)
{
    (void)off;
    if (before_record(s, false, false) != 0)
        return -1;
    s->st.ar_values++;
    if (s->ar_expect < 0) {
        s->st.ar_values_unattributed++;
        return 0;
    }
    if (s->ar_expect < 8) {
        s->ark[s->ar_expect] = known(value);
        s->ark_fresh[s->ar_expect] = true;
        s->st.ar_values_kernel++;
    }
    s->ar_expect = -1;
    return 0;
}

int ski_sys_discontinuity(struct ski_sys *s, uint64_t untraced, uint64_t off)
{
    if (before_record(s, false, false) != 0 || end_bundle(s) != 0)
        return -1;
    resolve_vector(s, false, 0);
    forget_all(s);
    s->after_intr = true; /* the next bundle's address comes with its IOFFSET */
    s->vector_pending = false;
    s->prev_slot = -1;
    struct guest_event m = event(GE_MARK, s->cpu, 0);
    m.op0 = GE_MARK_DISCONTINUITY;
    m.op1 = untraced;
    return push(s, &m, off, H_NONE) == UINT64_MAX ? -1 : 0;
}

int ski_sys_other(struct ski_sys *s, uint64_t off)
{
    (void)off;
    return before_record(s, false, false);
}

int ski_sys_end(struct ski_sys *s, uint64_t off)
{
    (void)off;
    if (before_record(s, false, false) != 0 || end_bundle(s) != 0)
        return -1;
    resolve_vector(s, false, 0);
    return 0;
}

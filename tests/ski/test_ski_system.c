/*
 * test_ski_system DIR - the reader on the two system-mode traces in DIR (../shared/traces/
 * ski-system), against DIR/README.md and the guest's source DIR/src/tlbkern.S.
 *
 * Every expected number is typed from the README's tables or derived from tlbkern.S (the
 * derivation is written next to the check); none comes from running the reader.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/ia64/ia64_arch.h"
#include "../../model/ia64/ia64_vector.h"
#include "../../trace/ski_reader.h"
#include "../../trace/ski_system.h"
#include "../unit/check.h"

static const char *dir;

struct trace {
    struct guest_event *ev;
    size_t n, cap;
    struct ski_stats st;
    struct ski_sys_stats sys;
    int system;
};

static struct trace load(const char *name, enum ski_ifetch_mode mode, size_t chunk)
{
    struct trace t;
    memset(&t, 0, sizeof t);
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    static unsigned char data[1 << 20];
    FILE *f = fopen(path, "rb");
    const size_t len = f ? fread(data, 1, sizeof data, f) : 0;
    if (f)
        fclose(f);
    CHECK(len > 0 && len < sizeof data);
    struct ski_reader *r = ski_open_memory(data, len, name, mode, chunk, err, sizeof err);
    if (!r) {
        fprintf(stderr, "FAIL: %s\n", err);
        CHECK(r != NULL);
        return t;
    }
    struct guest_event ev;
    int rc;
    while ((rc = ski_next(r, &ev)) > 0) {
        if (t.n == t.cap) {
            t.cap = t.cap ? 2 * t.cap : 4096;
            t.ev = realloc(t.ev, t.cap * sizeof *t.ev);
            if (!t.ev)
                exit(2);
        }
        t.ev[t.n++] = ev;
    }
    if (rc < 0)
        fprintf(stderr, "FAIL: %s\n", ski_reader_error(r));
    CHECK_EQ(rc, 0);
    t.st = *ski_reader_stats(r);
    t.system = ski_reader_system(r);
    if (t.system)
        t.sys = *ski_reader_system_stats(r);
    ski_close(r);
    return t;
}

static uint64_t vec(const struct ski_sys_stats *s, uint32_t offset, unsigned kind, unsigned region)
{
    return s->intr[ia64_vector_index(offset)][kind][region];
}

/* README "Record counts", "DOFFSET records", "Interruptions", "Privileged instructions". */
static void readme_figures(const struct trace *t, bool annot)
{
    CHECK(t->system);
    CHECK_EQ(t->st.by_type[0x80], annot ? 9228 : 8475);
    CHECK_EQ(t->st.instructions, annot ? 9228 : 8475);
    /* "Capsule count equals Ski's traced -stats count": every CAPSULE is one instruction on the
     * events (guest_event.insns), the attempts an interruption cut short included */
    uint64_t insns = 0;
    for (size_t i = 0; i < t->n; i++)
        insns += t->ev[i].insns;
    CHECK_EQ(insns, annot ? 9228 : 8475);
    CHECK_EQ(t->st.by_type[0x82], 398);
    CHECK_EQ(t->st.by_type[0x85], annot ? 9049 : 8325);
    CHECK_EQ(t->st.by_type[0x86], annot ? 3286 : 3035);
    CHECK_EQ(t->st.by_type[0x87], 626);
    CHECK_EQ(t->st.by_type[0x88], 860);
    CHECK_EQ(t->st.by_type[0x8a], 30);
    CHECK_EQ(t->st.by_type[0x8b], 30);
    CHECK_EQ(t->st.by_type[0x8c], annot ? 691 : 40);
    CHECK_EQ(t->st.by_type[0xf0], 1);
    CHECK_EQ(t->st.by_type[0x81] + t->st.by_type[0x89], 0);
    /* "all 3,035 bundle executions got an address": one IFETCH per BUNDLE record */
    CHECK_EQ(t->sys.bundles, annot ? 3286 : 3035);
    CHECK_EQ(t->sys.undecoded, 0);

    /* interruptions: vector x kind x region */
    CHECK_EQ(t->sys.interruptions, 199);
    CHECK_EQ(vec(&t->sys, IA64_VEC_DTLB, 2, 1), 66);
    CHECK_EQ(vec(&t->sys, IA64_VEC_DTLB, 2, 3), 49);
    CHECK_EQ(vec(&t->sys, IA64_VEC_ALT_DTLB, 2, 2), 60);
    CHECK_EQ(vec(&t->sys, IA64_VEC_ITLB, 0, 5), 12);
    CHECK_EQ(vec(&t->sys, IA64_VEC_ALT_ITLB, 0, 6), 12);
    CHECK_EQ(t->sys.interrupted, 175); /* "175 of the writes are the faulting attempts" */
    CHECK_EQ(t->sys.psr_mismatch, 0);
    CHECK_EQ(t->sys.iva_mismatch, 0);

    static const struct {
        enum ski_priv k;
        uint64_t n;
    } priv[] = {
        {SKI_PRIV_ITC_D, 175},      {SKI_PRIV_ITC_I, 24},         {SKI_PRIV_ITR_I, 1},        {SKI_PRIV_ITR_D, 3},
        {SKI_PRIV_PTR_D, 1},        {SKI_PRIV_PTC_L, 2},          {SKI_PRIV_PTC_GA, 2},       {SKI_PRIV_PTC_E, 2},
        {SKI_PRIV_MOV_RR, 12},      {SKI_PRIV_MOV_CR_PTA, 1},     {SKI_PRIV_MOV_CR_IVA, 1},   {SKI_PRIV_MOV_CR_IFA, 3},
        {SKI_PRIV_MOV_CR_ITIR, 2},  {SKI_PRIV_MOV_CR_IPSR, 1},    {SKI_PRIV_MOV_CR_IIP, 1},   {SKI_PRIV_MOV_CR_IFS, 1},
        {SKI_PRIV_RSM, 1},          {SKI_PRIV_SSM, 1},            {SKI_PRIV_RFI, 200},        {SKI_PRIV_PTR_I, 0},
        {SKI_PRIV_PTC_G, 0},        {SKI_PRIV_MOV_CR_OTHER, 0},   {SKI_PRIV_MOV_PSR_L, 0},
    };
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++)
        if (t->sys.priv[priv[i].k] != priv[i].n) {
            fprintf(stderr, "FAIL: privileged.%s = %llu, README %llu\n", ski_priv_name(priv[i].k),
                    (unsigned long long)t->sys.priv[priv[i].k], (unsigned long long)priv[i].n);
            CHECK(0);
        }
    /* the annotation: 199 itc x 3 + 4 itr x 4 + 12 rr x 2 + 5 ptc/ptr x 2 + ptc.e x 1 x 2 + pta/iva 2 */
    CHECK_EQ(t->sys.ar_values_kernel, annot ? 651 : 0);
    CHECK_EQ(t->sys.ar_values_unattributed, 0);

    /* DOFFSETs by region and kind (README table); the attempts are writes */
    uint64_t rd[8] = {0}, wr[8] = {0}, attempts = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct guest_event *e = &t->ev[i];
        if (e->kind == GE_LOAD)
            rd[ia64_region(e->va)]++;
        if (e->kind == GE_STORE)
            wr[ia64_region(e->va)]++;
        attempts += e->kind == GE_STORE && (e->flags & GE_F_TRACE_FAULT);
        if (guest_event_is_reference((enum guest_event_kind)e->kind))
            CHECK(e->flags & GE_F_TRACED);
    }
    CHECK_EQ(rd[0], 41);
    CHECK_EQ(wr[0], 0);
    CHECK_EQ(rd[1], 130);
    CHECK_EQ(wr[1], 196);
    CHECK_EQ(rd[2], 128);
    CHECK_EQ(wr[2], 188);
    CHECK_EQ(rd[3], 64);
    CHECK_EQ(wr[3], 113);
    CHECK_EQ(attempts, 175);
}

#define RRVAL(rid, ps, ve) (((uint64_t)(rid) << 8) | ((uint64_t)(ps) << 2) | (ve))
#define PTE_KERN 0x661u
#define DATA_PHYS UINT64_C(0x40000000)

/* The operations of tlbkern.S, in order, without the itc of the handlers. */
struct op {
    enum guest_event_kind kind;
    uint64_t va, op0, op1;
    uint8_t slot;
};

static size_t expected_ops(struct op *ops)
{
    size_t n = 0;
    /* SETRR(0..7): README's table of region registers */
    static const unsigned rid[8] = {0x100, 0x201, 0x302, 0x403, 0x504, 0x605, 0x706, 0x807};
    static const unsigned ps[8] = {24, 14, 12, 18, 14, 14, 12, 24}, ve[8] = {0, 1, 0, 1, 0, 1, 0, 0};
    for (unsigned r = 0; r < 8; r++)
        ops[n++] = (struct op){GE_MOV_RR, ia64_region_base(r), RRVAL(rid[r], ps[r], ve[r]), 0, 0};
    /* itr.i / itr.d slot 0: va 0 -> pa 0, 16M; itr.d slot 1: region 7 -> pa 0 */
    ops[n++] = (struct op){GE_ITR_I, 0, PTE_KERN, 24 << 2, 0};
    ops[n++] = (struct op){GE_ITR_D, 0, PTE_KERN, 24 << 2, 0};
    ops[n++] = (struct op){GE_ITR_D, UINT64_C(0xE000000000000000), PTE_KERN, 24 << 2, 1};
    ops[n++] = (struct op){GE_MOV_PTA, 0, UINT64_C(0xE00000000020013D), 0, 0};
    /* phase A: DTR 2 over 256 KiB of region 3, then its purge */
    ops[n++] = (struct op){GE_ITR_D, UINT64_C(0x6000000000C00000), DATA_PHYS | (3u << 24) | 0xC00000 | PTE_KERN,
                           18 << 2, 2};
    ops[n++] = (struct op){GE_PTR_D, UINT64_C(0x6000000000C00000), 18, 0, 0};
    /* phase B: loc0 = 2, 1; tbit.nz p6 = bit 0: iteration 1 takes (p7) RID1A / (RID2A, 4K),
     * iteration 2 (p6) RID1B / (RID2B, 16K) */
    for (unsigned it = 0; it < 2; it++) {
        ops[n++] = (struct op){GE_MOV_RR, ia64_region_base(1), it ? RRVAL(0x2b1, 14, 1) : RRVAL(0x201, 14, 1), 0, 0};
        ops[n++] = (struct op){GE_MOV_RR, ia64_region_base(2), it ? RRVAL(0x3b2, 14, 0) : RRVAL(0x302, 12, 0), 0, 0};
        ops[n++] = (struct op){GE_PTC_L, UINT64_C(0x2000000000000000) + 5 * 0x4000, 14, 0, 0};
        ops[n++] = (struct op){GE_PTC_GA, UINT64_C(0x4000000000100000), 16, 0, 0};
        ops[n++] = (struct op){GE_PTC_E, 0, 0, 0, 0};
    }
    return n;
}

static bool is_tlb_op(enum guest_event_kind k) { return k >= GE_ITC_I && k <= GE_MOV_PTA; }

/* Every operation of the annotated trace with its operands (tlbkern.S); every itc's ifa equals
 * the faulting address of the interruption it serves, its itir the region's rr, and its pte the
 * handler's formula (README "IVT"). */
static void annotated_ops(const struct trace *t)
{
    struct op want[64];
    const size_t nwant = expected_ops(want);
    size_t k = 0, itc = 0, tlb_ops = 0, psr = 0;
    uint64_t rr[8] = {0}, fault_addr = 0;
    bool have_fault = false;
    unsigned per_phase[3] = {0}, phase = 0, mov_rr = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct guest_event *e = &t->ev[i];
        const enum guest_event_kind kind = (enum guest_event_kind)e->kind;
        if (guest_event_is_reference(kind) && (e->flags & GE_F_TRACE_FAULT)) {
            CHECK(!have_fault); /* one handler (one itc) per interruption */
            have_fault = true;
            fault_addr = e->va;
            per_phase[phase]++;
            CHECK(e->op1 != GE_VECTOR_UNKNOWN);
        }
        if (kind == GE_SET_PSR) {
            /* the loader's psr 0, then the first rfi into ic|dt|rt|it|bn */
            if (psr == 0)
                CHECK_EQ(e->op0, 0);
            if (psr == 1)
                CHECK_EQ(e->op0, (UINT64_C(1) << 13) | (UINT64_C(1) << 17) | (UINT64_C(1) << 27) |
                                     (UINT64_C(1) << 36) | (UINT64_C(1) << 44));
            psr++;
        }
        if (!is_tlb_op(kind))
            continue;
        tlb_ops++;
        if (kind == GE_ITC_I || kind == GE_ITC_D) {
            itc++;
            CHECK(have_fault);
            CHECK_EQ(e->va, fault_addr); /* cr.ifa = the faulting address */
            const unsigned r = ia64_region(e->va), pgsz = ia64_rr_ps(rr[r]);
            CHECK_EQ(e->op1, rr[r] & (IA64_RR_RID_MASK | IA64_RR_PS_MASK));
            const uint64_t off = e->va & 0xFFFFFF & ~((UINT64_C(1) << pgsz) - 1);
            if (kind == GE_ITC_D)
                CHECK_EQ(e->op0, DATA_PHYS | (uint64_t)r << 24 | off | PTE_KERN);
            else
                CHECK_EQ(e->op0, off | PTE_KERN);
            have_fault = false;
            continue;
        }
        if (kind == GE_MOV_RR) {
            rr[ia64_region(e->va)] = e->op0;
            if (++mov_rr == 9 || mov_rr == 11)
                phase++; /* phase B iterations start with their mov rr */
        }
        if (k < nwant) {
            CHECK_EQ(e->kind, want[k].kind);
            CHECK_EQ(e->va, want[k].va);
            CHECK_EQ(e->op0, want[k].op0);
            CHECK_EQ(e->op1, want[k].op1);
            CHECK_EQ(e->slot, want[k].slot);
        }
        k++;
    }
    CHECK_EQ(k, nwant);
    CHECK_EQ(itc, 199);
    CHECK_EQ(tlb_ops, 223); /* "all 223 TLB operations come out with full operands" */
    CHECK_EQ(psr, 203);     /* psr 0, 200 rfi, rsm, ssm */
    /* README "Interruptions per part": phase A 89, iteration 1 41, iteration 2 69 */
    CHECK_EQ(per_phase[0], 89);
    CHECK_EQ(per_phase[1], 41);
    CHECK_EQ(per_phase[2], 69);
    CHECK_EQ(t->sys.operand_mismatch, 0);
}

/* Without the annotation: the same operations but the 199 itc, whose PTE the handler computes;
 * each is a MARK saying the pte (value) was not recovered, at the handler's itc bundle. */
static void plain_ops(const struct trace *t, const struct trace *annot)
{
    size_t a = 0, marks = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct guest_event *e = &t->ev[i];
        if (e->kind == GE_MARK && e->op0 == GE_MARK_UNRECOVERED) {
            marks++;
            const unsigned kind = (unsigned)(e->op1 & 0xff), missing = (unsigned)(e->op1 >> 8);
            CHECK(kind == GE_ITC_D || kind == GE_ITC_I);
            CHECK_EQ(missing, GE_UNRECOVERED_VALUE);
            CHECK_EQ(e->va & ~UINT64_C(0x7fff), 0x100000); /* inside the IVT (cr.iva) */
            continue;
        }
        if (!is_tlb_op((enum guest_event_kind)e->kind))
            continue;
        while (a < annot->n && (!is_tlb_op((enum guest_event_kind)annot->ev[a].kind) ||
                                annot->ev[a].kind == GE_ITC_I || annot->ev[a].kind == GE_ITC_D))
            a++;
        CHECK(a < annot->n);
        if (a < annot->n) {
            CHECK_EQ(e->kind, annot->ev[a].kind);
            CHECK_EQ(e->va, annot->ev[a].va);
            CHECK_EQ(e->op0, annot->ev[a].op0);
            CHECK_EQ(e->op1, annot->ev[a].op1);
            CHECK_EQ(e->slot, annot->ev[a].slot);
            a++;
        }
    }
    CHECK_EQ(marks, 199);
    CHECK_EQ(t->sys.ops_missing[SKI_OP_ITC_D][1], 175);
    CHECK_EQ(t->sys.ops_missing[SKI_OP_ITC_I][1], 24);
}

static bool same_events(const struct trace *a, const struct trace *b)
{
    return a->n == b->n && memcmp(a->ev, b->ev, a->n * sizeof *a->ev) == 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_ski_system DIR\n");
        return 2;
    }
    dir = argv[1];
    struct trace plain = load("tlbkern.trc", SKI_IFETCH_BUNDLE, 0);
    struct trace annot = load("tlbkern-annot.trc", SKI_IFETCH_BUNDLE, 0);
    readme_figures(&plain, false);
    readme_figures(&annot, true);
    annotated_ops(&annot);
    plain_ops(&plain, &annot);

    /* the events do not depend on how the input arrives */
    static const size_t chunks[] = {1, 3, 7, 4093, 65537};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        struct trace c = load("tlbkern-annot.trc", SKI_IFETCH_BUNDLE, chunks[i]);
        CHECK(same_events(&c, &annot));
        free(c.ev);
    }
    /* per instruction: one IFETCH per CAPSULE + one per fetch attempt, the rest unchanged */
    struct trace insn = load("tlbkern-annot.trc", SKI_IFETCH_INSN, 0);
    size_t ifetch = 0, others = 0, others_b = 0;
    for (size_t i = 0; i < insn.n; i++) {
        ifetch += insn.ev[i].kind == GE_IFETCH;
        others += insn.ev[i].kind != GE_IFETCH;
    }
    for (size_t i = 0; i < annot.n; i++)
        others_b += annot.ev[i].kind != GE_IFETCH;
    CHECK_EQ(ifetch, 9228 + 24);
    CHECK_EQ(others, others_b);
    /* per instruction each CAPSULE's own IFETCH carries its instruction; the 24 fetch attempts
     * (no CAPSULE) and every other event carry none */
    size_t one = 0, bad = 0;
    for (size_t i = 0; i < insn.n; i++) {
        const struct guest_event *e = &insn.ev[i];
        const bool capsule_fetch = e->kind == GE_IFETCH && !(e->flags & GE_F_TRACE_FAULT);
        one += e->insns == 1 && capsule_fetch;
        bad += e->insns != (capsule_fetch ? 1 : 0);
    }
    CHECK_EQ(one, 9228);
    CHECK_EQ(bad, 0);
    free(insn.ev);
    free(plain.ev);
    free(annot.ev);
    return check_report("test_ski_system");
}

/*
 * test_ski_traces.c DIR - the Ski reader on the five real traces in DIR (../shared/traces/ski).
 *
 * Every expected number comes from DIR/README.md or is derived by hand from the guest programs'
 * sources (DIR/src/NAME.S); the derivations are written next to the checks. A missing DIR is a
 * failure, never a skip.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../trace/ski_reader.h"
#include "../../trace/ski_writer.h"
#include "check.h"

static const char *dir;

struct trace {
    struct guest_event *ev;
    size_t n, cap;
    struct ski_stats st;
    int rc;
    char err[512];
};

static char *path_of(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static void push(struct trace *t, const struct guest_event *ev)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->ev = realloc(t->ev, t->cap * sizeof *t->ev);
        if (!t->ev) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    t->ev[t->n++] = *ev;
}

/* Reads a whole trace; a trace that cannot be opened or read to its END is a check failure. */
static struct trace load(const char *name, enum ski_ifetch_mode mode)
{
    struct trace t;
    memset(&t, 0, sizeof t);
    struct ski_reader *r = ski_open(path_of(name), mode, t.err, sizeof t.err);
    if (!r) {
        fprintf(stderr, "FAIL: %s\n", t.err);
        CHECK(r != NULL);
        t.rc = -1;
        return t;
    }
    struct guest_event ev;
    while ((t.rc = ski_next(r, &ev)) > 0)
        push(&t, &ev);
    if (t.rc < 0)
        fprintf(stderr, "FAIL: %s\n", ski_reader_error(r));
    CHECK_EQ(t.rc, 0);
    t.st = *ski_reader_stats(r);
    ski_close(r);
    return t;
}

static void unload(struct trace *t) { free(t->ev); }

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Distinct pages of 2^shift bytes among the events selected (data refs or ifetches, optionally
 * only in one region), counted by sorting: independent of trace/page_set.c. */
static size_t distinct_pages(const struct trace *t, bool insn, unsigned shift, int region)
{
    uint64_t *pages = malloc((t->n + 1) * sizeof *pages);
    size_t m = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct guest_event *e = &t->ev[i];
        if (!guest_event_is_reference((enum guest_event_kind)e->kind) || (e->kind == GE_IFETCH) != insn)
            continue;
        if (region >= 0 && (int)(e->va >> 61) != region)
            continue;
        pages[m++] = e->va >> shift;
    }
    qsort(pages, m, sizeof *pages, cmp_u64);
    size_t d = 0;
    for (size_t i = 0; i < m; i++)
        d += i == 0 || pages[i] != pages[i - 1];
    free(pages);
    return d;
}

static size_t count_kind(const struct trace *t, enum guest_event_kind k)
{
    size_t c = 0;
    for (size_t i = 0; i < t->n; i++)
        c += t->ev[i].kind == k;
    return c;
}

/* instructions the events carry (guest_event.insns) */
static uint64_t sum_insns(const struct trace *t)
{
    uint64_t c = 0;
    for (size_t i = 0; i < t->n; i++)
        c += t->ev[i].insns;
    return c;
}

static size_t count_data(const struct trace *t)
{
    size_t c = 0;
    for (size_t i = 0; i < t->n; i++)
        c += guest_event_is_reference((enum guest_event_kind)t->ev[i].kind) && t->ev[i].kind != GE_IFETCH;
    return c;
}

/* The README's table: instructions (= CAPSULE records) and data references (DOFFSET records). */
static const struct {
    const char *file;
    uint64_t insns, drefs;
} readme[] = {
    {"hello.trc", 7920, 1156},      {"seqscan.trc", 98358, 32768},  {"ptrchase.trc", 669953, 232768},
    {"multiregion.trc", 202307, 135309}, {"hello-gap.trc", 5920, 846},
};

static void test_all_traces(void)
{
    for (size_t i = 0; i < sizeof readme / sizeof readme[0]; i++) {
        const bool gap = strcmp(readme[i].file, "hello-gap.trc") == 0;
        struct trace t = load(readme[i].file, SKI_IFETCH_BUNDLE);
        const uint64_t *rec = t.st.by_type;
        CHECK_EQ(t.st.instructions, readme[i].insns);
        CHECK_EQ(rec[SKI_REC_CAPSULE], readme[i].insns);
        CHECK_EQ(rec[SKI_REC_DOFFSET], readme[i].drefs);
        CHECK_EQ(count_data(&t), readme[i].drefs);
        CHECK_EQ(rec[SKI_REC_END], 1);
        /* README: IOFFSET count = BRANCH count + 1 + number of discontinuities */
        CHECK_EQ(rec[SKI_REC_IOFFSET], rec[SKI_REC_BRANCH] + 1 + rec[SKI_REC_DISCONTINUITY]);
        /* README: no interruption, context-switch, region-change, canonical or stall records */
        CHECK_EQ(rec[SKI_REC_INTERRUPTION] + rec[SKI_REC_CONTEXT_SWITCH] + rec[SKI_REC_REGION_CHANGE] +
                     rec[SKI_REC_CANONICAL] + rec[SKI_REC_STALL] + rec[SKI_REC_STALL_LATENCY],
                 0);
        CHECK_EQ(rec[SKI_REC_DISCONTINUITY], gap ? 1 : 0);
        CHECK_EQ(rec[SKI_REC_VIRT_CYCLE], gap ? 1 : 0);
        /* README: "the count of new-bundle starts equals the count of BUNDLE records in all five
         * files". It holds for four; in hello-gap the first instruction after the gap is in slot 2
         * of a bundle whose slot 0 ran before the gap (untraced instructions in between), so the
         * slot rule does not see a new bundle while Ski writes a BUNDLE (it writes one for every
         * capsule that gets an IOFFSET). Counting "slot rule or IOFFSET" matches all five. */
        CHECK_EQ(t.st.bundle_starts + (gap ? 1 : 0), rec[SKI_REC_BUNDLE]);
        CHECK_EQ(t.st.bundles_entered, rec[SKI_REC_BUNDLE]);
        CHECK_EQ(count_kind(&t, GE_IFETCH), rec[SKI_REC_BUNDLE]);
        /* every DOFFSET becomes exactly one data event, every discontinuity one MARK */
        CHECK_EQ(count_kind(&t, GE_MARK), gap ? 1 : 0);
        CHECK_EQ(t.n, rec[SKI_REC_BUNDLE] + readme[i].drefs + (gap ? 1 : 0));
        CHECK_EQ(t.st.events, t.n);
        /* every CAPSULE is counted once on the events (the basis of MPKI, docs/stats.md) */
        CHECK_EQ(sum_insns(&t), readme[i].insns);
        unload(&t);

        /* per-instruction IFETCH: one per CAPSULE */
        struct trace ti = load(readme[i].file, SKI_IFETCH_INSN);
        CHECK_EQ(count_kind(&ti, GE_IFETCH), readme[i].insns);
        CHECK_EQ(sum_insns(&ti), readme[i].insns);
        CHECK_EQ(count_data(&ti), readme[i].drefs);
        unload(&ti);
    }
}

/* seqscan.S: mmap 64 MiB (at 0x2000000000000000, README: anonymous mmap from there upwards),
 * then two passes of `ld8 r19=[r17],r20` with r20 = 4096 over 16384 pages. */
static void test_seqscan(void)
{
    struct trace t = load("seqscan.trc", SKI_IFETCH_BUNDLE);
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < t.n; i++) {
        const struct guest_event *e = &t.ev[i];
        if (e->kind == GE_IFETCH)
            continue;
        const uint64_t want = UINT64_C(0x2000000000000000) + 4096 * (k % 16384);
        if (e->kind != GE_LOAD || e->size != 8 || e->va != want) {
            if (ok)
                fprintf(stderr, "seqscan: data ref %zu is kind %u size %u at 0x%llx, expected an 8-byte load at 0x%llx\n",
                        k, e->kind, e->size, (unsigned long long)e->va, (unsigned long long)want);
            ok = false;
        }
        k++;
    }
    CHECK(ok);
    CHECK_EQ(k, 32768);
    /* README: 16,384 distinct 4K pages, 4,096 16K pages, 1,024 64K pages, all in region 1 */
    CHECK_EQ(distinct_pages(&t, false, 12, -1), 16384);
    CHECK_EQ(distinct_pages(&t, false, 14, -1), 4096);
    CHECK_EQ(distinct_pages(&t, false, 16, -1), 1024);
    CHECK_EQ(distinct_pages(&t, false, 12, 1), 16384);
    /* taken branches: br.cloop with ar.lc = 16383 is taken 16383 times per pass, 2 passes, plus
     * the one taken `(p7) br.cond pass` between them: 2 * 16383 + 1 */
    CHECK_EQ(t.st.by_type[SKI_REC_BRANCH], 2 * 16383 + 1);
    /* all code is in the text segment, region 2 */
    CHECK_EQ(distinct_pages(&t, true, 12, 2), distinct_pages(&t, true, 12, -1));
    CHECK_EQ(t.st.dref_kind[SKI_D_READ], 32768);
    CHECK_EQ(t.st.dref_size[SKI_D_READ][3], 32768); /* size 8 */
    unload(&t);
}

/* ptrchase.S: build phase `st8 [r17]` with r17 = base + 256*i, i = 0..32767 in order; chase phase
 * 200,000 `ld8 r9=[r9]`, load k at base + 256*x_k, x_0 = 0, x_{k+1} = (26125*x_k + 29535) mod 32768. */
static void test_ptrchase(void)
{
    const uint64_t base = UINT64_C(0x2000000000000000);
    struct trace t = load("ptrchase.trc", SKI_IFETCH_BUNDLE);
    size_t k = 0, bad = 0;
    uint64_t x = 0;
    bool seen[32768];
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < t.n; i++) {
        const struct guest_event *e = &t.ev[i];
        if (e->kind == GE_IFETCH)
            continue;
        bool good;
        if (k < 32768) {
            good = e->kind == GE_STORE && e->size == 8 && e->va == base + 256 * k;
        } else {
            good = e->kind == GE_LOAD && e->size == 8 && e->va == base + 256 * x;
            seen[x] = true;
            x = (26125 * x + 29535) % 32768;
        }
        if (!good && bad++ == 0)
            fprintf(stderr, "ptrchase: data ref %zu (kind %u, size %u, 0x%llx) breaks the pattern\n", k, e->kind,
                    e->size, (unsigned long long)e->va);
        k++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(k, 32768 + 200000);
    /* the LCG has full period, so 200,000 > 32,768 chase loads visit every slot */
    size_t slots = 0;
    for (size_t s = 0; s < 32768; s++)
        slots += seen[s];
    CHECK_EQ(slots, 32768);
    /* the 8 MiB area: 8 MiB / 4 KiB = 2,048 pages (README's footprint), / 16 KiB = 512,
     * / 64 KiB = 128; every data reference is inside it (32,768 + 200,000 = all of them) */
    CHECK_EQ(distinct_pages(&t, false, 12, -1), 2048);
    CHECK_EQ(distinct_pages(&t, false, 14, -1), 512);
    CHECK_EQ(distinct_pages(&t, false, 16, -1), 128);
    CHECK_EQ(distinct_pages(&t, false, 12, 1), 2048);
    /* taken branches: build br.cloop (ar.lc = 32767) 32767 times, chase br.cloop
     * (ar.lc = 24999) 24999 times */
    CHECK_EQ(t.st.by_type[SKI_REC_BRANCH], 32767 + 24999);
    unload(&t);
}

/* multiregion.S, reference by reference (README and the source):
 *   reads:  rodata ld8 ld8 ld4 ld2 ld1; data ld1 ld2 ld4 ld8; ldfs(4) ldfd(8) ldfe(16) ldf.fill(16);
 *           heap 256 x ld4; stack 32 x ld8; copy loop 6 x ld8 (48-byte leaf routine); leaf 1 x ld8;
 *           region 0 16 x ld8                               = 324
 *   writes: data st1 st2 st4 st8; stfs(4) stfd(8) stfe(10) stf.spill(16); bss 512 x st8;
 *           heap 256 x (st4 st2 st1); stack 32 x st8; store loop 32768 iterations x 4 st8;
 *           copy 6 x st8; leaf 2 x st8; region 0 16 x st8   = 132416
 *   semaphores cmpxchg8 fetchadd8 fetchadd4 xchg8 = 4; lfetch 1; RSE 1,282 spills + 1,282 fills
 *   total 324 + 132416 + 4 + 1 + 2564 = 135,309 (README's figure). */
static void test_multiregion(void)
{
    struct trace t = load("multiregion.trc", SKI_IFETCH_INSN);
    const struct ski_stats *st = &t.st;
    CHECK_EQ(st->dref_kind[SKI_D_READ], 324);
    CHECK_EQ(st->dref_size[SKI_D_READ][0], 2);   /* 1 byte: rodata ld1, data ld1 */
    CHECK_EQ(st->dref_size[SKI_D_READ][1], 2);   /* 2 bytes: ld2 twice */
    CHECK_EQ(st->dref_size[SKI_D_READ][2], 259); /* 4: ld4 twice, ldfs, 256 heap ld4 */
    CHECK_EQ(st->dref_size[SKI_D_READ][3], 59);  /* 8: 2 + 1 + ldfd + 32 + 6 + 1 + 16 */
    CHECK_EQ(st->dref_size[SKI_D_READ][5], 2);   /* 16: ldfe, ldf.fill */
    CHECK_EQ(st->dref_kind[SKI_D_WRITE], 132416);
    CHECK_EQ(st->dref_size[SKI_D_WRITE][0], 257);    /* st1 + 256 heap st1 */
    CHECK_EQ(st->dref_size[SKI_D_WRITE][1], 257);    /* st2 + 256 heap st2 */
    CHECK_EQ(st->dref_size[SKI_D_WRITE][2], 258);    /* st4, stfs, 256 heap st4 */
    CHECK_EQ(st->dref_size[SKI_D_WRITE][3], 131642); /* st8 stfd 512 32 131072 6 2 16 */
    CHECK_EQ(st->dref_size[SKI_D_WRITE][4], 1);      /* stfe */
    CHECK_EQ(st->dref_size[SKI_D_WRITE][5], 1);      /* stf.spill */
    CHECK_EQ(st->dref_kind[SKI_D_SEMAPHORE], 4);
    CHECK_EQ(st->dref_size[SKI_D_SEMAPHORE][2], 1); /* fetchadd4 */
    CHECK_EQ(st->dref_size[SKI_D_SEMAPHORE][3], 3);
    CHECK_EQ(st->dref_kind[SKI_D_LFETCH], 1);
    CHECK_EQ(st->dref_size[SKI_D_LFETCH][0], 1); /* README: lfetch reports size 1 */
    CHECK_EQ(st->dref_kind[SKI_D_RSE_WRITE], 1282);
    CHECK_EQ(st->dref_kind[SKI_D_RSE_READ], 1282);
    CHECK_EQ(st->dref_kind[SKI_D_FLUSH] + st->dref_kind[7], 0);
    /* events: semaphores are STOREs */
    CHECK_EQ(count_kind(&t, GE_LOAD), 324);
    CHECK_EQ(count_kind(&t, GE_STORE), 132416 + 4);
    CHECK_EQ(count_kind(&t, GE_LFETCH), 1);
    CHECK_EQ(count_kind(&t, GE_RSE_STORE), 1282);
    CHECK_EQ(count_kind(&t, GE_RSE_LOAD), 1282);
    /* README: data in regions 0..4; instructions in region 2 and the 9 of the copied leaf
     * routine in region 1 */
    for (int r = 0; r <= 4; r++)
        CHECK(distinct_pages(&t, false, 12, r) > 0);
    CHECK_EQ(distinct_pages(&t, false, 12, 5) + distinct_pages(&t, false, 12, 6) + distinct_pages(&t, false, 12, 7), 0);
    size_t insn_r1 = 0, insn_other = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.ev[i].kind == GE_IFETCH) {
            const unsigned region = (unsigned)(t.ev[i].va >> 61);
            insn_r1 += region == 1;
            insn_other += region != 1 && region != 2;
        }
    CHECK_EQ(insn_r1, 9);
    CHECK_EQ(insn_other, 0);
    /* region 1: the 4 MiB mmap at 0x2000000000000000; the store loop covers all of it (32768
     * iterations x 128 bytes), the copy (base + 1 MiB) and the leaf (base) are inside:
     * 1024 4K pages, 256 16K pages, 64 64K pages */
    CHECK_EQ(distinct_pages(&t, false, 12, 1), 1024);
    CHECK_EQ(distinct_pages(&t, false, 14, 1), 256);
    CHECK_EQ(distinct_pages(&t, false, 16, 1), 64);
    /* region 0: 64 KiB at 0x10000000, st8+ld8 at the start of each 4 KiB page: 16, 4, 1 */
    CHECK_EQ(distinct_pages(&t, false, 12, 0), 16);
    CHECK_EQ(distinct_pages(&t, false, 14, 0), 4);
    CHECK_EQ(distinct_pages(&t, false, 16, 0), 1);
    unload(&t);
}

/* The events of instruction i (per-instruction mode): from its IFETCH up to the next IFETCH. */
struct groups {
    size_t *start; /* start[i] = index of instruction i's IFETCH; start[n] = end */
    size_t n;
};

static struct groups group(const struct trace *t, size_t from, size_t to)
{
    struct groups g;
    g.start = malloc((t->n + 2) * sizeof *g.start);
    g.n = 0;
    for (size_t i = from; i < to; i++)
        if (t->ev[i].kind == GE_IFETCH)
            g.start[g.n++] = i;
    g.start[g.n] = to;
    return g;
}

static bool same_events(const struct guest_event *a, const struct guest_event *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* hello-gap ran `step 1000; trace 0; step 2000; trace 1` on the same program as hello, under the
 * same conditions: its first 1,000 instructions are hello's first 1,000, then one MARK with
 * op1 = 2000, then hello's instructions 3,000..7,919; the gap holds 1,156 - 846 = 310 data refs. */
static void test_hello_gap(void)
{
    struct trace h = load("hello.trc", SKI_IFETCH_INSN);
    struct trace g = load("hello-gap.trc", SKI_IFETCH_INSN);
    size_t mark = g.n;
    for (size_t i = 0; i < g.n; i++)
        if (g.ev[i].kind == GE_MARK) {
            mark = i;
            break;
        }
    CHECK(mark < g.n);
    if (mark >= g.n) {
        unload(&h);
        unload(&g);
        return;
    }
    CHECK_EQ(g.ev[mark].op0, GE_MARK_DISCONTINUITY);
    CHECK_EQ(g.ev[mark].op1, 2000);
    CHECK_EQ(g.st.untraced, 2000);
    CHECK_EQ(g.st.instructions + g.st.untraced, h.st.instructions); /* 5,920 + 2,000 = 7,920 */

    struct groups hg = group(&h, 0, h.n), before = group(&g, 0, mark), after = group(&g, mark + 1, g.n);
    CHECK_EQ(hg.n, 7920);
    CHECK_EQ(before.n, 1000);
    CHECK_EQ(after.n, 4920);
    if (hg.n == 7920 && before.n == 1000 && after.n == 4920) {
        /* the first 1,000 instructions, with everything they referenced */
        CHECK_EQ(before.start[1000] - before.start[0], hg.start[1000] - hg.start[0]);
        CHECK(same_events(&g.ev[0], &h.ev[0], hg.start[1000]));
        /* the last 4,920 */
        const size_t tail = h.n - hg.start[3000];
        CHECK_EQ(g.n - (mark + 1), tail);
        if (g.n - (mark + 1) == tail)
            CHECK(same_events(&g.ev[mark + 1], &h.ev[hg.start[3000]], tail));
        size_t gap_refs = 0;
        for (size_t i = hg.start[1000]; i < hg.start[3000]; i++)
            gap_refs += h.ev[i].kind != GE_IFETCH;
        CHECK_EQ(gap_refs, 1156 - 846);
    }
    free(hg.start);
    free(before.start);
    free(after.start);
    unload(&h);
    unload(&g);
}

/* Records split across buffer refills: the same events whatever the refill size. */
static void test_refill_sizes(void)
{
    static const struct {
        const char *file;
        size_t chunk;
    } cases[] = {{"hello.trc", 1}, {"hello.trc", 3}, {"hello-gap.trc", 7}, {"hello.trc", 4093},
                 {"multiregion.trc", 65537}, {"ptrchase.trc", 4097}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct trace ref = load(cases[c].file, SKI_IFETCH_BUNDLE);
        FILE *f = fopen(path_of(cases[c].file), "rb");
        CHECK(f != NULL);
        if (!f) {
            unload(&ref);
            continue;
        }
        fseek(f, 0, SEEK_END);
        const long size = ftell(f);
        rewind(f);
        unsigned char *data = malloc((size_t)size);
        CHECK_EQ(fread(data, 1, (size_t)size, f), (size_t)size);
        fclose(f);
        char err[512];
        struct ski_reader *r = ski_open_memory(data, (size_t)size, cases[c].file, SKI_IFETCH_BUNDLE, cases[c].chunk,
                                               err, sizeof err);
        CHECK(r != NULL);
        if (r) {
            struct guest_event ev;
            size_t i = 0, diff = 0;
            int rc;
            while ((rc = ski_next(r, &ev)) > 0) {
                if (i >= ref.n || memcmp(&ev, &ref.ev[i], sizeof ev) != 0)
                    diff++;
                i++;
            }
            CHECK_EQ(rc, 0);
            CHECK_EQ(i, ref.n);
            CHECK_EQ(diff, 0);
            CHECK_EQ(ski_reader_stats(r)->bytes, (uint64_t)size);
            ski_close(r);
        }
        free(data);
        unload(&ref);
    }
}

/* The header fields every real file has (README's table), and the writer's header matching them. */
static void test_headers(void)
{
    char err[512];
    struct ski_reader *r = ski_open(path_of("hello.trc"), SKI_IFETCH_BUNDLE, err, sizeof err);
    CHECK(r != NULL);
    if (!r)
        return;
    const struct ski_header *h = ski_reader_header(r);
    CHECK_EQ(h->header_major, 1);
    CHECK_EQ(h->header_minor, 1);
    CHECK_EQ(h->record_major, 1);
    CHECK_EQ(h->record_minor, 0);
    CHECK_EQ(h->first_record, 648);
    CHECK_EQ(h->record_count, 0);
    CHECK(h->virtual_cycle == 0.0);
    CHECK_EQ(h->valid_record_fields, 0xff);
    CHECK_EQ(h->valid_record_flags, 0x2);
    CHECK_EQ(h->valid_slot_flags, 0x03000001);
    CHECK_EQ(h->doffset_usage, 0xf);
    CHECK_STREQ(ski_header_string(r, SKI_STR_HOST), "127.0.0.1");
    CHECK_STREQ(ski_header_string(r, SKI_STR_TOOL), "Ski Simulator Version 1.5.1 (SDM 2.1)");
    CHECK(ski_header_string(r, SKI_STR_USER) == NULL);
    /* README's length table */
    static const struct {
        unsigned type, len;
    } lens[] = {{0x21, 4},  {0x22, 16}, {0x80, 4},  {0x82, 48}, {0x83, 4},  {0x84, 8},  {0x85, 16},
                {0x86, 20}, {0x87, 16}, {0x88, 16}, {0x8a, 16}, {0x8b, 16}, {0x8c, 16}, {0xf0, 4}};
    unsigned nonzero = 0;
    for (unsigned t = 0; t < 256; t++)
        nonzero += h->record_len[t] != 0;
    CHECK_EQ(nonzero, sizeof lens / sizeof lens[0]);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        CHECK_EQ(h->record_len[lens[i].type], lens[i].len);
        CHECK_EQ(ski_record_std_len(lens[i].type), lens[i].len);
    }

    /* a file from the writer has the same table, versions and masks */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    struct ski_writer *w = ski_writer_open(mem, "test", err, sizeof err);
    CHECK(w != NULL);
    if (w) {
        CHECK_EQ(ski_writer_finish(w), 0);
        ski_writer_free(w);
    }
    fclose(mem);
    FILE *f = fopen(path_of("hello.trc"), "rb");
    unsigned char real[SKI_HEADER_SIZE];
    CHECK(f && fread(real, 1, sizeof real, f) == sizeof real);
    if (f)
        fclose(f);
    CHECK_EQ(len, SKI_HEADER_SIZE + 5 + 4); /* header, "test\0", END */
    if (len >= SKI_HEADER_SIZE) {
        CHECK(memcmp(buf, real, 8) == 0);                        /* versions */
        CHECK(memcmp(buf + 12, real + 12, 56 - 12) == 0);        /* count, cycle, masks, e_* */
        CHECK(memcmp(buf + 88, real + 88, SKI_HEADER_SIZE - 88) == 0); /* the length table */
    }
    free(buf);
    ski_close(r);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_ski_traces DIR (the folder of the real Ski traces)\n");
        return EXIT_FAILURE;
    }
    dir = argv[1];
    FILE *probe = fopen(path_of("README.md"), "r");
    if (!probe) {
        fprintf(stderr, "test_ski_traces: FAIL: the real Ski traces are not in '%s' (set VHPTSIM_SKI_TRACES)\n", dir);
        return EXIT_FAILURE;
    }
    fclose(probe);
    test_headers();
    test_all_traces();
    test_seqscan();
    test_ptrchase();
    test_multiregion();
    test_hello_gap();
    test_refill_sizes();
    return check_report("test_ski_traces");
}

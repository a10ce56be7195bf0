/*
 * l1_transparent.c - property test: the machine TLB's L1 is a cache of its L2, so its presence
 * changes nothing the VMM or the guest can see (issue 7, point 1).
 *
 *   l1_transparent [SEED [PROGRAMS [FIRST]]]     (defaults: 1, 3000, 0)
 *   l1_transparent print PART SEED K             (part 1 or 2's program K, for vhptsim replay)
 *
 * Part 1. PROGRAMS random vtrace programs (1 to 3 vCPUs; itc.i/itc.d of every IA-64 page size;
 * ptc.l, ptc.g, ptc.ga of smaller, equal and larger sizes around what was inserted; itr/ptr;
 * ptc.e; regions that share rids; rr, psr and pta changes; references of every kind, and
 * "before and after" runs: insert, reference, remove nearby, reference again) are each replayed in-process through the replay platform twice: with an L1 on both
 * sides (the Itanium 2 default for half of the programs, otherwise a small or odd L1 that
 * evicts more) and without one (--itlb-l1 0 --dtlb-l1 0). Required: the same state dump, byte
 * for byte, and every counter equal except the L1 levels' own and those that say which level
 * answered (l2.hits, l2.tr_hits), for which L1 hits + L2 hits with L1 must equal L2 hits
 * without it.
 *
 * Why each program keeps its translations within L2's capacity: docs/machine-tlb.md's rule
 * that an L1 hit does not refresh the L2 entry's recency means that, once L2 must evict, L1
 * legitimately changes which entry L2 evicts, hence later misses. So the generator keeps every
 * program far below the 128 entries of L2 per side and the test checks that no L2 evicted
 * anything in either replay (if one did, the program is outside the property and the test
 * fails, saying so, rather than compare what may differ). The dump includes the `mtlb` lines:
 * without evictions L2 holds the same translations either way.
 *
 * Part 2, for L2 evictions: every third program is replayed again with an L2 of 2 to 4
 * entries (every policy), where the above does not apply, and checked after every event:
 * every valid L1 entry of every side of every vCPU is backed by the L2 TC or TR it was cut
 * from (same translation size and physical address). So L1 never translates what L2 dropped.
 *
 * Reproducible: program k of seed S is generated from tlb_rng_stream_seed(S, k) alone. On a
 * failure the seed, the program number and the program's vtrace text are printed; rerun with
 * `l1_transparent S 1 k`, or replay the text with `vhptsim replay --counters --dump-state`
 * with and without `--itlb-l1 0 --dtlb-l1 0`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/machine/tlb_rng.h"
#include "../../model/platform/counters.h"
#include "../../model/platform/platform.h"
#include "../../model/platform/state_dump.h"
#include "../../trace/vtrace.h"

/* ---- the program generator ---------------------------------------------------------------- */

static const unsigned rids[] = {0x10, 0x11, 0x12}; /* few rids, so regions share them */
#define MAX_LIVE 32
#define MAX_REFS 16

/* An address the program used, with the side (I or D) and the vCPU it was used on. */
struct place {
    uint64_t va;
    unsigned ps; /* the page inserted there (12 for a reference) */
    int iside;
    unsigned cpu;
};

struct gen {
    uint64_t s;
    FILE *out;
    unsigned vcpus;
    struct place live[MAX_LIVE]; /* translations inserted, to reference and purge around */
    unsigned nlive;
    struct place ref[MAX_REFS]; /* references, to reference again and purge around */
    unsigned nref;
    unsigned cpu; /* the vCPU the lines go to */
};

static uint64_t draw(struct gen *g, uint64_t n) { return tlb_rng_next(&g->s) % n; }

/* Every IA-64 page size; 64 MiB and up rarely (4 GiB in 1 of 2048 draws, still some 70 times
 * a run): the VMM's purge and dirty marking of such a page visit every machine page of it, as
 * KVM does, and would take most of the test's time. */
static unsigned any_size(struct gen *g)
{
    static const unsigned common[] = {12, 13, 14, 16, 18, 20, 22, 24};
    const uint64_t d = draw(g, 2048);
    return d == 0 ? 32 : d < 5 ? 28 : d < 21 ? 26 : common[draw(g, 8)];
}

/* A region (1..4) and an offset in its first 4 MiB, where most of the pages overlap. */
static uint64_t any_va(struct gen *g)
{
    return ((1 + draw(g, 4)) << 61) | (draw(g, UINT64_C(1) << 22) & ~UINT64_C(7));
}

/* Somewhere in the page inserted at p or the next one of its size (at most 4 MiB from its base),
 * sometimes through another region (maybe with the same rid). */
static uint64_t in_page(struct gen *g, const struct place *p)
{
    const unsigned ps = p->ps < 22 ? p->ps : 22;
    uint64_t va = (p->va & ~((UINT64_C(1) << ps) - 1)) + (draw(g, UINT64_C(2) << ps) & ~UINT64_C(15));
    if (draw(g, 8) == 0)
        va = (va & ~(UINT64_C(7) << 61)) | ((1 + draw(g, 4)) << 61);
    return va;
}

/* Near something inserted, or anywhere. */
static uint64_t near_va(struct gen *g)
{
    return g->nlive && draw(g, 5) ? in_page(g, &g->live[draw(g, g->nlive)]) : any_va(g);
}

/* A 4 KiB page within +-spread bytes of va (any offset in it). */
static uint64_t around(struct gen *g, uint64_t va, uint64_t spread)
{
    const uint64_t shift = spread ? (draw(g, 2 * spread) - spread) & ~UINT64_C(0xfff) : 0;
    return (va & ~UINT64_C(0xfff)) + shift + (draw(g, 4096) & ~UINT64_C(15));
}

/* Half the time within 64 KiB of an earlier reference, so that purges hit pages the TLB holds,
 * around the pieces L1 holds; else near_va. */
static uint64_t hot_va(struct gen *g)
{
    return g->nref && draw(g, 2) ? around(g, g->ref[draw(g, g->nref)].va, 0x10000) : near_va(g);
}

static uint64_t any_pte(struct gen *g)
{
    uint64_t pte = (draw(g, UINT64_C(1) << 18) << 12) | 0x661; /* gpa < 1 GiB, p a d rwx WB */
    if (draw(g, 16) == 0)
        pte &= ~UINT64_C(1); /* not present */
    else if (draw(g, 16) == 0)
        pte |= 4 << 2; /* ma = UC */
    return pte;
}

static void keep(struct gen *g, struct place *set, unsigned max, unsigned *n, struct place p)
{
    set[*n < max ? (*n)++ : draw(g, max)] = p;
}

static void emit_insert(struct gen *g, int iside, int tr, uint64_t va, unsigned ps)
{
    fprintf(g->out, "it%c.%c ", tr ? 'r' : 'c', iside ? 'i' : 'd');
    if (tr)
        fprintf(g->out, "%u ", (unsigned)draw(g, 8));
    fprintf(g->out, "0x%" PRIx64 " pte=0x%" PRIx64 " ps=%u\n", va, any_pte(g), ps);
    keep(g, g->live, MAX_LIVE, &g->nlive, (struct place){va, ps, iside, g->cpu});
}

static void emit_rr(struct gen *g, unsigned region)
{
    static const unsigned rr_sizes[] = {12, 13, 14, 16, 18, 20, 24, 28};
    fprintf(g->out, "rr %u rid=0x%x ps=%u ve=%u\n", region, rids[draw(g, 3)], rr_sizes[draw(g, 8)],
            (unsigned)draw(g, 2));
}

/* A reference on the current vCPU, or on vCPU `cpu` when that is another (a one-line prefix). */
static void emit_ref_at(struct gen *g, unsigned cpu, int iside, uint64_t va)
{
    static const char *const data[] = {"ld", "ld", "ld", "st", "st", "rse.ld", "rse.st", "lfetch"};
    if (cpu != g->cpu)
        fprintf(g->out, "cpu %u ", cpu);
    fprintf(g->out, "%s 0x%" PRIx64 "\n", iside ? "ifetch" : data[draw(g, sizeof data / sizeof *data)], va);
    keep(g, g->ref, MAX_REFS, &g->nref, (struct place){va, 12, iside, cpu});
}

/* Mostly on the side and vCPU of what is there: again in the 4 KiB page of an earlier
 * reference (an L1 hit when nothing removed it), or within 64 KiB of it, or into an inserted
 * page; else anywhere. */
static void emit_reference(struct gen *g)
{
    const uint64_t d = draw(g, 10);
    const struct place *p = NULL;
    uint64_t va;
    if (g->nref && d < 6) {
        p = &g->ref[draw(g, g->nref)];
        va = around(g, p->va, d < 4 ? 0 : 0x10000);
    } else if (g->nlive && d < 9) {
        p = &g->live[draw(g, g->nlive)];
        va = in_page(g, p);
    } else {
        emit_ref_at(g, g->cpu, draw(g, 3) == 0, any_va(g));
        return;
    }
    emit_ref_at(g, draw(g, 4) ? p->cpu : g->cpu, p->iside, va);
}

/*
 * Before and after: a translation is inserted and referenced twice (L1 gets a piece of it and
 * hits it), then something removes translations nearby with a smaller, equal or larger size
 * (ptc.l, ptc.g or ptc.ga, maybe from another vCPU, ptr, an overlapping itc or itr), and the
 * same address is referenced again.
 */
static void emit_before_after(struct gen *g)
{
    static const unsigned small[] = {12, 13, 14};
    const int iside = draw(g, 3) == 0;
    const uint64_t va = hot_va(g);
    emit_insert(g, iside, 0, va, any_size(g));
    const uint64_t at = around(g, va, 0x4000);
    emit_ref_at(g, g->cpu, iside, at);
    emit_ref_at(g, g->cpu, iside, at);
    const uint64_t pv = around(g, at, 0x4000);
    const unsigned q = draw(g, 2) ? small[draw(g, 3)] : any_size(g);
    const unsigned how = (unsigned)draw(g, 6);
    if (how < 3) {
        static const char *const purges[] = {"ptc.l", "ptc.g", "ptc.ga"};
        const unsigned other = (g->cpu + 1 + (unsigned)draw(g, g->vcpus)) % g->vcpus;
        if (how > 0 && other != g->cpu)
            fprintf(g->out, "cpu %u ", other); /* a global purge from another vCPU */
        fprintf(g->out, "%s 0x%" PRIx64 " %u\n", g->vcpus > 1 ? purges[how] : "ptc.l", pv, q);
    } else if (how == 3) {
        fprintf(g->out, "ptr.%c 0x%" PRIx64 " %u\n", iside ? 'i' : 'd', pv, q);
    } else {
        emit_insert(g, iside, how == 5, pv, q);
    }
    emit_ref_at(g, g->cpu, iside, at);
}

static void emit_event(struct gen *g)
{
    const unsigned op = (unsigned)draw(g, 100);
    if (op < 40) {
        emit_reference(g);
    } else if (op < 58) { /* itc of any page size */
        emit_insert(g, draw(g, 2), 0, draw(g, 3) ? near_va(g) : any_va(g), any_size(g));
    } else if (op < 62) {
        emit_insert(g, draw(g, 2), 1, near_va(g), any_size(g));
    } else if (op < 65) {
        fprintf(g->out, "ptr.%c 0x%" PRIx64 " %u\n", draw(g, 2) ? 'd' : 'i', near_va(g), any_size(g));
    } else if (op < 81) { /* purges of smaller, equal and larger sizes around what is there */
        static const char *const purges[] = {"ptc.l", "ptc.l", "ptc.g", "ptc.ga"};
        const char *k = g->vcpus > 1 ? purges[draw(g, 4)] : "ptc.l";
        fprintf(g->out, "%s 0x%" PRIx64 " %u\n", k, hot_va(g), any_size(g));
    } else if (op < 83) {
        fputs("ptc.e\n", g->out);
    } else if (op < 88) {
        emit_rr(g, 1 + (unsigned)draw(g, 4));
    } else if (op < 90) { /* virtual <-> physical mode */
        fputs(draw(g, 3) ? "psr dt=1 it=1 rt=1 ic=1\n" : "psr ic=1\n", g->out);
    } else if (op < 92) { /* the guest VHPT walker on (base in region 2) or off */
        if (draw(g, 2))
            fputs("pta base=0x4000000000100000 size=15 vf=0 ve=1\n", g->out);
        else
            fputs("pta 0\n", g->out);
    } else if (op < 94) { /* a guest VHPT entry, read by the VMM's ld8.s */
        fprintf(g->out, "st 0x%" PRIx64 " 8 val=0x%" PRIx64 "\n",
                UINT64_C(0x4000000000100000) + (draw(g, 4096) << 3), any_pte(g));
    } else {
        emit_before_after(g);
    }
}

/* Program k of seed `seed` for part 1 or 2 (part 2's are longer): its vtrace text (malloc'ed). */
static char *generate(uint64_t seed, uint64_t k, unsigned part)
{
    struct gen g = {.s = tlb_rng_state(tlb_rng_stream_seed(seed, k))};
    char *text = NULL;
    size_t len = 0;
    g.out = open_memstream(&text, &len);
    if (!g.out)
        return NULL;
    g.vcpus = 1 + (unsigned)draw(&g, 3);
    fprintf(g.out, "# l1_transparent seed %" PRIu64 " program %" PRIu64 " part %u\n", seed, k, part);
    if (g.vcpus > 1)
        fprintf(g.out, "vcpus %u\n", g.vcpus);
    /* every vCPU starts with the same regions (so ptc.g/ptc.ga reach the others' entries) */
    const uint64_t regions = g.s;
    for (unsigned c = 0; c < g.vcpus; c++) {
        fprintf(g.out, "cpu %u\n", c);
        g.s = regions;
        for (unsigned r = 1; r <= 4; r++)
            emit_rr(&g, r);
    }
    const unsigned n = part == 1 ? 10 + (unsigned)draw(&g, 70) : 50 + (unsigned)draw(&g, 250);
    g.cpu = g.vcpus; /* none yet */
    for (unsigned i = 0; i < n; i++) {
        const unsigned c = (unsigned)draw(&g, g.vcpus);
        if (c != g.cpu)
            fprintf(g.out, "cpu %u\n", c);
        g.cpu = c;
        emit_event(&g);
    }
    if (fclose(g.out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* ---- replay -------------------------------------------------------------------------------- */

struct program {
    struct guest_event *ev;
    size_t n;
    unsigned vcpus;
};

/* Parses the text with the vtrace reader (as `vhptsim replay` would): 0, or -1 with a message. */
static int parse(const char *text, struct program *prog)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    char err[256];
    struct vtrace_reader *r = f ? vtrace_open_stream(f, "program", err, sizeof err) : NULL;
    if (!r) {
        fprintf(stderr, "cannot read the generated program\n");
        if (f)
            fclose(f);
        return -1;
    }
    size_t cap = 64;
    prog->ev = malloc(cap * sizeof *prog->ev);
    prog->n = 0;
    int got = 0;
    struct guest_event ev;
    while (prog->ev && (got = vtrace_next(r, &ev)) > 0) {
        if (prog->n == cap) {
            struct guest_event *more = realloc(prog->ev, 2 * cap * sizeof *more);
            if (!more) {
                free(prog->ev);
                prog->ev = NULL;
                break;
            }
            prog->ev = more;
            cap *= 2;
        }
        prog->ev[prog->n++] = ev;
    }
    const int bad = !prog->ev || got < 0;
    if (got < 0)
        fprintf(stderr, "the generator wrote a bad vtrace: %s\n", vtrace_reader_error(r));
    prog->vcpus = vtrace_vcpus(r);
    vtrace_close(r);
    fclose(f);
    return bad ? -1 : 0;
}

/* What one replay shows. */
struct outcome {
    char *dump;
    size_t ncounters;
    char (*name)[96];
    uint64_t *value;
    unsigned l2_evicted; /* 1 when some L2 of some vCPU evicted an entry */
};

static void collect(void *ctx, const char *name, uint64_t value)
{
    struct outcome *o = ctx;
    if (o->ncounters % 256 == 0) {
        o->name = realloc(o->name, (o->ncounters + 256) * sizeof *o->name);
        o->value = realloc(o->value, (o->ncounters + 256) * sizeof *o->value);
        if (!o->name || !o->value) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    snprintf(o->name[o->ncounters], sizeof *o->name, "%s", name);
    o->value[o->ncounters++] = value;
}

static void outcome_free(struct outcome *o)
{
    free(o->dump);
    free(o->name);
    free(o->value);
    memset(o, 0, sizeof *o);
}

/* 1 when every valid L1 entry of t is backed by the L2 TC or TR it caches (but a page smaller
 * than a single-page-size L2 holds, which L1 alone may cache: mtlb.h). */
static int l1_inclusive(const struct mtlb *t, char *why, size_t whylen)
{
    const struct tlb_level *l1 = &t->l1;
    for (uint32_t i = 0; i < l1->n; i++) {
        const struct mtlb_entry *e = &l1->e[i];
        if (!e->valid || e->parent_ps < t->l2.ps)
            continue;
        const struct mtlb_entry *b = mtlb_find_tr(t, e->va, e->rid);
        if (!b)
            b = tlb_level_find(&t->l2, e->va, e->rid);
        if (!b || b->parent_ps != e->parent_ps || machine_paddr(b, e->va) != machine_paddr(e, e->va)) {
            snprintf(why, whylen, "L1 entry va=0x%" PRIx64 " rid=0x%" PRIx64 " ps=%u (of a page of size %u) has %s",
                     e->va, e->rid, e->ps, e->parent_ps, b ? "another translation in L2" : "no L2 entry or TR");
            return 0;
        }
    }
    return 1;
}

/*
 * Replays prog with the parameters `params` (their vCPU count is the program's); fills *o. With check_inclusion, checks L1's
 * inclusion after every event (*why says where it failed). 0, -1 on a failure.
 */
static int replay(const struct program *prog, const struct platform_params *params, int check_inclusion,
                  struct outcome *o, char *why, size_t whylen)
{
    memset(o, 0, sizeof *o);
    struct platform_params pp = *params;
    pp.nr_vcpus = prog->vcpus;
    struct platform p;
    char err[256];
    if (platform_init(&p, &pp, err, sizeof err) != 0) {
        snprintf(why, whylen, "platform_init: %s", err);
        return -1;
    }
    int ok = 1;
    for (size_t i = 0; i < prog->n && ok; i++) {
        struct ref_result res;
        platform_event(&p, &prog->ev[i], &res);
        for (unsigned c = 0; check_inclusion && ok && c < p.nr_vcpus; c++) {
            char w[200];
            if (!l1_inclusive(&p.cpu[c].mach.itlb, w, sizeof w) || !l1_inclusive(&p.cpu[c].mach.dtlb, w, sizeof w)) {
                snprintf(why, whylen, "after event %zu, vCPU %u: %s", i + 1, c, w);
                ok = 0;
            }
        }
    }
    platform_finish(&p);
    size_t len = 0;
    FILE *f = open_memstream(&o->dump, &len);
    if (!f || platform_dump_state(&p, f) != 0 || fclose(f) != 0) {
        snprintf(why, whylen, "state dump failed");
        ok = 0;
    }
    platform_counters_visit(&p, collect, o);
    for (unsigned c = 0; c < p.nr_vcpus; c++)
        o->l2_evicted |= p.cpu[c].mach.itlb.l2.stats.evictions != 0 || p.cpu[c].mach.dtlb.l2.stats.evictions != 0;
    platform_free(&p);
    return ok ? 0 : -1;
}

/* ---- the properties ------------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
    const size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The value of the counter `name` with `from` (a suffix of it) replaced by `to`. */
static uint64_t sibling(const struct outcome *o, const char *name, const char *from, const char *to)
{
    char want[96];
    snprintf(want, sizeof want, "%.*s%s", (int)(strlen(name) - strlen(from)), name, to);
    for (size_t i = 0; i < o->ncounters; i++)
        if (strcmp(o->name[i], want) == 0)
            return o->value[i];
    return UINT64_MAX;
}

/* with = replay with L1, without = without: 1 when nothing visible differs (else *why). */
static int same_visible(const struct outcome *with, const struct outcome *without, char *why, size_t whylen)
{
    if (with->ncounters != without->ncounters) {
        snprintf(why, whylen, "different counter lists");
        return 0;
    }
    for (size_t i = 0; i < with->ncounters; i++) {
        const char *name = with->name[i];
        if (strcmp(name, without->name[i]) != 0) {
            snprintf(why, whylen, "counter %zu is %s with L1, %s without", i, name, without->name[i]);
            return 0;
        }
        if (strstr(name, ".l1.") || ends_with(name, ".l2.tr_hits"))
            continue; /* L1's own counters; TR hits answered by L1 pieces are not L2's */
        uint64_t a = with->value[i];
        if (ends_with(name, ".l2.hits"))
            a += sibling(with, name, ".l2.hits", ".l1.hits"); /* hits either level answered */
        if (a != without->value[i]) {
            snprintf(why, whylen, "%s: %" PRIu64 "%s with L1, %" PRIu64 " without", name, a,
                     ends_with(name, ".l2.hits") ? " (L1 + L2 hits)" : "", without->value[i]);
            return 0;
        }
    }
    if (strcmp(with->dump, without->dump) != 0) {
        const char *a = with->dump, *b = without->dump;
        while (*a && *a == *b)
            a++, b++;
        while (a > with->dump && a[-1] != '\n')
            a--, b--;
        snprintf(why, whylen, "state dumps differ from line '%.*s' (with L1) / '%.*s' (without)",
                 (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
        return 0;
    }
    return 1;
}

/* L1 configurations: the Itanium 2 default for half of the programs, else one that evicts
 * more or is shaped differently (the property holds for any L1). */
static void pick_l1(uint64_t k, struct tlb_level_params *l1)
{
    static const struct tlb_level_params odd[] = {
        {.entries = 4, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 12},
        {.entries = 2, .ways = 0, .policy = TLB_POLICY_RANDOM, .ps = 12},
        {.entries = 8, .ways = 2, .policy = TLB_POLICY_NRU, .ps = 12},
        {.entries = 4, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 14},
        {.entries = 4, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0},
        {.entries = 16, .ways = 4, .policy = TLB_POLICY_RANDOM, .ps = 13},
    };
    if (k % 2)
        *l1 = odd[(k / 2) % (sizeof odd / sizeof *odd)];
}

/* A level as `vhptsim replay` takes it: ENTRIES:WAYS:POLICY:PAGES. */
static void level_spec(char *buf, size_t len, const struct tlb_level_params *l)
{
    char ways[16] = "full", pages[16] = "all";
    if (l->ways && l->ways != l->entries)
        snprintf(ways, sizeof ways, "%u", l->ways);
    if (l->ps)
        snprintf(pages, sizeof pages, "%u", l->ps);
    snprintf(buf, len, "%u:%s:%s:%s", l->entries, ways, tlb_policy_name(l->policy), pages);
}

/* Program k's parameters: pick_l1 on each side; the smallest vTLB and VHPT (32 KiB, more
 * collisions, and a twelfth of the default's work per ptc.e, state dump and set-up) for three
 * programs in four, the defaults for the others. */
static void program_params(uint64_t k, struct platform_params *pp)
{
    platform_params_default(pp);
    pick_l1(k, &pp->machine.itlb.l1);
    pick_l1(k + 1, &pp->machine.dtlb.l1);
    if (k % 4)
        pp->vmm.vtlb_shift = pp->vmm.vhpt_shift = 15;
}

static void report(uint64_t seed, uint64_t k, unsigned part, const struct platform_params *pp, const char *what,
                   const char *why, const char *text)
{
    fprintf(stderr, "l1_transparent: seed %" PRIu64 " program %" PRIu64 " (part %u): %s: %s\n", seed, k, part, what, why);
    fprintf(stderr, "  rerun: l1_transparent %" PRIu64 " 1 %" PRIu64 "; the program: l1_transparent print %u %" PRIu64
                    " %" PRIu64 "\n", seed, k, part, seed, k);
    if (pp) {
        const struct machine_params *mp = &pp->machine;
        char l[4][64];
        level_spec(l[0], sizeof l[0], &mp->itlb.l1);
        level_spec(l[1], sizeof l[1], &mp->itlb.l2);
        level_spec(l[2], sizeof l[2], &mp->dtlb.l1);
        level_spec(l[3], sizeof l[3], &mp->dtlb.l2);
        fprintf(stderr, "  options: --vtlb-size %llu --vhpt-size %llu --itlb-l1 %s --itlb-l2 %s --dtlb-l1 %s --dtlb-l2 %s%s\n",
                1ull << pp->vmm.vtlb_shift, 1ull << pp->vmm.vhpt_shift, l[0], l[1], l[2], l[3],
                part == 1 ? " (and without L1: --itlb-l1 0 --dtlb-l1 0)" : "");
    }
    fprintf(stderr, "----- program -----\n%s-------------------\n", text);
}

/* Program k of `part`, generated and read back: its text (malloc'ed, with *prog), or NULL
 * after reporting why. */
static char *program_for(uint64_t seed, uint64_t k, unsigned part, struct program *prog)
{
    char *text = generate(seed, k, part);
    memset(prog, 0, sizeof *prog);
    if (!text || parse(text, prog) != 0) {
        report(seed, k, part, NULL, "generator", "could not build the program", text ? text : "");
        free(text);
        free(prog->ev);
        return NULL;
    }
    return text;
}

/* Part 1 for program k: 0 when it holds. */
static int check_transparent(uint64_t seed, uint64_t k, unsigned *max_l2)
{
    struct program prog;
    char *text = program_for(seed, k, 1, &prog);
    if (!text)
        return -1;
    struct platform_params with, without;
    program_params(k, &with);
    without = with;
    without.machine.itlb.l1.entries = without.machine.dtlb.l1.entries = 0;
    struct outcome a = {0}, b = {0};
    char why[512] = "";
    int rc = 0;
    if (replay(&prog, &with, 0, &a, why, sizeof why) != 0 || replay(&prog, &without, 0, &b, why, sizeof why) != 0) {
        report(seed, k, 1, &with, "replay failed", why, text);
        rc = -1;
    } else if (a.l2_evicted || b.l2_evicted) {
        report(seed, k, 1, &with, "precondition",
               "an L2 evicted an entry: the program exceeds L2's capacity, outside the property (fix the generator)",
               text);
        rc = -1;
    } else if (!same_visible(&a, &b, why, sizeof why)) {
        report(seed, k, 1, &with, "L1 changed what the VMM or guest sees", why, text);
        rc = -1;
    }
    /* the largest L2 occupancy seen, reported as the margin below capacity */
    for (size_t i = 0; i < a.ncounters; i++)
        if (ends_with(a.name[i], ".l2.inserts") && a.value[i] > *max_l2)
            *max_l2 = (unsigned)a.value[i];
    outcome_free(&a);
    outcome_free(&b);
    free(prog.ev);
    free(text);
    return rc;
}

/* Part 2 for program k: 0 when L1 stays inclusive under L2 evictions. */
static int check_inclusive(uint64_t seed, uint64_t k, uint64_t *evictions)
{
    struct program prog;
    char *text = program_for(seed, k, 2, &prog);
    if (!text)
        return -1;
    static const struct tlb_level_params small_l2[] = {
        {.entries = 2, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0},
        {.entries = 3, .ways = 0, .policy = TLB_POLICY_NRU, .ps = 0},
        {.entries = 4, .ways = 0, .policy = TLB_POLICY_RANDOM, .ps = 0},
        {.entries = 4, .ways = 2, .policy = TLB_POLICY_LRU, .ps = 14},
    };
    struct platform_params pp;
    program_params(k, &pp);
    struct machine_params *mp = &pp.machine;
    mp->itlb.l2 = mp->dtlb.l2 = small_l2[(k / 3) % (sizeof small_l2 / sizeof *small_l2)];
    if (machine_params_check(mp)) { /* an L1 of 16 KiB pages beside that L2: no level holds 4 KiB */
        struct mtlb_params d;
        mtlb_params_default(&d);
        mp->itlb.l1 = mp->dtlb.l1 = d.l1;
    }
    struct outcome o;
    char why[512] = "";
    int rc = 0;
    if (replay(&prog, &pp, 1, &o, why, sizeof why) != 0) {
        report(seed, k, 2, &pp, "L1 not inclusive of L2", why, text);
        rc = -1;
    }
    for (size_t i = 0; i < o.ncounters; i++)
        if (ends_with(o.name[i], ".l2.evictions"))
            *evictions += o.value[i];
    outcome_free(&o);
    free(prog.ev);
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "print") == 0) { /* l1_transparent print PART SEED K */
        char *text = generate(strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0), argv[2][0] == '2' ? 2 : 1);
        const int ok = text && fputs(text, stdout) >= 0 && fflush(stdout) == 0;
        free(text);
        return ok ? 0 : 1;
    }
    const uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    const uint64_t count = argc > 2 ? strtoull(argv[2], NULL, 0) : 3000;
    const uint64_t first = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
    unsigned failures = 0, max_l2 = 0;
    uint64_t evictions = 0, count2 = 0;
    for (uint64_t k = first; k < first + count && failures < 3; k++) {
        failures += check_transparent(seed, k, &max_l2) != 0;
        if (k % 3 == 0) {
            failures += check_inclusive(seed, k, &evictions) != 0;
            count2++;
        }
    }
    if (failures) {
        fprintf(stderr, "l1_transparent: seed %" PRIu64 ": %u program(s) failed\n", seed, failures);
        return 1;
    }
    printf("l1_transparent: seed %" PRIu64 ": %" PRIu64 " programs with and without L1 agree (at most %u L2 "
           "inserts per side, capacity 128); %" PRIu64 " programs kept L1 inclusive through %" PRIu64
           " L2 evictions\n",
           seed, count, max_l2, count2, evictions);
    return 0;
}

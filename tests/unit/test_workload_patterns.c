/*
 * test_workload_patterns.c - the single-process generators (seqscan, stride, uniform, zipf,
 * ptrchase) and the reference mix: first events derived by hand from the definitions in
 * docs/workloads.md, and statistical properties with bounds derived from the distributions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../workloads/rng.h"
#include "../../workloads/workload.h"
#include "check.h"

#define BASE UINT64_C(0x6000000000000000)
#define PAGE 16384u

/* Runs p to the end into a fresh array (*n events); NULL if creation failed. */
static struct guest_event *run(const struct workload_params *p, size_t *n)
{
    char err[256] = "";
    struct workload *w = workload_create(p, err, sizeof err);
    CHECK(w != NULL);
    if (!w) {
        fprintf(stderr, "workload_create: %s\n", err);
        *n = 0;
        return NULL;
    }
    size_t cap = 1024, k = 0;
    struct guest_event *ev = malloc(cap * sizeof *ev);
    for (;;) {
        if (k == cap)
            ev = realloc(ev, (cap *= 2) * sizeof *ev);
        if (workload_next(w, &ev[k]) != 1)
            break;
        k++;
    }
    workload_destroy(w);
    *n = k;
    return ev;
}

static int is_plain_ref(const struct guest_event *e, uint64_t va, enum guest_event_kind kind, unsigned size)
{
    return e->va == va && e->kind == kind && e->size == size && e->op0 == 0 && e->op1 == 0 && e->cpu == 0 &&
           e->slot == 0 && e->flags == 0 && e->insns == 0;
}

/* The splitmix64 sequence from `seed`, skipping the mix generator's four outputs: the state of
 * pattern 0's generator (docs/workloads.md, "Seeds"). */
static void pattern_rng(uint64_t seed, struct wl_rng *r)
{
    uint64_t sm = seed;
    struct wl_rng mix;
    wl_rng_seed_from(&mix, &sm);
    wl_rng_seed_from(r, &sm);
}

static void test_seqscan(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_SEQSCAN);
    CHECK_EQ(p.base, BASE);
    /* N = 5 pages, two passes of one 8-byte slot after another */
    const unsigned npages = 5;
    p.footprint = npages * PAGE;
    p.length = 2 * npages * (PAGE / 8);
    size_t n;
    struct guest_event *ev = run(&p, &n);
    CHECK_EQ(n, p.length);
    if (n != p.length) {
        free(ev);
        return;
    }
    CHECK(is_plain_ref(&ev[0], BASE, GE_LOAD, 8));
    CHECK(is_plain_ref(&ev[1], BASE + 8, GE_LOAD, 8));
    CHECK(is_plain_ref(&ev[2], BASE + 16, GE_LOAD, 8));
    CHECK(is_plain_ref(&ev[2048], BASE + PAGE, GE_LOAD, 8)); /* first slot of page 2 */
    /* exactly N distinct pages, every slot in order, the second pass equal to the first */
    unsigned seen[8] = {0};
    int ordered = 1, repeat = 1;
    const size_t pass = n / 2;
    for (size_t i = 0; i < n; i++) {
        const uint64_t page = (ev[i].va - BASE) / PAGE;
        if (page < 8)
            seen[page]++;
        ordered &= ev[i].va == BASE + (i % pass) * 8;
        if (i >= pass)
            repeat &= memcmp(&ev[i], &ev[i - pass], sizeof ev[i]) == 0;
    }
    unsigned distinct = 0;
    for (unsigned i = 0; i < 8; i++)
        distinct += seen[i] != 0;
    CHECK_EQ(distinct, npages);
    CHECK(ordered);
    CHECK(repeat);
    free(ev);

    /* access size 10 uses 16-byte slots (ldfe / stfe alignment) */
    workload_params_default(&p, WL_SEQSCAN);
    p.access_size = 10;
    p.length = 3;
    ev = run(&p, &n);
    CHECK_EQ(n, 3);
    if (n == 3) {
        CHECK(is_plain_ref(&ev[1], BASE + 16, GE_LOAD, 10));
        CHECK(is_plain_ref(&ev[2], BASE + 32, GE_LOAD, 10));
    }
    free(ev);
}

static void test_stride(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_STRIDE);
    CHECK_EQ(p.stride, 16384);
    /* 100 KiB with a 16 KiB stride: ceil(102400 / 16384) = ceil(6.25) = 7 addresses per pass,
     * base + 0, 16K, ..., 96K; the 8th reference starts the next pass at base */
    p.footprint = 102400;
    p.length = 21;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    CHECK_EQ(n, 21);
    if (n == 21) {
        int ok = 1;
        for (size_t i = 0; i < n; i++)
            ok &= is_plain_ref(&ev[i], BASE + (i % 7) * 16384, GE_LOAD, 8);
        CHECK(ok);
        CHECK_EQ(ev[6].va, BASE + 6 * 16384);
        CHECK_EQ(ev[7].va, BASE);
    }
    free(ev);
    /* an exact multiple: footprint / stride addresses */
    p.footprint = 4 * 16384;
    p.length = 9;
    ev = run(&p, &n);
    if (n == 9) {
        CHECK_EQ(ev[3].va, BASE + 3 * 16384);
        CHECK_EQ(ev[4].va, BASE);
        CHECK_EQ(ev[8].va, BASE);
    }
    free(ev);
}

static void test_uniform(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_UNIFORM);
    const unsigned npages = 64;
    p.footprint = npages * PAGE; /* 1 MiB = 131072 slots of 8 bytes, a power of two */
    p.seed = 7;
    p.length = 100000;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    CHECK_EQ(n, 100000);
    if (n != 100000) {
        free(ev);
        return;
    }
    /* first three: base + (x mod 131072) * 8 for the pattern generator's outputs x (a power of
     * two: no rejection, one output per reference) */
    struct wl_rng r;
    pattern_rng(7, &r);
    for (int i = 0; i < 3; i++)
        CHECK(is_plain_ref(&ev[i], BASE + (wl_rng_next(&r) % 131072) * 8, GE_LOAD, 8));
    /* all inside the footprint, aligned; per page: Binomial(100000, 1/64), mean 1562.5,
     * sigma = sqrt(100000 * 1/64 * 63/64) = 39.22; 5 sigma = 196.1 */
    unsigned count[64] = {0};
    int inside = 1;
    for (size_t i = 0; i < n; i++) {
        inside &= ev[i].va >= BASE && ev[i].va + 8 <= BASE + p.footprint && ev[i].va % 8 == 0;
        if (ev[i].va >= BASE && ev[i].va < BASE + p.footprint)
            count[(ev[i].va - BASE) / PAGE]++;
    }
    CHECK(inside);
    const double mean = 100000.0 / 64, sigma = sqrt(100000.0 * (1.0 / 64) * (63.0 / 64));
    int within = 1;
    for (unsigned i = 0; i < npages; i++) {
        if (fabs(count[i] - mean) > 5 * sigma) {
            within = 0;
            fprintf(stderr, "uniform: page %u count %u, expected %.1f +- %.1f\n", i, count[i], mean, 5 * sigma);
        }
    }
    CHECK(within);
    free(ev);

    /* a slot count that is not a power of two: 3 slots of 8 bytes, n = 3 -> threshold
     * 2^64 mod 3 = 1, so only an output of 0 is rejected; va = base + (x mod 3) * 8 */
    p.footprint = 24;
    p.length = 4;
    ev = run(&p, &n);
    pattern_rng(7, &r);
    for (size_t i = 0; i < n; i++) {
        uint64_t x;
        do
            x = wl_rng_next(&r);
        while (x < 1);
        CHECK_EQ(ev[i].va, BASE + (x % 3) * 8);
    }
    free(ev);
}

static void test_seed_determinism(void)
{
    const enum workload_kind kinds[] = {WL_UNIFORM, WL_ZIPF, WL_MULTIPROC, WL_MMAP_STORM, WL_HUGEPAGE};
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        struct workload_params p;
        workload_params_default(&p, kinds[k]);
        p.length = 5000;
        p.write_fraction = 0.3;
        p.seed = 12345;
        size_t n1, n2, n3;
        struct guest_event *a = run(&p, &n1), *b = run(&p, &n2);
        p.seed = 12346;
        struct guest_event *c = run(&p, &n3);
        CHECK(n1 == n2 && memcmp(a, b, n1 * sizeof *a) == 0);
        CHECK(n1 != n3 || memcmp(a, c, n1 * sizeof *a) != 0);
        free(a);
        free(b);
        free(c);
    }
}

static void test_write_mix(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_SEQSCAN);
    p.length = 100000;
    p.write_fraction = 0.25;
    p.seed = 3;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    /* the first reference is a store iff the mix generator's first double < 0.25 */
    uint64_t sm = 3;
    struct wl_rng mix;
    wl_rng_seed_from(&mix, &sm);
    CHECK_EQ(ev[0].kind, wl_rng_double(&mix) < 0.25 ? GE_STORE : GE_LOAD);
    CHECK_EQ(ev[1].kind, wl_rng_double(&mix) < 0.25 ? GE_STORE : GE_LOAD);
    /* Binomial(100000, 0.25): sigma = sqrt(100000 * 0.25 * 0.75) = 136.9; 5 sigma = 685 */
    unsigned stores = 0;
    for (size_t i = 0; i < n; i++)
        stores += ev[i].kind == GE_STORE;
    CHECK(fabs(stores - 25000.0) <= 5 * sqrt(100000 * 0.25 * 0.75));
    free(ev);
    p.length = 100;
    p.write_fraction = 1;
    ev = run(&p, &n);
    stores = 0;
    for (size_t i = 0; i < n; i++)
        stores += ev[i].kind == GE_STORE && ev[i].flags == 0;
    CHECK_EQ(stores, 100);
    free(ev);
}

/* H(n, alpha) = sum_{k=1..n} k^-alpha, smallest term first. */
static double harmonic(unsigned n, double alpha)
{
    double h = 0;
    for (unsigned k = n; k >= 1; k--)
        h += pow(k, -alpha);
    return h;
}

static void test_zipf(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_ZIPF);
    CHECK_EQ(p.zipf_item, 16384);
    const unsigned items = 1000;
    p.footprint = (uint64_t)items * 16384;
    p.length = 100000;
    p.seed = 11;
    const double alphas[] = {1.0, 2.0, 0.5};
    for (unsigned a = 0; a < 3; a++) {
        p.zipf_alpha = alphas[a];
        size_t n;
        struct guest_event *ev = run(&p, &n);
        CHECK_EQ(n, 100000);
        if (n != 100000) {
            free(ev);
            continue;
        }
        /* the first three by the definition: u = double(pattern), rank = smallest r with
         * sum_{k<=r} k^-alpha / H > u, item r - 1, then slot below(2048) (a power of two) */
        const double h = harmonic(items, alphas[a]);
        struct wl_rng r;
        pattern_rng(11, &r);
        for (int i = 0; i < 3; i++) {
            const double u = wl_rng_double(&r);
            double acc = 0;
            unsigned rank = 0;
            while (rank < items && !(acc > u))
                acc += pow(++rank, -alphas[a]) / h;
            const uint64_t slot = wl_rng_next(&r) % 2048;
            CHECK_EQ(ev[i].va, BASE + (uint64_t)(rank - 1) * 16384 + slot * 8);
        }
        /* rank-1 (item 0) and rank-2 (item 1) frequencies: p1 = 1 / H, p2 = 2^-alpha / H;
         * Binomial(100000, p) within 5 sigma (the table's rounding, ~1e-16, is negligible) */
        unsigned c1 = 0, c2 = 0;
        int inside = 1;
        for (size_t i = 0; i < n; i++) {
            c1 += ev[i].va >= BASE && ev[i].va < BASE + 16384;
            c2 += ev[i].va >= BASE + 16384 && ev[i].va < BASE + 32768;
            inside &= ev[i].va >= BASE && ev[i].va < BASE + p.footprint;
        }
        const double p1 = 1 / h, p2 = pow(2, -alphas[a]) / h;
        const double s1 = sqrt(1e5 * p1 * (1 - p1)), s2 = sqrt(1e5 * p2 * (1 - p2));
        if (fabs(c1 - 1e5 * p1) > 5 * s1 || fabs(c2 - 1e5 * p2) > 5 * s2)
            fprintf(stderr, "zipf alpha %g: rank1 %u (expected %.1f +- %.1f), rank2 %u (expected %.1f +- %.1f)\n",
                    alphas[a], c1, 1e5 * p1, 5 * s1, c2, 1e5 * p2, 5 * s2);
        CHECK(fabs(c1 - 1e5 * p1) <= 5 * s1);
        CHECK(fabs(c2 - 1e5 * p2) <= 5 * s2);
        CHECK(inside);
        free(ev);
    }
    /* scatter: rank 2 is item (1 * 2654435761) mod 1000 = 761, rank 1 stays item 0 */
    p.zipf_alpha = 1.0;
    p.zipf_scatter = 1;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    unsigned c1 = 0, c761 = 0, c_item1 = 0;
    for (size_t i = 0; i < n; i++) {
        const uint64_t item = (ev[i].va - BASE) / 16384;
        c1 += item == 0;
        c761 += item == 761;
        c_item1 += item == 1;
    }
    const double h = harmonic(items, 1.0);
    CHECK(fabs(c1 - 1e5 / h) <= 5 * sqrt(1e5 / h * (1 - 1 / h)));
    CHECK(fabs(c761 - 1e5 / 2 / h) <= 5 * sqrt(1e5 / 2 / h * (1 - 1 / 2 / h)));
    /* item 1 is rank r with (r - 1) * 2654435761 = 1 mod 1000, a cold rank: far below rank 2 */
    CHECK(c_item1 < c761 / 4);
    free(ev);
}

static void test_ptrchase(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_PTRCHASE);
    CHECK_EQ(p.footprint, 8u << 20);
    CHECK_EQ(p.stride, 256);
    /* ptrchase.S: N = 32768, A = 26125, C = 29535 (1664525 and 1013904223 mod 32768).
     * x0 = 0; x1 = C = 29535 = 0x735f; x2 = 29535 * 26126 mod 32768 = 771631410 mod 32768 = 10546
     * = 0x2932. */
    const uint64_t nslots = 32768;
    p.length = nslots + 2;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    CHECK_EQ(n, nslots + 2);
    if (n == nslots + 2) {
        CHECK(is_plain_ref(&ev[0], BASE, GE_LOAD, 8));
        CHECK(is_plain_ref(&ev[1], BASE + 0x735f00, GE_LOAD, 8));
        CHECK(is_plain_ref(&ev[2], BASE + 0x293200, GE_LOAD, 8));
        /* one full cycle visits every slot exactly once, then starts over */
        unsigned char *seen = calloc(nslots, 1);
        int once = 1, aligned = 1;
        for (size_t i = 0; i < nslots; i++) {
            const uint64_t off = ev[i].va - BASE;
            aligned &= off % 256 == 0 && off < (8u << 20);
            if (off < (8u << 20))
                once &= seen[off / 256]++ == 0;
        }
        CHECK(once && aligned);
        CHECK_EQ(ev[nslots].va, BASE);
        CHECK_EQ(ev[nslots + 1].va, BASE + 0x735f00);
        free(seen);
    }
    free(ev);
    /* build phase on 4 slots: stores to slots 0, 1, 2, 3; then the chase mod 4: A = 1, C = 3
     * (mod 4): 0, 3, 2, 1, 0 */
    p.footprint = 1024;
    p.ptrchase_build = 1;
    p.length = 9;
    ev = run(&p, &n);
    CHECK_EQ(n, 9);
    if (n == 9) {
        const uint64_t slots[9] = {0, 1, 2, 3, 0, 3, 2, 1, 0};
        for (int i = 0; i < 9; i++)
            CHECK(is_plain_ref(&ev[i], BASE + slots[i] * 256, i < 4 ? GE_STORE : GE_LOAD, 8));
    }
    free(ev);
}

static void test_ifetch(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_SEQSCAN);
    p.ifetch_fraction = 0.5;
    p.code_footprint = 48; /* three bundles: 0, 16, 32, then wrap */
    p.length = 1000;
    p.seed = 5;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    CHECK_EQ(n, 1000);
    /* reference i is an IFETCH iff the mix generator's i-th double < 0.5; IFETCHes walk the
     * bundles in order, data references the seqscan in order */
    uint64_t sm = 5;
    struct wl_rng mix;
    wl_rng_seed_from(&mix, &sm);
    unsigned fetches = 0, data = 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (wl_rng_double(&mix) < 0.5)
            ok &= is_plain_ref(&ev[i], WL_DEFAULT_CODE_BASE + (fetches++ % 3) * 16, GE_IFETCH, 16);
        else
            ok &= is_plain_ref(&ev[i], BASE + 8 * data++, GE_LOAD, 8);
    }
    CHECK(ok);
    CHECK(fetches > 0 && data > 0);
    free(ev);
}

int main(void)
{
    test_seqscan();
    test_stride();
    test_uniform();
    test_seed_determinism();
    test_write_mix();
    test_zipf();
    test_ptrchase();
    test_ifetch();
    return check_report("test_workload_patterns");
}

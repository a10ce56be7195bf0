/*
 * test_zipf_rank.c - the zipf sampler's O(1) search (wl_zipf.c: a guide table, then a walk)
 * answers exactly what the definition asks: the smallest i with cdf[i] > u, i.e. what a binary
 * search over the same table gives. A different answer for any u would change every zipf
 * stream, so this is checked where it is most likely to go wrong: at each cdf value itself, the
 * doubles next to it, each cell boundary j / n and next to it, u = 0 and the largest u < 1, and
 * many uniform draws; for table sizes 1 to 3072 (the default experiment's) and 20000, and
 * exponents from flat to very skewed (where many cells share one rank, and one cell many).
 */
#include <math.h>

#include "../../workloads/workload_internal.h"
#include "check.h"

/* The definition, by bisection (the sampler's former search). */
static uint64_t rank_by_bisection(const struct wl_zipf_table *t, double u)
{
    uint64_t lo = 0, hi = t->n - 1;
    while (lo < hi) {
        const uint64_t mid = lo + (hi - lo) / 2;
        if (t->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo + 1;
}

static unsigned mismatches;

static void same(const struct wl_zipf_table *t, double u)
{
    if (!(u >= 0 && u < 1))
        return;
    const uint64_t got = wl_zipf_rank(t, u), want = rank_by_bisection(t, u);
    if (got != want && mismatches++ < 10)
        fprintf(stderr, "n %llu u %.17g: rank %llu, the bisection's %llu\n", (unsigned long long)t->n, u,
                (unsigned long long)got, (unsigned long long)want);
}

static void test_table(uint64_t n, double alpha, struct wl_rng *r)
{
    struct wl_zipf_table *t = wl_zipf_table_create(n, alpha);
    CHECK(t != NULL);
    if (!t)
        return;
    const unsigned before = mismatches;
    same(t, 0.0);
    same(t, nextafter(1.0, 0.0));
    for (uint64_t i = 0; i < n; i++) {
        same(t, t->cdf[i]);
        same(t, nextafter(t->cdf[i], 0.0));
        same(t, nextafter(t->cdf[i], 2.0));
    }
    for (uint64_t j = 0; j < n; j++) {
        const double lo = (double)j / (double)n;
        same(t, lo);
        same(t, nextafter(lo, 0.0));
        same(t, nextafter(lo, 2.0));
    }
    for (unsigned k = 0; k < 5000; k++)
        same(t, wl_rng_double(r));
    CHECK_EQ(mismatches, before);
    wl_zipf_table_destroy(t);
}

int main(void)
{
    struct wl_rng r;
    uint64_t sm = 2024;
    wl_rng_seed_from(&r, &sm);
    static const double alphas[] = {0.01, 0.5, 0.9, 1.0, 1.5, 3.0, 8.0};
    static const uint64_t sizes[] = {1, 2, 3, 7, 64, 1000, 3072, 20000};
    for (unsigned a = 0; a < sizeof alphas / sizeof *alphas; a++)
        for (unsigned s = 0; s < sizeof sizes / sizeof *sizes; s++)
            test_table(sizes[s], alphas[a], &r);
    return check_report("test_zipf_rank");
}

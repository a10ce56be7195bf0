/*
 * wl_zipf.c - zipf-distributed references by inverse CDF over a precomputed table.
 *
 * The footprint is cut into n = footprint / zipf_item items. Rank r (1..n) has probability
 * r^-alpha / H(n, alpha), H(n, alpha) = sum_{k=1..n} k^-alpha. The table holds the cumulative
 * probabilities cdf[i] = P(rank <= i + 1), the last forced to exactly 1. A reference draws
 * u = wl_rng_double (one output) and takes the smallest i with cdf[i] > u, so rank i + 1; then
 * a uniform access slot inside that item (wl_rng_below, a second output unless the item is one
 * slot). Rank r is item r - 1 (the hottest items at the start of the footprint) unless
 * zipf_scatter is set, when it is item ((r - 1) * 2654435761) mod n: 2654435761 is a prime
 * larger than the table cap, so this is a permutation of the items.
 *
 * The search is O(1) on average, by a guide table (the "indexed search" of inverse-CDF
 * sampling, Chen and Asau 1974; Devroye, Non-Uniform Random Variate Generation, III.2.4):
 * u falls in cell j = floor(u * n) of [0, 1), and guide[j] is the smallest i with cdf[i] above
 * the least u of that cell (taken from the rounded product itself, so no u of the cell lies
 * below it). The answer is guide[j] or a few entries past it (n cells share the n boundaries:
 * under one step on average), counted from there: exactly the smallest i with cdf[i] > u, the
 * rank a binary search gives.
 *
 * The tables cost 12 bytes per item (and 4 entries of padding) and are capped at WL_ZIPF_MAX_ITEMS items (48 MiB): a
 * bigger footprint needs a bigger zipf_item. One table is shared by every instance and process.
 */
#include <math.h>
#include <stdlib.h>

#include "workload_internal.h"

#define ZIPF_SCATTER_MUL UINT64_C(2654435761)
#define ZIPF_CDF_PAD 4 /* entries of 1.0 after cdf[n - 1]: the search reads 4 entries at once */

int wl_zipf_check(const struct workload_params *p, uint64_t slot, char *err, size_t errlen)
{
    if (!(p->zipf_alpha > 0) || !isfinite(p->zipf_alpha))
        return wl_fail(err, errlen, "zipf_alpha must be a finite number > 0 (got %g)", p->zipf_alpha);
    if (p->zipf_item == 0 || p->zipf_item % slot)
        return wl_fail(err, errlen, "zipf_item %llu must be a nonzero multiple of the access slot (%llu bytes)",
                       (unsigned long long)p->zipf_item, (unsigned long long)slot);
    if (p->footprint % p->zipf_item)
        return wl_fail(err, errlen, "footprint %llu must be a multiple of zipf_item %llu",
                       (unsigned long long)p->footprint, (unsigned long long)p->zipf_item);
    if (p->footprint / p->zipf_item > WL_ZIPF_MAX_ITEMS)
        return wl_fail(err, errlen, "zipf: %llu items exceed the table cap of %u; use a larger zipf_item",
                       (unsigned long long)(p->footprint / p->zipf_item), WL_ZIPF_MAX_ITEMS);
    return 0;
}

/* The guide table's cell of u in [0, 1): floor(u * n), as the double product rounds */
static inline uint64_t cell_of(const struct wl_zipf_table *t, double u)
{
    const uint64_t j = (uint64_t)(u * (double)t->n);
    return j < t->n ? j : t->n - 1; /* u * n may round up to n */
}

/* The smallest double u >= 0 with cell_of(u) >= j (cell_of never decreases with u). */
static double cell_start(const struct wl_zipf_table *t, uint64_t j)
{
    double u = (double)j / (double)t->n;
    while (u > 0 && cell_of(t, nextafter(u, 0.0)) >= j)
        u = nextafter(u, 0.0);
    while (cell_of(t, u) < j)
        u = nextafter(u, 1.0);
    return u;
}

struct wl_zipf_table *wl_zipf_table_create(uint64_t n, double alpha)
{
    struct wl_zipf_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->n = n;
    t->cdf = malloc((n + ZIPF_CDF_PAD) * sizeof *t->cdf);
    t->guide = malloc(n * sizeof *t->guide);
    if (!t->cdf || !t->guide) {
        wl_zipf_table_destroy(t);
        return NULL;
    }
    /* H summed from the smallest term up, so small terms are not lost against a large sum. */
    double h = 0;
    for (uint64_t k = n; k >= 1; k--)
        h += pow((double)k, -alpha);
    double acc = 0;
    for (uint64_t i = 0; i < n; i++) {
        acc += pow((double)(i + 1), -alpha);
        t->cdf[i] = acc / h;
    }
    for (uint64_t i = n - 1; i < n + ZIPF_CDF_PAD; i++)
        t->cdf[i] = 1.0; /* the last, and the padding the search may read past it */
    /* guide[j] = the smallest i with cdf[i] > the least u of cell j; it grows with j, so one
     * sweep of i (it stops at n - 1 at the latest: cdf[n - 1] = 1 > u) */
    uint64_t i = 0;
    for (uint64_t j = 0; j < n; j++) {
        const double lo = cell_start(t, j);
        while (!(t->cdf[i] > lo))
            i++;
        t->guide[j] = (uint32_t)i;
    }
    return t;
}

void wl_zipf_table_destroy(struct wl_zipf_table *t)
{
    if (t) {
        free(t->cdf);
        free(t->guide);
        free(t);
    }
}

/* u in [0, 1). cdf[i] > u holds from some i on (cdf is non-decreasing up to n - 2, and
 * cdf[n - 1] = 1 > u), and not below guide[cell]: the answer is guide[cell] plus how many
 * of the entries from there are <= u. The first ZIPF_CDF_PAD are counted without a branch
 * (most draws need none or one: a loop's exit would be mispredicted), the rest by a walk. */
uint64_t wl_zipf_rank(const struct wl_zipf_table *t, double u)
{
    const double *c = &t->cdf[t->guide[cell_of(t, u)]];
    unsigned below = 0;
    for (unsigned k = 0; k < ZIPF_CDF_PAD; k++)
        below += c[k] <= u;
    if (below == ZIPF_CDF_PAD)
        while (!(c[below] > u))
            below++;
    return (uint64_t)(c - t->cdf) + below + 1;
}

void wl_zipf_init(struct wl_pattern *pt)
{
    pt->n = pt->zipf->n;
    pt->below = wl_below_make(pt->item / pt->slot);
}

uint64_t wl_zipf_next(struct wl_pattern *pt)
{
    const uint64_t r0 = wl_zipf_rank(pt->zipf, wl_rng_double(&pt->rng)) - 1;
    const uint64_t item = pt->scatter ? (r0 * ZIPF_SCATTER_MUL) % pt->n : r0;
    const uint64_t off = wl_rng_below_fixed(&pt->rng, &pt->below) * pt->slot;
    return pt->base + item * pt->item + off;
}

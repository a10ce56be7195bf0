/*
 * wl_ptrchase.c - pointer chase through a full-period LCG cycle, as Ski's ptrchase.S does
 * (../shared/traces/ski/src/ptrchase.S).
 *
 * The footprint is cut into n = footprint / stride slots, n a power of two. Slot i holds a
 * pointer to slot f(i) = (A * i + C) mod n with A = 1664525 and C = 1013904223 (Numerical
 * Recipes' LCG; ptrchase.S uses them mod 32768: 26125 and 29535). A = 1 mod 4 and C odd, so by
 * the Hull-Dobell theorem x(k+1) = f(x(k)) has full period n: starting at slot 0 the chase visits
 * every slot exactly once per n references. Each reference loads the pointer at the start of the
 * current slot: va = base + x(k) * stride. The chase makes no random choice (the seed only
 * affects the load/store and IFETCH mix).
 *
 * With ptrchase_build the stream first stores to slot 0, 1, ..., n - 1 in order (the build
 * loop of ptrchase.S), then chases; those n stores count as references.
 */
#include "workload_internal.h"

#define LCG_A UINT64_C(1664525)
#define LCG_C UINT64_C(1013904223)

int wl_ptrchase_check(const struct workload_params *p, uint64_t slot, char *err, size_t errlen)
{
    const uint64_t stride = p->stride ? p->stride : slot;
    if (stride % slot)
        return wl_fail(err, errlen, "ptrchase slot size (stride) %llu must be a multiple of the access slot (%llu bytes)",
                       (unsigned long long)stride, (unsigned long long)slot);
    if (p->footprint % stride)
        return wl_fail(err, errlen, "footprint %llu must be a multiple of the ptrchase slot size %llu",
                       (unsigned long long)p->footprint, (unsigned long long)stride);
    const uint64_t n = p->footprint / stride;
    if (n & (n - 1))
        return wl_fail(err, errlen, "ptrchase needs a power-of-two number of slots (footprint / stride = %llu)",
                       (unsigned long long)n);
    return 0;
}

void wl_ptrchase_init(struct wl_pattern *pt)
{
    pt->n = pt->footprint / pt->stride;
    pt->pos = 0;
    pt->build = 0;
}

uint64_t wl_ptrchase_next(struct wl_pattern *pt, int *store)
{
    if (pt->building) {
        const uint64_t va = pt->base + pt->build * pt->stride;
        if (++pt->build == pt->n)
            pt->building = 0;
        *store = 1;
        return va;
    }
    const uint64_t va = pt->base + pt->pos * pt->stride;
    pt->pos = (LCG_A * pt->pos + LCG_C) & (pt->n - 1); /* mod n, n a power of two */
    *store = 0;
    return va;
}

/*
 * wl_uniform.c - uniform random references.
 *
 * The footprint is cut into footprint / slot access slots; each reference picks one with
 * wl_rng_below (one draw of the pattern generator when the count is a power of two) and
 * addresses its first byte: va = base + below(slots) * slot.
 */
#include "workload_internal.h"

void wl_uniform_init(struct wl_pattern *pt)
{
    pt->n = pt->footprint / pt->slot;
}

uint64_t wl_uniform_next(struct wl_pattern *pt)
{
    return pt->base + wl_rng_below(&pt->rng, pt->n) * pt->slot;
}

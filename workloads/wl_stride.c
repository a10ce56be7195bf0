/*
 * wl_stride.c - sequential scan and fixed stride: one walk, two defaults.
 *
 * Pass after pass over the footprint: the j-th address of a pass is base + j * stride, for
 * j = 0 .. ceil(footprint / stride) - 1, then the next pass starts again at base. "seqscan"
 * is this walk with the stride of one access slot (every byte touched, page after page);
 * "stride" uses a large stride (default 16 KiB: one reference per 16 KiB guest page). No
 * random choice is made.
 */
#include "workload_internal.h"

void wl_stride_init(struct wl_pattern *pt)
{
    pt->n = (pt->footprint + pt->stride - 1) / pt->stride;
    pt->pos = 0;
}

uint64_t wl_stride_next(struct wl_pattern *pt)
{
    const uint64_t va = pt->base + pt->pos * pt->stride;
    if (++pt->pos == pt->n)
        pt->pos = 0;
    return va;
}

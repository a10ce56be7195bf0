/*
 * wl_mmap_storm.c - a storm of mmap / munmap: mappings touched, unmapped and replaced.
 *
 * The footprint holds n = footprint / mmap_chunk chunk positions. The j-th mapping (j = 0, 1,
 * ...) is the chunk at base + (j mod n) * mmap_chunk; mappings [first, first + mmap_live) are
 * live, starting with 0 .. mmap_live - 1. A newly mapped chunk is touched first: the next data
 * reference after it is mapped is to its first byte (the initial chunks in order, then each
 * replacement), so every munmap purges something. Other data references pick a live mapping
 * and an access slot in it, both uniformly: va = chunk start + below(slots per chunk) * slot,
 * chunk = first + below(mmap_live) (two outputs of the pattern generator, the mapping first).
 *
 * After every munmap_interval data references (IFETCHes do not count) the oldest live mapping
 * is unmapped, MARK code WL_MARK_MUNMAP with va = its start and op1 = mmap_chunk, and mapping
 * first + mmap_live becomes live: the new mapping takes the next chunk position, which with
 * n == mmap_live is the position just unmapped (Linux's mmap often hands the same range back).
 * A position is never referenced between its munmap and its next mapping. The MARK goes to the
 * vCPU whose data reference completed the interval (that thread calls munmap); in interleave
 * mode that is vCPU (j * munmap_interval - 1) mod nr_vcpus for the j-th munmap when every
 * reference is a data reference (docs/workloads.md).
 */
#include <string.h>

#include "workload_internal.h"

int wl_mmap_storm_check(const struct workload_params *p, uint64_t slot, char *err, size_t errlen)
{
    if (p->mmap_chunk == 0 || p->mmap_chunk % WL_SLOT_ALIGN_MIN || p->mmap_chunk % slot)
        return wl_fail(err, errlen, "mmap_chunk %llu must be a nonzero multiple of 4096 and of the access slot",
                       (unsigned long long)p->mmap_chunk);
    if (p->base % WL_SLOT_ALIGN_MIN)
        return wl_fail(err, errlen, "mmap_storm base 0x%llx must be 4 KiB aligned", (unsigned long long)p->base);
    if (p->footprint % p->mmap_chunk)
        return wl_fail(err, errlen, "footprint %llu must be a multiple of mmap_chunk %llu",
                       (unsigned long long)p->footprint, (unsigned long long)p->mmap_chunk);
    if (p->mmap_live == 0 || p->mmap_live > p->footprint / p->mmap_chunk)
        return wl_fail(err, errlen, "mmap_live %u must be 1 .. footprint / mmap_chunk = %llu", p->mmap_live,
                       (unsigned long long)(p->footprint / p->mmap_chunk));
    if (p->munmap_interval == 0)
        return wl_fail(err, errlen, "munmap_interval must be >= 1 reference");
    return 0;
}

void wl_mmap_storm_init(struct wl_pattern *pt, const struct workload_params *p)
{
    pt->chunk = p->mmap_chunk;
    pt->n = p->footprint / p->mmap_chunk;
    pt->live = p->mmap_live;
    pt->interval = p->munmap_interval;
    pt->first = pt->touched = pt->data_refs = 0;
}

static uint64_t chunk_addr(const struct wl_pattern *pt, uint64_t j)
{
    return pt->base + (j % pt->n) * pt->chunk;
}

void wl_mmap_storm_before_ref(struct wl_instance *in)
{
    struct wl_pattern *pt = &in->pat[0];
    if (pt->data_refs == 0 || pt->data_refs % pt->interval)
        return;
    struct guest_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = GE_MARK;
    ev.op0 = WL_MARK_MUNMAP;
    ev.va = chunk_addr(pt, pt->first);
    ev.op1 = pt->chunk;
    ev.cpu = (uint16_t)in->last_data_cpu; /* the thread whose reference triggered it */
    wl_push(in, &ev);
    pt->first++; /* mapping first + live is now live, its first touch pending */
}

uint64_t wl_mmap_storm_next(struct wl_pattern *pt)
{
    pt->data_refs++;
    if (pt->touched < pt->first + pt->live)
        return chunk_addr(pt, pt->touched++);
    const uint64_t j = pt->first + wl_rng_below(&pt->rng, pt->live);
    return chunk_addr(pt, j) + wl_rng_below(&pt->rng, pt->chunk / pt->slot) * pt->slot;
}

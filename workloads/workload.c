/*
 * workload.c - parameters, validation, and the engine every generator runs in: instances,
 * the reference mix (IFETCH / load / store), vCPU assignment, the event queue.
 *
 * Seeding (docs/workloads.md, "Seeds"): instance i (vCPU i in per_vcpu mode, else 0) runs a
 * splitmix64 sequence from state seed ^ (i * 0xd1b54a32d192ed03) (= seed for instance 0).
 * Its outputs 1-4 seed the instance's mix generator; outputs 4p+5 .. 4p+8 seed pattern p's
 * generator (p = the process for multiproc, else 0).
 *
 * One reference, in this order of draws: if ifetch_fraction > 0, u = double(mix) and the
 * reference is an IFETCH of the next bundle when u < ifetch_fraction; otherwise it is a data
 * reference: the pattern's address (its own draws), then, if write_fraction > 0 and the
 * pattern did not force a store, u = double(mix) and it is a STORE when u < write_fraction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ia64/ia64_arch.h"
#include "workload_internal.h"

#define SEED_GAMMA UINT64_C(0xd1b54a32d192ed03)

static const char *const kind_names[WL_KIND_COUNT] = {
    "seqscan", "stride", "uniform", "zipf", "ptrchase", "multiproc", "mmap_storm", "hugepage",
};
static const char *const vcpu_mode_names[WL_VCPU_MODE_COUNT] = {"interleave", "per_vcpu"};

const char *workload_kind_name(enum workload_kind kind)
{
    return (unsigned)kind < WL_KIND_COUNT ? kind_names[kind] : NULL;
}

int workload_kind_parse(const char *name, enum workload_kind *kind)
{
    for (unsigned k = 0; name && k < WL_KIND_COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *kind = (enum workload_kind)k;
            return 0;
        }
    }
    return -1;
}

const char *workload_vcpu_mode_name(enum workload_vcpu_mode mode)
{
    return (unsigned)mode < WL_VCPU_MODE_COUNT ? vcpu_mode_names[mode] : NULL;
}

int workload_vcpu_mode_parse(const char *name, enum workload_vcpu_mode *mode)
{
    for (unsigned m = 0; name && m < WL_VCPU_MODE_COUNT; m++) {
        if (strcmp(name, vcpu_mode_names[m]) == 0) {
            *mode = (enum workload_vcpu_mode)m;
            return 0;
        }
    }
    return -1;
}

void workload_params_default(struct workload_params *p, enum workload_kind kind)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->seed = 1;
    p->length = 1000000;
    p->base = WL_DEFAULT_BASE;
    p->footprint = UINT64_C(16) << 20;
    p->access_size = 8;
    p->stride = 0; /* the access slot */
    p->write_fraction = 0;
    p->zipf_alpha = 1.0;
    p->zipf_item = 16384;
    p->zipf_scatter = 0;
    p->ptrchase_build = 0;
    p->inner = WL_UNIFORM;
    p->nr_procs = 4;
    p->switch_interval = 10000;
    p->exit_at_end = 0;
    p->mmap_chunk = UINT64_C(1) << 20;
    p->mmap_live = 8;
    p->munmap_interval = 4096;
    p->huge_ps = 28;
    p->ifetch_fraction = 0;
    p->code_base = WL_DEFAULT_CODE_BASE;
    p->code_footprint = UINT64_C(64) << 10;
    p->nr_vcpus = 1;
    p->vcpu_mode = WL_VCPU_INTERLEAVE;
    switch (kind) {
    case WL_STRIDE:
        p->stride = 16384;
        break;
    case WL_PTRCHASE: /* ptrchase.S: 8 MiB of 256-byte slots */
        p->footprint = UINT64_C(8) << 20;
        p->stride = 256;
        break;
    case WL_MULTIPROC:
        p->footprint = UINT64_C(4) << 20;
        break;
    case WL_HUGEPAGE:
        p->base = WL_HUGEPAGE_BASE;
        p->footprint = UINT64_C(1) << 30;
        break;
    default:
        break;
    }
}

int wl_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

uint64_t wl_slot_size(unsigned access_size)
{
    return access_size == 10 ? 16 : access_size;
}

int wl_is_pattern_kind(enum workload_kind k)
{
    return k == WL_SEQSCAN || k == WL_STRIDE || k == WL_UNIFORM || k == WL_ZIPF || k == WL_PTRCHASE;
}

enum workload_kind wl_pattern_kind(const struct workload_params *p)
{
    return p->kind == WL_MULTIPROC || p->kind == WL_HUGEPAGE ? p->inner : p->kind;
}

/* Bytes between the bases of per_vcpu instances (the footprint rounded up to 1 MiB, or to the
 * huge page size), 0 on overflow. */
static uint64_t vcpu_span(const struct workload_params *p)
{
    uint64_t align = WL_VCPU_SPAN_ALIGN;
    if (p->kind == WL_HUGEPAGE && p->huge_ps < 64 && (UINT64_C(1) << p->huge_ps) > align)
        align = UINT64_C(1) << p->huge_ps;
    if (p->footprint > UINT64_MAX - (align - 1))
        return 0;
    return (p->footprint + align - 1) / align * align;
}

/* [start, start + bytes) lies in one region (and does not wrap). */
static int range_in_region(uint64_t start, uint64_t bytes)
{
    if (bytes == 0)
        return 1;
    if (start > UINT64_MAX - (bytes - 1))
        return 0;
    return ia64_region(start) == ia64_region(start + (bytes - 1));
}

static int fraction_ok(double f) { return f >= 0 && f <= 1; } /* false for NaN */

int workload_check(const struct workload_params *p, char *err, size_t errlen)
{
    if ((unsigned)p->kind >= WL_KIND_COUNT)
        return wl_fail(err, errlen, "unknown workload kind %d", (int)p->kind);
    const unsigned a = p->access_size;
    if (a != 1 && a != 2 && a != 4 && a != 8 && a != 10 && a != 16)
        return wl_fail(err, errlen, "access_size %u is not one of 1, 2, 4, 8, 10, 16", a);
    const uint64_t slot = wl_slot_size(a);
    if (p->footprint == 0)
        return wl_fail(err, errlen, "footprint must be > 0 bytes");
    if (p->footprint % slot)
        return wl_fail(err, errlen, "footprint %llu must be a multiple of the access slot (%llu bytes)",
                       (unsigned long long)p->footprint, (unsigned long long)slot);
    if (p->base % slot)
        return wl_fail(err, errlen, "base 0x%llx must be aligned to the access slot (%llu bytes)",
                       (unsigned long long)p->base, (unsigned long long)slot);
    if (!fraction_ok(p->write_fraction))
        return wl_fail(err, errlen, "write_fraction %g must be in 0..1", p->write_fraction);
    if (!fraction_ok(p->ifetch_fraction))
        return wl_fail(err, errlen, "ifetch_fraction %g must be in 0..1", p->ifetch_fraction);
    if (p->insns_per_ifetch > WL_MAX_INSNS_PER_IFETCH)
        return wl_fail(err, errlen, "insns_per_ifetch %u must be 0..%d (instructions in a bundle)", p->insns_per_ifetch,
                       WL_MAX_INSNS_PER_IFETCH);
    if (p->nr_vcpus < 1 || p->nr_vcpus > WL_MAX_VCPUS)
        return wl_fail(err, errlen, "nr_vcpus %u must be 1..%d", p->nr_vcpus, WL_MAX_VCPUS);
    if ((unsigned)p->vcpu_mode >= WL_VCPU_MODE_COUNT)
        return wl_fail(err, errlen, "unknown vcpu_mode %d", (int)p->vcpu_mode);
    if (p->exit_at_end && p->kind != WL_MULTIPROC)
        return wl_fail(err, errlen, "exit_at_end applies to multiproc only");

    if ((p->kind == WL_MULTIPROC || p->kind == WL_HUGEPAGE) && !wl_is_pattern_kind(p->inner))
        return wl_fail(err, errlen, "inner must be seqscan, stride, uniform, zipf or ptrchase (got %s)",
                       workload_kind_name(p->inner) ? workload_kind_name(p->inner) : "an unknown kind");
    const enum workload_kind pk = wl_pattern_kind(p);
    if ((pk == WL_SEQSCAN || pk == WL_STRIDE) && p->stride % slot)
        return wl_fail(err, errlen, "stride %llu must be a multiple of the access slot (%llu bytes)",
                       (unsigned long long)p->stride, (unsigned long long)slot);
    if (pk == WL_ZIPF && wl_zipf_check(p, slot, err, errlen) < 0)
        return -1;
    if (pk == WL_PTRCHASE && wl_ptrchase_check(p, slot, err, errlen) < 0)
        return -1;
    if (p->kind == WL_MULTIPROC && wl_multiproc_check(p, err, errlen) < 0)
        return -1;
    if (p->kind == WL_MMAP_STORM && wl_mmap_storm_check(p, slot, err, errlen) < 0)
        return -1;
    if (p->kind == WL_HUGEPAGE && wl_hugepage_check(p, err, errlen) < 0)
        return -1;

    /* the whole data range (every vCPU's area in per_vcpu mode) stays in the base's region */
    uint64_t extent = p->footprint;
    if (p->vcpu_mode == WL_VCPU_PER_VCPU && p->nr_vcpus > 1) {
        const uint64_t span = vcpu_span(p);
        if (span == 0 || span > UINT64_MAX / p->nr_vcpus)
            return wl_fail(err, errlen, "footprint %llu x %u vCPUs does not fit in a region",
                           (unsigned long long)p->footprint, p->nr_vcpus);
        extent = span * (p->nr_vcpus - 1) + p->footprint;
    }
    if (!range_in_region(p->base, extent))
        return wl_fail(err, errlen, "data range 0x%llx + %llu bytes crosses a region boundary",
                       (unsigned long long)p->base, (unsigned long long)extent);
    if (p->ifetch_fraction > 0) {
        if (p->code_footprint == 0 || p->code_footprint % WL_IFETCH_SIZE)
            return wl_fail(err, errlen, "code_footprint %llu must be a nonzero multiple of 16 (one bundle)",
                           (unsigned long long)p->code_footprint);
        if (p->code_base % WL_IFETCH_SIZE)
            return wl_fail(err, errlen, "code_base 0x%llx must be 16-byte (bundle) aligned",
                           (unsigned long long)p->code_base);
        if (!range_in_region(p->code_base, p->code_footprint))
            return wl_fail(err, errlen, "code range 0x%llx + %llu bytes crosses a region boundary",
                           (unsigned long long)p->code_base, (unsigned long long)p->code_footprint);
    }
    return 0;
}

/* ---- the engine ---------------------------------------------------------------------------- */

void wl_push(struct wl_instance *in, const struct guest_event *ev)
{
    /* a step queues at most nr_vcpus + 2 events (wl_instance.q holds WL_QUEUE_CAP) */
    in->q[(in->qhead + in->qn) & (WL_QUEUE_CAP - 1)] = *ev;
    in->qn++;
}

unsigned wl_next_ref_cpu(const struct wl_instance *in)
{
    const struct workload_params *p = &in->w->p;
    if (p->vcpu_mode == WL_VCPU_PER_VCPU)
        return in->idx;
    return p->nr_vcpus == 1 ? 0 : (unsigned)(in->refs % p->nr_vcpus); /* no division on one vCPU */
}

static void pattern_init(struct wl_pattern *pt, const struct workload *w, uint64_t base, uint64_t *sm)
{
    const struct workload_params *p = &w->p;
    memset(pt, 0, sizeof *pt);
    pt->kind = p->kind == WL_MMAP_STORM ? WL_MMAP_STORM : wl_pattern_kind(p);
    pt->base = base;
    pt->footprint = p->footprint;
    pt->slot = w->slot;
    pt->stride = p->stride ? p->stride : w->slot;
    wl_rng_seed_from(&pt->rng, sm);
    switch (pt->kind) {
    case WL_SEQSCAN:
    case WL_STRIDE:
        wl_stride_init(pt);
        break;
    case WL_UNIFORM:
        wl_uniform_init(pt);
        break;
    case WL_ZIPF:
        pt->zipf = w->zipf;
        pt->item = p->zipf_item;
        pt->scatter = p->zipf_scatter != 0;
        wl_zipf_init(pt);
        break;
    case WL_PTRCHASE:
        wl_ptrchase_init(pt);
        pt->building = p->ptrchase_build != 0;
        break;
    case WL_MMAP_STORM:
        wl_mmap_storm_init(pt, p);
        break;
    default:
        break;
    }
}

static uint64_t pattern_next(struct wl_pattern *pt, int *store)
{
    *store = 0;
    switch (pt->kind) {
    case WL_SEQSCAN:
    case WL_STRIDE:
        return wl_stride_next(pt);
    case WL_UNIFORM:
        return wl_uniform_next(pt);
    case WL_ZIPF:
        return wl_zipf_next(pt);
    case WL_PTRCHASE:
        return wl_ptrchase_next(pt, store);
    case WL_MMAP_STORM:
        return wl_mmap_storm_next(pt);
    default:
        return pt->base;
    }
}

/* Builds the next reference in *ev; the CTX / MARK events due before it are queued. */
static void build_reference(struct wl_instance *in, struct guest_event *ev)
{
    const struct workload_params *p = &in->w->p;
    if (p->kind == WL_MULTIPROC)
        wl_multiproc_before_ref(in);
    struct wl_pattern *pt = &in->pat[in->cur];
    memset(ev, 0, sizeof *ev);
    if (p->ifetch_fraction > 0 && wl_rng_double(&in->mix) < p->ifetch_fraction) {
        ev->kind = GE_IFETCH;
        ev->va = p->code_base + pt->code_off;
        ev->size = WL_IFETCH_SIZE;
        ev->insns = (uint16_t)p->insns_per_ifetch;
        pt->code_off += WL_IFETCH_SIZE;
        if (pt->code_off >= p->code_footprint)
            pt->code_off = 0;
    } else {
        if (p->kind == WL_MMAP_STORM) {
            wl_mmap_storm_before_ref(in);             /* a munmap on last_data_cpu, if due */
            in->last_data_cpu = wl_next_ref_cpu(in); /* this reference's vCPU */
        }
        int store;
        ev->va = pattern_next(pt, &store);
        if (!store && p->write_fraction > 0)
            store = wl_rng_double(&in->mix) < p->write_fraction;
        ev->kind = (uint8_t)(GE_LOAD + (store != 0)); /* GE_STORE = GE_LOAD + 1; no branch to mispredict */
        ev->size = (uint8_t)p->access_size;
    }
    ev->cpu = (uint16_t)wl_next_ref_cpu(in);
    in->refs++;
}

/* The next event of the instance in *ev: 1, or 0 when the instance is done. The common step
 * (one reference, nothing due before it) is built straight into *ev, without the queue. */
static int instance_pop(struct wl_instance *in, struct guest_event *ev)
{
    if (in->qn == 0 && !in->finished) {
        if (in->refs < in->length) {
            build_reference(in, ev);
            if (in->qn == 0)
                return 1;
            wl_push(in, ev); /* behind the CTX / MARK events its step queued */
        } else if (!(in->w->p.kind == WL_MULTIPROC && wl_multiproc_end_step(in))) {
            in->finished = 1;
        }
    }
    if (in->qn == 0)
        return 0;
    *ev = in->q[in->qhead];
    in->qhead = (in->qhead + 1) & (WL_QUEUE_CAP - 1);
    in->qn--;
    return 1;
}

struct workload *workload_create(const struct workload_params *p, char *err, size_t errlen)
{
    if (workload_check(p, err, errlen) < 0)
        return NULL;
    struct workload *w = calloc(1, sizeof *w);
    if (!w) {
        wl_fail(err, errlen, "out of memory");
        return NULL;
    }
    w->p = *p;
    w->slot = wl_slot_size(p->access_size);
    if (wl_pattern_kind(p) == WL_ZIPF) {
        w->zipf = wl_zipf_table_create(p->footprint / p->zipf_item, p->zipf_alpha);
        if (!w->zipf)
            goto oom;
    }
    w->ninst = p->vcpu_mode == WL_VCPU_PER_VCPU ? p->nr_vcpus : 1;
    w->inst = calloc(w->ninst, sizeof *w->inst);
    if (!w->inst)
        goto oom;
    const uint64_t span = w->ninst > 1 ? vcpu_span(p) : 0;
    const unsigned npat = p->kind == WL_MULTIPROC ? p->nr_procs : 1;
    for (unsigned i = 0; i < w->ninst; i++) {
        struct wl_instance *in = &w->inst[i];
        in->w = w;
        in->idx = i;
        in->length = p->length / w->ninst + (i < p->length % w->ninst);
        in->npat = npat;
        in->pat = calloc(npat, sizeof *in->pat);
        if (!in->pat)
            goto oom;
        uint64_t sm = p->seed ^ ((uint64_t)i * SEED_GAMMA);
        wl_rng_seed_from(&in->mix, &sm);
        for (unsigned k = 0; k < npat; k++)
            pattern_init(&in->pat[k], w, p->base + i * span, &sm);
    }
    return w;
oom:
    wl_fail(err, errlen, "out of memory");
    workload_destroy(w);
    return NULL;
}

int workload_next(struct workload *w, struct guest_event *ev)
{
    while (w->nfinished < w->ninst) {
        struct wl_instance *in = &w->inst[w->cur];
        if (!in->finished || in->qn) {
            if (instance_pop(in, ev)) {
                /* per_vcpu: instances take turns, one reference each */
                if (guest_event_is_reference((enum guest_event_kind)ev->kind) && ++w->cur == w->ninst)
                    w->cur = 0;
                return 1;
            }
            w->nfinished++;
        }
        if (++w->cur == w->ninst)
            w->cur = 0;
    }
    return 0;
}

void workload_destroy(struct workload *w)
{
    if (!w)
        return;
    for (unsigned i = 0; w->inst && i < w->ninst; i++)
        free(w->inst[i].pat);
    free(w->inst);
    wl_zipf_table_destroy(w->zipf);
    free(w);
}

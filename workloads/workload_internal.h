/*
 * workload_internal.h - what the generator files share (not part of the public API).
 *
 * A workload is one or more *instances* (one, or one per vCPU in per_vcpu mode). An instance
 * owns the references of its stream: the mix generator that decides IFETCH vs data and load vs
 * store, and one or more *patterns* (one per process for multiproc, else one) that produce the
 * data addresses. Each instance fills a small queue one step at a time: the CTX_SWITCH / MARK
 * events due before the next reference, then that reference.
 */
#ifndef VHPTSIM_WORKLOAD_INTERNAL_H
#define VHPTSIM_WORKLOAD_INTERNAL_H

#include <stdarg.h>

#include "rng.h"
#include "workload.h"

#define WL_SLOT_ALIGN_MIN UINT64_C(4096)     /* smallest IA-64 page: mmap granule */
#define WL_VCPU_SPAN_ALIGN (UINT64_C(1) << 20) /* per_vcpu data areas start on 1 MiB bounds */
#define WL_QUEUE_CAP 128 /* > the most events one step queues (WL_MAX_VCPUS + 4); a power of two */

/* The cumulative distribution of zipf(alpha) over n items: cdf[i] = sum_{k<=i+1} k^-alpha / H;
 * guide[j] = the smallest i with cdf[i] > j / n (wl_zipf.c). */
struct wl_zipf_table {
    uint64_t n;
    double *cdf;
    uint32_t *guide;
};

/* One address pattern over [base, base + footprint). */
struct wl_pattern {
    enum workload_kind kind; /* WL_SEQSCAN..WL_PTRCHASE or WL_MMAP_STORM */
    uint64_t base, footprint;
    uint64_t slot;   /* bytes per access slot: the access size rounded up to a power of two */
    uint64_t stride; /* seqscan/stride: step; ptrchase: slot size */
    uint64_t n;      /* stride: addresses per pass; uniform: slots; zipf: items; ptrchase: slots;
                        mmap_storm: chunk positions in the footprint */
    uint64_t pos;    /* stride: index in the pass; ptrchase: current slot */
    uint64_t build;  /* ptrchase: build stores done so far (< n while building) */
    int building;
    const struct wl_zipf_table *zipf;
    uint64_t item;   /* zipf: bytes per item */
    struct wl_below below; /* zipf: the slots of an item */
    int scatter;
    /* mmap_storm: chunk j lives at base + (j mod n) * chunk; [first, first + live) are mapped;
     * chunks below `touched` have had their first touch. */
    uint64_t chunk, live, first, touched, data_refs, interval;
    struct wl_rng rng;  /* this pattern's own random choices */
    uint64_t code_off;  /* instruction stream position of this pattern's program */
};

struct wl_instance {
    struct workload *w;
    unsigned idx;          /* vCPU in per_vcpu mode, else 0 */
    uint64_t length, refs; /* references to emit / emitted */
    struct wl_rng mix;
    struct wl_pattern *pat;
    unsigned npat, cur;    /* multiproc: current process (index into pat) */
    unsigned exits_done;   /* multiproc end: exit steps done */
    unsigned exit_first;   /* multiproc end: the process current after the last reference */
    int ending, finished;
    unsigned last_data_cpu; /* vCPU of the last data reference (mmap_storm: who munmaps) */
    struct guest_event q[WL_QUEUE_CAP];
    unsigned qhead, qn;
};

struct workload {
    struct workload_params p;
    uint64_t slot;          /* access slot bytes */
    struct wl_zipf_table *zipf;
    struct wl_instance *inst;
    unsigned ninst, cur, nfinished;
};

/* ---- helpers (workload.c) ---- */
int wl_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
uint64_t wl_slot_size(unsigned access_size);
/* The pattern kind the data addresses follow: inner for multiproc/hugepage, else the kind. */
enum workload_kind wl_pattern_kind(const struct workload_params *p);
int wl_is_pattern_kind(enum workload_kind k);
/* Queues ev (cpu already set) on the instance. */
void wl_push(struct wl_instance *in, const struct guest_event *ev);
/* The vCPU of the next reference of the instance. */
unsigned wl_next_ref_cpu(const struct wl_instance *in);

/* ---- patterns (one file each) ---- */
void wl_stride_init(struct wl_pattern *pt);
uint64_t wl_stride_next(struct wl_pattern *pt);

void wl_uniform_init(struct wl_pattern *pt);
uint64_t wl_uniform_next(struct wl_pattern *pt);

int wl_zipf_check(const struct workload_params *p, uint64_t slot, char *err, size_t errlen);
struct wl_zipf_table *wl_zipf_table_create(uint64_t n, double alpha);
void wl_zipf_table_destroy(struct wl_zipf_table *t);
uint64_t wl_zipf_rank(const struct wl_zipf_table *t, double u);
void wl_zipf_init(struct wl_pattern *pt);
uint64_t wl_zipf_next(struct wl_pattern *pt);

int wl_ptrchase_check(const struct workload_params *p, uint64_t slot, char *err, size_t errlen);
void wl_ptrchase_init(struct wl_pattern *pt);
/* *store = 1 for a build-phase reference (always a store). */
uint64_t wl_ptrchase_next(struct wl_pattern *pt, int *store);

/* ---- kinds with events of their own ---- */
int wl_multiproc_check(const struct workload_params *p, char *err, size_t errlen);
void wl_multiproc_before_ref(struct wl_instance *in);
/* Queues the next exit step; 0 when there is none left. */
int wl_multiproc_end_step(struct wl_instance *in);

int wl_mmap_storm_check(const struct workload_params *p, uint64_t slot, char *err, size_t errlen);
void wl_mmap_storm_init(struct wl_pattern *pt, const struct workload_params *p);
void wl_mmap_storm_before_ref(struct wl_instance *in);
uint64_t wl_mmap_storm_next(struct wl_pattern *pt);

int wl_hugepage_check(const struct workload_params *p, char *err, size_t errlen);

#endif

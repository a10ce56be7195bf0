/*
 * workload.h - synthetic workload generators (docs/workloads.md).
 *
 * A workload is a seeded, parameterised stream of guest_event records: memory references
 * (LOAD / STORE, optionally IFETCH), CTX_SWITCH for the multi-process kind and MARK
 * GE_MARK_MUNMAP / GE_MARK_EXIT for the mmap storm and process exit. It carries no TLB
 * operations: the guest OS model (model/guest/guest_os.h) supplies them. The same parameters,
 * seed included, always give the same stream, on any platform.
 *
 *     struct workload_params p;
 *     workload_params_default(&p, WL_ZIPF);
 *     p.seed = 42;
 *     struct workload *w = workload_create(&p, err, sizeof err);   // NULL: err says why
 *     struct guest_event ev;
 *     while (workload_next(w, &ev) == 1)
 *         ...;
 *     workload_destroy(w);
 *
 * Memory does not grow with the length of the stream; only the zipf kind holds a table (a
 * double and a 32-bit index per item, at most WL_ZIPF_MAX_ITEMS).
 */
#ifndef VHPTSIM_WORKLOAD_H
#define VHPTSIM_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../trace/guest_event.h"

enum workload_kind {
    WL_SEQSCAN = 0, /* "seqscan":    base, base+stride, ... (stride 0 = the access slot) */
    WL_STRIDE,      /* "stride":     the same walk with a large fixed stride (default 16 KiB) */
    WL_UNIFORM,     /* "uniform":    uniform random slots in the footprint */
    WL_ZIPF,        /* "zipf":       zipf(alpha)-ranked items, uniform slot inside the item */
    WL_PTRCHASE,    /* "ptrchase":   full-period LCG cycle through slots (Ski ptrchase.S) */
    WL_MULTIPROC,   /* "multiproc":  N processes round-robin, CTX_SWITCH every K references */
    WL_MMAP_STORM,  /* "mmap_storm": chunks mapped, touched and munmapped (MARK_MUNMAP) */
    WL_HUGEPAGE,    /* "hugepage":   an inner pattern over a huge-page region (region 4) */
    WL_KIND_COUNT
};

/* How references are spread over nr_vcpus vCPUs (no effect with one vCPU). */
enum workload_vcpu_mode {
    WL_VCPU_INTERLEAVE = 0, /* "interleave": one stream, reference k on vCPU k mod nr_vcpus */
    WL_VCPU_PER_VCPU,       /* "per_vcpu":   an independent instance per vCPU, disjoint data */
    WL_VCPU_MODE_COUNT
};

/* The MARK codes the guest OS model acts on; the same values as GE_MARK_MUNMAP and
 * GE_MARK_EXIT of model/guest/guest_os.h (a test checks), kept here so that a source of events
 * does not depend on the model that consumes them. */
#define WL_MARK_MUNMAP 16 /* va = start, op1 = length in bytes */
#define WL_MARK_EXIT 17   /* the current process of the event's vCPU exits */

#define WL_MAX_VCPUS 64                 /* = VTRACE_MAX_VCPUS */
#define WL_ZIPF_MAX_ITEMS (1u << 22)    /* zipf table cap: 4 Mi items, 48 MiB of tables */
#define WL_IFETCH_SIZE 16               /* one bundle */
#define WL_MAX_INSNS_PER_IFETCH 3       /* = VTRACE_MAX_INSNS_PER_IFETCH: three slots a bundle */
#define WL_DEFAULT_BASE UINT64_C(0x6000000000000000)      /* region 3: Linux/ia64 user data */
#define WL_DEFAULT_CODE_BASE UINT64_C(0x4000000000000000) /* region 2: Linux/ia64 user text */
#define WL_HUGEPAGE_BASE UINT64_C(0x8000000000000000)     /* region 4: Linux/ia64 hugetlb */

struct workload_params {
    enum workload_kind kind;
    uint64_t seed;           /* determines every random choice (default 1) */
    uint64_t length;         /* references to emit in all (IFETCH included; CTX/MARK are not) */
    uint64_t base;           /* first data byte; aligned to the access slot */
    uint64_t footprint;      /* data bytes (per process for multiproc, per vCPU for per_vcpu) */
    unsigned access_size;    /* bytes per data reference: 1, 2, 4, 8, 10 or 16 */
    uint64_t stride;         /* seqscan/stride: step; ptrchase: slot size; 0 = the access slot */
    double write_fraction;   /* fraction of data references that are stores, 0..1 */

    /* zipf (also as the inner pattern of multiproc / hugepage) */
    double zipf_alpha;       /* exponent, > 0 */
    uint64_t zipf_item;      /* bytes per ranked item (footprint / zipf_item items) */
    int zipf_scatter;        /* 0: rank r is item r-1 (hot items first); 1: items scattered */

    /* ptrchase */
    int ptrchase_build;      /* 1: first store to every slot in order, as ptrchase.S builds */

    /* multiproc and hugepage: the pattern each process / the huge-page region runs */
    enum workload_kind inner; /* seqscan, stride, uniform, zipf or ptrchase */

    /* multiproc */
    unsigned nr_procs;        /* processes, run round-robin; their ids are 1..nr_procs */
    uint64_t switch_interval; /* K: references between context switches */
    int exit_at_end;          /* 1: every process that ran exits (MARK_EXIT) after the last ref */

    /* mmap_storm */
    uint64_t mmap_chunk;      /* bytes per mapping (multiple of 4 KiB) */
    unsigned mmap_live;       /* mappings live at a time */
    uint64_t munmap_interval; /* references between munmaps (each followed by a new mapping) */

    /* hugepage */
    unsigned huge_ps;         /* log2 of the guest page size of the region (see ps hint) */

    /* instruction stream (any kind) */
    double ifetch_fraction;   /* fraction of references that are IFETCH, 0..1 (0 = none) */
    uint64_t code_base;       /* first bundle of the code */
    uint64_t code_footprint;  /* bytes of code, fetched sequentially and wrapping */
    unsigned insns_per_ifetch; /* instructions each IFETCH stands for (event insns), 0..3; 0 = the
                                  stream does not count instructions (no MPKI) */

    /* vCPUs */
    unsigned nr_vcpus;        /* 1..WL_MAX_VCPUS */
    enum workload_vcpu_mode vcpu_mode;
};

/* Fills *p with the documented defaults of `kind` (docs/workloads.md has the table). */
void workload_params_default(struct workload_params *p, enum workload_kind kind);

/* 0 if p describes a possible stream, else -1 with a message naming the parameter in err. */
int workload_check(const struct workload_params *p, char *err, size_t errlen);

/* A generator positioned at the start of its stream, or NULL with the reason in err (the
 * parameters are impossible or memory ran out). The params are copied. */
struct workload *workload_create(const struct workload_params *p, char *err, size_t errlen);
/* 1: *ev holds the next event (every field written); 0: the stream has ended. */
int workload_next(struct workload *w, struct guest_event *ev);
void workload_destroy(struct workload *w);

/* The page size (log2) the guest OS model should give `region` for this stream
 * (guest_os_params.region_ps), or 0 when the stream has no preference. Only the hugepage kind
 * has one: huge_ps for the region of its base. A generator cannot set rr.ps itself. */
unsigned workload_region_ps_hint(const struct workload_params *p, unsigned region);

/* Writes the whole stream as a vtrace file: '#' comment lines naming the parameters and the ps
 * hint, "vcpus N" when N > 1, then one line per event. 0 on success, -1 if the parameters are
 * impossible (workload_check says why), memory runs out or writing fails. */
int workload_write_vtrace(const struct workload_params *p, FILE *out);

/* Names as used in configs: "seqscan", ... (NULL for an invalid kind) and back (0 / -1). */
const char *workload_kind_name(enum workload_kind kind);
int workload_kind_parse(const char *name, enum workload_kind *kind);
const char *workload_vcpu_mode_name(enum workload_vcpu_mode mode);
int workload_vcpu_mode_parse(const char *name, enum workload_vcpu_mode *mode);

#endif

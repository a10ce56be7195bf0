/*
 * platform.h - the functional (untimed) host: N vCPUs, each a machine (model/machine) plus the
 * KVM/ia64 VMM state (model/vmm), sharing one VM (p2m, dirty log) and one machine memory.
 *
 * platform_event() runs one guest event through the paths of docs/replay.md and counts what
 * happened. `vhptsim replay` drives it directly; the SystemC modules call the same pieces.
 */
#ifndef VHPTSIM_PLATFORM_H
#define VHPTSIM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "../../trace/guest_event.h"
#include "../machine/machine.h"
#include "../vmm/vmm_vcpu.h"

struct platform_params {
    struct vmm_params vmm;
    struct machine_params machine;
    unsigned nr_vcpus;
};

void platform_params_default(struct platform_params *p);
/* NULL, or a static message naming the impossible parameter. */
const char *platform_params_check(const struct platform_params *p);

#define PLATFORM_MAX_ATTEMPTS 3 /* a reference is executed at most this often (see replay.md) */

struct platform_cpu_stats {
    uint64_t events[GE_KIND_COUNT];
    uint64_t refs;            /* references (ifetch, ld, st, rse.*, lfetch) */
    uint64_t refs_retried;    /* re-executions after the VMM inserted a translation */
    uint64_t refs_io;         /* completed by the VMM's I/O emulation */
    uint64_t refs_faulted;    /* abandoned with a guest fault */
    uint64_t refs_dropped;    /* lfetch dropped after a walker miss */
    uint64_t refs_unresolved; /* still untranslated after PLATFORM_MAX_ATTEMPTS (a model bug) */
    uint64_t store_values;    /* st ... val= written to machine memory */
};

struct platform_cpu {
    struct machine mach;
    struct vmm_vcpu vmm;
    struct platform_cpu_stats stats;
};

struct platform {
    struct platform_params params;
    struct phys_mem mem;
    struct vmm_vm vm;
    unsigned nr_vcpus;
    struct platform_cpu *cpu;
};

/* 0, or -1 with the reason in err (bad parameters or out of memory). */
int platform_init(struct platform *p, const struct platform_params *params, char *err, size_t errlen);
void platform_free(struct platform *p);

/* How a reference ended. */
enum ref_end {
    REF_TLB_HIT = 0,  /* translated by the machine TLB */
    REF_WALKER_HIT,   /* translated after the walker filled the TLB */
    REF_IO,           /* emulated by the VMM */
    REF_FAULT,        /* guest fault injected (or reflected) */
    REF_DROPPED,      /* lfetch dropped */
    REF_UNRESOLVED
};

struct ref_result {
    enum ref_end end;
    enum vmm_fault fault;
    unsigned attempts;
};

/* Runs one event on its vCPU (ev->cpu must be < nr_vcpus). */
void platform_event(struct platform *p, const struct guest_event *ev, struct ref_result *ref);
/* Runs the remote purges / flushes still queued for any vCPU (end of the trace). */
void platform_finish(struct platform *p);

#endif

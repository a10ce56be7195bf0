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
#include "../cost/cost_table.h"
#include "../machine/machine.h"
#include "../vmm/vmm_vcpu.h"
#include "ref_engine.h"

struct platform_params {
    struct vmm_params vmm;
    struct machine_params machine;
    unsigned nr_vcpus;
};


void platform_params_default(struct platform_params *p);
/* NULL, or a static message naming the impossible parameter. */
const char *platform_params_check(const struct platform_params *p);

struct platform_cpu {
    struct machine mach;
    struct vmm_vcpu vmm;
    struct engine_stats stats;
    struct cost_account cycles; /* charged by the timed platform; all zero in untimed replay */
};

struct platform {
    struct platform_params params;
    struct phys_mem mem;
    struct vmm_vm vm;
    unsigned nr_vcpus;
    struct platform_cpu *cpu;
    struct engine engine; /* the untimed stages: direct calls into the C models */
    const unsigned **pending; /* per vCPU: &cpu[i].vmm.requests (engine.resume_pending) */
    /* What the counters list besides the platform's own (model/platform/counters.c): */
    const struct guest_os *guest; /* the guest OS model running the vCPUs' guest (its guest.*
                                     counters), set by platform_attach_guest or sc_run; or NULL */
    int counts_insns;             /* the event source counts instructions (event insns): the
                                     vCPUs' `instructions` are listed (docs/stats.md) */
    int traced;                   /* the references carry the trace's outcome (GE_F_TRACED: a
                                     system-mode Ski trace): trace.* and divergence.* are listed */
};

/* 0, or -1 with the reason in err (bad parameters or out of memory). */
int platform_init(struct platform *p, const struct platform_params *params, char *err, size_t errlen);
void platform_free(struct platform *p);

/*
 * Attaches a guest OS model (owned by the caller) and boots every vCPU's guest with it. Without
 * one, the stream must carry its own TLB operations (exact replay).
 */
void platform_attach_guest(struct platform *p, struct guest_os *os);
/* Runs one event on its vCPU (ev->cpu must be < nr_vcpus). */
void platform_event(struct platform *p, const struct guest_event *ev, struct ref_result *ref);
/* Runs the remote purges / flushes still queued for any vCPU (end of the trace). */
void platform_finish(struct platform *p);

#endif

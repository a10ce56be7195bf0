/*
 * sc_run.h - run a timed simulation (the SystemC platform) from C.
 *
 * The caller builds the untimed state (struct platform: machines, VMM, stats) and the event
 * sources; sc_run() wires a Vcpu, MachineTlb, Walker and Vmm module per vCPU around that state,
 * runs SystemC until every vCPU's source is exhausted, and leaves the cycles charged in each
 * vCPU's cost account (p->cpu[i].cycles). SystemC can elaborate only once per process: call it
 * once.
 */
#ifndef VHPTSIM_SC_RUN_H
#define VHPTSIM_SC_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "../../trace/guest_event.h"
#include "../cost/cost_table.h"
#include "../platform/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_run_params {
    const struct cost_table *costs;
    uint64_t clock_period_ps;  /* one cycle */
    uint64_t quantum_cycles;   /* how far a vCPU may run ahead before it syncs */
    uint64_t length;           /* references per vCPU; 0 = until its source ends */
    struct guest_os *os;       /* NULL: the streams carry their TLB operations */
    /* vCPU cpu's next events, in order: up to max into buf; returns how many (0 = the end,
     * -1 = an error, which stops the run). A vCPU may read a little past the events it runs. */
    int (*next_events)(void *ctx, unsigned cpu, struct guest_event *buf, unsigned max);
    void *source_ctx;
    /* called when vCPU cpu has done `refs` references, for refs = first_observe and then at
     * every return value (the next count to be called at; 0 = never again). May be NULL. */
    uint64_t (*observe)(void *ctx, unsigned cpu, uint64_t refs);
    uint64_t first_observe;
    void *observer_ctx;
};

/* 0 on success; -1 with a message in err (a source error, or SystemC refused to run). */
int sc_run(struct platform *p, const struct sc_run_params *rp, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif

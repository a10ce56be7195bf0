/*
 * timeseries.h - per-interval rates of one run (timeseries.csv): every `interval` references
 * of a vCPU, one row with that interval's miss rates and event counts, and a last row for what
 * followed the last whole interval (docs/stats.md).
 */
#ifndef VHPTSIM_TIMESERIES_H
#define VHPTSIM_TIMESERIES_H

#include <stdint.h>
#include <stdio.h>

#include "../platform/platform.h"

#define TIMESERIES_MAX_VCPUS 64

struct ts_sample {
    uint64_t refs, cycles;
    uint64_t itlb_l1_acc, itlb_l1_miss, itlb_l2_acc, itlb_l2_miss;
    uint64_t dtlb_l1_acc, dtlb_l1_miss, dtlb_l2_acc, dtlb_l2_miss;
    uint64_t walks, walker_miss;
    uint64_t vtlb_lookups, vtlb_miss;
    uint64_t vmm_exits, guest_faults;
};

struct timeseries {
    FILE *out;
    struct ts_sample last[TIMESERIES_MAX_VCPUS];
};

/* Writes the header line; 0 or -1. */
int timeseries_start(struct timeseries *ts, FILE *out, const struct platform *p);
/* Appends vCPU cpu's row for the interval ending now (refs references done so far). */
void timeseries_sample(struct timeseries *ts, const struct platform *p, unsigned cpu, uint64_t refs);
/* Forgets the history (after a warm-up: the next row covers only what follows). */
void timeseries_rebase(struct timeseries *ts, const struct platform *p, unsigned cpu);
/* At the end of the run: vCPU cpu's last, partial interval as a row of its own (its refs column
 * says where it ends), if anything happened since the last row; the rows' cycles then sum to
 * the vCPU's measured cycles.total. */
void timeseries_finish(struct timeseries *ts, const struct platform *p, unsigned cpu);

#endif

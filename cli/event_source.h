/*
 * event_source.h - one stream of guest events (a workload generator, a vtrace file, a Ski
 * trace) split per vCPU for the timed platform, whose vCPUs pull their events independently.
 *
 * The split keeps the stream's order within each vCPU. Events of other vCPUs read while
 * looking for one vCPU's next event wait in that vCPU's queue: memory stays bounded as long as
 * the stream interleaves its vCPUs (generators do; a trace that puts all of one vCPU first
 * makes the queues hold the rest).
 */
#ifndef VHPTSIM_EVENT_SOURCE_H
#define VHPTSIM_EVENT_SOURCE_H

#include <stddef.h>

#include "../config/run_config.h"
#include "../trace/guest_event.h"

struct event_source;

/* Opens the source c names (its trace path as run_config_load resolved it). NULL with err. */
struct event_source *event_source_open(const struct run_config *c, char *err, size_t errlen);
void event_source_close(struct event_source *s);

/* vCPUs the stream addresses (a trace's own count). */
unsigned event_source_vcpus(const struct event_source *s);

/* 1 when the stream counts instructions in its events (guest_event.insns): a Ski trace, a vtrace
 * with an insns_per_ifetch directive, a workload with insns_per_ifetch > 0; else 0. */
int event_source_counts_insns(const struct event_source *s);

/* 1 when the stream's references carry the outcome the trace shows (GE_F_TRACED: a system-mode
 * Ski trace), so a run reports the trace.* and divergence.* counters; else 0. */
int event_source_traced(const struct event_source *s);

/* The next event of vCPU cpu: 1 = *ev, 0 = end, -1 = error (event_source_error). */
int event_source_next(struct event_source *s, unsigned cpu, struct guest_event *ev);
const char *event_source_error(const struct event_source *s);

#endif

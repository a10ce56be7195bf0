/*
 * vtrace.h - the vtrace text format (docs/vtrace.md): a streaming reader and a writer.
 *
 * The reader holds one line at a time, so memory does not grow with the trace. Every error is
 * reported as "FILE:LINE:COL: error: WHAT" through vtrace_reader_error().
 */
#ifndef VHPTSIM_VTRACE_H
#define VHPTSIM_VTRACE_H

#include <stdio.h>

#include "guest_event.h"

#define VTRACE_MAX_VCPUS 64
#define VTRACE_MAX_INSNS_PER_IFETCH 3 /* an IA-64 bundle holds three instructions */

struct vtrace_reader;

/* Opens path ("-" for standard input). NULL on failure, with the reason in err. */
struct vtrace_reader *vtrace_open(const char *path, char *err, size_t errlen);
/* Reads from an open stream; `name` is used in messages. The stream is not closed. */
struct vtrace_reader *vtrace_open_stream(FILE *f, const char *name, char *err, size_t errlen);
void vtrace_close(struct vtrace_reader *r);

/* 1: *ev holds the next event; 0: end of trace; -1: error (see vtrace_reader_error). */
int vtrace_next(struct vtrace_reader *r, struct guest_event *ev);
const char *vtrace_reader_error(const struct vtrace_reader *r);
/* Number of vCPUs the trace declares (final once the first event or the end was read). */
unsigned vtrace_vcpus(const struct vtrace_reader *r);
/* Line of the "vcpus N" directive (0: none, the trace has one vCPU). */
unsigned long vtrace_vcpus_line(const struct vtrace_reader *r);
/* N of the trace's "insns_per_ifetch N" directive (each ifetch counts N instructions), 0 when
 * it has none: the trace does not count instructions. Final once the first event was read. */
unsigned vtrace_insns_per_ifetch(const struct vtrace_reader *r);
/* Line of the event last returned. */
unsigned long vtrace_line(const struct vtrace_reader *r);

/* Writes one event as a vtrace line (with a "cpu N" prefix when cpu != 0). */
int vtrace_write_event(FILE *out, const struct guest_event *ev);
/* Writes the "vcpus N" directive that must precede the events when N > 1. */
int vtrace_write_header(FILE *out, unsigned vcpus);
/* Writes the "insns_per_ifetch N" directive (nothing for N = 0). */
int vtrace_write_insns_per_ifetch(FILE *out, unsigned n);

#endif

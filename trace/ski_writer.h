/*
 * ski_writer.h - writes guest events as a Ski trace file (docs/ski-traces.md, "convert").
 *
 * The file has the header layout and the record length table of the files Ski writes, so any
 * Ski-trace consumer can read it. Mapping:
 *   IFETCH              CAPSULE (processor = cpu, predicate 1, slot 0) + BUNDLE (16 zero bytes)
 *                       + IOFFSET (the address; must be 16-byte aligned, size 16)
 *   LOAD, STORE         DOFFSET read / write (a STORE's value is not carried: see below)
 *   LFETCH, RSE_LOAD,   DOFFSET lfetch / RSE fill / RSE spill
 *   RSE_STORE
 *   MARK code 1         INTERRUPTION (IIP = va, ISR = op1, the other fields 0)
 *   MARK code 2         DISCONTINUITY + VIRT_CYCLE (count = op1, at most 2^32-1; va must be 0)
 *   END                 written by ski_writer_finish()
 * Everything else (TLB inserts and purges, rr/pta/psr writes, context switches, user marks, a
 * STORE with a value, a data reference or mark whose cpu differs from the last IFETCH's) cannot be
 * carried: ski_writer_put() returns 1 and writes nothing.
 */
#ifndef VHPTSIM_SKI_WRITER_H
#define VHPTSIM_SKI_WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "guest_event.h"

struct ski_writer;

/* Writes the header (tool-name string = tool) to out. NULL on failure, with the reason in err. */
struct ski_writer *ski_writer_open(FILE *out, const char *tool, char *err, size_t errlen);
/* 0: written; 1: a Ski trace cannot carry this event (nothing written; ski_writer_error() says
 * why); -1: write error. */
int ski_writer_put(struct ski_writer *w, const struct guest_event *ev);
/* Writes the END record and flushes. 0 or -1 (write error). */
int ski_writer_finish(struct ski_writer *w);
const char *ski_writer_error(const struct ski_writer *w);
void ski_writer_free(struct ski_writer *w);

#endif

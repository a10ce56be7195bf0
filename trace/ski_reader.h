/*
 * ski_reader.h - streaming reader of Ski trace files (docs/ski-traces.md), producing guest events.
 *
 * The reader holds one fixed buffer (SKI_READER_BUFFER bytes), so memory does not grow with the
 * trace; records split across buffer refills are handled. Every error names the file, the byte
 * offset and what was wrong: "FILE: offset N: error: WHAT" (ski_reader_error()).
 *
 * Events produced (struct guest_event, cpu = the CAPSULE's processor number):
 *   IFETCH     one per executed bundle (default) or one per instruction (SKI_IFETCH_INSN);
 *              va = bundle address, size 16. A CAPSULE enters a bundle when its slot is not
 *              greater than the previous CAPSULE's (address + 16), when an IOFFSET follows it
 *              (the IOFFSET's address), or when its processor differs from the previous one's.
 *   LOAD       DOFFSET read; also flush (6) and unknown (0xff) kinds
 *   STORE      DOFFSET write, and semaphore (cmpxchg/xchg/fetchadd: one record, one STORE)
 *   LFETCH     DOFFSET lfetch
 *   RSE_LOAD   DOFFSET RSE fill;  RSE_STORE  DOFFSET RSE spill
 *   MARK       code 1 for INTERRUPTION (va = IIP, op1 = ISR);
 *              code 2 for DISCONTINUITY (va = 0, op1 = the following VIRT_CYCLE count)
 * All other records are counted (ski_reader_stats()) but produce no event.
 * Instructions: every CAPSULE adds 1 to the `insns` of the newest event at the time it is
 * complete: its own IFETCH, or, for an instruction of a bundle already entered, the event before
 * it. The events' insns add up to ski_stats.instructions (an event is returned only once the
 * next one or the end of the trace is known). A system-mode trace (ski_reader_system()) makes the
 * events ski_system.h lists, counted by the same rule.
 */
#ifndef VHPTSIM_SKI_READER_H
#define VHPTSIM_SKI_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_event.h"
#include "ski_format.h"

#define SKI_READER_BUFFER (256u * 1024u) /* must exceed the longest record (64 KiB - 1) */
#define SKI_STRING_BLOCK_MAX 4096u       /* header strings kept for ski_header_string() */

enum ski_ifetch_mode {
    SKI_IFETCH_BUNDLE = 0, /* one IFETCH each time execution enters a bundle (default) */
    SKI_IFETCH_INSN = 1    /* one IFETCH per CAPSULE (per executed instruction) */
};

struct ski_header {
    uint16_t header_major, header_minor, record_major, record_minor;
    uint32_t first_record;
    uint32_t record_count; /* as stored: Ski never fills it in */
    double virtual_cycle;  /* instructions executed before `trfile` */
    uint32_t compression, valid_header_fields, valid_record_fields, valid_record_flags;
    uint32_t valid_slot_flags, doffset_usage;
    uint16_t e_machine;
    uint32_t e_flags, sim_time;
    uint32_t string_offset[SKI_STR_COUNT];
    uint16_t record_len[256];
};

/* Sizes a DOFFSET may report, in the order of ski_stats.dref_size's second index
 * (ski_size_index()); index SKI_NSIZES counts size 0xff (unknown). */
extern const uint8_t ski_sizes[SKI_NSIZES]; /* 1, 2, 4, 8, 10, 16 */

struct ski_stats {
    uint64_t bytes;               /* bytes consumed so far (header, strings, records) */
    uint64_t records;             /* records read, END included */
    uint64_t by_type[256];        /* records read by type */
    uint64_t instructions;        /* CAPSULE records */
    uint64_t pred_false;          /* CAPSULEs whose qualifying predicate was 0 */
    uint64_t bundle_starts;       /* capsules with slot <= the previous capsule's (README's rule) */
    uint64_t bundles_entered;     /* capsules that start a bundle, get an IOFFSET or change the
                                     processor (= IFETCHes in SKI_IFETCH_BUNDLE mode) */
    uint64_t redirects;           /* IOFFSETs that followed a capsule */
    uint64_t untraced;            /* sum of VIRT_CYCLE counts */
    uint64_t dref_kind[SKI_D_KINDS];             /* DOFFSETs by kind (index 7 = 0xff) */
    uint64_t dref_size[SKI_D_KINDS][SKI_NSIZES + 1]; /* ... and size */
    uint64_t events;              /* events returned */
};

struct ski_reader;
struct ski_sys_stats; /* ski_system.h */

/* Opens path ("-" for standard input). NULL on failure (cannot open, or a bad header), with
 * the message in err. */
struct ski_reader *ski_open(const char *path, enum ski_ifetch_mode mode, char *err, size_t errlen);
/* Reads from an open stream; `name` is used in messages; the stream is not closed.
 * size_hint: the stream's length if known (enables the first-record check), else -1. */
struct ski_reader *ski_open_stream(FILE *f, const char *name, long long size_hint, enum ski_ifetch_mode mode,
                                   char *err, size_t errlen);
/* Reads from memory (not copied; must outlive the reader). max_chunk > 0 limits how many bytes
 * each refill takes (tests of records split across refills); 0 = no limit. */
struct ski_reader *ski_open_memory(const void *data, size_t len, const char *name, enum ski_ifetch_mode mode,
                                   size_t max_chunk, char *err, size_t errlen);
void ski_close(struct ski_reader *r);

/* 1: *ev holds the next event; 0: end of trace (END read, nothing after it); -1: error. After 0
 * or -1 every further call returns the same. */
int ski_next(struct ski_reader *r, struct guest_event *ev);
/* Reads every remaining event: 0 at a clean end, -1 at the first error (ski_reader_error). For a
 * command refusing the trace's mode: a trace cut short or corrupt is said first (a system-mode
 * trace cut inside its first records looks like a user-mode one). */
int ski_skip_to_end(struct ski_reader *r);
const char *ski_reader_error(const struct ski_reader *r);
/* Nonzero if the error was a failed read (an I/O failure, not a bad file). */
int ski_reader_io_error(const struct ski_reader *r);

const struct ski_header *ski_reader_header(const struct ski_reader *r);
/* A header string (host, tool name, ...) or NULL if absent or not inside the string block. */
const char *ski_header_string(const struct ski_reader *r, enum ski_header_string which);
const struct ski_stats *ski_reader_stats(const struct ski_reader *r);
/* Nonzero for a system-mode trace (decided at open from the first 64 KiB of records, see
 * docs/ski-traces.md "System mode"): its events follow ski_system.h. */
int ski_reader_system(const struct ski_reader *r);
/* The system-mode figures (interruptions, privileged instructions, operands); NULL in user mode. */
const struct ski_sys_stats *ski_reader_system_stats(const struct ski_reader *r);
/* File offset of the record the last event came from. */
uint64_t ski_reader_offset(const struct ski_reader *r);

#endif

/*
 * fuzz_ski_reader.c - libFuzzer target for the Ski trace reader (scripts/fuzz-ski).
 *
 * Every input is read to its end in both IFETCH modes: the reader must return 0 or -1 (with a
 * message naming an offset), never crash, hang or read out of bounds, and small refills must
 * give the same events. A user-mode input that reads cleanly is then written back with the Ski
 * writer and read again: the event stream must come back unchanged (every event the reader
 * produces is one a Ski file can carry). A system-mode input (ski_system.h) also carries the
 * guest's TLB operations, which a Ski file cannot: it is not written back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../trace/ski_reader.h"
#include "../../trace/ski_writer.h"

#define MAX_EVENTS 200000 /* inputs are small; bounds the round-trip copy */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct guest_event events[MAX_EVENTS], events2[MAX_EVENTS];

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_ski_reader: %s: %s\n", what, detail ? detail : "");
    abort();
}

/* Reads all events; returns the count (stored up to MAX_EVENTS in `keep` if given), or -1 on a
 * read error; *system tells the mode. */
static long read_events(const uint8_t *data, size_t size, enum ski_ifetch_mode mode, size_t chunk,
                        struct guest_event *keep, int *system)
{
    char err[512];
    struct ski_reader *r = ski_open_memory(data, size, "fuzz", mode, chunk, err, sizeof err);
    if (!r) {
        if (!strstr(err, "offset "))
            die("open error without an offset", err);
        return -1;
    }
    struct guest_event ev;
    long n = 0;
    uint64_t insns = 0;
    int rc;
    *system = ski_reader_system(r);
    while ((rc = ski_next(r, &ev)) > 0) {
        if (keep && n < MAX_EVENTS)
            keep[n] = ev;
        insns += ev.insns;
        n++;
    }
    if (rc < 0 && !strstr(ski_reader_error(r), "offset "))
        die("read error without an offset", ski_reader_error(r));
    /* every CAPSULE is counted once on the events (ski_reader.h, "Instructions") */
    if (rc == 0 && insns != ski_reader_stats(r)->instructions)
        die("the events' instructions do not add up to the CAPSULEs", NULL);
    if (ski_next(r, &ev) != rc)
        die("the reader does not stay at its end/error", NULL);
    ski_close(r);
    return rc < 0 ? -1 : n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int system = 0, system2 = 0;
    (void)read_events(data, size, SKI_IFETCH_INSN, 0, NULL, &system);
    /* small refills: records split across buffer refills must not change anything */
    const long n = read_events(data, size, SKI_IFETCH_BUNDLE, 0, events, &system);
    const long n2 = read_events(data, size, SKI_IFETCH_BUNDLE, 1 + size % 7, events2, &system2);
    if (n != n2 || system != system2)
        die("refill size changes the result", NULL);
    if (n < 0 || n > MAX_EVENTS)
        return 0;
    if (memcmp(events, events2, (size_t)n * sizeof events[0]) != 0)
        die("refill size changes the events", NULL);
    if (system)
        return 0;

    /* round trip: events -> Ski writer -> reader */
    char *buf = NULL;
    size_t len = 0;
    char err[256];
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return 0;
    struct ski_writer *w = ski_writer_open(mem, "fuzz", err, sizeof err);
    if (!w)
        die("writer open", err);
    for (long i = 0; i < n; i++)
        if (ski_writer_put(w, &events[i]) != 0)
            die("the writer refuses an event the reader produced", ski_writer_error(w));
    if (ski_writer_finish(w) != 0)
        die("writer finish", ski_writer_error(w));
    ski_writer_free(w);
    fclose(mem);
    struct ski_reader *r = ski_open_memory(buf, len, "roundtrip", SKI_IFETCH_BUNDLE, 0, err, sizeof err);
    if (!r)
        die("cannot reopen the written file", err);
    struct guest_event ev;
    long i = 0;
    int rc;
    while ((rc = ski_next(r, &ev)) > 0) {
        /* the writer makes each IFETCH one CAPSULE: one instruction, read back on it (the
         * original's count per event is not something the events tell the writer) */
        struct guest_event want = i < n ? events[i] : ev;
        want.insns = want.kind == GE_IFETCH;
        if (i >= n || memcmp(&ev, &want, sizeof ev) != 0)
            die("round trip changed the event stream", NULL);
        i++;
    }
    if (rc != 0 || i != n)
        die("round trip lost events", ski_reader_error(r));
    ski_close(r);
    free(buf);
    return 0;
}

/* event_source.c - see event_source.h. */
#include "event_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../trace/ski_reader.h"
#include "../trace/vtrace.h"
#include "../workloads/workload.h"

struct queue {
    struct guest_event *ev;
    size_t head, len, cap;
};

struct event_source {
    enum workload_source kind;
    struct workload *wl;
    struct vtrace_reader *vt;
    struct ski_reader *ski;
    unsigned nr_vcpus;
    unsigned insns_per_ifetch; /* a generator's workload.insns_per_ifetch */
    char path[RUN_PATH_MAX]; /* of a trace, for messages */
    struct queue q[VTRACE_MAX_VCPUS];
    int ended;
    char err[RUN_PATH_MAX + 256];
};

static int queue_push(struct queue *q, const struct guest_event *ev)
{
    if (q->len == q->cap) {
        const size_t cap = q->cap ? q->cap * 2 : 64;
        struct guest_event *n = malloc(cap * sizeof *n);
        if (!n)
            return -1;
        for (size_t i = 0; i < q->len; i++)
            n[i] = q->ev[(q->head + i) % q->cap];
        free(q->ev);
        q->ev = n;
        q->cap = cap;
        q->head = 0;
    }
    q->ev[(q->head + q->len) % q->cap] = *ev;
    q->len++;
    return 0;
}

static void queue_pop(struct queue *q, struct guest_event *ev)
{
    *ev = q->ev[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
}

/* the next event of the whole stream: 1, 0 or -1 */
static int pull(struct event_source *s, struct guest_event *ev)
{
    if (s->ended)
        return 0;
    int rc;
    if (s->kind == SOURCE_GENERATOR) {
        rc = workload_next(s->wl, ev);
    } else if (s->kind == SOURCE_SKI) {
        rc = ski_next(s->ski, ev);
        if (rc < 0)
            snprintf(s->err, sizeof s->err, "%s", ski_reader_error(s->ski));
    } else {
        rc = vtrace_next(s->vt, ev);
        if (rc < 0)
            snprintf(s->err, sizeof s->err, "%s", vtrace_reader_error(s->vt));
    }
    if (rc == 1 && ev->cpu >= s->nr_vcpus) { /* a Ski CAPSULE's processor (vtrace checks its own) */
        snprintf(s->err, sizeof s->err, "%s: offset %llu: error: processor %u, but the experiment has vcpus: %u", s->path,
                 (unsigned long long)(s->ski ? ski_reader_offset(s->ski) : 0), (unsigned)ev->cpu, s->nr_vcpus);
        return -1;
    }
    if (rc == 0)
        s->ended = 1;
    return rc;
}

struct event_source *event_source_open(const struct run_config *c, char *err, size_t errlen)
{
    struct event_source *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->kind = c->source;
    s->nr_vcpus = c->vcpus;
    s->insns_per_ifetch = c->workload.insns_per_ifetch;
    snprintf(s->path, sizeof s->path, "%s", c->trace_path);
    if (c->source == SOURCE_GENERATOR) {
        s->wl = workload_create(&c->workload, err, errlen);
        if (!s->wl) {
            free(s);
            return NULL;
        }
        return s;
    }
    if (c->source == SOURCE_VTRACE) {
        const char *path = c->trace_path; /* run_config_load resolved it against the experiment file */
        s->vt = vtrace_open(path, err, errlen);
        if (!s->vt) {
            free(s);
            return NULL;
        }
        /* read the first event now: the trace's vcpus directive precedes it */
        struct guest_event first;
        const int rc = pull(s, &first);
        if (rc < 0 || (rc == 1 && queue_push(&s->q[first.cpu], &first) != 0)) {
            snprintf(err, errlen, "%s", rc < 0 ? s->err : "out of memory");
            event_source_close(s);
            return NULL;
        }
        if (vtrace_vcpus(s->vt) != c->vcpus) {
            const unsigned long line = vtrace_vcpus_line(s->vt);
            snprintf(err, errlen, "%s:%lu: error: the trace has %u vCPU(s)%s but the experiment has vcpus: %u", path,
                     line ? line : 1, vtrace_vcpus(s->vt), line ? "" : " (no 'vcpus N' line)", c->vcpus);
            event_source_close(s);
            return NULL;
        }
        return s;
    }
    /* SOURCE_SKI */
    s->ski = ski_open(c->trace_path, c->ski_per_instruction ? SKI_IFETCH_INSN : SKI_IFETCH_BUNDLE, err, errlen);
    if (!s->ski) {
        free(s);
        return NULL;
    }
    /* user mode: references only, the guest OS model supplies the TLB management; system mode:
     * the guest's own TLB operations drive the VMM (docs/ski-traces.md) */
    const int system = ski_reader_system(s->ski);
    if (system == c->guest_enabled && ski_skip_to_end(s->ski) < 0) { /* cut short: say so, not the mode */
        snprintf(err, errlen, "%s", ski_reader_error(s->ski));
        event_source_close(s);
        return NULL;
    }
    if (system == c->guest_enabled) {
        snprintf(err, errlen,
                 system ? "%s: error: a system-mode Ski trace carries the guest's own TLB management: "
                          "guest.enabled must be false"
                        : "%s: error: a user-mode Ski trace carries no TLB operations: guest.enabled must be true",
                 c->trace_path);
        event_source_close(s);
        return NULL;
    }
    return s;
}

void event_source_close(struct event_source *s)
{
    if (!s)
        return;
    if (s->wl)
        workload_destroy(s->wl);
    if (s->vt)
        vtrace_close(s->vt);
    if (s->ski)
        ski_close(s->ski);
    for (unsigned i = 0; i < VTRACE_MAX_VCPUS; i++)
        free(s->q[i].ev);
    free(s);
}

unsigned event_source_vcpus(const struct event_source *s)
{
    return s->vt ? vtrace_vcpus(s->vt) : s->nr_vcpus;
}

int event_source_counts_insns(const struct event_source *s)
{
    if (s->kind == SOURCE_SKI)
        return 1;
    if (s->kind == SOURCE_VTRACE)
        return vtrace_insns_per_ifetch(s->vt) > 0;
    return s->insns_per_ifetch > 0;
}

int event_source_traced(const struct event_source *s) { return s->ski && ski_reader_system(s->ski); }

int event_source_next(struct event_source *s, unsigned cpu, struct guest_event *ev)
{
    if (cpu >= VTRACE_MAX_VCPUS)
        return 0;
    if (s->q[cpu].len) {
        queue_pop(&s->q[cpu], ev);
        return 1;
    }
    for (;;) {
        const int rc = pull(s, ev);
        if (rc <= 0)
            return rc;
        if (ev->cpu == cpu)
            return 1;
        if (ev->cpu >= VTRACE_MAX_VCPUS || queue_push(&s->q[ev->cpu], ev) != 0) {
            snprintf(s->err, sizeof s->err, "out of memory queueing events of vCPU %u", (unsigned)ev->cpu);
            return -1;
        }
    }
}

const char *event_source_error(const struct event_source *s) { return s->err; }

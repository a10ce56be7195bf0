/*
 * bench_platform.c - guest references per second through the timed SystemC platform, against
 * a baseline: the same stream replayed by a minimal C loop that only probes one fully
 * associative LRU TLB (the Itanium 2 L1 DTLB's geometry: 32 entries of 4 KiB).
 *
 *   bench_platform [hit|miss] [REFERENCES]
 *
 * Both consume the same events from one array in memory, generated beforehand by the
 * workload generator, so neither pays for generation. Times are CPU time of this process
 * (CLOCK_PROCESS_CPUTIME_ID): stable on a loaded machine. Prints one line per measurement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/guest/guest_os.h"
#include "../model/platform/platform.h"
#include "../model/sc/sc_run.h"
#include "../workloads/workload.h"

struct stream {
    struct guest_event *ev;
    size_t n, pos;
};

static int next_events(void *ctx, unsigned cpu, struct guest_event *buf, unsigned max)
{
    struct stream *s = ctx;
    (void)cpu;
    const size_t n = s->n - s->pos < max ? s->n - s->pos : max;
    memcpy(buf, &s->ev[s->pos], n * sizeof *buf);
    s->pos += n;
    return (int)n;
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The baseline: 32-entry fully associative LRU TLB of 4 KiB pages, linear probe. */
#define BASE_ENTRIES 32
static uint64_t baseline(const struct stream *s, uint64_t *misses)
{
    uint64_t vpn[BASE_ENTRIES], stamp[BASE_ENTRIES], clock = 0, hits = 0;
    memset(vpn, 0xff, sizeof vpn);
    memset(stamp, 0, sizeof stamp);
    *misses = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct guest_event *e = &s->ev[i];
        if (e->kind > GE_LFETCH)
            continue;
        const uint64_t v = e->va >> 12;
        unsigned w = 0;
        while (w < BASE_ENTRIES && vpn[w] != v)
            w++;
        if (w < BASE_ENTRIES) {
            hits++;
        } else {
            ++*misses;
            w = 0;
            for (unsigned k = 1; k < BASE_ENTRIES; k++)
                if (stamp[k] < stamp[w])
                    w = k;
            vpn[w] = v;
        }
        stamp[w] = ++clock;
    }
    return hits;
}

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "hit";
    const size_t n = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 5000000;
    struct workload_params wp;
    if (strcmp(kind, "hit") == 0) {
        /* hit-dominated: 64 KiB scanned 8 bytes at a time, 512 references per 4 KiB page */
        workload_params_default(&wp, WL_SEQSCAN);
        wp.footprint = 64 << 10;
        wp.stride = 8;
    } else if (strcmp(kind, "miss") == 0) {
        /* miss-heavy: uniform over 512 MiB of 16 KiB pages: machine TLB, VHPT and vTLB miss */
        workload_params_default(&wp, WL_UNIFORM);
        wp.footprint = UINT64_C(512) << 20;
    } else {
        fprintf(stderr, "usage: bench_platform [hit|miss] [REFERENCES]\n");
        return 2;
    }
    wp.length = n;
    wp.seed = 7;
    char err[256];
    struct workload *w = workload_create(&wp, err, sizeof err);
    struct stream s = {.ev = malloc(n * sizeof *s.ev)};
    if (!w || !s.ev) {
        fprintf(stderr, "bench: %s\n", w ? "out of memory" : err);
        return 1;
    }
    while (s.n < n && workload_next(w, &s.ev[s.n]) == 1)
        s.n++;
    workload_destroy(w);

    struct platform_params pp;
    platform_params_default(&pp);
    static struct platform p;
    if (platform_init(&p, &pp, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    struct guest_os_params gp;
    guest_os_params_default(&gp);
    gp.nr_vcpus = 1;
    struct guest_os *os = guest_os_create(&gp, &p.mem, &p.vm.p2m);
    struct cost_table costs;
    cost_table_default(&costs);
    const struct sc_run_params rp = {
        .costs = &costs, .clock_period_ps = 667, .quantum_cycles = 10000, .length = 0, .os = os,
        .next_events = next_events, .source_ctx = &s,
    };

    const double t0 = cpu_seconds();
    if (sc_run(&p, &rp, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    const double t1 = cpu_seconds();
    uint64_t misses;
    uint64_t hits = baseline(&s, &misses);
    const double t2 = cpu_seconds();
    /* the baseline runs several times over to be long enough to time */
    const unsigned reps = 5;
    for (unsigned r = 1; r < reps; r++)
        hits += baseline(&s, &misses) * 0;
    const double t3 = cpu_seconds();

    const uint64_t refs = p.cpu[0].stats.refs;
    const double sim_rate = (double)refs / (t1 - t0);
    const double base_rate = (double)s.n * reps / ((t2 - t1) + (t3 - t2));
    const struct mtlb_stats ds = mtlb_get_stats(&p.cpu[0].mach.dtlb);
    printf("workload=%s references=%llu l1_dtlb_hit_rate=%.4f guest_faults=%llu\n", kind, (unsigned long long)refs,
           (double)ds.l1.hits / (double)(ds.l1.hits + ds.l1.misses ? ds.l1.hits + ds.l1.misses : 1),
           (unsigned long long)p.cpu[0].stats.guest_faults);
    printf("platform: %.2f M references/s (%.1f ns each)\n", sim_rate / 1e6, 1e9 / sim_rate);
    printf("baseline: %.2f M references/s (%.1f ns each; its hit rate %.4f)\n", base_rate / 1e6, 1e9 / base_rate,
           (double)hits / (double)(s.n ? s.n : 1));
    printf("ratio baseline/platform: %.2fx\n", base_rate / sim_rate);
    guest_os_destroy(os);
    platform_free(&p);
    free(s.ev);
    return 0;
}

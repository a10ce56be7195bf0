/*
 * bench_platform.c - guest references per second through the timed SystemC platform, against
 * a baseline: the same stream replayed by a minimal C loop that only probes one fully
 * associative LRU TLB (the Itanium 2 L1 DTLB's geometry: 32 entries of 4 KiB).
 *
 *   bench_platform hit|miss|default [REFERENCES [EXPERIMENT.yaml]]
 *
 * hit and miss are synthetic streams on the default platform (bench/README.md); default is the
 * workload and platform of an experiment file (configs/default.yaml unless given): its
 * machine, VMM, guest OS model, costs, clock and quantum, and its workload cut to REFERENCES.
 * Both the platform and the baseline consume the same events from one array in memory,
 * generated beforehand by the workload generator, so neither pays for generation; that
 * generation is timed on its own and reported as a share of generation + platform. Times are
 * CPU time of this process (CLOCK_PROCESS_CPUTIME_ID): steadier on a loaded machine. The
 * "simulated" line digests what the platform computed (cycles, TLB, walker and VMM counters):
 * a change that only speeds vhptsim up leaves it as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../config/run_config.h"
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

static int usage(void)
{
    fprintf(stderr, "usage: bench_platform hit|miss|default [REFERENCES [EXPERIMENT.yaml]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "hit";
    const size_t n = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 5000000;
    const char *experiment = argc > 3 ? argv[3] : "configs/default.yaml";
    char err[512];
    /* the default platform, one vCPU, its guest OS model, the default costs at 1.5 GHz, a
     * quantum of 10,000 cycles: what an experiment file that sets nothing gets */
    static struct run_config c;
    run_config_default(&c);
    c.vcpus = 1;
    c.platform.nr_vcpus = c.guest.nr_vcpus = 1;
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
    } else if (strcmp(kind, "default") == 0) {
        if (run_config_load(&c, experiment, err, sizeof err) != 0) {
            fprintf(stderr, "bench: %s\n", err);
            return 2;
        }
        if (c.source != SOURCE_GENERATOR || c.vcpus != 1) {
            fprintf(stderr, "bench: %s: needs a generated workload on one vCPU\n", experiment);
            return 2;
        }
        wp = c.workload;
    } else {
        return usage();
    }
    if (strcmp(kind, "default") != 0)
        wp.seed = 7;
    wp.length = n;

    /* the stream, generated once into memory (touched first, so that the generation's time is
     * not the kernel's page faults): the generation is timed too, table set-up included */
    struct stream s = {.ev = malloc(n * sizeof *s.ev)};
    if (!s.ev) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    memset(s.ev, 0xff, n * sizeof *s.ev); /* not 0: malloc + memset 0 may become calloc */
    const double g0 = cpu_seconds();
    struct workload *w = workload_create(&wp, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    while (s.n < n && workload_next(w, &s.ev[s.n]) == 1)
        s.n++;
    workload_destroy(w);
    const double g1 = cpu_seconds();

    static struct platform p;
    if (platform_init(&p, &c.platform, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    struct guest_os *os = c.guest_enabled ? guest_os_create(&c.guest, &p.mem, &p.vm.p2m) : NULL;
    if (c.guest_enabled && !os) {
        fprintf(stderr, "bench: cannot create the guest OS model\n");
        return 1;
    }
    const struct sc_run_params rp = {
        .costs = &c.costs,
        .clock_period_ps = (1000000 + c.clock_mhz / 2) / c.clock_mhz,
        .quantum_cycles = c.quantum,
        .length = 0,
        .os = os,
        .next_events = next_events,
        .source_ctx = &s,
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

    const struct engine_stats *st = &p.cpu[0].stats;
    const struct machine *m = &p.cpu[0].mach;
    const struct mtlb_stats ds = mtlb_get_stats(&m->dtlb), is = mtlb_get_stats(&m->itlb);
    const uint64_t refs = st->refs;
    const double gen_rate = (double)s.n / (g1 - g0);
    const double sim_rate = (double)refs / (t1 - t0);
    const double base_rate = (double)s.n * reps / ((t2 - t1) + (t3 - t2));
    printf("workload=%s references=%llu l1_dtlb_hit_rate=%.4f guest_faults=%llu\n", kind, (unsigned long long)refs,
           (double)ds.l1.hits / (double)(ds.l1.hits + ds.l1.misses ? ds.l1.hits + ds.l1.misses : 1),
           (unsigned long long)st->guest_faults);
    printf("simulated: cycles=%llu dtlb_l1_misses=%llu dtlb_l2_misses=%llu itlb_l2_misses=%llu walks=%llu "
           "walker_hits=%llu retries=%llu ptc_l=%llu itc=%llu\n",
           (unsigned long long)p.cpu[0].cycles.total, (unsigned long long)ds.l1.misses,
           (unsigned long long)ds.l2.misses, (unsigned long long)is.l2.misses, (unsigned long long)m->walker.walks,
           (unsigned long long)m->walker.hits, (unsigned long long)st->refs_retried,
           (unsigned long long)m->ptc_l_count, (unsigned long long)m->itc_count);
    printf("generation: %.2f M references/s (%.1f ns each), %.1f%% of generation + platform\n", gen_rate / 1e6,
           1e9 / gen_rate, 100.0 * (g1 - g0) / ((g1 - g0) + (t1 - t0)));
    printf("platform: %.2f M references/s (%.1f ns each)\n", sim_rate / 1e6, 1e9 / sim_rate);
    printf("baseline: %.2f M references/s (%.1f ns each; its hit rate %.4f)\n", base_rate / 1e6, 1e9 / base_rate,
           (double)hits / (double)(s.n ? s.n : 1));
    printf("ratio baseline/platform: %.2fx\n", base_rate / sim_rate);
    guest_os_destroy(os);
    platform_free(&p);
    free(s.ev);
    return 0;
}

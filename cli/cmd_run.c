/* cmd_run.c - `vhptsim run FILE.yaml`: one timed run, results written atomically. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/run_config.h"
#include "../model/guest/guest_os.h"
#include "../model/platform/platform.h"
#include "../model/sc/sc_run.h"
#include "../model/stats/provenance.h"
#include "../model/stats/result_dir.h"
#include "../model/stats/stat_set.h"
#include "../model/stats/timeseries.h"
#include "cli_util.h"
#include "commands.h"
#include "event_source.h"
#include "run_report.h"
#include "signal_cleanup.h"

static void run_usage(FILE *out)
{
    fputs("Usage: vhptsim run [OPTIONS] FILE.yaml\n"
          "\n"
          "Runs one experiment (docs/config.md) on the timed SystemC platform: every vCPU's guest\n"
          "events go through the machine TLB, the hardware VHPT walker and the KVM/ia64 VMM, each\n"
          "path charged the cycles of the cost table. Writes into the output directory:\n"
          "  config.yaml      the resolved configuration (every key, defaults included)\n"
          "  stats.yaml       every counter and derived rate, 'name: value' (docs/stats.md)\n"
          "  stats.csv        the same as 'name,value'\n"
          "  timeseries.csv   per-interval miss rates (run.interval references per row)\n"
          "  run.yaml         provenance: version, commit, build, host, times, speed, and the\n"
          "                   path, size and SHA-256 of every input file\n"
          "The directory appears complete or not at all (written aside, then renamed). vhptsim\n"
          "writes only into a new or empty directory or an earlier result of its own\n"
          "(docs/results.md): a complete result of the same configuration is left as it is (exit 0),\n"
          "one of another configuration is replaced only with --force, anything else never.\n"
          "On success one line gives the measured (post-warm-up) references and cycles; a\n"
          "setting that never took effect (e.g. guest.purge) is warned about on standard error.\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR  output directory (default results/<name>)\n"
          "  -f, --force       rerun, replacing an earlier result even of another configuration\n"
          "  -q, --quiet       no summary line on success (warnings are still printed)\n"
          "  -h, --help        show this help\n"
          "\n"
          "Same file, same seed: the same stats.yaml, stats.csv and timeseries.csv, byte for\n"
          "byte, on any host (run.yaml is where times and hosts go). Exit status: 0 success,\n"
          "1 runtime failure (I/O, memory), 2 bad input: configuration, trace or output directory;\n"
          "129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM (nothing is left behind).\n",
          out);
}

struct run_state {
    struct platform *p;
    const struct run_config *c;
    struct event_source *src;
    struct timeseries ts;
    int have_ts;
    struct stat_set base[64]; /* per vCPU: counters when its warm-up ended */
    int have_base[64];
    int alloc_failed;
};

static int next_events(void *ctx, unsigned cpu, struct guest_event *buf, unsigned max)
{
    struct run_state *rs = ctx;
    unsigned n = 0;
    while (n < max) {
        const int rc = event_source_next(rs->src, cpu, &buf[n]);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        n++;
    }
    return (int)n;
}

/* At the end of the warm-up: the baseline of the statistics; then every interval: a row of the
 * time series. Returns the next reference count to be called at. */
static uint64_t observe(void *ctx, unsigned cpu, uint64_t refs)
{
    struct run_state *rs = ctx;
    const uint64_t warmup = rs->c->warmup, interval = rs->c->interval;
    if (warmup && refs == warmup) {
        if (stat_set_collect(&rs->base[cpu], rs->p) != 0)
            rs->alloc_failed = 1;
        rs->have_base[cpu] = 1;
        if (rs->have_ts)
            timeseries_rebase(&rs->ts, rs->p, cpu);
    } else if (rs->have_ts) {
        timeseries_sample(&rs->ts, rs->p, cpu, refs);
    }
    return rs->have_ts ? refs + interval : 0;
}

/* stats.yaml and stats.csv from the measured statistics *s (stat_set_of_run). 0 or -1. */
static int write_stats(const struct stat_set *s, struct result_dir *dir)
{
    int rc = 0;
    FILE *yaml = result_dir_open(dir, "stats.yaml");
    FILE *csv = yaml ? result_dir_open(dir, "stats.csv") : NULL;
    if (!yaml || !csv || stat_set_write_yaml(s, yaml) != 0 || stat_set_write_csv(s, csv) != 0)
        rc = -1;
    if (yaml && fclose(yaml) != 0)
        rc = -1;
    if (csv && fclose(csv) != 0)
        rc = -1;
    return rc;
}

/* run.yaml (model/stats/provenance.h). 0 or -1. */
static int write_provenance(const struct provenance *pv, struct result_dir *dir)
{
    FILE *f = result_dir_open(dir, "run.yaml");
    int rc = !f || provenance_write_run_yaml(pv, f) != 0 ? -1 : 0;
    if (f && fclose(f) != 0)
        rc = -1;
    return rc;
}

/* Every figure derived from cycles must fit in 64 bits: the cycle totals, the simulated time in
 * ps (and the SystemC time, which runs up to a quantum ahead), the sums the summary prints.
 * 0, or -1 with what overflowed in err: no wrapped number is ever written. */
static int check_time(const struct platform *p, const struct sc_run_params *rp, char *err, size_t errlen)
{
    uint64_t sum = 0, ps;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        const struct cost_account *a = &p->cpu[i].cycles;
        if (a->overflow || __builtin_add_overflow(a->total, rp->quantum_cycles, &ps) ||
            __builtin_mul_overflow(ps, rp->clock_period_ps, &ps) || __builtin_add_overflow(sum, a->total, &sum)) {
            char cycles[32] = "over 2^64";
            if (!a->overflow)
                snprintf(cycles, sizeof cycles, "%llu", (unsigned long long)a->total);
            snprintf(err, errlen,
                     "the simulated time of vCPU %u does not fit in 64 bits (%s cycles of %llu ps; at most 2^64 ps, "
                     "213 days, in all): raise machine.clock_mhz, lower the costs or shorten run.length",
                     i, cycles, (unsigned long long)rp->clock_period_ps);
            return -1;
        }
    }
    return 0;
}

/* Locks and checks the output directory (model/stats/result_dir.h): EXIT_OK to run, or the
 * status to end with (EXIT_OK too when the result is already there: *done). */
static int open_output(struct result_dir *dir, const char *path, const struct run_config *c, unsigned flags, int quiet,
                       int *done)
{
    size_t len;
    char err[1024];
    /* config.yaml: headed by the version and commit, a comment the comparison ignores */
    char *text = run_config_text(c, provenance_config_header(), &len);
    if (!text) {
        cli_error("run: cannot render the resolved configuration");
        return EXIT_RUNTIME;
    }
    int rc = result_dir_begin(dir, path, text, len, flags, err, sizeof err);
    if (rc == RESULT_BUSY) {
        cli_error("run: %s; waiting for it to finish", err);
        rc = result_dir_begin(dir, path, text, len, flags | RESULT_WAIT, err, sizeof err);
    }
    free(text);
    *done = rc == RESULT_UP_TO_DATE;
    if (rc == RESULT_OK)
        return EXIT_OK;
    if (rc == RESULT_UP_TO_DATE) {
        if (!quiet)
            printf("%s (not rerun; --force reruns it)\n", err);
        return EXIT_OK;
    }
    cli_error("run: %s", err);
    return rc == RESULT_REFUSED ? EXIT_USAGE : EXIT_RUNTIME;
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out_dir = NULL;
    int quiet = 0, force = 0, ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "o:fqh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            out_dir = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            run_usage(stdout);
            return EXIT_OK;
        default:
            cli_error("run: unknown or incomplete option '%s' (try 'vhptsim run --help')", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_error("run: expected one experiment file (try 'vhptsim run --help')");
        return EXIT_USAGE;
    }
    const char *config_path = argv[optind];
    char err[1024];
    static struct run_config c; /* large: keep it off the stack */
    run_config_default(&c);
    if (run_config_load(&c, config_path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    static struct platform p;
    static struct run_state rs;
    static struct provenance prov;
    static struct result_dir dir; /* large, and the signal handler's */
    struct stat_set stats = {0};
    struct guest_os *os = NULL;
    FILE *ts_file = NULL;
    int status = EXIT_OK, have_platform = 0, done = 0;
    struct event_source *src = NULL;

    char default_dir[RUN_NAME_MAX + 16];
    snprintf(default_dir, sizeof default_dir, "results/%s", c.name);
    signal_cleanup_watch(&dir);
    status = open_output(&dir, out_dir ? out_dir : default_dir, &c,
                         force ? RESULT_REPLACE_CHANGED | RESULT_REDO : 0, quiet, &done);
    if (status != EXIT_OK || done)
        goto out;
    src = event_source_open(&c, err, sizeof err);
    if (!src) {
        cli_error("run: %s", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (platform_init(&p, &c.platform, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    have_platform = 1;
    p.counts_insns = event_source_counts_insns(src);
    p.traced = event_source_traced(src);
    if (c.guest_enabled && !(os = guest_os_create(&c.guest, &p.mem, &p.vm.p2m))) {
        cli_error("run: cannot create the guest OS model");
        status = EXIT_RUNTIME;
        goto out;
    }

    rs.p = &p;
    rs.c = &c;
    rs.src = src;
    if (c.interval) {
        ts_file = result_dir_open(&dir, "timeseries.csv");
        if (!ts_file || timeseries_start(&rs.ts, ts_file, &p) != 0) {
            cli_error("run: cannot write timeseries.csv");
            status = EXIT_RUNTIME;
            goto out;
        }
        rs.have_ts = 1;
    }

    const struct sc_run_params rp = {
        .costs = &c.costs,
        .clock_period_ps = (1000000 + c.clock_mhz / 2) / c.clock_mhz,
        .quantum_cycles = c.quantum,
        .length = c.length,
        .os = os,
        .next_events = next_events,
        .source_ctx = &rs,
        .observe = observe,
        .first_observe = c.warmup ? c.warmup : c.interval,
        .observer_ctx = &rs,
    };
    provenance_start(&prov);
    if (provenance_add_input(&prov, "experiment", config_path, err, sizeof err) != 0 ||
        (c.source != SOURCE_GENERATOR && provenance_add_input(&prov, "trace", c.trace_path, err, sizeof err) != 0)) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    if (sc_run(&p, &rp, err, sizeof err) != 0) {
        const char *why = event_source_error(src);
        cli_error("run: %s", why[0] ? why : err);
        status = why[0] ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    uint64_t simulated = 0; /* references, warm-up included */
    for (unsigned i = 0; i < p.nr_vcpus; i++)
        simulated += p.cpu[i].stats.refs;
    provenance_stop(&prov, simulated);
    platform_finish(&p);

    if (check_time(&p, &rp, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        status = EXIT_USAGE;
        goto out;
    }
    int write_failed = 0;
    if (ts_file && fclose(ts_file) != 0)
        write_failed = 1;
    ts_file = NULL;
    if (write_failed || rs.alloc_failed || stat_set_of_run(&stats, &p, rs.base, rs.have_base, rp.clock_period_ps) != 0 ||
        write_stats(&stats, &dir) != 0 || write_provenance(&prov, &dir) != 0) {
        cli_error("run: cannot write the results");
        status = EXIT_RUNTIME;
        goto out;
    }
    if (result_dir_commit(&dir, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    if (!quiet)
        run_report_summary(stdout, dir.final, &c, &stats);
    run_report_warnings(stderr, &c, &stats);

out:
    if (status == EXIT_OK && fflush(stdout) != 0) { /* the summary is output too (> /dev/full) */
        cli_error("run: cannot write to standard output: %s", strerror(errno));
        status = EXIT_RUNTIME;
    }
    if (ts_file)
        fclose(ts_file);
    result_dir_abort(&dir); /* nothing to do once committed */
    signal_cleanup_forget(&dir);
    for (unsigned i = 0; i < 64; i++)
        stat_set_free(&rs.base[i]);
    stat_set_free(&stats);
    if (os)
        guest_os_destroy(os);
    if (have_platform)
        platform_free(&p);
    event_source_close(src);
    return status;
}

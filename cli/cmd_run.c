/* cmd_run.c - `vhptsim run FILE.yaml`: one timed run, results written atomically. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/param_set.h"
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
#include "progress.h"
#include "run_report.h"
#include "signal_cleanup.h"
#include "study.h"

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
          "With a 'sweep:' section the file is a study (docs/studies.md): every point of the\n"
          "sweep runs into DIR/<point>/ (DIR: -o, default results/<name>), then DIR/summary.csv\n"
          "and DIR/report/ are written. Rerunning a study skips the points whose result is\n"
          "complete and of an unchanged configuration, and replaces the others.\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR  output directory (default results/<name>)\n"
          "  --set KEY=VALUE   set any key of the experiment by its dotted path, checked as\n"
          "                    if it were in the file (e.g. --set vmm.vtlb_size=1M\n"
          "                    --set guest.region_page_size.3=64K); may be repeated\n"
          "  -f, --force       rerun, replacing an earlier result even of another\n"
          "                    configuration (a study: every point)\n"
          "  --replace         replace an earlier result of another configuration, but keep\n"
          "                    a complete one of this configuration (what a study does for\n"
          "                    each point)\n"
          "  -j, --jobs N      study: points run at once (default: the number of cores)\n"
          "  --backend NAME    study: 'local' (default) or 'slurm' (one job array, sbatch)\n"
          "  --slurm-arg ARG   study, slurm: an extra sbatch argument (e.g. --slurm-arg=-pbig)\n"
          "  --no-wait         study, slurm: return once submitted; 'vhptsim report DIR' later\n"
          "  --progress        show progress on stderr even when it is not a terminal\n"
          "  -q, --quiet       no summary line and no progress (warnings are still printed)\n"
          "  -h, --help        show this help\n"
          "\n"
          "Same file, same seed: the same stats.yaml, stats.csv and timeseries.csv, byte for\n"
          "byte, on any host (run.yaml is where times and hosts go). Exit status: 0 success,\n"
          "1 runtime failure (I/O, memory; a study: a point failed), 2 bad input: configuration\n"
          "(FILE:LINE:COLUMN, or the --set option), trace or output directory;\n"
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
    uint64_t stats_due[64]; /* the next reference count the statistics want (0: none) */
    uint64_t refs[64];      /* references done, as last observed (progress) */
    struct progress progress;
};

/* How often (references of a vCPU) the progress line is considered for a redraw. */
#define PROGRESS_STEP 65536

static void show_progress(struct run_state *rs)
{
    uint64_t done = 0;
    for (unsigned i = 0; i < rs->p->nr_vcpus; i++)
        done += rs->refs[i];
    const uint64_t total = rs->c->length * rs->p->nr_vcpus;
    const double secs = progress_elapsed(&rs->progress);
    char eta[32];
    progress_eta(eta, sizeof eta, secs, (double)done, (double)total);
    if (total)
        progress_show(&rs->progress, "run %s: %.2fM/%.2fM references (%.0f%%), %.2f M refs/s, %s", rs->c->name,
                      (double)done / 1e6, (double)total / 1e6, 100.0 * (double)done / (double)total,
                      secs > 0 ? (double)done / secs / 1e6 : 0.0, eta);
    else
        progress_show(&rs->progress, "run %s: %.2fM references, %.2f M refs/s", rs->c->name, (double)done / 1e6,
                      secs > 0 ? (double)done / secs / 1e6 : 0.0);
}

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
 * time series. Returns the next reference count to be called at (0: never). */
static uint64_t observe_stats(struct run_state *rs, unsigned cpu, uint64_t refs)
{
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

/* The statistics when they are due; the progress line every PROGRESS_STEP references. */
static uint64_t observe(void *ctx, unsigned cpu, uint64_t refs)
{
    struct run_state *rs = ctx;
    if (refs == rs->stats_due[cpu])
        rs->stats_due[cpu] = observe_stats(rs, cpu, refs);
    if (!rs->progress.enabled)
        return rs->stats_due[cpu];
    rs->refs[cpu] = refs;
    if (progress_due(&rs->progress))
        show_progress(rs);
    const uint64_t next = refs + PROGRESS_STEP;
    return rs->stats_due[cpu] && rs->stats_due[cpu] < next ? rs->stats_due[cpu] : next;
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

/* A message about the trace names its place first (TRACE:LINE:COLUMN, TRACE: offset N): printed as
 * it is; any other (out of memory) is the run's, prefixed as every message of the command. */
static void source_error(const struct run_config *c, const char *msg)
{
    const size_t n = strlen(c->trace_path);
    if (c->source != SOURCE_GENERATOR && n && strncmp(msg, c->trace_path, n) == 0 && msg[n] == ':')
        fprintf(stderr, "%s\n", msg);
    else
        cli_error("run: %s", msg);
}

enum { OPT_SET = 256, OPT_REPLACE, OPT_BACKEND, OPT_SLURM_ARG, OPT_NO_WAIT, OPT_PROGRESS };

/* The experiment document: the file, then every --set in order. NULL after printing why. */
static struct config_doc *load_experiment(const char *path, char **sets, size_t n_sets)
{
    static struct config_doc d;
    char err[1024];
    if (config_doc_load(&d, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    for (size_t i = 0; i < n_sets; i++)
        if (config_doc_set_option(&d, "--set", sets[i], err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            config_doc_free(&d);
            return NULL;
        }
    return &d;
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"replace", no_argument, NULL, OPT_REPLACE},
        {"quiet", no_argument, NULL, 'q'},
        {"set", required_argument, NULL, OPT_SET},
        {"jobs", required_argument, NULL, 'j'},
        {"backend", required_argument, NULL, OPT_BACKEND},
        {"slurm-arg", required_argument, NULL, OPT_SLURM_ARG},
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static char *sets[CONFIG_DOC_MAX_OPTIONS];
    size_t n_sets = 0;
    struct study_options so = {.progress = PROGRESS_AUTO};
    int replace = 0, ch;
    uint64_t v;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "o:fqj:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            so.out_dir = optarg;
            break;
        case 'f':
            so.force = 1;
            break;
        case OPT_REPLACE:
            replace = 1;
            break;
        case 'q':
            so.quiet = 1;
            break;
        case OPT_SET:
            if (n_sets == CONFIG_DOC_MAX_OPTIONS) {
                cli_error("run: more than %d --set options", CONFIG_DOC_MAX_OPTIONS);
                return EXIT_USAGE;
            }
            sets[n_sets++] = optarg;
            break;
        case 'j':
            if (cli_parse_u64(optarg, &v) != 0 || v < 1 || v > 4096) {
                fprintf(stderr, "-j %s: error: expected a number of points to run at once, 1 to 4096\n", optarg);
                return EXIT_USAGE;
            }
            so.jobs = (unsigned)v;
            break;
        case OPT_BACKEND:
            if (strcmp(optarg, "local") != 0 && strcmp(optarg, "slurm") != 0) {
                fprintf(stderr, "--backend %s: error: expected 'local' or 'slurm'\n", optarg);
                return EXIT_USAGE;
            }
            so.backend = optarg[0] == 's' ? STUDY_SLURM : STUDY_LOCAL;
            break;
        case OPT_SLURM_ARG:
            if (so.n_slurm_args == STUDY_MAX_SLURM_ARGS) {
                cli_error("run: more than %d --slurm-arg options", STUDY_MAX_SLURM_ARGS);
                return EXIT_USAGE;
            }
            so.slurm_args[so.n_slurm_args++] = optarg;
            break;
        case OPT_NO_WAIT:
            so.no_wait = 1;
            break;
        case OPT_PROGRESS:
            so.progress = PROGRESS_ON;
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
    const char *config_path = argv[optind], *out_dir = so.out_dir;
    const int quiet = so.quiet;
    char err[1024];
    struct config_doc *doc = load_experiment(config_path, sets, n_sets);
    if (!doc)
        return EXIT_USAGE;
    if (study_wanted(doc)) {
        if (so.backend == STUDY_LOCAL && (so.no_wait || so.n_slurm_args))
            fprintf(stderr, "vhptsim: run: warning: %s%s%s apply to --backend slurm; the study runs here (the local "
                            "backend) and waits for its points\n",
                    so.no_wait ? "--no-wait" : "", so.no_wait && so.n_slurm_args ? " and " : "",
                    so.n_slurm_args ? "--slurm-arg" : "");
        const int rc = study_main(doc, &so);
        config_doc_free(doc);
        return rc;
    }
    if (so.backend != STUDY_LOCAL || so.no_wait || so.n_slurm_args || so.jobs)
        fprintf(stderr, "vhptsim: run: warning: -j, --backend, --slurm-arg and --no-wait apply to studies (a "
                        "'sweep:'); %s has none, so it runs here as one experiment\n",
                config_path);
    static struct run_config c; /* large: keep it off the stack */
    run_config_default(&c);
    const int bad_config = run_config_from_doc(&c, doc, err, sizeof err) != 0;
    config_doc_free(doc);
    if (bad_config) {
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
    const unsigned flags = so.force ? RESULT_REPLACE_CHANGED | RESULT_REDO : replace ? RESULT_REPLACE_CHANGED : 0;
    status = open_output(&dir, out_dir ? out_dir : default_dir, &c, flags, quiet, &done);
    if (status != EXIT_OK || done)
        goto out;
    src = event_source_open(&c, err, sizeof err);
    if (!src) {
        source_error(&c, err);
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
    progress_init(&rs.progress, so.progress, quiet);
    const uint64_t first_stats = c.warmup ? c.warmup : c.interval;
    for (unsigned i = 0; i < p.nr_vcpus; i++)
        rs.stats_due[i] = first_stats;
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
        .first_observe = rs.progress.enabled && (!first_stats || first_stats > PROGRESS_STEP) ? PROGRESS_STEP : first_stats,
        .observer_ctx = &rs,
    };
    provenance_start(&prov);
    if (provenance_add_input(&prov, "experiment", config_path, err, sizeof err) != 0 ||
        (c.source != SOURCE_GENERATOR && provenance_add_input(&prov, "trace", c.trace_path, err, sizeof err) != 0)) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    const int sc_failed = sc_run(&p, &rp, err, sizeof err) != 0;
    progress_clear(&rs.progress);
    if (sc_failed) {
        const char *why = event_source_error(src);
        source_error(&c, why[0] ? why : err);
        status = why[0] ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    /* a trace (its length unknown up front) that ended inside a vCPU's warm-up, or at its end:
     * nothing of that vCPU was measured (short of it, its counters never reset and would report
     * the warm-up as measured) */
    for (unsigned i = 0; i < p.nr_vcpus; i++) {
        if (c.warmup && (!rs.have_base[i] || p.cpu[i].stats.refs <= c.warmup)) {
            fprintf(stderr,
                    "%s: error: run.warmup is %llu references per vCPU, but vCPU %u of the trace %s has %llu: the "
                    "warm-up takes all of them and nothing would be measured (lower run.warmup)\n",
                    c.warmup_place[0] ? c.warmup_place : config_path, (unsigned long long)c.warmup, i, c.trace_path,
                    (unsigned long long)p.cpu[i].stats.refs);
            status = EXIT_USAGE;
            goto out;
        }
    }
    uint64_t simulated = 0; /* references, warm-up included */
    for (unsigned i = 0; i < p.nr_vcpus; i++)
        simulated += p.cpu[i].stats.refs;
    provenance_stop(&prov, simulated);
    platform_finish(&p);
    for (unsigned i = 0; rs.have_ts && i < p.nr_vcpus; i++) /* every vCPU's warm-up ended (above) */
        timeseries_finish(&rs.ts, &p, i);

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

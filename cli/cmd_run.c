/* cmd_run.c - `vhptsim run FILE.yaml`: one timed run, results written atomically. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../config/param_set.h"
#include "../config/run_config.h"
#include "../model/guest/guest_os.h"
#include "../model/platform/platform.h"
#include "../model/sc/sc_run.h"
#include "../model/stats/result_dir.h"
#include "../model/stats/stat_set.h"
#include "../model/stats/timeseries.h"
#include "cli_util.h"
#include "commands.h"
#include "event_source.h"
#include "progress.h"
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
          "The directory appears complete or not at all (written aside, then renamed).\n"
          "\n"
          "With a 'sweep:' section the file is a study (docs/studies.md): every point of the\n"
          "sweep runs into DIR/<point>/, then DIR/summary.csv and DIR/report/ are written.\n"
          "Rerunning a study reuses the points whose result is complete and whose resolved\n"
          "configuration is unchanged.\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR  output directory (default results/<name>)\n"
          "  --set KEY=VALUE   set any key of the experiment by its dotted path, checked as\n"
          "                    if it were in the file (e.g. --set vmm.vtlb_size=1M\n"
          "                    --set guest.region_page_size.3=64K); may be repeated\n"
          "  --force           redo points (or a run) whose result is already complete\n"
          "  -j, --jobs N      study: points run at once (default: the number of cores)\n"
          "  --backend NAME    study: 'local' (default) or 'slurm' (one job array, sbatch)\n"
          "  --slurm-arg ARG   study, slurm: an extra sbatch argument (e.g. --slurm-arg=-pbig)\n"
          "  --no-wait         study, slurm: return once submitted; 'vhptsim report DIR' later\n"
          "  --progress        show progress on stderr even when it is not a terminal\n"
          "  -q, --quiet       print nothing on success (no progress either)\n"
          "  -h, --help        show this help\n"
          "\n"
          "Same file, same seed: the same numbers, byte for byte. Exit status: 0 success,\n"
          "1 runtime failure (I/O, memory), 2 bad configuration or trace (FILE:LINE:COLUMN).\n",
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

static int write_stats(struct run_state *rs, struct result_dir *dir, const struct sc_run_params *rp)
{
    struct stat_set s = {0};
    int rc = stat_set_collect(&s, rs->p);
    for (unsigned i = 0; i < rs->p->nr_vcpus && rc == 0; i++) {
        if (!rs->have_base[i])
            continue;
        char prefix[16];
        snprintf(prefix, sizeof prefix, "cpu%u.", i);
        stat_set_subtract(&s, &rs->base[i], prefix);
    }
    /* simulated time = cycles x clock period (after the warm-up reset) */
    for (unsigned i = 0; i < rs->p->nr_vcpus && rc == 0; i++) {
        char name[48];
        snprintf(name, sizeof name, "cpu%u.cycles.total", i);
        const struct stat_entry *cyc = stat_set_find(&s, name);
        snprintf(name, sizeof name, "cpu%u.time_ps", i);
        rc = stat_set_add(&s, name, (cyc ? cyc->count : 0) * rp->clock_period_ps);
    }
    if (rc == 0)
        rc = stat_set_derive(&s);
    FILE *yaml = rc == 0 ? result_dir_open(dir, "stats.yaml") : NULL;
    FILE *csv = yaml ? result_dir_open(dir, "stats.csv") : NULL;
    if (!yaml || !csv || stat_set_write_yaml(&s, yaml) != 0 || stat_set_write_csv(&s, csv) != 0)
        rc = -1;
    if (yaml && fclose(yaml) != 0)
        rc = -1;
    if (csv && fclose(csv) != 0)
        rc = -1;
    stat_set_free(&s);
    return rc;
}

enum { OPT_SET = 256, OPT_FORCE, OPT_BACKEND, OPT_SLURM_ARG, OPT_NO_WAIT, OPT_PROGRESS };

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
        {"quiet", no_argument, NULL, 'q'},
        {"set", required_argument, NULL, OPT_SET},
        {"force", no_argument, NULL, OPT_FORCE},
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
    int ch;
    uint64_t v;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "o:qj:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            so.out_dir = optarg;
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
        case OPT_FORCE:
            so.force = 1;
            break;
        case 'j':
            if (cli_parse_u64(optarg, &v) != 0 || v < 1 || v > 4096) {
                cli_error("run: -j: expected a number of points to run at once, 1 to 4096, got '%s'", optarg);
                return EXIT_USAGE;
            }
            so.jobs = (unsigned)v;
            break;
        case OPT_BACKEND:
            if (strcmp(optarg, "local") != 0 && strcmp(optarg, "slurm") != 0) {
                cli_error("run: --backend: expected 'local' or 'slurm', got '%s'", optarg);
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
    const char *out_dir = so.out_dir;
    const int quiet = so.quiet;
    char err[1024];
    struct config_doc *doc = load_experiment(argv[optind], sets, n_sets);
    if (!doc)
        return EXIT_USAGE;
    if (study_wanted(doc)) {
        const int rc = study_main(doc, &so);
        config_doc_free(doc);
        return rc;
    }
    if ((so.backend != STUDY_LOCAL || so.no_wait || so.n_slurm_args) && !quiet)
        fprintf(stderr, "vhptsim: run: --backend, --slurm-arg and --no-wait apply to studies (a 'sweep:'); "
                        "running the one experiment here\n");
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
    struct result_dir dir;
    struct guest_os *os = NULL;
    FILE *ts_file = NULL;
    int status = EXIT_OK, have_platform = 0, have_dir = 0;
    struct timespec t0 = {0, 0}, t1 = {0, 0};

    struct event_source *src = event_source_open(&c, err, sizeof err);
    if (!src) {
        cli_error("run: %s", err);
        return EXIT_USAGE;
    }
    if (platform_init(&p, &c.platform, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    have_platform = 1;
    if (c.guest_enabled && !(os = guest_os_create(&c.guest, &p.mem, &p.vm.p2m))) {
        cli_error("run: cannot create the guest OS model");
        status = EXIT_RUNTIME;
        goto out;
    }
    char default_dir[RUN_NAME_MAX + 16];
    snprintf(default_dir, sizeof default_dir, "results/%s", c.name);
    if (result_dir_begin(&dir, out_dir ? out_dir : default_dir, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    have_dir = 1;

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
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const int sc_failed = sc_run(&p, &rp, err, sizeof err) != 0;
    progress_clear(&rs.progress);
    if (sc_failed) {
        const char *why = event_source_error(src);
        cli_error("run: %s", why[0] ? why : err);
        status = why[0] ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    platform_finish(&p);

    FILE *cfg = result_dir_open(&dir, "config.yaml");
    int write_failed = !cfg || run_config_write(&c, cfg) != 0;
    if (cfg && fclose(cfg) != 0)
        write_failed = 1;
    if (ts_file && fclose(ts_file) != 0)
        write_failed = 1;
    ts_file = NULL;
    if (write_failed || write_stats(&rs, &dir, &rp) != 0 || rs.alloc_failed) {
        cli_error("run: cannot write the results");
        status = EXIT_RUNTIME;
        goto out;
    }
    if (result_dir_commit(&dir, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        status = EXIT_RUNTIME;
        goto out;
    }
    have_dir = 0; /* committed: nothing to remove */
    if (!quiet) {
        uint64_t refs = 0, cycles = 0;
        for (unsigned i = 0; i < p.nr_vcpus; i++) {
            refs += p.cpu[i].stats.refs;
            cycles += p.cpu[i].cycles.total;
        }
        const double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("%s: %llu references, %llu cycles on %u vCPU(s); %.2f M references/s simulated\n", dir.final,
               (unsigned long long)refs, (unsigned long long)cycles, p.nr_vcpus, secs > 0 ? (double)refs / secs / 1e6 : 0.0);
    }

out:
    if (ts_file)
        fclose(ts_file);
    if (have_dir)
        result_dir_abort(&dir);
    for (unsigned i = 0; i < 64; i++)
        stat_set_free(&rs.base[i]);
    if (os)
        guest_os_destroy(os);
    if (have_platform)
        platform_free(&p);
    event_source_close(src);
    return status;
}

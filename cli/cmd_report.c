/* cmd_report.c - `vhptsim report DIR`: see report.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../model/stats/result_dir.h"
#include "cli_util.h"
#include "commands.h"
#include "report.h"
#include "report_data.h"
#include "report_figures.h"
#include "report_index.h"
#include "signal_cleanup.h"

static void report_usage(FILE *out)
{
    fputs("Usage: vhptsim report [OPTIONS] DIR\n"
          "\n"
          "Draws the report of a study (DIR holds study.yaml: 'vhptsim run' of an experiment with a\n"
          "'sweep:') or of one run (DIR holds stats.csv), from their files alone (docs/studies.md):\n"
          "  DIR/summary.csv   a study: a row per point (swept values, status, every statistic)\n"
          "  DIR/report/       gnuplot figures as PNG and SVG with the data they plot, index.html\n"
          "                    and index.md: report.y against report.x (mean and min-max over\n"
          "                    seeds), cycles per reference by cost row, purge cost per\n"
          "                    operation, miss rates over time per vCPU\n"
          "A study runs this when its points are done; after 'run --backend slurm --no-wait', run\n"
          "it once the job array has finished. A point without a complete result shows as failed\n"
          "(its run was started: DIR/logs/<point>.log says why) or as not run.\n"
          "\n"
          "Options:\n"
          "  -q, --quiet       print nothing on success\n"
          "  -h, --help        show this help\n"
          "\n"
          "report/ is written aside and renamed into place, and listed in DIR's marker as\n"
          "vhptsim's (docs/results.md), so 'vhptsim run --force' can still replace a run's DIR.\n"
          "Needs gnuplot (scripts/setup installs gnuplot-nox). Exit status: 0 success, 1 I/O or\n"
          "gnuplot failure, or DIR is busy; 2 DIR is neither a study nor a complete run result;\n"
          "129/130/143 interrupted (the report being written is removed).\n",
          out);
}

/* Writes path whole or not at all. */
static int write_summary(const struct report_data *r, char *err, size_t errlen)
{
    char path[REPORT_PATH_MAX + 32], tmp[REPORT_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/summary.csv", r->dir);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int ok = f && report_write_summary(r, f) == 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) == 0)
        return 0;
    snprintf(err, errlen, "cannot write %.900s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
}

static int write_page(struct result_dir *d, const char *name, const struct report_data *r,
                      const struct report_figures *figs, int (*writer)(const struct report_data *,
                                                                       const struct report_figures *, FILE *))
{
    FILE *f = result_dir_open(d, name);
    int rc = !f || writer(r, figs, f) != 0 ? -1 : 0;
    if (f && fclose(f) != 0)
        rc = -1;
    return rc;
}

/* Takes the lock of dir (a study or a run) unless the caller holds it: EXIT_OK, or the status. */
static int lock_dir(struct result_lock *l, const char *dir, int study)
{
    const int rc = result_lock_take(l, dir, 0);
    if (rc > 0 && study) {
        cli_error("report: %s is being written by another vhptsim (a study running in it?); its report is drawn "
                  "when it finishes",
                  dir);
        return EXIT_RUNTIME;
    }
    if (rc > 0) {
        cli_error("report: %s is being written by another process; waiting for it to finish", dir);
        if (result_lock_take(l, dir, 1) == 0)
            return EXIT_OK;
    }
    if (rc != 0) {
        cli_error("report: cannot lock %s: %s", dir, strerror(errno));
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* What dir is: 1 a study, 0 a complete run; -1 neither (printed). */
static int report_kind(const char *dir)
{
    struct result_info info;
    if (result_dir_inspect(dir, NULL, 0, &info) != 0) {
        cli_error("report: cannot read %s: %s", dir, info.why);
        return -1;
    }
    if (info.kind == RESULT_STUDY || info.kind == RESULT_COMPLETE)
        return info.kind == RESULT_STUDY;
    if (info.kind == RESULT_ABSENT) {
        cli_error("report: %s does not exist (a study's or a run's directory: 'vhptsim run' writes them)", dir);
        return -1;
    }
    cli_error("report: %s is neither a study nor a complete result of 'vhptsim run' (docs/results.md)%s%s", dir,
              info.why[0] ? ": " : "", info.why);
    return -1;
}

int report_build(const char *dir, int quiet, int locked)
{
    static struct report_data r;
    static struct result_dir out; /* large, and the signal handler's */
    struct result_lock lock = {.fd = -1};
    char err[1024];
    int study = report_kind(dir);
    if (study < 0)
        return EXIT_USAGE;
    int status = locked ? EXIT_OK : lock_dir(&lock, dir, study);
    if (status != EXIT_OK)
        return status;
    if (!locked && report_kind(dir) != study) { /* replaced while we waited */
        result_lock_release(&lock);
        return EXIT_USAGE;
    }
    int not_a_result;
    if (report_data_load(&r, dir, &not_a_result, err, sizeof err) != 0) {
        cli_error("report: %s", err);
        report_data_free(&r);
        result_lock_release(&lock);
        return not_a_result ? EXIT_USAGE : EXIT_RUNTIME;
    }
    status = EXIT_RUNTIME;
    struct report_figures figs = {0};
    char out_dir[REPORT_PATH_MAX + 16];
    snprintf(out_dir, sizeof out_dir, "%s/report", r.dir);
    if (r.is_study && (result_dir_add_part(r.dir, "summary.csv", RESULT_PART_FILE, err, sizeof err) != 0 ||
                       write_summary(&r, err, sizeof err) != 0)) {
        cli_error("report: %s", err);
        goto done;
    }
    /* report/ is a result inside DIR, listed in DIR's marker: DIR stays vhptsim's and a later
     * 'run --force' still replaces it whole */
    if (result_dir_add_part(r.dir, "report", RESULT_PART_RESULT, err, sizeof err) != 0) {
        cli_error("report: %s", err);
        goto done;
    }
    signal_cleanup_watch(&out);
    const int begun = result_dir_begin(&out, out_dir, NULL, 0, RESULT_WAIT | RESULT_REPLACE_CHANGED | RESULT_REDO, err,
                                       sizeof err);
    if (begun != RESULT_OK) {
        cli_error("report: %s", err);
        status = begun == RESULT_REFUSED ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }
    err[0] = '\0';
    if (report_draw_all(&r, &out, &figs, err, sizeof err) != 0 ||
        write_page(&out, "index.html", &r, &figs, report_write_html) != 0 ||
        write_page(&out, "index.md", &r, &figs, report_write_md) != 0 || result_dir_commit(&out, err, sizeof err) != 0) {
        cli_error("report: %s", err[0] ? err : "cannot write the report");
        result_dir_abort(&out);
        goto done;
    }
    if (!quiet)
        printf("report: %s/index.html (%zu figure%s)\n", out_dir, figs.n, figs.n == 1 ? "" : "s");
    status = EXIT_OK;
done:
    signal_cleanup_forget(&out);
    result_lock_release(&lock);
    report_figures_free(&figs);
    report_data_free(&r);
    return status;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int quiet = 0, ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'q':
            quiet = 1;
            break;
        case 'h':
            report_usage(stdout);
            return EXIT_OK;
        default:
            cli_error("report: unknown option '%s' (try 'vhptsim report --help')", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_error("report: expected one directory (try 'vhptsim report --help')");
        return EXIT_USAGE;
    }
    return report_build(argv[optind], quiet, 0);
}

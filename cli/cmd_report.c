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
          "it once the job array has finished. Points without a complete result show as failed.\n"
          "\n"
          "Options:\n"
          "  -q, --quiet       print nothing on success\n"
          "  -h, --help        show this help\n"
          "\n"
          "Needs gnuplot (scripts/setup installs gnuplot-nox). Exit status: 0 success, 1 I/O or\n"
          "gnuplot failure, 2 DIR is neither a study nor a run.\n",
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

int report_build(const char *dir, int quiet)
{
    static struct report_data r;
    char err[1024];
    int not_a_result;
    if (report_data_load(&r, dir, &not_a_result, err, sizeof err) != 0) {
        cli_error("report: %s", err);
        report_data_free(&r);
        return not_a_result ? EXIT_USAGE : EXIT_RUNTIME;
    }
    int status = EXIT_RUNTIME;
    struct report_figures figs = {0};
    struct result_dir out;
    char out_dir[REPORT_PATH_MAX + 16];
    snprintf(out_dir, sizeof out_dir, "%s/report", r.dir);
    if (r.is_study && write_summary(&r, err, sizeof err) != 0) {
        cli_error("report: %s", err);
        goto done;
    }
    if (result_dir_begin(&out, out_dir, err, sizeof err) != 0) {
        cli_error("report: %s", err);
        goto done;
    }
    if (report_draw_all(&r, out.tmp, &figs, err, sizeof err) != 0 ||
        write_page(&out, "index.html", &r, &figs, report_write_html) != 0 ||
        write_page(&out, "index.md", &r, &figs, report_write_md) != 0 || result_dir_commit(&out, err, sizeof err) != 0) {
        cli_error("report: %s", err[0] ? err : "cannot write the report");
        result_dir_abort(&out);
        goto done;
    }
    if (!quiet)
        printf("report: %s/index.html (%zu figures)\n", out_dir, figs.n);
    status = EXIT_OK;
done:
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
    return report_build(argv[optind], quiet);
}

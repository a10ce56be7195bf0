/*
 * report_figures.h - the figures of a report (docs/studies.md), each as BASE.png, BASE.svg and
 * the data it plots (BASE.dat):
 *   y-<stat>     each report.y statistic against report.x, a line per combination of the other
 *                swept keys, the mean over seeds with min-max error bars (studies only)
 *   cycles       a stacked bar per point: cycles per reference of each cost row
 *   purges       cycles, entries touched and machine purges per guest purge operation, where
 *                any ran
 *   timeline-N   miss rates over time of point N (timeline for a single run), a line per vCPU
 * A study of many points gets the bar figures (cycles, purges) up to REPORT_BARS_MAX points and
 * the timelines of its first REPORT_TIMELINES_MAX complete points; the index says what was left
 * out (summary.csv and each point's timeseries.csv hold every number).
 */
#ifndef VHPTSIM_REPORT_FIGURES_H
#define VHPTSIM_REPORT_FIGURES_H

#include <stddef.h>

#include "../model/stats/result_dir.h"
#include "report_data.h"

#define REPORT_BARS_MAX 200     /* points a bar figure shows (a bar each: wider is unreadable) */
#define REPORT_TIMELINES_MAX 64 /* points whose miss rates over time are drawn */

enum figure_kind { FIG_SWEEP, FIG_CYCLES, FIG_PURGES, FIG_TIMELINE };

struct report_figure {
    enum figure_kind kind;
    char base[160];
    char caption[400];
    size_t point; /* FIG_TIMELINE: which point */
};

struct report_figures {
    struct report_figure *f;
    size_t n, cap;
    char notes[REPORT_MAX_Y + 8][400]; /* what could not be drawn, and why (shown in the index) */
    size_t n_notes;
};

/* Draws every figure into the report being written (each file listed in its marker). 0, or -1
 * with err (gnuplot failed). */
int report_draw_all(const struct report_data *r, struct result_dir *dir, struct report_figures *out, char *err,
                    size_t errlen);
void report_figures_free(struct report_figures *f);

/* The unit of a statistic, for axis labels ("hits / lookups", "cycles", ...). */
const char *report_stat_unit(const char *stat);

#endif

/*
 * report_data.h - what a report is drawn from: a study's manifest (study.yaml: name, sweep,
 * report) and each point's statistics (stats.csv), or one run's. Statistics are kept as the
 * text stats.csv holds, under the union of the names in point order (a 4-vCPU point has cpu3.*,
 * a 1-vCPU point has not).
 */
#ifndef VHPTSIM_REPORT_DATA_H
#define VHPTSIM_REPORT_DATA_H

#include <stddef.h>
#include <stdio.h>

#include "../config/report_spec.h"
#include "../config/sweep.h"
#include "../model/util/u64_map.h"

#define REPORT_PATH_MAX 1024
#define REPORT_FILE_MAX (256u << 20) /* the largest stats.csv or timeseries.csv read */

struct report_point {
    char name[SWEEP_NAME_MAX + 1]; /* the point's name; a single run: its experiment's name */
    char dir[REPORT_PATH_MAX + SWEEP_NAME_MAX + 2];
    size_t idx[SWEEP_MAX_AXES];    /* its value on each axis */
    int ok;                        /* a complete result of the point's configuration */
    int ran;                       /* not ok, but its run was started (DIR/logs/<point>.log is there):
                                      "failed"; else "not run" (a study killed before it) */
    char **values;                 /* by statistic index; NULL where the point has none */
    size_t n_values;
};

struct report_data {
    char dir[REPORT_PATH_MAX];
    char name[128];
    int is_study;
    struct sweep *sweep;          /* no axes for a single run */
    struct report_spec spec;
    struct report_point *points;
    size_t n_points;
    char **stats;                 /* the union of statistic names */
    size_t n_stats, cap_stats;
    struct u64_map index;         /* hash of a name -> its index */
};

/* 0; -1 with the message in err (2 = DIR is neither a study nor a run, via *not_a_result). */
int report_data_load(struct report_data *r, const char *dir, int *not_a_result, char *err, size_t errlen);
void report_data_free(struct report_data *r);

/* A point's value of stat as text (NULL: absent, empty or null, as an undefined rate is). */
const char *report_value(const struct report_data *r, const struct report_point *p, const char *stat);
/* The same as a number: 0, or -1 when there is none. */
int report_number(const struct report_data *r, const struct report_point *p, const char *stat, double *out);
/* A report.y statistic of a point: the name itself, else vm.<name> (the VM's: counts summed over
 * vCPUs, rates from those sums), else the mean of cpuN.<name> over the point's vCPUs
 * (*per_cpu_mean set); "cpu.<name>" asks for that mean directly. 0 or -1. */
int report_stat(const struct report_data *r, const struct report_point *p, const char *stat, double *out,
                int *per_cpu_mean);

/* Whether dir holds a complete result of the configuration config (config.yaml's bytes), by
 * docs/results.md's rule: the one test of a study's resume, its summary and its report. */
int report_point_current(const char *dir, const char *config, size_t config_len);

/* "ok", "failed" or "not run": the point's status in summary.csv and the report. */
const char *report_point_status(const struct report_point *p);

/* summary.csv: point, the swept keys, status, every statistic (RFC 4180 quoting). */
int report_write_summary(const struct report_data *r, FILE *out);

#endif

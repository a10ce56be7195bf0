/*
 * study.h - `vhptsim run EXP.yaml` when the experiment has a `sweep:` (docs/studies.md): every
 * point of the sweep resolved and checked up front, run as an ordinary `vhptsim run` into
 * DIR/<point>/ by a local process pool or a SLURM job array, complete points with an unchanged
 * configuration reused, then DIR/summary.csv and DIR/report/ (report.h).
 *
 * DIR holds: study.yaml (name, sweep, report: what `vhptsim report DIR` reads), inputs/<point>.yaml
 * (each point's resolved configuration, the file its run reads), <point>/ (its result),
 * logs/<point>.log (what a failed run said), slurm/ (the job script and the tasks' output,
 * SLURM only). DIR is a study's directory (model/stats/result_dir.h, docs/results.md): locked
 * while the study runs, each of these listed in its marker before it is written.
 */
#ifndef VHPTSIM_STUDY_H
#define VHPTSIM_STUDY_H

#include <stddef.h>

#include "../config/param_set.h"
#include "../config/report_spec.h"
#include "../config/run_config.h"
#include "../config/sweep.h"
#include "progress.h"

#define STUDY_PATH_MAX 1024
#define STUDY_MAX_SLURM_ARGS 64

enum study_backend { STUDY_LOCAL = 0, STUDY_SLURM };

struct study_options {
    unsigned jobs;             /* points at once; 0 = the number of cores */
    int force;                 /* rerun complete points too */
    int quiet;
    int no_wait;               /* SLURM: submit and return */
    enum progress_mode progress;
    const char *out_dir;       /* NULL: results/<name> */
    enum study_backend backend;
    const char *slurm_args[STUDY_MAX_SLURM_ARGS];
    size_t n_slurm_args;
};

struct study_point {
    char name[SWEEP_NAME_MAX + 1];
    char *config;      /* the resolved configuration (config.yaml's bytes) */
    size_t config_len;
    int run;           /* to be run now */
};

struct study {
    char name[RUN_NAME_MAX];
    char dir[STUDY_PATH_MAX];
    char self[STUDY_PATH_MAX]; /* the vhptsim executable the points run with */
    struct sweep *sweep;
    struct report_spec report;
    struct study_point *points;
    size_t n_points, n_to_run;
    unsigned throttle;        /* -j as given (SLURM's '%' throttle; 0: none given) */
    const struct study_options *opt;
    volatile int interrupted; /* the signal that stopped the study, or 0 */
};

/* Whether the experiment is a study (it has a sweep: or a report: section). */
int study_wanted(struct config_doc *d);
/* Runs the study; returns the exit status (0 all points complete, 1 a point or the report
 * failed, 2 a bad experiment or output directory). */
int study_main(struct config_doc *d, const struct study_options *o);

/* The command that runs one point, as execv arguments (both backends use it). */
struct study_cmd {
    char dir[STUDY_PATH_MAX + SWEEP_NAME_MAX + 2];
    char input[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16];
    const char *argv[10];
};
void study_point_cmd(const struct study *st, const struct study_point *p, struct study_cmd *cmd);
/* DIR/logs/<point>.log */
void study_log_path(const struct study *st, const struct study_point *p, char *buf, size_t len);
/* Whether the point's directory holds a complete result of its configuration. */
int study_point_current(const struct study *st, const struct study_point *p);
/* Points whose result is complete and current, for progress lines. */
size_t study_count_done(const struct study *st);

/* The backends: run every point with run set. 0, or -1 when the points could not be started
 * (the message printed). */
int study_local_run(struct study *st, struct progress *pr);
int study_slurm_run(struct study *st, struct progress *pr);

#endif

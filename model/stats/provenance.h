/*
 * provenance.h - what produced a result: run.yaml (the build, the host, the times, the speed
 * and every input file with its size and SHA-256) and the header comment of config.yaml.
 *
 * Kept apart from the statistics on purpose: stats.yaml, stats.csv and timeseries.csv must be
 * the same bytes on every rerun and every host, so nothing host- or time-dependent goes there;
 * it all goes here. One run (or one point of a study) is:
 *
 *     struct provenance pv;
 *     provenance_start(&pv);                                   // the clocks start
 *     provenance_add_input(&pv, "experiment", path, err, sizeof err);   // hashed now
 *     ... simulate ...
 *     provenance_stop(&pv, references_simulated);              // the clocks stop
 *     provenance_write_run_yaml(&pv, file);                     // run.yaml
 *
 * and provenance_config_header() heads the resolved config.yaml (run_config_text).
 */
#ifndef VHPTSIM_PROVENANCE_H
#define VHPTSIM_PROVENANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define PROVENANCE_MAX_INPUTS 8
#define PROVENANCE_PATH_MAX 1024

struct provenance_input {
    char role[32];                  /* "experiment", "trace", ... */
    char path[PROVENANCE_PATH_MAX]; /* absolute where it can be resolved */
    uint64_t size;                  /* bytes hashed */
    char sha256[65];                /* lower-case hex */
};

struct provenance {
    struct timespec start_wall, end_wall; /* CLOCK_REALTIME: start and end time */
    struct timespec start_mono, end_mono; /* CLOCK_MONOTONIC: wall seconds */
    struct timespec start_cpu, end_cpu;   /* CLOCK_PROCESS_CPUTIME_ID: CPU seconds */
    uint64_t refs;                        /* references simulated (warm-up included) */
    struct provenance_input input[PROVENANCE_MAX_INPUTS];
    unsigned ninputs;
};

/* Starts the clocks of a run (and forgets any inputs). */
void provenance_start(struct provenance *pv);
/* Records an input file: its path, size and SHA-256, read now. 0, or -1 with the reason in err
 * (cannot read it, too many inputs). */
int provenance_add_input(struct provenance *pv, const char *role, const char *path, char *err, size_t errlen);
/* Stops the clocks; refs = references the run simulated, for the speed. */
void provenance_stop(struct provenance *pv, uint64_t refs);
/* run.yaml: version, commit, build, host, times, speed, inputs. 0 or -1 (write error). */
int provenance_write_run_yaml(const struct provenance *pv, FILE *out);
/* The comment that heads config.yaml: the version and commit that resolved it. A comment only:
 * whether a result is up to date compares the keys (result_config.h), so a rebuild at another
 * commit still finds its earlier results of the same configuration. */
const char *provenance_config_header(void);

/* SHA-256 of a whole file (opened with input_file_open), as 64 lower-case hex digits (+ NUL) in
 * hex; its size in *size. 0, or -1 with "PATH: ..." in err. */
int provenance_sha256_file(const char *path, char hex[65], uint64_t *size, char *err, size_t errlen);

#endif

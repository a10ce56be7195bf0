/* study_slurm.c - the SLURM backend of a study: the points to run as one job array (sbatch
 * --array, a '%' throttle from -j), each task running the same command as the local backend
 * (study_point_cmd) into the same layout; then waiting for the array (squeue), unless --no-wait. */
#define _GNU_SOURCE /* realpath */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../model/stats/result_dir.h"
#include "cli_util.h"
#include "study.h"
#include "subprocess.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) { stop_signal = sig; }

/* Writes s single-quoted for sh. */
static void sh_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

/* DIR/slurm/job.sh: array task i runs the i-th point to run. */
static int write_job_script(const struct study *st, const char *path, size_t *n_tasks)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "#!/bin/sh\n# vhptsim study %s: one array task per point to run (written by 'vhptsim run "
               "--backend slurm';\n# each task is the command the local backend runs)\ncase \"$SLURM_ARRAY_TASK_ID\" in\n",
            st->name);
    size_t n = 0;
    for (size_t i = 0; i < st->n_points; i++) {
        const struct study_point *p = &st->points[i];
        if (!p->run)
            continue;
        struct study_cmd cmd;
        char log[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16];
        study_point_cmd(st, p, &cmd);
        study_log_path(st, p, log, sizeof log);
        fprintf(f, "%zu) exec", n++);
        for (size_t a = 0; cmd.argv[a]; a++) {
            fputc(' ', f);
            sh_quote(f, cmd.argv[a]);
        }
        fputs(" </dev/null >/dev/null 2>", f);
        sh_quote(f, log);
        fputs(" ;;\n", f);
    }
    fputs("*) echo \"vhptsim: no point for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n", f);
    *n_tasks = n;
    const int bad = ferror(f);
    return fclose(f) != 0 || bad || chmod(path, 0755) != 0 ? -1 : 0;
}

/* Submits the array; the job id into id. 0 or -1 (printed). */
static int submit(const struct study *st, const char *script, size_t n_tasks, char *id, size_t idlen)
{
    char array[64], name[RUN_NAME_MAX + 32], output[STUDY_PATH_MAX + 64];
    if (st->throttle)
        snprintf(array, sizeof array, "--array=0-%zu%%%u", n_tasks - 1, st->throttle);
    else
        snprintf(array, sizeof array, "--array=0-%zu", n_tasks - 1);
    snprintf(name, sizeof name, "--job-name=vhptsim-%s", st->name);
    snprintf(output, sizeof output, "--output=%s/slurm/task-%%a.out", st->dir);
    const char *argv[STUDY_MAX_SLURM_ARGS + 8];
    size_t n = 0;
    argv[n++] = "sbatch";
    argv[n++] = "--parsable";
    argv[n++] = array;
    argv[n++] = name;
    argv[n++] = output;
    for (size_t i = 0; i < st->opt->n_slurm_args; i++)
        argv[n++] = st->opt->slurm_args[i];
    argv[n++] = script;
    argv[n] = NULL;
    char out[256], err[1024];
    const int rc = subprocess_run(argv, NULL, NULL, out, sizeof out, err, sizeof err);
    if (rc != 0) {
        cli_error("run: --backend slurm: sbatch %s: %s", rc < 0 ? "could not run" : "failed",
                  err[0] ? err : "(no message)");
        return -1;
    }
    const size_t len = strspn(out, "0123456789");
    if (!len || len >= idlen) {
        cli_error("run: --backend slurm: sbatch printed no job id ('%s')", out);
        return -1;
    }
    snprintf(id, idlen, "%.*s", (int)len, out);
    return 0;
}

/* Tasks of the array still pending or running: 0 when it is done; -1 when squeue failed. */
static long tasks_left(const char *id, size_t *running)
{
    const char *argv[] = {"squeue", "--noheader", "--jobs", id, "--format=%t", NULL};
    char out[65536], err[512];
    const int rc = subprocess_run(argv, NULL, NULL, out, sizeof out, err, sizeof err);
    if (rc != 0) /* a job SLURM has forgotten (MinJobAge) is finished */
        return strstr(err, "Invalid job id") ? 0 : -1;
    long left = 0;
    *running = 0;
    for (char *line = out; *line; line++) {
        if (line == out || line[-1] == '\n') {
            left++;
            *running += strncmp(line, "R", 1) == 0 && (line[1] == '\n' || line[1] == '\0');
        }
    }
    return left;
}

static int wait_for_array(struct study *st, const char *id, struct progress *pr)
{
    struct sigaction sa, old[3];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    stop_signal = 0;
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &old[i]);
    int failures = 0, rc = 0;
    for (;;) {
        size_t running = 0;
        const long left = tasks_left(id, &running);
        if (left == 0)
            break;
        if (left < 0 && ++failures >= 30) {
            cli_error("run: --backend slurm: squeue keeps failing; the job array %s may still run: "
                      "'vhptsim report %s' when it is done",
                      id, st->dir);
            rc = -1;
            break;
        }
        if (stop_signal) {
            const char *argv[] = {"scancel", id, NULL};
            char out[256], err[512];
            subprocess_run(argv, NULL, NULL, out, sizeof out, err, sizeof err);
            st->interrupted = stop_signal;
            break;
        }
        if (progress_due(pr)) {
            const size_t done = study_count_done(st);
            char eta[32];
            progress_eta(eta, sizeof eta, progress_elapsed(pr), (double)done, (double)st->n_to_run);
            progress_show(pr, "study %s: %zu/%zu points done, %zu running, %ld waiting (job %s), %s", st->name, done,
                          st->n_to_run, running, left > 0 ? left - (long)running : 0, id, eta);
        }
        const struct timespec nap = {0, 500 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &old[i], NULL);
    return rc;
}

int study_slurm_run(struct study *st, struct progress *pr)
{
    /* tasks run wherever the cluster puts them: every path absolute */
    char *abs = realpath(st->dir, NULL);
    if (!abs || strlen(abs) >= sizeof st->dir) {
        cli_error("run: %s: %s", st->dir, abs ? "path too long" : strerror(errno));
        free(abs);
        return -1;
    }
    snprintf(st->dir, sizeof st->dir, "%s", abs);
    free(abs);
    /* DIR/slurm/: the job script and each task's output (what the job script itself said),
     * listed in the study's markers before SLURM writes them */
    char script[STUDY_PATH_MAX + 32], slurm[STUDY_PATH_MAX + 16], err[1536];
    snprintf(slurm, sizeof slurm, "%s/slurm", st->dir);
    int listed = result_dir_add_part(st->dir, "slurm", RESULT_PART_DIR, err, sizeof err) == 0 &&
                 result_dir_add_part(slurm, "job.sh", RESULT_PART_FILE, err, sizeof err) == 0;
    char (*names)[32] = calloc(st->n_to_run + 1, sizeof *names); /* task-<n>.out, listed at once */
    const char **list = calloc(st->n_to_run + 1, sizeof *list);
    if (!names || !list) {
        listed = 0;
        snprintf(err, sizeof err, "out of memory");
    }
    for (size_t i = 0; listed && i < st->n_to_run; i++) {
        snprintf(names[i], sizeof names[i], "task-%zu.out", i);
        list[i] = names[i];
    }
    listed = listed && result_dir_add_parts(slurm, list, st->n_to_run, RESULT_PART_FILE, err, sizeof err) == 0;
    free(names);
    free(list);
    if (!listed) {
        cli_error("run: %s", err);
        return -1;
    }
    snprintf(script, sizeof script, "%s/slurm/job.sh", st->dir);
    size_t n_tasks = 0;
    if (write_job_script(st, script, &n_tasks) != 0) {
        cli_error("run: cannot write %s: %s", script, strerror(errno));
        return -1;
    }
    char id[64];
    if (submit(st, script, n_tasks, id, sizeof id) != 0)
        return -1;
    if (!st->opt->quiet)
        printf("study %s: submitted SLURM job array %s (%zu tasks)\n", st->name, id, n_tasks);
    fflush(stdout);
    return st->opt->no_wait ? 0 : wait_for_array(st, id, pr);
}

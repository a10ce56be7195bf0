/* study_local.c - the local backend of a study: a pool of at most -j child `vhptsim run`
 * processes, one per point (fork + exec: each point is an ordinary run in its own process,
 * so points cannot disturb each other and any -j gives the same bytes). */
#define _GNU_SOURCE /* prctl */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"
#include "study.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) { stop_signal = sig; }

static pid_t spawn_point(const struct study *st, const struct study_point *p)
{
    struct study_cmd cmd;
    char log[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16];
    study_point_cmd(st, p, &cmd);
    study_log_path(st, p, log, sizeof log);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* the child: dies with the study (a killed study leaves no orphan runs behind) */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(126);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    const int null = open("/dev/null", O_RDWR);
    const int err = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (null < 0 || err < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
        dup2(err, STDERR_FILENO) < 0)
        _exit(126);
    execv(cmd.argv[0], (char *const *)cmd.argv);
    dprintf(STDERR_FILENO, "vhptsim: cannot run %s: %s\n", cmd.argv[0], strerror(errno));
    _exit(127);
}

/* A point that succeeded keeps no log unless its run said something. */
static void drop_empty_log(const struct study *st, const struct study_point *p)
{
    char log[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16];
    study_log_path(st, p, log, sizeof log);
    struct stat sb;
    if (stat(log, &sb) == 0 && sb.st_size == 0)
        unlink(log);
}

int study_local_run(struct study *st, struct progress *pr)
{
    const unsigned jobs = st->opt->jobs ? st->opt->jobs : 1;
    pid_t *pid = calloc(jobs, sizeof *pid);
    size_t *point = calloc(jobs, sizeof *point);
    if (!pid || !point) {
        free(pid);
        free(point);
        cli_error("run: out of memory");
        return -1;
    }
    struct sigaction sa, old[3];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: the wait below wakes up */
    sigemptyset(&sa.sa_mask);
    static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    stop_signal = 0;
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, &old[i]);

    size_t next = 0, running = 0, done = 0, failed = 0;
    int forwarded = 0, rc = 0;
    for (;;) {
        while (!stop_signal && running < jobs && next < st->n_points) {
            if (!st->points[next].run) {
                next++;
                continue;
            }
            unsigned slot = 0;
            while (pid[slot])
                slot++;
            pid[slot] = spawn_point(st, &st->points[next]);
            if (pid[slot] < 0) {
                pid[slot] = 0;
                cli_error("run: cannot start a point: %s", strerror(errno));
                stop_signal = SIGTERM;
                rc = -1;
                break;
            }
            point[slot] = next++;
            running++;
        }
        if (running == 0)
            break;
        if (stop_signal && !forwarded) {
            for (unsigned s = 0; s < jobs; s++)
                if (pid[s])
                    kill(pid[s], stop_signal);
            forwarded = 1;
        }
        int status;
        const pid_t got = waitpid(-1, &status, WNOHANG);
        if (got > 0) {
            for (unsigned s = 0; s < jobs; s++) {
                if (pid[s] != got)
                    continue;
                pid[s] = 0;
                running--;
                if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                    done++;
                    drop_empty_log(st, &st->points[point[s]]);
                } else {
                    failed++;
                }
            }
        } else if (got < 0 && errno != EINTR) {
            break;
        } else {
            const struct timespec nap = {0, 20 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
        if (progress_due(pr)) {
            char eta[32];
            progress_eta(eta, sizeof eta, progress_elapsed(pr), (double)(done + failed), (double)st->n_to_run);
            progress_show(pr, "study %s: %zu/%zu points done, %zu running, %zu failed, %s", st->name, done, st->n_to_run,
                          running, failed, eta);
        }
    }
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &old[i], NULL);
    st->interrupted = rc == 0 ? stop_signal : 0;
    free(pid);
    free(point);
    return rc;
}

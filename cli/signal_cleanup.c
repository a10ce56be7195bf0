/* signal_cleanup.c - see signal_cleanup.h. The handler is the one place that needs process-wide
 * state: a signal carries no context. */
#include "signal_cleanup.h"

#include <signal.h>
#include <stddef.h>
#include <unistd.h>

#define WATCH_MAX 64

static struct result_dir *volatile watched[WATCH_MAX];
static const char *volatile watched_files[WATCH_MAX];
static struct result_lock *volatile watched_lock;

static void on_signal(int sig)
{
    for (int i = 0; i < WATCH_MAX; i++) {
        if (watched[i])
            result_dir_abort_now(watched[i]);
        if (watched_files[i])
            unlink(watched_files[i]);
    }
    if (watched_lock)
        result_lock_release(watched_lock);
    _exit(128 + sig);
}

static void install(void)
{
    static int installed;
    if (!installed) {
        struct sigaction sa;
        sa.sa_handler = on_signal;
        sigfillset(&sa.sa_mask); /* one handler at a time */
        sa.sa_flags = 0;
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        for (int i = 0; i < 3; i++) {
            struct sigaction old;
            /* a signal ignored from the start (nohup, a shell's background job) stays ignored */
            if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
                sigaction(sigs[i], &sa, NULL);
        }
        installed = 1;
    }
}

int signal_cleanup_watch(struct result_dir *d)
{
    install();
    for (int i = 0; i < WATCH_MAX; i++) {
        if (!watched[i]) {
            watched[i] = d;
            return 0;
        }
    }
    return -1;
}

void signal_cleanup_forget(struct result_dir *d)
{
    for (int i = 0; i < WATCH_MAX; i++)
        if (watched[i] == d)
            watched[i] = NULL;
}

int signal_cleanup_watch_file(const char *path)
{
    install();
    for (int i = 0; i < WATCH_MAX; i++) {
        if (!watched_files[i]) {
            watched_files[i] = path;
            return 0;
        }
    }
    return -1;
}

void signal_cleanup_forget_file(const char *path)
{
    for (int i = 0; i < WATCH_MAX; i++)
        if (watched_files[i] == path)
            watched_files[i] = NULL;
}

void signal_cleanup_watch_lock(struct result_lock *l)
{
    install();
    watched_lock = l;
}

void signal_cleanup_forget_lock(void) { watched_lock = NULL; }

/* progress.c - see progress.h. */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_init(struct progress *p, enum progress_mode mode, int quiet)
{
    p->tty = isatty(STDERR_FILENO);
    p->enabled = !quiet && (mode == PROGRESS_ON || (mode == PROGRESS_AUTO && p->tty));
    p->drawn = 0;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
}

double progress_elapsed(const struct progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return seconds_between(&p->start, &now);
}

int progress_due(struct progress *p)
{
    if (!p->enabled)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    /* a terminal line is redrawn a few times a second; a log gets a line every 5 s */
    return seconds_between(&p->last, &now) >= (p->tty ? 0.25 : 5.0);
}

void progress_show(struct progress *p, const char *fmt, ...)
{
    if (!p->enabled)
        return;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    va_list ap;
    va_start(ap, fmt);
    if (p->tty)
        fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (!p->tty)
        fputc('\n', stderr);
    p->drawn = p->tty;
    fflush(stderr);
}

void progress_clear(struct progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}

void progress_eta(char *buf, size_t len, double elapsed, double done, double total)
{
    if (done <= 0 || total <= 0 || done > total) {
        snprintf(buf, len, "ETA --");
        return;
    }
    const unsigned long s = (unsigned long)(elapsed * (total - done) / done + 0.5);
    if (s >= 3600)
        snprintf(buf, len, "ETA %lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, len, "ETA %lu:%02lu", s / 60, s % 60);
}

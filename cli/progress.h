/*
 * progress.h - one live progress line on stderr for long work (a run's references, a study's
 * points). Shown when stderr is a terminal (redrawn in place) or when asked for (--progress:
 * then a plain line every few seconds, for logs); -q silences it. Never written to results.
 */
#ifndef VHPTSIM_PROGRESS_H
#define VHPTSIM_PROGRESS_H

#include <stddef.h>
#include <time.h>

enum progress_mode { PROGRESS_AUTO = -1, PROGRESS_OFF = 0, PROGRESS_ON = 1 };

struct progress {
    int enabled;          /* anything to print at all */
    int tty;              /* redraw in place (stderr is a terminal) */
    int drawn;            /* a line is on the screen (tty) */
    struct timespec start, last;
};

void progress_init(struct progress *p, enum progress_mode mode, int quiet);
/* Whether enough time passed since the last line to draw another (cheap to call often). */
int progress_due(struct progress *p);
/* Draws the line (printf-style) and remembers when. */
void progress_show(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Removes the line from a terminal before other output; a no-op otherwise. */
void progress_clear(struct progress *p);
/* Seconds since progress_init. */
double progress_elapsed(const struct progress *p);
/* "ETA m:ss" (or h:mm:ss) for the rest of the work at the rate so far; "ETA --" if unknown. */
void progress_eta(char *buf, size_t len, double elapsed, double done, double total);

#endif

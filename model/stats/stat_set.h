/*
 * stat_set.h - a run's statistics as an ordered list of named values: the counters of
 * model/platform/counters.c (minus a warm-up baseline) and the rates derived from them.
 * Written as stats.yaml and stats.csv; docs/stats.md documents every name.
 */
#ifndef VHPTSIM_STAT_SET_H
#define VHPTSIM_STAT_SET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../platform/platform.h"

struct stat_entry {
    char *name;
    int is_rate;   /* derived: value in `rate`, else an integer count in `count` */
    uint64_t count;
    double rate;
};

struct stat_set {
    struct stat_entry *e;
    size_t n, cap;
};

/* Every counter of p, in the visitor's order. 0 or -1 (out of memory). */
int stat_set_collect(struct stat_set *s, const struct platform *p);
/* s -= base for the entries whose name starts with prefix (NULL: all), entry by entry (same
 * platform, same order): how a warm-up resets the statistics. */
void stat_set_subtract(struct stat_set *s, const struct stat_set *base, const char *prefix);
/* Appends the derived rates (hit rates, MPKI; docs/stats.md). 0 or -1. */
int stat_set_derive(struct stat_set *s);
/* Appends one integer entry. 0 or -1. */
int stat_set_add(struct stat_set *s, const char *name, uint64_t value);
const struct stat_entry *stat_set_find(const struct stat_set *s, const char *name);
void stat_set_free(struct stat_set *s);

int stat_set_write_yaml(const struct stat_set *s, FILE *out);
int stat_set_write_csv(const struct stat_set *s, FILE *out);

#endif

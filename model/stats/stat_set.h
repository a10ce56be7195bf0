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
    int defined;   /* a rate with a nonzero denominator; else undefined: null / empty */
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
/* Appends vm.X = the sum over the vCPUs of every cpu0.X counter (vm.time_ps: the largest;
 * also vm.cycles.max = the largest cpuN.cycles.total). 0 or -1. */
int stat_set_add_vm_totals(struct stat_set *s, unsigned nr_vcpus);
/* Appends the derived rates of every X.hits / X.misses pair (hit_rate, mpkr, and mpki where
 * X's scope has instructions; docs/stats.md); undefined where the denominator is 0. 0 or -1. */
int stat_set_derive(struct stat_set *s);
/* What `vhptsim run` writes: p's counters, vCPU i's minus base[i] where have_base[i] (its
 * warm-up), cpuN.time_ps, the vm.* totals and the derived rates. 0 or -1 (out of memory). */
int stat_set_of_run(struct stat_set *s, const struct platform *p, const struct stat_set *base, const int *have_base,
                    uint64_t clock_period_ps);
/* Appends one integer entry. 0 or -1. */
int stat_set_add(struct stat_set *s, const char *name, uint64_t value);
const struct stat_entry *stat_set_find(const struct stat_set *s, const char *name);
void stat_set_free(struct stat_set *s);

int stat_set_write_yaml(const struct stat_set *s, FILE *out);
int stat_set_write_csv(const struct stat_set *s, FILE *out);

#endif

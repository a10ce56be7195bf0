/*
 * counters.h - every counter of a platform, by hierarchical name (docs/stats.md), in a fixed
 * order. One visitor feeds the text listing of `replay` and, later, the YAML/CSV writers.
 */
#ifndef VHPTSIM_COUNTERS_H
#define VHPTSIM_COUNTERS_H

#include <stdint.h>
#include <stdio.h>

#include "platform.h"

typedef void (*counter_fn)(void *ctx, const char *name, uint64_t value);

void platform_counters_visit(const struct platform *p, counter_fn fn, void *ctx);
/* "name value" lines; 0 or -1 on an output error. */
int platform_counters_print(const struct platform *p, FILE *out);

#endif

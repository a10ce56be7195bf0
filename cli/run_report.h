/*
 * run_report.h - what `vhptsim run` tells its user when a run is done: the summary line on
 * standard output (the measured figures, as stats.yaml has them) and, on standard error, one
 * warning for each configured choice that never took effect.
 */
#ifndef VHPTSIM_RUN_REPORT_H
#define VHPTSIM_RUN_REPORT_H

#include <stdio.h>

#include "../config/run_config.h"
#include "../model/stats/stat_set.h"

/* "DIR: R references, C cycles on N vCPU(s)[ after a warm-up of W references per vCPU]": R and
 * C are vm.refs and vm.cycles.max of s (after the warm-up); with several vCPUs the cycles
 * summed over them follow. Deterministic: the same run prints the same line. */
void run_report_summary(FILE *out, const char *dir, const struct run_config *c, const struct stat_set *s);

/* One "vhptsim: warning: ..." line per setting of c that had no effect on the measured run s
 * (e.g. guest.purge: ptc_l when every munmap fell back to ptc.e). Returns how many. */
unsigned run_report_warnings(FILE *err, const struct run_config *c, const struct stat_set *s);

#endif

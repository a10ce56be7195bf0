/*
 * stat_catalog.h - the statistic names a run writes (docs/stats.md), known before anything runs:
 * the names of a one-vCPU platform with every optional group listed (the guest OS model's,
 * instructions and MPKI, a system-mode trace's), so that a study's report.y is checked against
 * them before its points run, not found missing after (cli/study.c).
 */
#ifndef VHPTSIM_STAT_CATALOG_H
#define VHPTSIM_STAT_CATALOG_H

#include "../config/run_config.h"
#include "../model/stats/stat_set.h"

struct stat_catalog {
    struct stat_set names; /* cpu0.* and vm.* */
};

/* The names of a run of c's machine (its tables at their smallest: names do not depend on
 * sizes). 0, or -1 with err. */
int stat_catalog_init(struct stat_catalog *cat, const struct run_config *c, char *err, size_t errlen);
/* Whether a report.y name finds a statistic by report_stat's lookup (cli/report_data.h): as
 * written (cpuN.X as cpu0.X), as vm.<name>, as the mean of cpuN.<name>, or cpu.<name>. */
int stat_catalog_has(const struct stat_catalog *cat, const char *name);
void stat_catalog_free(struct stat_catalog *cat);

#endif

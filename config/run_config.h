/*
 * run_config.h - one run, fully resolved: every parameter of the platform, the guest OS model,
 * the costs, the workload and the run itself. Loaded from a YAML experiment file (libyaml),
 * validated with file:line:column messages, and written back (resolved, defaults included)
 * next to the results. docs/config.md documents every key.
 */
#ifndef VHPTSIM_RUN_CONFIG_H
#define VHPTSIM_RUN_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/cost/cost_table.h"
#include "../model/guest/guest_os.h"
#include "../model/platform/platform.h"
#include "../workloads/workload.h"

#define RUN_NAME_MAX 64
#define RUN_PATH_MAX 1024

enum workload_source {
    SOURCE_GENERATOR = 0, /* a synthetic workload (workloads/) */
    SOURCE_VTRACE,        /* a vtrace file: exact replay unless the guest OS model is on */
    SOURCE_SKI            /* a Ski trace: user mode through the guest OS model, system mode driven
                             by the guest's own TLB operations (guest OS model off) */
};

struct run_config {
    char name[RUN_NAME_MAX]; /* experiment name: letters, digits, '-', '_', '.' */
    uint64_t seed;
    unsigned vcpus;

    /* run */
    uint64_t length;   /* references per vCPU; 0 = until the workload ends */
    uint64_t warmup;   /* references per vCPU before the statistics reset */
    uint64_t interval; /* references per time-series sample; 0 = no time series */
    uint64_t quantum;  /* cycles a vCPU may run ahead of the others */
    char warmup_place[RUN_PATH_MAX + 64]; /* where run.warmup was given ("FILE:LINE:COLUMN", the
                                             --set option; "" for the default), for a message
                                             after the run (a trace shorter than its warm-up) */

    /* machine + vmm */
    uint64_t clock_mhz;
    struct platform_params platform;

    /* guest OS model */
    int guest_enabled;
    struct guest_os_params guest;
    unsigned guest_region_ps_given; /* bit r: the file gave guest.region_page_size of region r
                                       (a workload's page size hint does not override it) */

    struct cost_table costs;

    /* workload */
    enum workload_source source;
    struct workload_params workload; /* SOURCE_GENERATOR */
    char trace_path[RUN_PATH_MAX];   /* SOURCE_VTRACE / SOURCE_SKI, relative to the YAML file */
    int ski_per_instruction;         /* SOURCE_SKI: an IFETCH per instruction, not per bundle */
};

/* The defaults of every key (the values docs/config.md lists). */
void run_config_default(struct run_config *c);

/*
 * Loads path over the defaults. 0 on success; -1 with "path:line:column: error: what" in err
 * for malformed YAML, unknown keys, wrong types and impossible values.
 */
int run_config_load(struct run_config *c, const char *path, char *err, size_t errlen);

struct config_doc;
/* The same from an experiment document (param_set.h: the file with --set overrides or a sweep
 * point's values applied); messages name the file's places or the options. Trace paths are
 * taken relative to the document's file (the working directory when there is none). */
int run_config_from_doc(struct run_config *c, struct config_doc *d, char *err, size_t errlen);

/* Whether the value of a dotted key is a size in bytes (axis labels of reports). */
int run_config_key_in_bytes(const char *key);

/* Writes the resolved configuration as YAML (every key, defaults included). 0 or -1. */
int run_config_write(const struct run_config *c, FILE *out);
/* The same text in memory after `header` (comment lines, or NULL): what a result's config.yaml
 * holds and result_dir_begin compares, key by key; free() it. NULL when out of memory. */
char *run_config_text(const struct run_config *c, const char *header, size_t *len);

#endif

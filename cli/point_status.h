/*
 * point_status.h - whether a study point's result directory can be reused: it is complete and
 * was produced by the same resolved configuration. The one place this rule lives for studies
 * (resume, summary.csv); `run -o` applies the same rule to a single result (issue 7), and this
 * function is meant to become that shared check.
 */
#ifndef VHPTSIM_POINT_STATUS_H
#define VHPTSIM_POINT_STATUS_H

#include <stddef.h>

enum point_status {
    POINT_ABSENT = 0, /* no result (never run, failed, or killed while running) */
    POINT_STALE,      /* a complete result of another configuration */
    POINT_CURRENT     /* complete, and its config.yaml is the resolved configuration given */
};

/* config: the resolved configuration (run_config_write's bytes). Comment lines ('#') are not
 * compared, so a header that names the build does not make a result stale. */
enum point_status point_status(const char *dir, const char *config, size_t config_len);

/* The whole of a small file into a NUL-terminated malloc'ed buffer (NULL if unreadable). */
char *point_read_file(const char *path, size_t *len);

#endif

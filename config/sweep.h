/*
 * sweep.h - a study's `sweep:` section (docs/studies.md): dotted keys of the experiment schema,
 * each with a list of values; the cross product of the lists is the set of runs ("points").
 * Points are numbered with the first key varying slowest (nested loops in the order written)
 * and named from their values, e.g. `vtlb_size=32K,seed=1` (the last component of each key, the
 * last two when it is a number, the whole key where two keys share it), so a point's directory
 * name is stable and readable.
 */
#ifndef VHPTSIM_SWEEP_H
#define VHPTSIM_SWEEP_H

#include <stddef.h>
#include <yaml.h>

#include "param_set.h"

#define SWEEP_MAX_AXES 16
#define SWEEP_MAX_VALUES 1024
#define SWEEP_MAX_POINTS 100000
#define SWEEP_KEY_MAX 128
#define SWEEP_NAME_MAX 240 /* a point's name is a directory name */

struct sweep_axis {
    char key[SWEEP_KEY_MAX];   /* dotted path, e.g. vmm.vtlb_size */
    const char *short_key;     /* what point names use: a suffix of key */
    size_t n;                  /* values */
    int value_ids[SWEEP_MAX_VALUES]; /* the values' nodes in the document (0 when read back from study.yaml) */
    char *labels[SWEEP_MAX_VALUES];  /* each value as written, as it appears in names and summary.csv */
    yaml_mark_t key_mark;
};

struct sweep {
    struct sweep_axis axis[SWEEP_MAX_AXES];
    size_t n_axes;
    size_t n_points; /* product of the axes' lengths (1 without a sweep) */
};

/* Takes `sweep:` out of the document (nested mappings are dotted keys: {vmm: {vtlb_size: [..]}}
 * is vmm.vtlb_size) and checks its shape: lists of distinct values, keys that are not study keys,
 * point names that fit. Absent: no axes, one point. 0 or -1 with FILE:LINE:COLUMN in err. */
int sweep_take(struct sweep *s, struct config_doc *d, char *err, size_t errlen);

/* Index of point's value on each axis. */
void sweep_point_indices(const struct sweep *s, size_t point, size_t idx[SWEEP_MAX_AXES]);
/* The point's name ("" without a sweep). */
void sweep_point_name(const struct sweep *s, size_t point, char *buf, size_t len);
/* Writes the point's values into the document (the file's value nodes: errors keep their
 * file:line:column). 0 or -1 with err. */
int sweep_apply(const struct sweep *s, struct config_doc *d, size_t point, char *err, size_t errlen);
/* Whether a --set of key would be overwritten by the sweep (it is a swept key, inside one, or
 * holds one). Returns the axis' key or NULL. */
const char *sweep_covers(const struct sweep *s, const char *key);
/* Emits the sweep as a mapping of keys to lists of labels (study.yaml; sweep_take reads it). */
int sweep_emit(yaml_emitter_t *em, const struct sweep *s);
void sweep_free(struct sweep *s);

#endif

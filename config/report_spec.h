/*
 * report_spec.h - a study's `report:` section (docs/studies.md): what its figures show. Read
 * with the experiment schema's machinery (yaml_schema.h), so its errors name file:line:column.
 */
#ifndef VHPTSIM_REPORT_SPEC_H
#define VHPTSIM_REPORT_SPEC_H

#include <stddef.h>
#include <yaml.h>

#include "param_set.h"
#include "sweep.h"

#define REPORT_MAX_Y 16
#define REPORT_STAT_MAX 128

struct report_spec {
    char title[128];        /* "" = the study's name */
    char description[2048]; /* shown at the top of index.html / index.md */
    char x[SWEEP_KEY_MAX];  /* the swept key on the x axis ("" = the first swept key other than seed) */
    char y[REPORT_MAX_Y][REPORT_STAT_MAX]; /* statistics drawn against x, one figure each */
    size_t n_y;
    int y_given;                           /* y came from the file or a --set (not the defaults) */
    yaml_mark_t y_mark[REPORT_MAX_Y];      /* where each was written, for a message */
};

/* Takes `report:` out of the document over the defaults (y: the headline rates) and checks it
 * against the sweep (x must be swept). 0 or -1 with FILE:LINE:COLUMN in err. */
int report_spec_take(struct report_spec *r, const struct sweep *s, struct config_doc *d, char *err, size_t errlen);
/* Emits the resolved section as a mapping (study.yaml; report_spec_take reads it). */
int report_spec_emit(yaml_emitter_t *em, const struct report_spec *r);

#endif

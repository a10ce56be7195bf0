/*
 * param_set.h - an experiment as an editable YAML document. Command-line overrides
 * (`--set KEY=VALUE`, KEY a dotted path such as vmm.vtlb_size or guest.region_page_size.3) and
 * the values of a sweep point are written into the document before the one schema
 * (run_config.c) reads it, so an override is parsed and checked exactly as if it were in the
 * file. Nodes an option created carry its text (SCHEMA_ORIGIN_LINE), so errors about them name
 * the option; nodes taken from the file keep their file:line:column.
 */
#ifndef VHPTSIM_PARAM_SET_H
#define VHPTSIM_PARAM_SET_H

#include <stddef.h>
#include <yaml.h>

#include "yaml_schema.h"

#define CONFIG_DOC_MAX_OPTIONS 256

struct config_doc {
    yaml_document_t doc;
    char path[1024];                         /* the experiment file ("" when there is none) */
    char *origins[CONFIG_DOC_MAX_OPTIONS];   /* "--set KEY=VALUE" of each override, for messages */
    size_t n_origins;
};

/* Loads path (its root must be a mapping); path NULL: an empty experiment (every default).
 * 0, or -1 with "FILE:LINE:COLUMN: error: ..." in err. */
int config_doc_load(struct config_doc *d, const char *path, char *err, size_t errlen);

/* Applies one override "KEY=VALUE" given by option (e.g. "--set"). VALUE is YAML: a scalar
 * (1M, ptc_e), a list ([1, 2]) or a mapping ({entries: 64}). Structural errors (no '=', an
 * empty path component, a path through a plain value, malformed YAML) fail here, naming the
 * option; what the value means is the schema's to check. 0 or -1 with err. */
int config_doc_set_option(struct config_doc *d, const char *option, const char *arg, char *err, size_t errlen);

/* The same with the key and the value apart; origin names the option in messages (e.g. a
 * short form "--vtlb-size 1M" of vmm.vtlb_size). */
int config_doc_set_value(struct config_doc *d, const char *origin, const char *key, const char *value, char *err,
                         size_t errlen);

/* Sets the dotted key to the existing node value_id (a node of this document, e.g. a sweep
 * value). Keys the path creates carry key_mark, so errors about them point where the key was
 * written. 0 or -1 with err (prefixed by what, e.g. the file position of the key). */
int config_doc_set_node(struct config_doc *d, const char *key, int value_id, yaml_mark_t key_mark, const char *what,
                        char *err, size_t errlen);

/* Removes top_key from the root mapping and returns its value's node id (0 if absent): the
 * study keys (sweep, report) are not part of one run's schema. */
int config_doc_take(struct config_doc *d, const char *top_key);

/* The key node of top_key in the root mapping, or NULL (for messages). */
yaml_node_t *config_doc_key_node(struct config_doc *d, const char *top_key);

/* A schema context over the document whose messages name the file or the options. */
struct schema_ctx config_doc_ctx(struct config_doc *d, char *err, size_t errlen);

void config_doc_free(struct config_doc *d);

#endif

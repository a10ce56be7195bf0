/*
 * yaml_schema.h - table-driven loading and writing of YAML mappings into C structs (libyaml).
 *
 * A schema is an array of fields: a key, how its scalar (or sub-mapping) is read, and where in
 * the target struct it goes. The same table loads a file (rejecting unknown keys, wrong types
 * and out-of-range values with file:line:column) and writes the resolved values back, so what
 * is written is exactly what was used.
 */
#ifndef VHPTSIM_YAML_SCHEMA_H
#define VHPTSIM_YAML_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

/* Nodes that came from the command line (--set) rather than the file carry a start line of
 * SCHEMA_ORIGIN_LINE + i: messages about them name origins[i] (the option as the user typed
 * it) instead of a place in the file. */
#define SCHEMA_ORIGIN_LINE ((size_t)1 << 40)

struct schema_ctx {
    const char *path;  /* file name for messages */
    yaml_document_t *doc;
    char *err;
    size_t errlen;
    const char *const *origins; /* see SCHEMA_ORIGIN_LINE; may be NULL */
    size_t n_origins;
};

enum field_kind {
    FIELD_U64,        /* uint64_t; decimal, 0x-hex, optional K/M/G/T/P/E suffix if `bytes` */
    FIELD_U32,        /* uint32_t */
    FIELD_UINT,       /* unsigned int */
    FIELD_DOUBLE,     /* double */
    FIELD_BOOL,       /* int: true/false */
    FIELD_STRING,     /* char[max] */
    FIELD_ENUM,       /* int-sized enum via parse/name functions */
    FIELD_SIZE_SHIFT, /* unsigned log2 of a power-of-two byte count (K/M/G/T/P/E allowed) */
    FIELD_PAGE_SHIFT, /* unsigned log2 of an IA-64 page size in bytes; "any" = 0 if allowed */
    FIELD_SECTION,    /* a nested mapping with its own schema */
    FIELD_CUSTOM      /* handled by callbacks */
};

struct field;

/* Custom field: parse the node into base; emit the value (must emit exactly one YAML node). */
typedef int (*field_parse_fn)(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f);
typedef int (*field_emit_fn)(yaml_emitter_t *em, const void *base, const struct field *f);

struct field {
    const char *key;
    enum field_kind kind;
    size_t offset;       /* of the value inside the target struct */
    uint64_t min, max;   /* integer bounds (FIELD_U64/U32/UINT/SIZE_SHIFT: on the log2) */
    double dmin, dmax;   /* FIELD_DOUBLE bounds */
    int bytes;           /* integers: accept K..E suffixes; written back with the largest exact one */
    int hex;             /* integers: write back as 0x-hex (addresses) */
    size_t max_len;      /* FIELD_STRING: buffer size */
    int allow_empty;     /* FIELD_STRING: "" is a value (an unset path) */
    int (*enum_parse)(const char *name, int *value);
    const char *(*enum_name)(int value);
    const struct field *sub; /* FIELD_SECTION: its fields, NULL-key terminated */
    field_parse_fn parse;    /* FIELD_CUSTOM */
    field_emit_fn emit;      /* FIELD_CUSTOM */
    int allow_any;           /* FIELD_PAGE_SHIFT: "any" means 0 */
};

/* Fills base from the mapping node; -1 with the message in ctx->err. */
int schema_load_mapping(const struct schema_ctx *ctx, yaml_node_t *map, void *base, const struct field *fields);
/* Emits a mapping of every field of base. */
int schema_emit_mapping(yaml_emitter_t *em, const void *base, const struct field *fields);

/* Where a mark is, as messages name it: "FILE:LINE:COLUMN", or the option ("--set KEY=VALUE"). */
void schema_place(const struct schema_ctx *ctx, yaml_mark_t mark, char *buf, size_t len);

/* Helpers for custom fields. */
int schema_error(const struct schema_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a check of a whole section or of values together (a TLB level's entries and
 * ways, the walker_hit sum): the message names the latest --set that changed something inside
 * node, since that option made it wrong; node itself when nothing there came from an option. */
int schema_error_in(const struct schema_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The node inside node (itself included) that the latest --set created, or NULL. */
const yaml_node_t *schema_option_in(const struct schema_ctx *ctx, const yaml_node_t *node);
/* The same at a mark (a place remembered from a node). */
int schema_error_at(const struct schema_ctx *ctx, yaml_mark_t mark, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int schema_scalar_u64(const struct schema_ctx *ctx, yaml_node_t *node, int bytes, uint64_t *out);
int schema_scalar_double(const struct schema_ctx *ctx, yaml_node_t *node, double *out);
int schema_emit_scalar(yaml_emitter_t *em, const char *text);
int schema_emit_u64(yaml_emitter_t *em, uint64_t v, int bytes);
int schema_emit_double(yaml_emitter_t *em, double v);

/* Writes one YAML document to out whose content body emits (e.g. one schema_emit_mapping). */
int schema_write_document(FILE *out, int (*body)(yaml_emitter_t *em, const void *arg), const void *arg);

/* Loads the whole document of path; its root must be a mapping. -1 with the message in err. */
int schema_load_file(const char *path, yaml_document_t *doc, char *err, size_t errlen);

#endif

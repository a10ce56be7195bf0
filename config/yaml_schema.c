/* yaml_schema.c - see yaml_schema.h. */
#include "yaml_schema.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ia64/ia64_arch.h"
#include "../model/util/input_file.h"
#include "../model/util/num_parse.h"

void schema_place(const struct schema_ctx *ctx, yaml_mark_t mark, char *buf, size_t len)
{
    if (mark.line >= SCHEMA_ORIGIN_LINE && mark.line - SCHEMA_ORIGIN_LINE < ctx->n_origins)
        snprintf(buf, len, "%s", ctx->origins[mark.line - SCHEMA_ORIGIN_LINE]);
    else
        snprintf(buf, len, "%s:%lu:%lu", ctx->path, (unsigned long)mark.line + 1, (unsigned long)mark.column + 1);
}

static int error_at(const struct schema_ctx *ctx, yaml_mark_t mark, const char *fmt, va_list ap)
{
    char msg[384], place[1100];
    vsnprintf(msg, sizeof msg, fmt, ap);
    schema_place(ctx, mark, place, sizeof place);
    snprintf(ctx->err, ctx->errlen, "%s: error: %s", place, msg);
    return -1;
}

int schema_error_at(const struct schema_ctx *ctx, yaml_mark_t mark, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(ctx, mark, fmt, ap);
    va_end(ap);
    return -1;
}

int schema_error(const struct schema_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(ctx, node->start_mark, fmt, ap);
    va_end(ap);
    return -1;
}

/* The index of the option that created a node, or -1 for a node of the file. */
static long option_of(const struct schema_ctx *ctx, const yaml_node_t *node)
{
    const size_t line = node->start_mark.line;
    return line >= SCHEMA_ORIGIN_LINE && line - SCHEMA_ORIGIN_LINE < ctx->n_origins ? (long)(line - SCHEMA_ORIGIN_LINE)
                                                                                   : -1;
}

/* The node of node's subtree (itself included) that the latest option created, or NULL. */
static const yaml_node_t *latest_option_node(const struct schema_ctx *ctx, const yaml_node_t *node, int depth)
{
    if (!node || depth > 64)
        return NULL;
    const yaml_node_t *best = option_of(ctx, node) >= 0 ? node : NULL;
    const yaml_node_t *found;
    if (node->type == YAML_SEQUENCE_NODE) {
        for (const yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++)
            if ((found = latest_option_node(ctx, yaml_document_get_node(ctx->doc, *it), depth + 1)) &&
                (!best || option_of(ctx, found) > option_of(ctx, best)))
                best = found;
    } else if (node->type == YAML_MAPPING_NODE) {
        for (const yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++)
            if ((found = latest_option_node(ctx, yaml_document_get_node(ctx->doc, pr->value), depth + 1)) &&
                (!best || option_of(ctx, found) > option_of(ctx, best)))
                best = found;
    }
    return best;
}

const yaml_node_t *schema_option_in(const struct schema_ctx *ctx, const yaml_node_t *node)
{
    return latest_option_node(ctx, node, 0);
}

int schema_error_in(const struct schema_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
{
    const yaml_node_t *opt = latest_option_node(ctx, node, 0);
    va_list ap;
    va_start(ap, fmt);
    error_at(ctx, (opt ? opt : node)->start_mark, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *scalar_text(const yaml_node_t *node) { return (const char *)node->data.scalar.value; }

static int need_scalar(const struct schema_ctx *ctx, yaml_node_t *node, const char *what)
{
    if (node->type != YAML_SCALAR_NODE)
        return schema_error(ctx, node, "expected %s, got a %s", what,
                            node->type == YAML_MAPPING_NODE ? "mapping" : "sequence");
    return 0;
}

static int parse_number(const char *s, int bytes, uint64_t *out)
{
    return num_parse_u64(s, bytes ? NUM_SIZE_SUFFIX : NUM_PLAIN, out) == NUM_OK ? 0 : -1;
}

int schema_scalar_u64(const struct schema_ctx *ctx, yaml_node_t *node, int bytes, uint64_t *out)
{
    if (need_scalar(ctx, node, bytes ? "a size (e.g. 128K)" : "an integer") != 0)
        return -1;
    if (parse_number(scalar_text(node), bytes, out) != 0)
        return schema_error(ctx, node, "expected %s, got '%s'", bytes ? "a size in bytes (optionally K, M, G, T, P or E)" : "a non-negative integer",
                            scalar_text(node));
    return 0;
}

int schema_scalar_double(const struct schema_ctx *ctx, yaml_node_t *node, double *out)
{
    if (need_scalar(ctx, node, "a number") != 0)
        return -1;
    char *end;
    errno = 0;
    const double v = strtod(scalar_text(node), &end);
    if (errno || *end || end == scalar_text(node) || !isfinite(v))
        return schema_error(ctx, node, "expected a number, got '%s'", scalar_text(node));
    *out = v;
    return 0;
}

static int load_field(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    char *dst = (char *)base + f->offset;
    uint64_t v;
    switch (f->kind) {
    case FIELD_U64:
    case FIELD_U32:
    case FIELD_UINT:
        if (schema_scalar_u64(ctx, node, f->bytes, &v) != 0)
            return -1;
        if (v < f->min || v > f->max)
            return schema_error(ctx, node, "'%s' must be from %llu to %llu, got %llu", f->key, (unsigned long long)f->min,
                                (unsigned long long)f->max, (unsigned long long)v);
        if (f->kind == FIELD_U64)
            memcpy(dst, &v, sizeof v);
        else if (f->kind == FIELD_U32) {
            const uint32_t u = (uint32_t)v;
            memcpy(dst, &u, sizeof u);
        } else {
            const unsigned u = (unsigned)v;
            memcpy(dst, &u, sizeof u);
        }
        return 0;
    case FIELD_DOUBLE: {
        double d;
        if (schema_scalar_double(ctx, node, &d) != 0)
            return -1;
        if (d < f->dmin || d > f->dmax)
            return schema_error(ctx, node, "'%s' must be from %g to %g, got %g", f->key, f->dmin, f->dmax, d);
        memcpy(dst, &d, sizeof d);
        return 0;
    }
    case FIELD_BOOL: {
        if (need_scalar(ctx, node, "true or false") != 0)
            return -1;
        const char *s = scalar_text(node);
        int b;
        if (strcmp(s, "true") == 0)
            b = 1;
        else if (strcmp(s, "false") == 0)
            b = 0;
        else
            return schema_error(ctx, node, "'%s' must be true or false, got '%s'", f->key, s);
        memcpy(dst, &b, sizeof b);
        return 0;
    }
    case FIELD_STRING: {
        if (need_scalar(ctx, node, "a string") != 0)
            return -1;
        const char *s = scalar_text(node);
        if ((strlen(s) == 0 && !f->allow_empty) || strlen(s) >= f->max_len)
            return schema_error(ctx, node, "'%s' must be %d to %zu characters", f->key, f->allow_empty ? 0 : 1,
                                f->max_len - 1);
        memcpy(dst, s, strlen(s) + 1);
        return 0;
    }
    case FIELD_ENUM: {
        if (need_scalar(ctx, node, "a name") != 0)
            return -1;
        int e;
        if (f->enum_parse(scalar_text(node), &e) != 0)
            return schema_error(ctx, node, "unknown %s '%s'", f->key, scalar_text(node));
        memcpy(dst, &e, sizeof e);
        return 0;
    }
    case FIELD_SIZE_SHIFT: {
        if (schema_scalar_u64(ctx, node, 1, &v) != 0)
            return -1;
        if (v == 0 || (v & (v - 1)) != 0)
            return schema_error(ctx, node, "'%s' must be a power of two, got %llu", f->key, (unsigned long long)v);
        const unsigned lg = (unsigned)__builtin_ctzll(v);
        if (lg < f->min || lg > f->max) {
            char lo[24], hi[24], got[24];
            num_format_size(UINT64_C(1) << f->min, lo, sizeof lo);
            num_format_size(UINT64_C(1) << f->max, hi, sizeof hi);
            num_format_size(v, got, sizeof got);
            return schema_error(ctx, node, "'%s' must be a power of two from %s to %s bytes, got %s", f->key, lo, hi, got);
        }
        memcpy(dst, &lg, sizeof lg);
        return 0;
    }
    case FIELD_PAGE_SHIFT: {
        unsigned lg = 0;
        if (f->allow_any && node->type == YAML_SCALAR_NODE && strcmp(scalar_text(node), "any") == 0) {
            memcpy(dst, &lg, sizeof lg);
            return 0;
        }
        if (schema_scalar_u64(ctx, node, 1, &v) != 0)
            return -1;
        if (v == 0 || (v & (v - 1)) != 0 || !ia64_page_size_valid((unsigned)__builtin_ctzll(v)))
            return schema_error(ctx, node, "'%s': %llu bytes is not an IA-64 page size (4K 8K 16K 64K 256K 1M 4M 16M 64M 256M 4G)%s",
                                f->key, (unsigned long long)v, f->allow_any ? " or 'any'" : "");
        lg = (unsigned)__builtin_ctzll(v);
        memcpy(dst, &lg, sizeof lg);
        return 0;
    }
    case FIELD_SECTION:
        if (node->type != YAML_MAPPING_NODE)
            return schema_error(ctx, node, "'%s' must be a mapping", f->key);
        return schema_load_mapping(ctx, node, dst, f->sub);
    case FIELD_CUSTOM:
        return f->parse(ctx, node, base, f);
    }
    return schema_error(ctx, node, "internal: field kind of '%s'", f->key);
}

int schema_load_mapping(const struct schema_ctx *ctx, yaml_node_t *map, void *base, const struct field *fields)
{
    if (map->type != YAML_MAPPING_NODE)
        return schema_error(ctx, map, "expected a mapping");
    for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *key = yaml_document_get_node(ctx->doc, pair->key);
        yaml_node_t *value = yaml_document_get_node(ctx->doc, pair->value);
        if (key->type != YAML_SCALAR_NODE)
            return schema_error(ctx, key, "keys must be plain names");
        for (yaml_node_pair_t *prev = map->data.mapping.pairs.start; prev < pair; prev++) {
            const yaml_node_t *pk = yaml_document_get_node(ctx->doc, prev->key);
            if (pk->type == YAML_SCALAR_NODE && strcmp(scalar_text(pk), scalar_text(key)) == 0)
                return schema_error(ctx, key, "key '%s' given twice", scalar_text(key));
        }
        const struct field *f = fields;
        while (f->key && strcmp(f->key, scalar_text(key)) != 0)
            f++;
        if (!f->key) {
            char known[512] = "";
            for (const struct field *k = fields; k->key; k++) {
                if (strlen(known) + strlen(k->key) + 3 >= sizeof known)
                    break;
                strcat(known, known[0] ? ", " : "");
                strcat(known, k->key);
            }
            return schema_error(ctx, key, "unknown key '%s' (known here: %s)", scalar_text(key), known);
        }
        if (load_field(ctx, value, base, f) != 0)
            return -1;
    }
    return 0;
}

/* ---- writing ------------------------------------------------------------------------------ */

int schema_emit_scalar(yaml_emitter_t *em, const char *text)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 1,
                                      YAML_ANY_SCALAR_STYLE))
        return -1;
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int schema_emit_u64(yaml_emitter_t *em, uint64_t v, int bytes)
{
    char buf[32];
    if (bytes)
        num_format_size(v, buf, sizeof buf); /* the largest exact unit: 1P, not 1048576G */
    else
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return schema_emit_scalar(em, buf);
}

int schema_emit_double(yaml_emitter_t *em, double v)
{
    /* the shortest form that reads back as the same double: 0.7, not 0.69999999999999996
     * (17 significant digits always round-trip) */
    char buf[40];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return schema_emit_scalar(em, buf);
}

static int emit_field(yaml_emitter_t *em, const void *base, const struct field *f)
{
    const char *src = (const char *)base + f->offset;
    switch (f->kind) {
    case FIELD_U64: {
        uint64_t v;
        memcpy(&v, src, sizeof v);
        if (f->hex) {
            char buf[24];
            snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
            return schema_emit_scalar(em, buf);
        }
        return schema_emit_u64(em, v, f->bytes);
    }
    case FIELD_U32: {
        uint32_t v;
        memcpy(&v, src, sizeof v);
        return schema_emit_u64(em, v, f->bytes);
    }
    case FIELD_UINT: {
        unsigned v;
        memcpy(&v, src, sizeof v);
        return schema_emit_u64(em, v, f->bytes);
    }
    case FIELD_DOUBLE: {
        double d;
        memcpy(&d, src, sizeof d);
        return schema_emit_double(em, d);
    }
    case FIELD_BOOL: {
        int b;
        memcpy(&b, src, sizeof b);
        return schema_emit_scalar(em, b ? "true" : "false");
    }
    case FIELD_STRING:
        return schema_emit_scalar(em, src);
    case FIELD_ENUM: {
        int e;
        memcpy(&e, src, sizeof e);
        return schema_emit_scalar(em, f->enum_name(e));
    }
    case FIELD_SIZE_SHIFT:
    case FIELD_PAGE_SHIFT: {
        unsigned lg;
        memcpy(&lg, src, sizeof lg);
        if (lg == 0 && f->allow_any)
            return schema_emit_scalar(em, "any");
        return schema_emit_u64(em, UINT64_C(1) << lg, 1);
    }
    case FIELD_SECTION:
        return schema_emit_mapping(em, src, f->sub);
    case FIELD_CUSTOM:
        return f->emit(em, base, f);
    }
    return -1;
}

int schema_emit_mapping(yaml_emitter_t *em, const void *base, const struct field *fields)
{
    yaml_event_t ev;
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    for (const struct field *f = fields; f->key; f++)
        if (schema_emit_scalar(em, f->key) != 0 || emit_field(em, base, f) != 0)
            return -1;
    if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
        return -1;
    return 0;
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    return fwrite(buffer, 1, size, (FILE *)data) == size;
}

int schema_write_document(FILE *out, int (*body)(yaml_emitter_t *em, const void *arg), const void *arg)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    if (!yaml_emitter_initialize(&em))
        return -1;
    yaml_emitter_set_output(&em, write_handler, out);
    yaml_emitter_set_unicode(&em, 1);
    int rc = -1;
    if (yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev) &&
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&em, &ev) &&
        body(&em, arg) == 0 && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
        yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) && yaml_emitter_flush(&em))
        rc = 0;
    yaml_emitter_delete(&em);
    return rc;
}

/* ---- loading a file ------------------------------------------------------------------------ */

/* What an experiment file may be: files are a few KiB and nest four levels, so these bounds
 * leave room while keeping libyaml from spending seconds on 1 MiB of '[' (its scanner does work
 * per open level for every token: quadratic in the depth). */
#define YAML_FILE_MAX (1u << 20)
#define YAML_DEPTH_MAX 64
#define YAML_ANCHORS_MAX 256 /* libyaml's loader looks anchors up in a list: quadratic in their number */

/* Reads at most YAML_FILE_MAX bytes of path into *buf. 0, or -1 with the message in err. */
static int read_bounded(const char *path, unsigned char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = input_file_open(path, "rb", false, err, errlen);
    if (!f)
        return -1;
    *buf = malloc(YAML_FILE_MAX + 1);
    *len = *buf ? fread(*buf, 1, YAML_FILE_MAX + 1, f) : 0;
    const int failed = !*buf || ferror(f);
    fclose(f);
    if (failed || *len > YAML_FILE_MAX) {
        if (failed)
            snprintf(err, errlen, "%s: cannot read: %s", path, *buf ? strerror(errno ? errno : EIO) : "out of memory");
        else
            snprintf(err, errlen, "%s: error: larger than %u bytes: not an experiment file", path, YAML_FILE_MAX);
        free(*buf);
        return -1;
    }
    return 0;
}

static int malformed(const char *path, const yaml_parser_t *parser, char *err, size_t errlen)
{
    const yaml_mark_t m = parser->problem ? parser->problem_mark : parser->context_mark;
    snprintf(err, errlen, "%s:%lu:%lu: error: malformed YAML: %s%s%s", path, (unsigned long)m.line + 1,
             (unsigned long)m.column + 1, parser->problem ? parser->problem : "syntax error",
             parser->context ? " " : "", parser->context ? parser->context : "");
    return -1;
}

/* One pass over the events (libyaml's streaming API), stopping at the first collection nested
 * deeper than YAML_DEPTH_MAX or the anchor past YAML_ANCHORS_MAX: the document is loaded only
 * if this passes. 0 or -1 with err. */
static int check_depth(const char *path, const unsigned char *buf, size_t len, char *err, size_t errlen)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    yaml_parser_set_input_string(&parser, buf, len);
    int depth = 0, anchors = 0, rc = 0;
    for (int done = 0; !done && rc == 0;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = malformed(path, &parser, err, errlen);
            break;
        }
        const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT           ? ev.data.scalar.anchor
                                    : ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                    : ev.type == YAML_MAPPING_START_EVENT  ? ev.data.mapping_start.anchor
                                                                           : NULL;
        if (anchor && ++anchors > YAML_ANCHORS_MAX) {
            snprintf(err, errlen, "%s:%lu:%lu: error: more than %d anchors (&name): not an experiment file", path,
                     (unsigned long)ev.start_mark.line + 1, (unsigned long)ev.start_mark.column + 1, YAML_ANCHORS_MAX);
            rc = -1;
        }
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            if (++depth > YAML_DEPTH_MAX) {
                snprintf(err, errlen, "%s:%lu:%lu: error: nested deeper than %d levels: not an experiment file", path,
                         (unsigned long)ev.start_mark.line + 1, (unsigned long)ev.start_mark.column + 1, YAML_DEPTH_MAX);
                rc = -1;
            }
        } else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (ev.type == YAML_DOCUMENT_END_EVENT || ev.type == YAML_STREAM_END_EVENT) {
            done = 1; /* yaml_parser_load reads the first document only */
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

int schema_load_file(const char *path, yaml_document_t *doc, char *err, size_t errlen)
{
    unsigned char *buf;
    size_t len;
    if (read_bounded(path, &buf, &len, err, errlen) != 0)
        return -1;
    if (check_depth(path, buf, len, err, errlen) != 0) {
        free(buf);
        return -1;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    yaml_parser_set_input_string(&parser, buf, len);
    int rc = 0;
    if (!yaml_parser_load(&parser, doc)) {
        rc = malformed(path, &parser, err, errlen);
    } else {
        yaml_node_t *root = yaml_document_get_root_node(doc);
        if (!root || root->type != YAML_MAPPING_NODE) {
            snprintf(err, errlen, "%s:1:1: error: the file must hold one mapping of settings", path);
            yaml_document_delete(doc);
            rc = -1;
        }
    }
    yaml_parser_delete(&parser);
    free(buf);
    return rc;
}

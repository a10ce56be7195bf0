/* param_set.c - see param_set.h. */
#include "param_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static yaml_node_t *node_at(struct config_doc *d, int id) { return yaml_document_get_node(&d->doc, id); }

static void set_mark(struct config_doc *d, int id, yaml_mark_t mark)
{
    yaml_node_t *n = node_at(d, id);
    n->start_mark = mark;
    n->end_mark = mark;
}

int config_doc_load(struct config_doc *d, const char *path, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    if (path) {
        if (strlen(path) >= sizeof d->path) {
            snprintf(err, errlen, "%.64s...: file name too long", path);
            return -1;
        }
        snprintf(d->path, sizeof d->path, "%s", path);
        return schema_load_file(path, &d->doc, err, errlen);
    }
    if (!yaml_document_initialize(&d->doc, NULL, NULL, NULL, 1, 1) ||
        !yaml_document_add_mapping(&d->doc, NULL, YAML_BLOCK_MAPPING_STYLE)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

void config_doc_free(struct config_doc *d)
{
    yaml_document_delete(&d->doc);
    for (size_t i = 0; i < d->n_origins; i++)
        free(d->origins[i]);
    d->n_origins = 0;
}

struct schema_ctx config_doc_ctx(struct config_doc *d, char *err, size_t errlen)
{
    return (struct schema_ctx){.path = d->path[0] ? d->path : "(command line)",
                               .doc = &d->doc,
                               .err = err,
                               .errlen = errlen,
                               .origins = (const char *const *)d->origins,
                               .n_origins = d->n_origins};
}

static int add_scalar(struct config_doc *d, const char *text, size_t len, yaml_mark_t mark)
{
    const int id = yaml_document_add_scalar(&d->doc, NULL, (yaml_char_t *)text, (int)len, YAML_PLAIN_SCALAR_STYLE);
    if (id)
        set_mark(d, id, mark);
    return id;
}

/* Copies node id of src (a parsed option value) into d; every copy carries mark. */
static int copy_node(struct config_doc *d, yaml_document_t *src, int id, yaml_mark_t mark, int depth)
{
    const yaml_node_t *n = yaml_document_get_node(src, id);
    if (!n || depth > 64)
        return 0;
    if (n->type == YAML_SCALAR_NODE)
        return add_scalar(d, (const char *)n->data.scalar.value, n->data.scalar.length, mark);
    if (n->type == YAML_SEQUENCE_NODE) {
        const int seq = yaml_document_add_sequence(&d->doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
        if (!seq)
            return 0;
        set_mark(d, seq, mark);
        const long count = n->data.sequence.items.top - n->data.sequence.items.start;
        for (long i = 0; i < count; i++) {
            const int item = copy_node(d, src, yaml_document_get_node(src, id)->data.sequence.items.start[i], mark, depth + 1);
            if (!item || !yaml_document_append_sequence_item(&d->doc, seq, item))
                return 0;
        }
        return seq;
    }
    const int map = yaml_document_add_mapping(&d->doc, NULL, YAML_FLOW_MAPPING_STYLE);
    if (!map)
        return 0;
    set_mark(d, map, mark);
    const long count = n->data.mapping.pairs.top - n->data.mapping.pairs.start;
    for (long i = 0; i < count; i++) {
        const yaml_node_pair_t pr = yaml_document_get_node(src, id)->data.mapping.pairs.start[i];
        const int k = copy_node(d, src, pr.key, mark, depth + 1);
        const int v = k ? copy_node(d, src, pr.value, mark, depth + 1) : 0;
        if (!v || !yaml_document_append_mapping_pair(&d->doc, map, k, v))
            return 0;
    }
    return map;
}

/* The pair of map whose key is the scalar text[0..len), or -1. */
static long find_pair(struct config_doc *d, int map, const char *text, size_t len)
{
    const yaml_node_t *m = node_at(d, map);
    const long count = m->data.mapping.pairs.top - m->data.mapping.pairs.start;
    for (long i = 0; i < count; i++) {
        const yaml_node_t *k = node_at(d, m->data.mapping.pairs.start[i].key);
        if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == len && memcmp(k->data.scalar.value, text, len) == 0)
            return i;
    }
    return -1;
}

int config_doc_set_node(struct config_doc *d, const char *key, int value_id, yaml_mark_t key_mark, const char *what,
                        char *err, size_t errlen)
{
    int cur = 1; /* the root mapping */
    const char *rest = key;
    for (;;) {
        const char *dot = strchr(rest, '.');
        const size_t clen = dot ? (size_t)(dot - rest) : strlen(rest);
        const int section = (int)(rest - key) - 1; /* length of the path walked so far */
        if (clen == 0) {
            snprintf(err, errlen, "%s: error: '%s' has an empty component (expected a dotted path such as vmm.vtlb_size)",
                     what, key);
            return -1;
        }
        yaml_node_t *node = node_at(d, cur);
        if (node->type == YAML_MAPPING_NODE) {
            /* a key written with its dots (a sweep axis) matches the whole rest of the path */
            long i = find_pair(d, cur, rest, strlen(rest));
            const int last = i >= 0 || !dot;
            if (i < 0)
                i = find_pair(d, cur, rest, clen);
            if (i >= 0 && last) {
                node_at(d, cur)->data.mapping.pairs.start[i].value = value_id;
                return 0;
            }
            if (i >= 0) {
                const int child = node_at(d, cur)->data.mapping.pairs.start[i].value;
                if (node_at(d, child)->type == YAML_SCALAR_NODE) {
                    snprintf(err, errlen, "%s: error: '%.*s' is a value, not a section: nothing is inside it", what,
                             (int)(dot - key), key);
                    return -1;
                }
                cur = child;
                rest = dot + 1;
                continue;
            }
            const int k = add_scalar(d, rest, clen, key_mark);
            const int v = !k ? 0 : !dot ? value_id : yaml_document_add_mapping(&d->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
            if (!v || !yaml_document_append_mapping_pair(&d->doc, cur, k, v)) {
                snprintf(err, errlen, "%s: error: out of memory", what);
                return -1;
            }
            if (!dot)
                return 0;
            set_mark(d, v, key_mark);
            cur = v;
            rest = dot + 1;
            continue;
        }
        if (node->type == YAML_SEQUENCE_NODE) {
            const long count = node->data.sequence.items.top - node->data.sequence.items.start;
            char *end;
            const unsigned long idx = strtoul(rest, &end, 10);
            if (end != rest + clen || rest[0] < '0' || rest[0] > '9' || idx >= (unsigned long)count) {
                snprintf(err, errlen, "%s: error: '%.*s' is a list: expected an index from 0 to %ld, got '%.*s'", what,
                         section, key, count - 1, (int)clen, rest);
                return -1;
            }
            if (!dot) {
                node->data.sequence.items.start[idx] = value_id;
                return 0;
            }
            cur = node->data.sequence.items.start[idx];
            rest = dot + 1;
            continue;
        }
        snprintf(err, errlen, "%s: error: '%.*s' is a value, not a section: nothing is inside it", what, section, key);
        return -1;
    }
}

int config_doc_set_value(struct config_doc *d, const char *origin, const char *key, const char *value, char *err,
                         size_t errlen)
{
    if (d->n_origins == CONFIG_DOC_MAX_OPTIONS) {
        snprintf(err, errlen, "%s: error: more than %d overrides", origin, CONFIG_DOC_MAX_OPTIONS);
        return -1;
    }
    if (!(d->origins[d->n_origins] = strdup(origin))) {
        snprintf(err, errlen, "%s: error: out of memory", origin);
        return -1;
    }
    const yaml_mark_t mark = {.index = 0, .line = SCHEMA_ORIGIN_LINE + d->n_origins, .column = 0};
    d->n_origins++;
    yaml_parser_t parser;
    yaml_document_t parsed;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: error: out of memory", origin);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)value, strlen(value));
    if (!yaml_parser_load(&parser, &parsed)) {
        snprintf(err, errlen, "%s: error: malformed YAML value: %s", origin, parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        return -1;
    }
    yaml_parser_delete(&parser);
    int id;
    if (!yaml_document_get_root_node(&parsed))
        id = add_scalar(d, "", 0, mark); /* KEY= : an empty value, for the schema to judge */
    else
        id = copy_node(d, &parsed, 1, mark, 0);
    yaml_document_delete(&parsed);
    if (!id) {
        snprintf(err, errlen, "%s: error: out of memory or nested too deeply", origin);
        return -1;
    }
    return config_doc_set_node(d, key, id, mark, origin, err, errlen);
}

int config_doc_set_option(struct config_doc *d, const char *option, const char *arg, char *err, size_t errlen)
{
    char origin[1024], key[256];
    snprintf(origin, sizeof origin, "%s %s", option, arg);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        snprintf(err, errlen, "%s: error: expected KEY=VALUE with KEY a dotted path (e.g. vmm.vtlb_size=1M)", origin);
        return -1;
    }
    if ((size_t)(eq - arg) >= sizeof key) {
        snprintf(err, errlen, "%s: error: the key is too long", origin);
        return -1;
    }
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    return config_doc_set_value(d, origin, key, eq + 1, err, errlen);
}

yaml_node_t *config_doc_key_node(struct config_doc *d, const char *top_key)
{
    const long i = find_pair(d, 1, top_key, strlen(top_key));
    return i < 0 ? NULL : node_at(d, node_at(d, 1)->data.mapping.pairs.start[i].key);
}

int config_doc_take(struct config_doc *d, const char *top_key)
{
    const long i = find_pair(d, 1, top_key, strlen(top_key));
    if (i < 0)
        return 0;
    yaml_node_t *root = node_at(d, 1);
    yaml_node_pair_t *pairs = root->data.mapping.pairs.start;
    const int value = pairs[i].value;
    const long count = root->data.mapping.pairs.top - pairs;
    memmove(&pairs[i], &pairs[i + 1], (size_t)(count - i - 1) * sizeof *pairs);
    root->data.mapping.pairs.top--;
    return value;
}

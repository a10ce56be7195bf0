/* result_config.c - see result_config.h. */
#include "result_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A resolved configuration nests four levels (machine.dtlb.l1.entries); anything far deeper
 * is not one of ours and compares as different rather than recursing without bound. */
#define COMPARE_MAX_DEPTH 32

struct walk {
    yaml_document_t *old_doc, *cur_doc;
    char *diff;
    size_t diff_len;
};

static int load(yaml_document_t *doc, const char *text, size_t len)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    const int ok = yaml_parser_load(&parser, doc);
    yaml_parser_delete(&parser);
    if (!ok)
        return -1;
    const yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        yaml_document_delete(doc);
        return -1;
    }
    return 0;
}

/* A node as the message shows it: a scalar, or a flow list of scalars. */
static void describe(yaml_document_t *doc, const yaml_node_t *n, char *buf, size_t len)
{
    if (!n) {
        snprintf(buf, len, "not set");
    } else if (n->type == YAML_SCALAR_NODE) {
        snprintf(buf, len, "%.60s", (const char *)n->data.scalar.value);
    } else if (n->type == YAML_SEQUENCE_NODE) {
        size_t used = (size_t)snprintf(buf, len, "[");
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top && used < len; it++) {
            const yaml_node_t *item = yaml_document_get_node(doc, *it);
            used += (size_t)snprintf(buf + used, len - used, "%s%.24s", it == n->data.sequence.items.start ? "" : ", ",
                                     item && item->type == YAML_SCALAR_NODE ? (const char *)item->data.scalar.value : "...");
        }
        if (used < len)
            snprintf(buf + used, len - used, "]");
    } else {
        snprintf(buf, len, "a mapping");
    }
}

static int report(const struct walk *w, const char *key, const yaml_node_t *old, const yaml_node_t *cur)
{
    char was[96], now[96];
    describe(w->old_doc, old, was, sizeof was);
    describe(w->cur_doc, cur, now, sizeof now);
    snprintf(w->diff, w->diff_len, "%s is %s in the result, %s now", key, was, now);
    return 1;
}

static const yaml_node_t *lookup(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static const char *key_text(const yaml_node_t *k)
{
    return k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?";
}

/* Whether two scalars are the same setting: the same text, or the same decimal fraction written
 * two ways (config.yaml now writes the shortest form, 0.9, where earlier versions wrote
 * 0.90000000000000002: both read back as one double, so a result of either is up to date). */
static int same_scalar(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    if (strpbrk(a, "xX") || strpbrk(b, "xX") || !strpbrk(a, ".eE") || !strpbrk(b, ".eE"))
        return 0; /* integers, sizes and hex addresses compare as written: exact */
    char *ea, *eb;
    const double da = strtod(a, &ea), db = strtod(b, &eb);
    return ea != a && eb != b && !*ea && !*eb && da == db;
}

/* 0 if the same, 1 (with w->diff) at the first difference */
static int walk(const struct walk *w, const char *key, const yaml_node_t *old, const yaml_node_t *cur, int depth)
{
    if (!old || !cur || old->type != cur->type || depth > COMPARE_MAX_DEPTH)
        return report(w, key, old, cur);
    if (old->type == YAML_SCALAR_NODE)
        return same_scalar((const char *)old->data.scalar.value, (const char *)cur->data.scalar.value) ? 0
                                                                                                   : report(w, key, old, cur);
    if (old->type == YAML_SEQUENCE_NODE) {
        const yaml_node_item_t *a = old->data.sequence.items.start, *b = cur->data.sequence.items.start;
        if (old->data.sequence.items.top - a != cur->data.sequence.items.top - b)
            return report(w, key, old, cur);
        for (; a < old->data.sequence.items.top; a++, b++)
            if (walk(w, key, yaml_document_get_node(w->old_doc, *a), yaml_document_get_node(w->cur_doc, *b), depth + 1))
                return report(w, key, old, cur); /* the list as a whole is the setting */
        return 0;
    }
    /* mappings: the current keys in their order, then keys only the result has */
    char sub[256];
    for (yaml_node_pair_t *p = cur->data.mapping.pairs.start; p < cur->data.mapping.pairs.top; p++) {
        const char *k = key_text(yaml_document_get_node(w->cur_doc, p->key));
        snprintf(sub, sizeof sub, "%s%s%s", key, key[0] ? "." : "", k);
        if (walk(w, sub, lookup(w->old_doc, old, k), yaml_document_get_node(w->cur_doc, p->value), depth + 1))
            return 1;
    }
    for (yaml_node_pair_t *p = old->data.mapping.pairs.start; p < old->data.mapping.pairs.top; p++) {
        const char *k = key_text(yaml_document_get_node(w->old_doc, p->key));
        if (!lookup(w->cur_doc, cur, k)) {
            snprintf(sub, sizeof sub, "%s%s%s", key, key[0] ? "." : "", k);
            return report(w, sub, yaml_document_get_node(w->old_doc, p->value), NULL);
        }
    }
    return 0;
}

int result_config_compare(const char *old, size_t old_len, const char *cur, size_t cur_len, char *diff,
                          size_t diff_len)
{
    if (diff_len)
        diff[0] = '\0';
    if (old_len == cur_len && memcmp(old, cur, old_len) == 0)
        return 0;
    yaml_document_t old_doc, cur_doc;
    if (load(&old_doc, old, old_len) != 0) {
        snprintf(diff, diff_len, "its config.yaml is not a configuration vhptsim can read");
        return -1;
    }
    if (load(&cur_doc, cur, cur_len) != 0) {
        yaml_document_delete(&old_doc);
        snprintf(diff, diff_len, "the current configuration is not readable YAML");
        return -1;
    }
    const struct walk w = {&old_doc, &cur_doc, diff, diff_len};
    const int rc = walk(&w, "", yaml_document_get_root_node(&old_doc), yaml_document_get_root_node(&cur_doc), 0);
    yaml_document_delete(&old_doc);
    yaml_document_delete(&cur_doc);
    return rc;
}

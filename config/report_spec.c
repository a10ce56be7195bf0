/* report_spec.c - see report_spec.h. */
#include "report_spec.h"

#include <string.h>

#include "yaml_schema.h"

/* the headline rates (README, scripts/run) */
static const char *const default_y[] = {"vmm.vtlb.hit_rate", "dtlb.l2.hit_rate", "walker.hit_rate", "cycles.total"};

static int stat_name_ok(const char *s)
{
    if (!*s || *s == '.')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

static int y_parse(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    struct report_spec *r = base;
    (void)f;
    if (node->type == YAML_SCALAR_NODE) /* one statistic */
        return schema_error(ctx, node, "'y' must be a list of statistics, e.g. [vmm.vtlb.hit_rate]");
    if (node->type != YAML_SEQUENCE_NODE || node->data.sequence.items.top == node->data.sequence.items.start)
        return schema_error(ctx, node, "'y' must be a non-empty list of statistics (docs/stats.md)");
    r->n_y = 0;
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(ctx->doc, *it);
        if (r->n_y == REPORT_MAX_Y)
            return schema_error(ctx, item, "'y' holds at most %d statistics", REPORT_MAX_Y);
        const char *name = item->type == YAML_SCALAR_NODE ? (const char *)item->data.scalar.value : "";
        if (!stat_name_ok(name) || strlen(name) >= REPORT_STAT_MAX)
            return schema_error(ctx, item, "'%s' is not a statistic name (lower-case, digits, '_' and '.', docs/stats.md)",
                                name);
        r->y_mark[r->n_y] = item->start_mark;
        memcpy(r->y[r->n_y++], name, strlen(name) + 1);
    }
    r->y_given = 1;
    return 0;
}

static int y_emit(yaml_emitter_t *em, const void *base, const struct field *f)
{
    const struct report_spec *r = base;
    yaml_event_t ev;
    (void)f;
    if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    for (size_t i = 0; i < r->n_y; i++)
        if (schema_emit_scalar(em, r->y[i]) != 0)
            return -1;
    return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev) ? 0 : -1;
}

#define STR(k, m) {.key = k, .kind = FIELD_STRING, .offset = offsetof(struct report_spec, m), \
                   .max_len = sizeof((struct report_spec *)0)->m, .allow_empty = 1}
static const struct field report_fields[] = {
    STR("title", title),
    STR("description", description),
    STR("x", x),
    {.key = "y", .kind = FIELD_CUSTOM, .parse = y_parse, .emit = y_emit},
    {.key = NULL},
};

int report_spec_take(struct report_spec *r, const struct sweep *s, struct config_doc *d, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < sizeof default_y / sizeof default_y[0]; i++)
        snprintf(r->y[r->n_y++], REPORT_STAT_MAX, "%s", default_y[i]);
    const struct schema_ctx ctx = config_doc_ctx(d, err, errlen);
    yaml_node_t *key = config_doc_key_node(d, "report");
    const yaml_mark_t where = key ? key->start_mark : (yaml_mark_t){0, 0, 0};
    const int id = config_doc_take(d, "report");
    yaml_node_t *map = id ? yaml_document_get_node(&d->doc, id) : NULL;
    if (map && schema_load_mapping(&ctx, map, r, report_fields) != 0)
        return -1;
    if (r->x[0]) {
        size_t i = 0;
        while (i < s->n_axes && strcmp(s->axis[i].key, r->x) != 0)
            i++;
        /* at the x value: the file's, or the --set report.x=... that gave it */
        yaml_node_t *x = NULL;
        for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&d->doc, pr->key);
            if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, "x") == 0)
                x = yaml_document_get_node(&d->doc, pr->value);
        }
        if (i == s->n_axes)
            return x ? schema_error(&ctx, x, "report x '%s' is not a swept key", r->x)
                     : schema_error_at(&ctx, where, "report x '%s' is not a swept key", r->x);
    } else {
        for (size_t i = s->n_axes; i-- > 0;)
            if (strcmp(s->axis[i].key, "seed") != 0 || !r->x[0])
                snprintf(r->x, sizeof r->x, "%s", s->axis[i].key);
    }
    return 0;
}

int report_spec_emit(yaml_emitter_t *em, const struct report_spec *r) { return schema_emit_mapping(em, r, report_fields); }

/* sweep.c - see sweep.h. */
#include "sweep.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int at_error(struct config_doc *d, yaml_mark_t m, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int at_error(struct config_doc *d, yaml_mark_t m, char *err, size_t errlen, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const struct schema_ctx ctx = config_doc_ctx(d, err, errlen);
    return schema_error_at(&ctx, m, "%s", msg);
}

/* A value as a name part: its scalars joined by '_', every byte outside [A-Za-z0-9._+-] as '_'. */
static void append_label(yaml_document_t *doc, int id, char *buf, size_t len, int depth)
{
    const yaml_node_t *n = yaml_document_get_node(doc, id);
    if (!n || depth > 8)
        return;
    if (n->type == YAML_SCALAR_NODE) {
        size_t at = strlen(buf);
        if (at && at + 1 < len)
            buf[at++] = '_';
        for (size_t i = 0; i < n->data.scalar.length && at + 1 < len; i++) {
            const char c = (char)n->data.scalar.value[i];
            const int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                             c == '_' || c == '+' || c == '-';
            buf[at++] = safe ? c : '_';
        }
        buf[at] = '\0';
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (const yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
            append_label(doc, *it, buf, len, depth + 1);
    } else {
        for (const yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
            append_label(doc, pr->key, buf, len, depth + 1);
            append_label(doc, pr->value, buf, len, depth + 1);
        }
    }
}

static int is_study_key(const char *key)
{
    return strcmp(key, "name") == 0 || strncmp(key, "sweep", 5) == 0 || strncmp(key, "report", 6) == 0;
}

static int add_axis(struct sweep *s, struct config_doc *d, const char *key, const yaml_node_t *keynode, int list_id,
                    char *err, size_t errlen)
{
    const yaml_node_t *list = yaml_document_get_node(&d->doc, list_id);
    if (s->n_axes == SWEEP_MAX_AXES)
        return at_error(d, keynode->start_mark, err, errlen, "a sweep has at most %d keys", SWEEP_MAX_AXES);
    if (strlen(key) >= SWEEP_KEY_MAX)
        return at_error(d, keynode->start_mark, err, errlen, "sweep key too long");
    if (is_study_key(key))
        return at_error(d, keynode->start_mark, err, errlen,
                        "'%s' cannot be swept (the points of a study share its name, sweep and report)", key);
    if (list->type != YAML_SEQUENCE_NODE || list->data.sequence.items.top == list->data.sequence.items.start)
        return at_error(d, list->start_mark, err, errlen, "sweep key '%s' needs a non-empty list of values (e.g. [32K, 128K])",
                        key);
    const size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n > SWEEP_MAX_VALUES)
        return at_error(d, list->start_mark, err, errlen, "sweep key '%s' has more than %d values", key, SWEEP_MAX_VALUES);
    struct sweep_axis *a = &s->axis[s->n_axes]; /* (a key given twice: sweep_take) */
    memset(a, 0, sizeof *a);
    snprintf(a->key, sizeof a->key, "%s", key);
    a->key_mark = keynode->start_mark;
    s->n_axes++;
    for (size_t i = 0; i < n; i++) {
        const int id = yaml_document_get_node(&d->doc, list_id)->data.sequence.items.start[i];
        char label[SWEEP_NAME_MAX] = "";
        append_label(&d->doc, id, label, sizeof label, 0);
        const yaml_mark_t vm = yaml_document_get_node(&d->doc, id)->start_mark;
        if (!label[0])
            return at_error(d, vm, err, errlen, "an empty sweep value");
        for (size_t j = 0; j < a->n; j++)
            if (strcmp(a->labels[j], label) == 0)
                return at_error(d, vm, err, errlen, "sweep value '%s' of '%s' repeats an earlier one", label, key);
        if (!(a->labels[a->n] = strdup(label)))
            return at_error(d, vm, err, errlen, "out of memory");
        a->value_ids[a->n++] = id;
    }
    return 0;
}

/* Flattens nested mappings into dotted keys. */
static int take_axes(struct sweep *s, struct config_doc *d, int map_id, const char *prefix, int depth, char *err,
                     size_t errlen)
{
    const yaml_node_t *map = yaml_document_get_node(&d->doc, map_id);
    if (map->type != YAML_MAPPING_NODE)
        return at_error(d, map->start_mark, err, errlen, "'sweep' must map dotted keys to lists of values");
    const long count = map->data.mapping.pairs.top - map->data.mapping.pairs.start;
    for (long i = 0; i < count; i++) {
        const yaml_node_pair_t pr = yaml_document_get_node(&d->doc, map_id)->data.mapping.pairs.start[i];
        const yaml_node_t *k = yaml_document_get_node(&d->doc, pr.key);
        const yaml_node_t *v = yaml_document_get_node(&d->doc, pr.value);
        if (k->type != YAML_SCALAR_NODE || k->data.scalar.length == 0)
            return at_error(d, k->start_mark, err, errlen, "sweep keys must be dotted names");
        char key[SWEEP_KEY_MAX * 2];
        if (strlen(prefix) + k->data.scalar.length + 2 > SWEEP_KEY_MAX)
            return at_error(d, k->start_mark, err, errlen, "sweep key too long");
        snprintf(key, sizeof key, "%s%s%.*s", prefix, prefix[0] ? "." : "", SWEEP_KEY_MAX,
                 (const char *)k->data.scalar.value);
        const int rc = v->type == YAML_MAPPING_NODE && depth < 8
                           ? take_axes(s, d, pr.value, key, depth + 1, err, errlen)
                           : add_axis(s, d, key, k, pr.value, err, errlen);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The key's last component, or its last two when the last is a number (a region, an index):
 * region_page_size.3 rather than 3. */
static const char *short_key(const char *key)
{
    const char *dot = strrchr(key, '.');
    if (!dot)
        return key;
    if (strspn(dot + 1, "0123456789") != strlen(dot + 1))
        return dot + 1;
    while (dot > key && dot[-1] != '.')
        dot--;
    return dot;
}

/* Whether dotted keys a and b name the same key or one lies inside the other (a point would set
 * one key twice, the later value silently winning): compared component by component, numbers
 * by value (region 3 is region 03). */
static int keys_overlap(const char *a, const char *b)
{
    while (*a && *b) {
        const size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        const int na = la && strspn(a, "0123456789") == la, nb = lb && strspn(b, "0123456789") == lb;
        if (na && nb) {
            if (strtoull(a, NULL, 10) != strtoull(b, NULL, 10))
                return 0;
        } else if (la != lb || strncmp(a, b, la) != 0) {
            return 0;
        }
        a += la + (a[la] == '.');
        b += lb + (b[lb] == '.');
    }
    return 1;
}

int sweep_take(struct sweep *s, struct config_doc *d, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->n_points = 1;
    const yaml_node_t *keynode = config_doc_key_node(d, "sweep");
    const yaml_mark_t where = keynode ? keynode->start_mark : (yaml_mark_t){0, 0, 0};
    const int id = config_doc_take(d, "sweep");
    if (!id)
        return 0;
    if (take_axes(s, d, id, "", 0, err, errlen) != 0)
        return -1;
    if (s->n_axes == 0)
        return at_error(d, where, err, errlen, "'sweep' names no keys");
    for (size_t i = 0; i < s->n_axes; i++)
        for (size_t j = 0; j < i; j++)
            if (keys_overlap(s->axis[i].key, s->axis[j].key))
                return strcmp(s->axis[i].key, s->axis[j].key) == 0
                           ? at_error(d, s->axis[i].key_mark, err, errlen, "sweep key '%s' is given twice", s->axis[i].key)
                           : at_error(d, s->axis[i].key_mark, err, errlen,
                                      "sweep key '%s' is given twice: '%s' already sets it (sweep one of them)",
                                      s->axis[i].key, s->axis[j].key);
    size_t name_len = 0;
    for (size_t i = 0; i < s->n_axes; i++) {
        struct sweep_axis *a = &s->axis[i];
        a->short_key = short_key(a->key);
        for (size_t j = 0; j < s->n_axes; j++)
            if (j != i && strcmp(short_key(s->axis[j].key), a->short_key) == 0)
                a->short_key = a->key; /* ambiguous: the whole key */
        size_t longest = 0;
        for (size_t j = 0; j < a->n; j++)
            longest = strlen(a->labels[j]) > longest ? strlen(a->labels[j]) : longest;
        name_len += strlen(a->short_key) + 2 + longest;
        if (s->n_points > SWEEP_MAX_POINTS / a->n)
            return at_error(d, where, err, errlen, "the sweep has more than %d points", SWEEP_MAX_POINTS);
        s->n_points *= a->n;
    }
    if (name_len > SWEEP_NAME_MAX)
        return at_error(d, where, err, errlen, "point names would be longer than %d characters: sweep fewer keys or "
                                               "shorter values", SWEEP_NAME_MAX);
    return 0;
}

void sweep_point_indices(const struct sweep *s, size_t point, size_t idx[SWEEP_MAX_AXES])
{
    for (size_t i = s->n_axes; i-- > 0;) {
        idx[i] = point % s->axis[i].n;
        point /= s->axis[i].n;
    }
}

void sweep_point_name(const struct sweep *s, size_t point, char *buf, size_t len)
{
    size_t idx[SWEEP_MAX_AXES];
    sweep_point_indices(s, point, idx);
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_axes && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", i ? "," : "", s->axis[i].short_key,
                               s->axis[i].labels[idx[i]]);
}

int sweep_apply(const struct sweep *s, struct config_doc *d, size_t point, char *err, size_t errlen)
{
    size_t idx[SWEEP_MAX_AXES];
    sweep_point_indices(s, point, idx);
    for (size_t i = 0; i < s->n_axes; i++) {
        char what[1100];
        snprintf(what, sizeof what, "%s:%lu:%lu", d->path, (unsigned long)s->axis[i].key_mark.line + 1,
                 (unsigned long)s->axis[i].key_mark.column + 1);
        if (config_doc_set_node(d, s->axis[i].key, s->axis[i].value_ids[idx[i]], s->axis[i].key_mark, what, err, errlen) != 0)
            return -1;
    }
    return 0;
}

const char *sweep_covers(const struct sweep *s, const char *key)
{
    const size_t klen = strlen(key);
    for (size_t i = 0; i < s->n_axes; i++) {
        const char *a = s->axis[i].key;
        const size_t alen = strlen(a);
        const size_t shorter = klen < alen ? klen : alen;
        if (strncmp(a, key, shorter) == 0 && (klen == alen || (klen < alen ? a[klen] : key[alen]) == '.'))
            return a;
    }
    return NULL;
}

int sweep_emit(yaml_emitter_t *em, const struct sweep *s)
{
    yaml_event_t ev;
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    for (size_t i = 0; i < s->n_axes; i++) {
        if (schema_emit_scalar(em, s->axis[i].key) != 0 ||
            !yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE) || !yaml_emitter_emit(em, &ev))
            return -1;
        for (size_t j = 0; j < s->axis[i].n; j++)
            if (schema_emit_scalar(em, s->axis[i].labels[j]) != 0)
                return -1;
        if (!yaml_sequence_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
            return -1;
    }
    return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev) ? 0 : -1;
}

void sweep_free(struct sweep *s)
{
    for (size_t i = 0; i < s->n_axes; i++)
        for (size_t j = 0; j < s->axis[i].n; j++)
            free(s->axis[i].labels[j]);
    s->n_axes = 0;
}

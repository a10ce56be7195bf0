/* report_data.c - see report_data.h. */
#include "report_data.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../config/param_set.h"
#include "../model/stats/result_dir.h"
#include "../model/util/input_file.h"

static uint64_t name_hash(const char *s) { return u64_hash_bytes(s, strlen(s)); }

/* The index of a statistic name, or -1. A hash collision falls back to a scan. */
static long stat_index(const struct report_data *r, const char *name)
{
    const uint64_t *i = u64_map_get(&r->index, name_hash(name));
    if (i && strcmp(r->stats[*i], name) == 0)
        return (long)*i;
    if (i)
        for (size_t k = 0; k < r->n_stats; k++)
            if (strcmp(r->stats[k], name) == 0)
                return (long)k;
    return -1;
}

static long stat_intern(struct report_data *r, const char *name)
{
    const long have = stat_index(r, name);
    if (have >= 0)
        return have;
    if (r->n_stats == r->cap_stats) {
        const size_t cap = r->cap_stats ? r->cap_stats * 2 : 512;
        char **s = realloc(r->stats, cap * sizeof *s);
        if (!s)
            return -1;
        r->stats = s;
        r->cap_stats = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    r->stats[r->n_stats] = copy;
    if (!u64_map_get(&r->index, name_hash(name)) && u64_map_put(&r->index, name_hash(name), r->n_stats) != 0)
        return -1;
    return (long)r->n_stats++;
}

/* Reads DIR/stats.csv ("name,value" lines) into the point. */
static int load_stats(struct report_data *r, struct report_point *p, char *err, size_t errlen)
{
    char path[sizeof p->dir + 16];
    snprintf(path, sizeof path, "%s/stats.csv", p->dir);
    char *text = input_file_read(path, REPORT_FILE_MAX, NULL, err, errlen);
    if (!text)
        return -1;
    char *line = strchr(text, '\n'); /* skip the header */
    while (line && *++line) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        char *comma = strrchr(line, ',');
        if (comma) {
            *comma = '\0';
            const long i = stat_intern(r, line);
            if (i < 0)
                break;
            if ((size_t)i >= p->n_values) {
                const size_t n = (size_t)i + 256;
                char **v = realloc(p->values, n * sizeof *v);
                if (!v)
                    break;
                memset(v + p->n_values, 0, (n - p->n_values) * sizeof *v);
                p->values = v;
                p->n_values = n;
            }
            if (!(p->values[i] = strdup(comma + 1)))
                break;
        }
        line = end;
    }
    const int ok = !line || !*line;
    free(text);
    if (!ok)
        snprintf(err, errlen, "%s: out of memory", path);
    return ok ? 0 : -1;
}

int report_point_current(const char *dir, const char *config, size_t config_len)
{
    struct result_info info;
    return result_dir_inspect(dir, config, config_len, &info) == 0 && info.kind == RESULT_COMPLETE && info.same_config;
}

/* The study's points: names from the sweep, status by docs/results.md's rule against inputs/. */
static int load_study(struct report_data *r, char *err, size_t errlen)
{
    char path[REPORT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/study.yaml", r->dir);
    struct config_doc d;
    if (config_doc_load(&d, path, err, errlen) != 0)
        return -1;
    int rc = -1;
    const int name_id = config_doc_take(&d, "name");
    const yaml_node_t *name = name_id ? yaml_document_get_node(&d.doc, name_id) : NULL;
    if (!name || name->type != YAML_SCALAR_NODE) {
        snprintf(err, errlen, "%s: no study name", path);
        goto out;
    }
    snprintf(r->name, sizeof r->name, "%s", (const char *)name->data.scalar.value);
    if (sweep_take(r->sweep, &d, err, errlen) != 0 || report_spec_take(&r->spec, r->sweep, &d, err, errlen) != 0)
        goto out;
    r->n_points = r->sweep->n_points;
    if (!(r->points = calloc(r->n_points, sizeof *r->points))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r->n_points; i++) {
        struct report_point *p = &r->points[i];
        sweep_point_name(r->sweep, i, p->name, sizeof p->name);
        sweep_point_indices(r->sweep, i, p->idx);
        snprintf(p->dir, sizeof p->dir, "%s/%s", r->dir, p->name);
        char input[sizeof p->dir + 32];
        snprintf(input, sizeof input, "%s/inputs/%s.yaml", r->dir, p->name);
        size_t len;
        char why[256];
        char *config = input_file_read(input, RESULT_CONFIG_MAX, &len, why, sizeof why);
        p->ok = config && report_point_current(p->dir, config, len);
        free(config);
        snprintf(input, sizeof input, "%s/logs/%s.log", r->dir, p->name); /* the log a run of it leaves */
        p->ran = !p->ok && access(input, F_OK) == 0;
        if (p->ok && load_stats(r, p, err, errlen) != 0)
            goto out;
    }
    rc = 0;
out:
    config_doc_free(&d);
    return rc;
}

/* r->name from DIR/config.yaml's name (a complete result has one). 0 or -1 with err. */
static int run_name(struct report_data *r, char *err, size_t errlen)
{
    char path[REPORT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/config.yaml", r->dir);
    struct config_doc d;
    if (config_doc_load(&d, path, err, errlen) != 0)
        return -1;
    const int id = config_doc_take(&d, "name");
    const yaml_node_t *name = id ? yaml_document_get_node(&d.doc, id) : NULL;
    const int ok = name && name->type == YAML_SCALAR_NODE && name->data.scalar.length > 0 &&
                   name->data.scalar.length < sizeof r->name;
    if (ok)
        snprintf(r->name, sizeof r->name, "%s", (const char *)name->data.scalar.value);
    else
        snprintf(err, errlen, "%s: error: no experiment name", path);
    config_doc_free(&d);
    return ok ? 0 : -1;
}

int report_data_load(struct report_data *r, const char *dir, int *not_a_result, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    *not_a_result = 0;
    if (u64_map_init(&r->index) != 0 || !(r->sweep = calloc(1, sizeof *r->sweep))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    while (strlen(r->dir) > 1 && r->dir[strlen(r->dir) - 1] == '/')
        r->dir[strlen(r->dir) - 1] = '\0';
    char path[REPORT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/study.yaml", r->dir);
    if (access(path, F_OK) == 0) {
        r->is_study = 1;
        return load_study(r, err, errlen);
    }
    snprintf(path, sizeof path, "%s/stats.csv", r->dir);
    if (access(path, F_OK) != 0) {
        snprintf(err, errlen, "%s is neither a study (no study.yaml) nor a run (no stats.csv)", r->dir);
        *not_a_result = 1;
        return -1;
    }
    /* one run: one point, named after its experiment (config.yaml's name: letters, digits, '-',
     * '_', '.'), never after its directory, whose name may hold anything (a space would split
     * the point's column in the figures' data) */
    r->sweep->n_points = 1;
    if (run_name(r, err, errlen) != 0)
        return -1;
    if (!(r->points = calloc(1, sizeof *r->points))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->n_points = 1;
    snprintf(r->points[0].name, sizeof r->points[0].name, "%s", r->name);
    snprintf(r->points[0].dir, sizeof r->points[0].dir, "%s", r->dir);
    r->points[0].ok = 1;
    return load_stats(r, &r->points[0], err, errlen);
}

void report_data_free(struct report_data *r)
{
    for (size_t i = 0; i < r->n_points; i++) {
        for (size_t k = 0; k < r->points[i].n_values; k++)
            free(r->points[i].values[k]);
        free(r->points[i].values);
    }
    free(r->points);
    for (size_t k = 0; k < r->n_stats; k++)
        free(r->stats[k]);
    free(r->stats);
    u64_map_free(&r->index);
    if (r->sweep)
        sweep_free(r->sweep);
    free(r->sweep);
    memset(r, 0, sizeof *r);
}

const char *report_value(const struct report_data *r, const struct report_point *p, const char *stat)
{
    const long i = stat_index(r, stat);
    if (i < 0 || (size_t)i >= p->n_values || !p->values[i] || !p->values[i][0] || strcmp(p->values[i], "null") == 0)
        return NULL;
    return p->values[i];
}

int report_number(const struct report_data *r, const struct report_point *p, const char *stat, double *out)
{
    const char *v = report_value(r, p, stat);
    if (!v)
        return -1;
    char *end;
    *out = strtod(v, &end);
    return *end ? -1 : 0;
}

int report_stat(const struct report_data *r, const struct report_point *p, const char *stat, double *out,
                int *per_cpu_mean)
{
    char name[REPORT_STAT_MAX + 16];
    if (strncmp(stat, "cpu.", 4) == 0) { /* asked for the mean over the vCPUs */
        stat += 4;
    } else {
        if (report_number(r, p, stat, out) == 0)
            return 0;
        snprintf(name, sizeof name, "vm.%s", stat);
        if (report_number(r, p, name, out) == 0)
            return 0;
    }
    double sum = 0;
    unsigned n = 0;
    for (unsigned cpu = 0; cpu < 64; cpu++) {
        double v;
        snprintf(name, sizeof name, "cpu%u.%s", cpu, stat);
        if (report_number(r, p, name, &v) == 0) {
            sum += v;
            n++;
        }
    }
    if (!n)
        return -1;
    *out = sum / n;
    if (per_cpu_mean && n > 1)
        *per_cpu_mean = 1;
    return 0;
}

const char *report_point_status(const struct report_point *p) { return p->ok ? "ok" : p->ran ? "failed" : "not run"; }

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int report_write_summary(const struct report_data *r, FILE *out)
{
    fputs("point", out);
    for (size_t a = 0; a < r->sweep->n_axes; a++) {
        fputc(',', out);
        csv_field(out, r->sweep->axis[a].key);
    }
    fputs(",status", out);
    for (size_t k = 0; k < r->n_stats; k++) {
        fputc(',', out);
        csv_field(out, r->stats[k]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < r->n_points; i++) {
        const struct report_point *p = &r->points[i];
        csv_field(out, p->name);
        for (size_t a = 0; a < r->sweep->n_axes; a++) {
            fputc(',', out);
            csv_field(out, r->sweep->axis[a].labels[p->idx[a]]);
        }
        fputc(',', out);
        fputs(report_point_status(p), out);
        for (size_t k = 0; k < r->n_stats; k++) {
            fputc(',', out);
            if (k < p->n_values && p->values[k])
                csv_field(out, p->values[k]);
        }
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

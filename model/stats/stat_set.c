/* stat_set.c - see stat_set.h. */
#include "stat_set.h"

#include <stdlib.h>
#include <string.h>

#include "../platform/counters.h"

static int push_entry(struct stat_set *s, const char *name, int is_rate, int defined, uint64_t count, double rate)
{
    if (s->n == s->cap) {
        const size_t cap = s->cap ? s->cap * 2 : 256;
        struct stat_entry *e = realloc(s->e, cap * sizeof *e);
        if (!e)
            return -1;
        s->e = e;
        s->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    s->e[s->n++] = (struct stat_entry){.name = copy, .is_rate = is_rate, .defined = defined, .count = count, .rate = rate};
    return 0;
}

static int push(struct stat_set *s, const char *name, int is_rate, uint64_t count, double rate)
{
    return push_entry(s, name, is_rate, 1, count, rate);
}

/* num / den, or an undefined rate (null in stats.yaml) when den is 0 */
static int push_ratio(struct stat_set *s, const char *name, uint64_t num, uint64_t den, double scale)
{
    return push_entry(s, name, 1, den != 0, 0, den ? (double)num * scale / (double)den : 0.0);
}

int stat_set_add(struct stat_set *s, const char *name, uint64_t value) { return push(s, name, 0, value, 0.0); }

struct collect_ctx {
    struct stat_set *s;
    int failed;
};

static void collect_one(void *ctx, const char *name, uint64_t value)
{
    struct collect_ctx *c = ctx;
    if (push(c->s, name, 0, value, 0.0) != 0)
        c->failed = 1;
}

int stat_set_collect(struct stat_set *s, const struct platform *p)
{
    struct collect_ctx c = {.s = s, .failed = 0};
    platform_counters_visit(p, collect_one, &c);
    return c.failed ? -1 : 0;
}

void stat_set_subtract(struct stat_set *s, const struct stat_set *base, const char *prefix)
{
    const size_t plen = prefix ? strlen(prefix) : 0;
    for (size_t i = 0; i < s->n && i < base->n; i++)
        if (!s->e[i].is_rate && strcmp(s->e[i].name, base->e[i].name) == 0 &&
            (!prefix || strncmp(s->e[i].name, prefix, plen) == 0))
            s->e[i].count = s->e[i].count >= base->e[i].count ? s->e[i].count - base->e[i].count : 0;
}

const struct stat_entry *stat_set_find(const struct stat_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].name, name) == 0)
            return &s->e[i];
    return NULL;
}

static uint64_t count_of(const struct stat_set *s, const char *name)
{
    const struct stat_entry *e = stat_set_find(s, name);
    return e && !e->is_rate ? e->count : 0;
}

/* The rates of every pair "X.hits" / "X.misses" (docs/stats.md, "Derived rates"), X of scope
 * cpuN or vm: X.hit_rate = hits / (hits + misses); X.mpkr = misses per 1000 references of the
 * scope; X.mpki = misses per 1000 instructions, only where the scope counts instructions (a
 * "<scope>.instructions" entry). A rate whose denominator is 0 is undefined. */
int stat_set_derive(struct stat_set *s)
{
    const size_t n = s->n;
    for (size_t i = 0; i < n; i++) {
        const char *name = s->e[i].name;
        const size_t len = strlen(name);
        if (s->e[i].is_rate || len < 6 || strcmp(name + len - 5, ".hits") != 0)
            continue;
        char stem[160], sibling[176], out[176], scope[16], key[64];
        snprintf(stem, sizeof stem, "%.*s", (int)(len - 5), name);
        snprintf(sibling, sizeof sibling, "%s.misses", stem);
        const struct stat_entry *m = stat_set_find(s, sibling);
        const char *dot = strchr(stem, '.');
        if (!m || m->is_rate || !dot || (size_t)(dot - stem) >= sizeof scope)
            continue;
        snprintf(scope, sizeof scope, "%.*s", (int)(dot - stem), stem);
        const uint64_t hits = s->e[i].count, misses = m->count;
        snprintf(out, sizeof out, "%s.hit_rate", stem);
        if (push_ratio(s, out, hits, hits + misses, 1.0) != 0)
            return -1;
        snprintf(key, sizeof key, "%s.refs", scope);
        snprintf(out, sizeof out, "%s.mpkr", stem);
        if (push_ratio(s, out, misses, count_of(s, key), 1000.0) != 0)
            return -1;
        snprintf(key, sizeof key, "%s.instructions", scope);
        const struct stat_entry *insns = stat_set_find(s, key);
        snprintf(out, sizeof out, "%s.mpki", stem);
        if (insns && !insns->is_rate && push_ratio(s, out, misses, insns->count, 1000.0) != 0)
            return -1;
    }
    return 0;
}

/* index of the entry named "<prefix><suffix>", searched from `hint` (the visitor lists every
 * vCPU's counters in the same order, so it is usually there); n if there is none */
static size_t find_scoped(const struct stat_set *s, size_t hint, const char *prefix, const char *suffix)
{
    const size_t plen = strlen(prefix);
    for (size_t k = 0; k < s->n; k++) {
        const size_t i = (hint + k) % s->n;
        const char *name = s->e[i].name;
        if (strncmp(name, prefix, plen) == 0 && strcmp(name + plen, suffix) == 0)
            return i;
    }
    return s->n;
}

int stat_set_add_vm_totals(struct stat_set *s, unsigned nr_vcpus)
{
    const size_t n = s->n;
    size_t per_cpu = 0; /* entries of cpu0, the first block */
    while (per_cpu < n && strncmp(s->e[per_cpu].name, "cpu0.", 5) == 0)
        per_cpu++;
    for (size_t i = 0; i < n; i++) {
        if (s->e[i].is_rate || strncmp(s->e[i].name, "cpu0.", 5) != 0)
            continue;
        const char *suffix = s->e[i].name + 5;
        const int is_time = strcmp(suffix, "time_ps") == 0; /* elapsed: the longest vCPU's */
        uint64_t total = 0, max = 0;
        for (unsigned c = 0; c < nr_vcpus; c++) {
            char prefix[16];
            snprintf(prefix, sizeof prefix, "cpu%u.", c);
            const size_t j = find_scoped(s, i + (size_t)c * per_cpu, prefix, suffix);
            const uint64_t v = j < n ? s->e[j].count : 0;
            total += v;
            max = v > max ? v : max;
        }
        char name[192];
        snprintf(name, sizeof name, "vm.%s", suffix);
        if (push(s, name, 0, is_time ? max : total, 0.0) != 0)
            return -1;
        if (strcmp(suffix, "cycles.total") == 0 && push(s, "vm.cycles.max", 0, max, 0.0) != 0)
            return -1;
    }
    return 0;
}

int stat_set_of_run(struct stat_set *s, const struct platform *p, const struct stat_set *base, const int *have_base,
                    uint64_t clock_period_ps)
{
    if (stat_set_collect(s, p) != 0)
        return -1;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        if (!have_base || !have_base[i])
            continue;
        char prefix[16];
        snprintf(prefix, sizeof prefix, "cpu%u.", i);
        stat_set_subtract(s, &base[i], prefix);
    }
    /* simulated time = cycles x clock period (after the warm-up reset; run checks it fits) */
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        char name[48];
        snprintf(name, sizeof name, "cpu%u.cycles.total", i);
        const struct stat_entry *cyc = stat_set_find(s, name);
        snprintf(name, sizeof name, "cpu%u.time_ps", i);
        if (stat_set_add(s, name, (cyc ? cyc->count : 0) * clock_period_ps) != 0)
            return -1;
    }
    if (stat_set_add_vm_totals(s, p->nr_vcpus) != 0 || stat_set_derive(s) != 0)
        return -1;
    return 0;
}

void stat_set_free(struct stat_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].name);
    free(s->e);
    s->e = NULL;
    s->n = s->cap = 0;
}

/* an undefined rate: `null` in YAML, `undefined` (empty) in CSV */
static void write_value(FILE *out, const struct stat_entry *e, const char *undefined)
{
    if (e->is_rate && !e->defined)
        fputs(undefined, out);
    else if (e->is_rate)
        fprintf(out, "%.9g", e->rate);
    else
        fprintf(out, "%llu", (unsigned long long)e->count);
}

int stat_set_write_yaml(const struct stat_set *s, FILE *out)
{
    fputs("# vhptsim statistics: counters and derived rates, one per key (docs/stats.md)\n", out);
    for (size_t i = 0; i < s->n; i++) {
        fprintf(out, "%s: ", s->e[i].name);
        write_value(out, &s->e[i], "null");
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

int stat_set_write_csv(const struct stat_set *s, FILE *out)
{
    fputs("name,value\n", out);
    for (size_t i = 0; i < s->n; i++) {
        fprintf(out, "%s,", s->e[i].name);
        write_value(out, &s->e[i], "");
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

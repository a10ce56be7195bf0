/* stat_set.c - see stat_set.h. */
#include "stat_set.h"

#include <stdlib.h>
#include <string.h>

#include "../platform/counters.h"

static int push(struct stat_set *s, const char *name, int is_rate, uint64_t count, double rate)
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
    s->e[s->n++] = (struct stat_entry){.name = copy, .is_rate = is_rate, .count = count, .rate = rate};
    return 0;
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

/* name.hit_rate = hits / (hits + misses) and name.mpki = misses per 1000 instructions, for
 * every "X.hits" that has an "X.misses" sibling. */
int stat_set_derive(struct stat_set *s)
{
    const size_t n = s->n;
    for (size_t i = 0; i < n; i++) {
        const char *name = s->e[i].name;
        const size_t len = strlen(name);
        if (len < 6 || strcmp(name + len - 5, ".hits") != 0)
            continue;
        char stem[160], sibling[176], out[176], cpu[16];
        snprintf(stem, sizeof stem, "%.*s", (int)(len - 5), name);
        snprintf(sibling, sizeof sibling, "%s.misses", stem);
        const struct stat_entry *m = stat_set_find(s, sibling);
        if (!m)
            continue;
        const uint64_t hits = s->e[i].count, misses = m->count;
        snprintf(out, sizeof out, "%s.hit_rate", stem);
        if (push(s, out, 1, 0, hits + misses ? (double)hits / (double)(hits + misses) : 0.0) != 0)
            return -1;
        /* instructions of the vCPU the stat belongs to: ifetches if the stream has them,
         * else references (docs/stats.md) */
        const char *dot = strchr(stem, '.');
        if (!dot || (size_t)(dot - stem) >= sizeof cpu)
            continue;
        snprintf(cpu, sizeof cpu, "%.*s", (int)(dot - stem), stem);
        char key[64];
        snprintf(key, sizeof key, "%s.events.ifetch", cpu);
        uint64_t insns = count_of(s, key);
        if (insns == 0) {
            snprintf(key, sizeof key, "%s.refs", cpu);
            insns = count_of(s, key);
        }
        snprintf(out, sizeof out, "%s.mpki", stem);
        if (push(s, out, 1, 0, insns ? (double)misses * 1000.0 / (double)insns : 0.0) != 0)
            return -1;
    }
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

static void write_value(FILE *out, const struct stat_entry *e)
{
    if (e->is_rate)
        fprintf(out, "%.9g", e->rate);
    else
        fprintf(out, "%llu", (unsigned long long)e->count);
}

int stat_set_write_yaml(const struct stat_set *s, FILE *out)
{
    fputs("# vhptsim statistics: counters and derived rates, one per key (docs/stats.md)\n", out);
    for (size_t i = 0; i < s->n; i++) {
        fprintf(out, "%s: ", s->e[i].name);
        write_value(out, &s->e[i]);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

int stat_set_write_csv(const struct stat_set *s, FILE *out)
{
    fputs("name,value\n", out);
    for (size_t i = 0; i < s->n; i++) {
        fprintf(out, "%s,", s->e[i].name);
        write_value(out, &s->e[i]);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

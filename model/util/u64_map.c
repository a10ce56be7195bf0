/* u64_map.c - see u64_map.h. */
#include "u64_map.h"

#include <stdlib.h>

#define U64_MAP_INITIAL_CAP 16u

static size_t slot_of(uint64_t key, size_t cap)
{
    /* Fibonacci hashing: page-aligned keys differ only in high bits */
    return (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 29) & (cap - 1);
}

static int alloc_arrays(struct u64_map *m, size_t cap)
{
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = calloc(cap, sizeof *m->vals);
    m->used = calloc(cap, sizeof *m->used);
    m->cap = cap;
    m->n = 0;
    if (!m->keys || !m->vals || !m->used) {
        u64_map_free(m);
        return -1;
    }
    return 0;
}

int u64_map_init(struct u64_map *m)
{
    return alloc_arrays(m, U64_MAP_INITIAL_CAP);
}

void u64_map_free(struct u64_map *m)
{
    free(m->keys);
    free(m->vals);
    free(m->used);
    m->keys = m->vals = NULL;
    m->used = NULL;
    m->cap = m->n = 0;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find(const struct u64_map *m, uint64_t key)
{
    size_t i = slot_of(key, m->cap);
    while (m->used[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

uint64_t *u64_map_get(const struct u64_map *m, uint64_t key)
{
    const size_t i = find(m, key);
    return m->used[i] ? &m->vals[i] : NULL;
}

static int grow(struct u64_map *m)
{
    struct u64_map bigger;
    if (alloc_arrays(&bigger, m->cap * 2) != 0)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->used[i])
            continue;
        const size_t j = find(&bigger, m->keys[i]);
        bigger.used[j] = 1;
        bigger.keys[j] = m->keys[i];
        bigger.vals[j] = m->vals[i];
    }
    bigger.n = m->n;
    u64_map_free(m);
    *m = bigger;
    return 0;
}

int u64_map_put(struct u64_map *m, uint64_t key, uint64_t val)
{
    size_t i = find(m, key);
    if (m->used[i]) {
        m->vals[i] = val;
        return 0;
    }
    if ((m->n + 1) * 4 > m->cap * 3) { /* keep the load at most 3/4 */
        if (grow(m) != 0)
            return -1;
        i = find(m, key);
    }
    m->used[i] = 1;
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 0;
}

int u64_map_del(struct u64_map *m, uint64_t key, uint64_t *old)
{
    size_t hole = find(m, key);
    if (!m->used[hole])
        return 0;
    if (old)
        *old = m->vals[hole];
    /* backward-shift: move later members of the probe run into the hole when their home slot
     * does not lie cyclically in (hole, j] */
    const size_t mask = m->cap - 1;
    size_t j = hole;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->used[j])
            break;
        const size_t home = slot_of(m->keys[j], m->cap);
        const int stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (stays)
            continue;
        m->keys[hole] = m->keys[j];
        m->vals[hole] = m->vals[j];
        hole = j;
    }
    m->used[hole] = 0;
    m->n--;
    return 1;
}

uint64_t u64_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * UINT64_C(1099511628211);
    return h;
}

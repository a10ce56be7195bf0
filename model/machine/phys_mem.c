/* phys_mem.c - open-addressing map from 8-byte-aligned machine address to word. */
#include "phys_mem.h"

#include <stdlib.h>

#define PHYS_MEM_INITIAL_CAP 64u

static size_t slot_of(uint64_t key, size_t cap)
{
    /* Fibonacci hashing spreads page-strided addresses over the table */
    return (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (cap - 1);
}

int phys_mem_init(struct phys_mem *m)
{
    m->cap = PHYS_MEM_INITIAL_CAP;
    m->used = 0;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    if (!m->keys || !m->vals) {
        phys_mem_free(m);
        return -1;
    }
    return 0;
}

void phys_mem_free(struct phys_mem *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = m->vals = NULL;
    m->cap = m->used = 0;
}

static uint64_t *find(const struct phys_mem *m, uint64_t key, int *found)
{
    size_t i = slot_of(key, m->cap);
    while (m->keys[i] != 0 && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    *found = m->keys[i] == key;
    return &m->keys[i];
}

static int grow(struct phys_mem *m)
{
    struct phys_mem bigger = {.cap = m->cap * 2};
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    if (!bigger.keys || !bigger.vals) {
        free(bigger.keys);
        free(bigger.vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == 0)
            continue;
        int found;
        uint64_t *k = find(&bigger, m->keys[i], &found);
        *k = m->keys[i];
        bigger.vals[k - bigger.keys] = m->vals[i];
    }
    bigger.used = m->used;
    phys_mem_free(m);
    *m = bigger;
    return 0;
}

uint64_t phys_mem_read8(const struct phys_mem *m, uint64_t paddr)
{
    int found;
    const uint64_t *k = find(m, (paddr & ~UINT64_C(7)) | 1u, &found);
    return found ? m->vals[k - m->keys] : 0;
}

int phys_mem_write(struct phys_mem *m, uint64_t paddr, uint64_t value, unsigned size)
{
    if ((m->used + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    const unsigned shift = (unsigned)(paddr & 7u) * 8u;
    const uint64_t mask = size >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8u)) - 1;
    int found;
    uint64_t *k = find(m, (paddr & ~UINT64_C(7)) | 1u, &found);
    uint64_t *val = &m->vals[k - m->keys];
    if (!found) {
        *k = (paddr & ~UINT64_C(7)) | 1u;
        *val = 0;
        m->used++;
    }
    /* bytes that spill past the word are dropped: stores are naturally aligned on IA-64 */
    *val = (*val & ~(mask << shift)) | ((value & mask) << shift);
    return 0;
}

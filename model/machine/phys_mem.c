/* phys_mem.c - see phys_mem.h. */
#include "phys_mem.h"

#include <stdlib.h>
#include <string.h>

int phys_mem_init(struct phys_mem *m)
{
    m->line = NULL;
    m->cap = 0;
    return u64_map_init(&m->lines);
}

void phys_mem_free(struct phys_mem *m)
{
    u64_map_free(&m->lines);
    free(m->line);
    m->line = NULL;
    m->cap = 0;
}

uint64_t phys_mem_read8(const struct phys_mem *m, uint64_t paddr)
{
    const uint64_t *i = u64_map_get(&m->lines, paddr >> 6);
    return i ? m->line[*i][(paddr >> 3) % PHYS_MEM_LINE_WORDS] : 0;
}

/* The line holding paddr, created (all zero) if it is new; NULL when out of memory. */
static uint64_t *line_of(struct phys_mem *m, uint64_t paddr)
{
    const uint64_t *i = u64_map_get(&m->lines, paddr >> 6);
    if (i)
        return m->line[*i];
    const size_t n = m->lines.n;
    if (n == m->cap) {
        const size_t cap = m->cap ? 2 * m->cap : 64;
        uint64_t(*bigger)[PHYS_MEM_LINE_WORDS] = realloc(m->line, cap * sizeof *m->line);
        if (!bigger)
            return NULL;
        m->line = bigger;
        m->cap = cap;
    }
    if (u64_map_put(&m->lines, paddr >> 6, n) != 0)
        return NULL;
    memset(m->line[n], 0, sizeof m->line[n]);
    return m->line[n];
}

int phys_mem_write(struct phys_mem *m, uint64_t paddr, uint64_t value, unsigned size)
{
    const unsigned shift = (unsigned)(paddr & 7u) * 8u;
    const uint64_t mask = size >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8u)) - 1;
    uint64_t *line = line_of(m, paddr);
    if (!line)
        return -1;
    /* bytes that spill past the word are dropped: stores are naturally aligned on IA-64 */
    uint64_t *word = &line[(paddr >> 3) % PHYS_MEM_LINE_WORDS];
    *word = (*word & ~(mask << shift)) | ((value & mask) << shift);
    return 0;
}

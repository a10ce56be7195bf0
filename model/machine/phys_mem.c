/* phys_mem.c - machine memory as a map from word address to word (model/util/u64_map). */
#include "phys_mem.h"

int phys_mem_init(struct phys_mem *m) { return u64_map_init(&m->words); }

void phys_mem_free(struct phys_mem *m) { u64_map_free(&m->words); }

uint64_t phys_mem_read8(const struct phys_mem *m, uint64_t paddr)
{
    const uint64_t *word = u64_map_get(&m->words, paddr & ~UINT64_C(7));
    return word ? *word : 0;
}

int phys_mem_write(struct phys_mem *m, uint64_t paddr, uint64_t value, unsigned size)
{
    const unsigned shift = (unsigned)(paddr & 7u) * 8u;
    const uint64_t mask = size >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8u)) - 1;
    const uint64_t old = phys_mem_read8(m, paddr);
    /* bytes that spill past the word are dropped: stores are naturally aligned on IA-64 */
    return u64_map_put(&m->words, paddr & ~UINT64_C(7), (old & ~(mask << shift)) | ((value & mask) << shift));
}

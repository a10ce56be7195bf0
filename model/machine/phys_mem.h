/*
 * phys_mem.h - sparse machine-physical memory: only the 64-byte lines something wrote to are
 * stored.
 *
 * The simulator needs memory contents for one purpose: the guest's own VHPT, which the VMM's
 * guest_vhpt_lookup reads with ld8.s. Every other reference only needs its address. Reads of
 * a word never written return 0. Storage grows with the number of distinct lines written.
 *
 * Lines, not words, because the guest VHPT is an array: its entries lie side by side, so a
 * line holds eight of them, and the table the VMM reads at random stays about as compact as the
 * guest's (a map from each word would spread it over several times the cache).
 */
#ifndef VHPTSIM_PHYS_MEM_H
#define VHPTSIM_PHYS_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "../util/u64_map.h"

#define PHYS_MEM_LINE_WORDS 8 /* 64 bytes */

struct phys_mem {
    struct u64_map lines;                   /* machine address >> 6 -> index into line */
    uint64_t (*line)[PHYS_MEM_LINE_WORDS]; /* the lines written, in the order first written */
    size_t cap;                             /* lines allocated */
};

int phys_mem_init(struct phys_mem *m);
void phys_mem_free(struct phys_mem *m);
/* Writes `size` (1..8) bytes of value at paddr, little-endian; 0 or -1 (out of memory). */
int phys_mem_write(struct phys_mem *m, uint64_t paddr, uint64_t value, unsigned size);
/* Reads the aligned 8-byte word containing paddr (ld8 requires alignment). */
uint64_t phys_mem_read8(const struct phys_mem *m, uint64_t paddr);

#endif

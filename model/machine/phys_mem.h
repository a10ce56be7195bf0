/*
 * phys_mem.h - sparse machine-physical memory: only words something wrote are stored.
 *
 * The simulator needs memory contents for one purpose: the guest's own VHPT, which the VMM's
 * guest_vhpt_lookup reads with ld8.s. Every other reference only needs its address. Reads of
 * a word never written return 0. Storage grows with the number of distinct words written.
 */
#ifndef VHPTSIM_PHYS_MEM_H
#define VHPTSIM_PHYS_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "../util/u64_map.h"

struct phys_mem {
    struct u64_map words; /* 8-byte-aligned machine address -> the word stored there */
};

int phys_mem_init(struct phys_mem *m);
void phys_mem_free(struct phys_mem *m);
/* Writes `size` (1..8) bytes of value at paddr, little-endian; 0 or -1 (out of memory). */
int phys_mem_write(struct phys_mem *m, uint64_t paddr, uint64_t value, unsigned size);
/* Reads the aligned 8-byte word containing paddr (ld8 requires alignment). */
uint64_t phys_mem_read8(const struct phys_mem *m, uint64_t paddr);

#endif

/*
 * u64_map.h - an open-addressing map from 64-bit key to 64-bit value: the guest OS model's page
 * tables and process list, machine memory (model/machine/phys_mem), the pages of a trace
 * (trace/page_set). The one hash table of the project's plain C (model/vmm/seen_pages keys on
 * pairs wider than 64 bits).
 *
 * Linear probing with backward-shift deletion (no tombstones), so a table that sees many
 * munmaps does not degrade. Any 64-bit key is allowed.
 */
#ifndef VHPTSIM_U64_MAP_H
#define VHPTSIM_U64_MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64_map {
    uint64_t *keys;
    uint64_t *vals;
    uint8_t *used;
    size_t cap; /* power of two */
    size_t n;
};

/* 0 or -1 (out of memory). */
int u64_map_init(struct u64_map *m);
void u64_map_free(struct u64_map *m);
/* The value stored for key, or NULL. The pointer is valid until the next put or del. */
uint64_t *u64_map_get(const struct u64_map *m, uint64_t key);
/* Inserts or replaces; 0 or -1 (out of memory: the map is unchanged). */
int u64_map_put(struct u64_map *m, uint64_t key, uint64_t val);
/* Removes key; 1 (and *old = its value, if old) or 0 when absent. */
int u64_map_del(struct u64_map *m, uint64_t key, uint64_t *old);

/* Iteration: slots 0..cap-1, those with used[i] set hold keys[i] -> vals[i]. */

/* A 64-bit hash of len bytes (FNV-1a), to key the map by a string: equal bytes, equal hashes;
 * a caller compares the bytes themselves on a hit (two strings may share a hash). */
uint64_t u64_hash_bytes(const void *data, size_t len);

#endif

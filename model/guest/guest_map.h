/*
 * guest_map.h - an open-addressing map from 64-bit key to 64-bit value, used by the guest OS
 * model for its page tables (page address -> guest frame) and its process list.
 *
 * Linear probing with backward-shift deletion (no tombstones), so a table that sees many
 * munmaps does not degrade. Any 64-bit key is allowed. Internal to model/guest.
 */
#ifndef VHPTSIM_GUEST_MAP_H
#define VHPTSIM_GUEST_MAP_H

#include <stddef.h>
#include <stdint.h>

struct guest_map {
    uint64_t *keys;
    uint64_t *vals;
    uint8_t *used;
    size_t cap; /* power of two */
    size_t n;
};

/* 0 or -1 (out of memory). */
int guest_map_init(struct guest_map *m);
void guest_map_free(struct guest_map *m);
/* The value stored for key, or NULL. The pointer is valid until the next put or del. */
uint64_t *guest_map_get(const struct guest_map *m, uint64_t key);
/* Inserts or replaces; 0 or -1 (out of memory: the map is unchanged). */
int guest_map_put(struct guest_map *m, uint64_t key, uint64_t val);
/* Removes key; 1 (and *old = its value, if old) or 0 when absent. */
int guest_map_del(struct guest_map *m, uint64_t key, uint64_t *old);

/* Iteration: slots 0..cap-1, those with used[i] set hold keys[i] -> vals[i]. */

#endif

/*
 * page_set.h - a set of 64-bit page numbers, for counting the distinct pages of a trace. Memory
 * grows with the number of distinct pages only. A thin set over model/util/u64_map.
 */
#ifndef VHPTSIM_PAGE_SET_H
#define VHPTSIM_PAGE_SET_H

#include <stddef.h>
#include <stdint.h>

#include "../model/util/u64_map.h"

struct page_set {
    struct u64_map map; /* page -> 0 */
    int ready;          /* the map is allocated on the first insert */
};

void page_set_init(struct page_set *s);
void page_set_free(struct page_set *s);
/* 1 if key was added, 0 if it was already there, -1 out of memory (the set is unchanged). */
int page_set_insert(struct page_set *s, uint64_t key);
int page_set_contains(const struct page_set *s, uint64_t key);
size_t page_set_size(const struct page_set *s);

#endif

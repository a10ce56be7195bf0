/*
 * page_set.h - a set of 64-bit page numbers (open addressing, linear probing). Memory grows with
 * the number of distinct pages only: 8 bytes per slot, at most half the slots in use.
 */
#ifndef VHPTSIM_PAGE_SET_H
#define VHPTSIM_PAGE_SET_H

#include <stddef.h>
#include <stdint.h>

struct page_set {
    uint64_t *slots; /* key + 1; 0 marks an empty slot */
    size_t cap;      /* a power of two, or 0 before the first insert */
    size_t count;    /* keys other than UINT64_MAX */
    int has_max;     /* UINT64_MAX (which key + 1 cannot represent) is in the set */
};

void page_set_init(struct page_set *s);
void page_set_free(struct page_set *s);
/* 1 if key was added, 0 if it was already there, -1 out of memory (the set is unchanged). */
int page_set_insert(struct page_set *s, uint64_t key);
int page_set_contains(const struct page_set *s, uint64_t key);
size_t page_set_size(const struct page_set *s);

#endif

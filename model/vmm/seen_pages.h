/*
 * seen_pages.h - the set of (rid, page size, page number) a vCPU's vTLB has ever held, so a
 * vtlb_lookup miss can be classified: compulsory (the page was never inserted) or not (it was,
 * and a collision or a purge removed it). Statistics only: nothing in the VMM reads it.
 */
#ifndef VHPTSIM_SEEN_PAGES_H
#define VHPTSIM_SEEN_PAGES_H

#include <stddef.h>
#include <stdint.h>

struct seen_pages {
    uint64_t *key; /* pairs: key[2i] = rid << 8 | ps, key[2i + 1] = page number; 0 = empty */
    size_t cap, used; /* cap: slots (a power of two) */
    int failed;       /* an allocation failed: the set stopped growing (counts become lower bounds) */
};

void seen_pages_init(struct seen_pages *s);
void seen_pages_free(struct seen_pages *s);
/* Records the page; returns 1 if it was new. */
int seen_pages_add(struct seen_pages *s, uint64_t rid, unsigned ps, uint64_t page);
int seen_pages_has(const struct seen_pages *s, uint64_t rid, unsigned ps, uint64_t page);

#endif

/* page_set.c - see page_set.h. */
#include "page_set.h"

#include <stdlib.h>

#define MIN_CAP 1024u

static size_t slot_of(uint64_t stored, size_t cap)
{
    /* Fibonacci hashing: page numbers are often sequential, the multiply spreads them */
    return (size_t)((stored * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (cap - 1);
}

void page_set_init(struct page_set *s)
{
    s->slots = NULL;
    s->cap = 0;
    s->count = 0;
    s->has_max = 0;
}

void page_set_free(struct page_set *s)
{
    free(s->slots);
    page_set_init(s);
}

size_t page_set_size(const struct page_set *s) { return s->count + (s->has_max ? 1 : 0); }

static void place(uint64_t *slots, size_t cap, uint64_t stored)
{
    size_t i = slot_of(stored, cap);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = stored;
}

static int grow(struct page_set *s)
{
    const size_t cap = s->cap ? s->cap * 2 : MIN_CAP;
    if (cap < s->cap || cap > SIZE_MAX / sizeof(uint64_t))
        return -1;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            place(slots, cap, s->slots[i]);
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return 0;
}

int page_set_contains(const struct page_set *s, uint64_t key)
{
    if (key == UINT64_MAX)
        return s->has_max;
    if (!s->cap)
        return 0;
    const uint64_t stored = key + 1;
    for (size_t i = slot_of(stored, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == stored)
            return 1;
        if (!s->slots[i])
            return 0;
    }
}

int page_set_insert(struct page_set *s, uint64_t key)
{
    if (key == UINT64_MAX) {
        const int added = !s->has_max;
        s->has_max = 1;
        return added;
    }
    if ((s->count + 1) * 2 > s->cap && grow(s) != 0)
        return -1;
    const uint64_t stored = key + 1;
    size_t i = slot_of(stored, s->cap);
    while (s->slots[i]) {
        if (s->slots[i] == stored)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = stored;
    s->count++;
    return 1;
}

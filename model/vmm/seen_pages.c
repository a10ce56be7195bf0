/* seen_pages.c - open addressing over (rid|ps, page) pairs; see seen_pages.h. */
#include "seen_pages.h"

#include <stdlib.h>
#include <string.h>

/* rid << 8 | ps is never 0 for a valid page size (ps >= 12), so 0 marks an empty slot */
static uint64_t tag_of(uint64_t rid, unsigned ps) { return rid << 8 | ps; }

static size_t slot_of(uint64_t tag, uint64_t page, size_t cap)
{
    const uint64_t h = (tag * UINT64_C(0x9e3779b97f4a7c15)) ^ (page * UINT64_C(0xc2b2ae3d27d4eb4f));
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

void seen_pages_init(struct seen_pages *s) { memset(s, 0, sizeof *s); }

void seen_pages_free(struct seen_pages *s)
{
    free(s->key);
    memset(s, 0, sizeof *s);
}

static size_t find(const struct seen_pages *s, uint64_t tag, uint64_t page)
{
    size_t i = slot_of(tag, page, s->cap);
    while (s->key[2 * i] != 0 && !(s->key[2 * i] == tag && s->key[2 * i + 1] == page))
        i = (i + 1) & (s->cap - 1);
    return i;
}

int seen_pages_has(const struct seen_pages *s, uint64_t rid, unsigned ps, uint64_t page)
{
    if (s->cap == 0)
        return 0;
    return s->key[2 * find(s, tag_of(rid, ps), page)] != 0;
}

static int grow(struct seen_pages *s)
{
    const size_t cap = s->cap ? s->cap * 2 : 1024;
    uint64_t *key = calloc(2 * cap, sizeof *key);
    if (!key)
        return -1;
    struct seen_pages bigger = {.key = key, .cap = cap, .used = s->used};
    for (size_t i = 0; i < s->cap; i++) {
        if (s->key[2 * i] == 0)
            continue;
        const size_t j = find(&bigger, s->key[2 * i], s->key[2 * i + 1]);
        key[2 * j] = s->key[2 * i];
        key[2 * j + 1] = s->key[2 * i + 1];
    }
    free(s->key);
    *s = bigger;
    return 0;
}

int seen_pages_add(struct seen_pages *s, uint64_t rid, unsigned ps, uint64_t page)
{
    if ((s->used + 1) * 4 > s->cap * 3 && grow(s) != 0) {
        s->failed = 1;
        return 0;
    }
    const uint64_t tag = tag_of(rid, ps);
    const size_t i = find(s, tag, page);
    if (s->key[2 * i] != 0)
        return 0;
    s->key[2 * i] = tag;
    s->key[2 * i + 1] = page;
    s->used++;
    return 1;
}

/* page_set.c - see page_set.h. */
#include "page_set.h"

void page_set_init(struct page_set *s) { s->ready = 0; }

void page_set_free(struct page_set *s)
{
    if (s->ready)
        u64_map_free(&s->map);
    s->ready = 0;
}

size_t page_set_size(const struct page_set *s) { return s->ready ? s->map.n : 0; }

int page_set_contains(const struct page_set *s, uint64_t key)
{
    return s->ready && u64_map_get(&s->map, key) != NULL;
}

int page_set_insert(struct page_set *s, uint64_t key)
{
    if (!s->ready) {
        if (u64_map_init(&s->map) != 0)
            return -1;
        s->ready = 1;
    }
    if (u64_map_get(&s->map, key))
        return 0;
    return u64_map_put(&s->map, key, 0) == 0 ? 1 : -1;
}

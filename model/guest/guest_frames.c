/* guest_frames.c - see guest_frames.h. */
#include "guest_frames.h"

#include <stdlib.h>
#include <string.h>

void guest_frames_init(struct guest_frames *f, const struct p2m *p2m, uint64_t limit)
{
    memset(f, 0, sizeof *f);
    f->p2m = p2m;
    f->limit = limit;
}

void guest_frames_free_all(struct guest_frames *f)
{
    for (unsigned p = 0; p < GUEST_FRAME_POOLS; p++)
        for (unsigned ps = 0; ps < 64; ps++) {
            free(f->free[p][ps].gpa);
            f->free[p][ps] = (struct guest_frame_list){0};
        }
}

static uint64_t align_up(uint64_t x, unsigned ps)
{
    const uint64_t size = UINT64_C(1) << ps;
    return (x + size - 1) & ~(size - 1);
}

int guest_frames_overlaps_io(const struct p2m *p2m, uint64_t gpa, unsigned ps, uint64_t *next_ok)
{
    const unsigned shift = p2m->page_shift;
    const uint64_t last = (gpa + (UINT64_C(1) << ps) - 1) >> shift;
    for (uint64_t gpfn = gpa >> shift; gpfn <= last; gpfn++) {
        if (p2m_gpfn_is_io(p2m, gpfn)) {
            if (next_ok) /* the first host page after the I/O one */
                *next_ok = (gpfn + 1) << shift;
            return 1;
        }
    }
    return 0;
}

int guest_frames_alloc(struct guest_frames *f, enum guest_frame_pool pool, unsigned ps, uint64_t *gpa)
{
    struct guest_frame_list *l = &f->free[pool][ps];
    if (l->n > 0) {
        *gpa = l->gpa[--l->n];
        return 0;
    }
    const uint64_t size = UINT64_C(1) << ps;
    uint64_t at = align_up(f->next, ps);
    for (;;) {
        if (at < f->next || at > f->limit || f->limit - at < size)
            return -1; /* exhausted (or the alignment wrapped) */
        uint64_t after_io;
        if (!guest_frames_overlaps_io(f->p2m, at, ps, &after_io))
            break;
        at = align_up(after_io, ps);
    }
    *gpa = at;
    f->next = at + size;
    return 0;
}

int guest_frames_release(struct guest_frames *f, enum guest_frame_pool pool, unsigned ps, uint64_t gpa)
{
    struct guest_frame_list *l = &f->free[pool][ps];
    if (l->n == l->cap) {
        const size_t cap = l->cap ? l->cap * 2 : 64;
        uint64_t *bigger = realloc(l->gpa, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        l->gpa = bigger;
        l->cap = cap;
    }
    l->gpa[l->n++] = gpa;
    return 0;
}

/*
 * ski_distinct_pages.c - the distinct guest pages a Ski trace touches, for one page size:
 * every (region, address >> ps) of its instruction fetches (bundle addresses) and data
 * references, lfetches excepted (a non-faulting lfetch that misses is dropped by the machine,
 * so it never reaches the VMM). Computed here from the trace alone, independently of the VMM
 * model, to check the platform's compulsory vTLB misses (test_replay.sh).
 *
 *   ski_distinct_pages TRACE PAGE_SHIFT
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../trace/ski_reader.h"

struct set {
    uint64_t *slot; /* page + 1 (0 = empty) */
    size_t cap, used;
};

static int add(struct set *s, uint64_t key)
{
    if ((s->used + 1) * 2 > s->cap) {
        struct set b = {.cap = s->cap ? s->cap * 2 : 4096};
        b.slot = calloc(b.cap, sizeof *b.slot);
        if (!b.slot)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i]) {
                size_t j = (size_t)(s->slot[i] * UINT64_C(0x9e3779b97f4a7c15) >> 20) & (b.cap - 1);
                while (b.slot[j])
                    j = (j + 1) & (b.cap - 1);
                b.slot[j] = s->slot[i];
                b.used++;
            }
        free(s->slot);
        *s = b;
    }
    size_t j = (size_t)((key + 1) * UINT64_C(0x9e3779b97f4a7c15) >> 20) & (s->cap - 1);
    while (s->slot[j] && s->slot[j] != key + 1)
        j = (j + 1) & (s->cap - 1);
    if (!s->slot[j]) {
        s->slot[j] = key + 1;
        s->used++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ski_distinct_pages TRACE PAGE_SHIFT\n");
        return 2;
    }
    const unsigned ps = (unsigned)atoi(argv[2]);
    char err[512];
    struct ski_reader *r = ski_open(argv[1], SKI_IFETCH_BUNDLE, err, sizeof err);
    if (!r) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    struct set pages = {0};
    struct guest_event ev;
    int rc;
    while ((rc = ski_next(r, &ev)) == 1) {
        if (ev.kind > GE_LFETCH || ev.kind == GE_LFETCH)
            continue;
        /* region in the top 3 bits, page number of the region offset below them */
        const uint64_t key = (ev.va >> 61) << 58 | ((ev.va & ((UINT64_C(1) << 61) - 1)) >> ps);
        if (add(&pages, key) != 0) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "%s\n", ski_reader_error(r));
        return 2;
    }
    printf("%zu\n", pages.used);
    ski_close(r);
    free(pages.slot);
    return 0;
}

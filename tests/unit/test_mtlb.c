/*
 * test_mtlb.c - the machine TLB of one side as mtlb_init builds it: a fully associative
 * translation cache of E entries with LRU replacement, plus translation registers.
 * Misses are counted here from mtlb_lookup's result (a miss is followed by an insert, as the
 * walker or the VMM's itc would do).
 */
#include "../../model/machine/mtlb.h"
#include "check.h"

#define PS16K 14

/* Cyclic scan of n 16K pages (rid 1), `passes` times; returns the misses. */
static unsigned cyclic_scan(struct mtlb *t, unsigned n, unsigned passes)
{
    unsigned misses = 0;
    for (unsigned p = 0; p < passes; p++) {
        for (unsigned i = 0; i < n; i++) {
            const uint64_t va = (uint64_t)i << PS16K;
            if (!mtlb_lookup(t, va, 1)) {
                misses++;
                mtlb_insert(t, va, 1, PS16K, va | 0x661);
            }
        }
    }
    return misses;
}

static void test_lru_cyclic(void)
{
    /* E = 4, N = 5 > E: after the first 4 misses the TLB holds pages 0..3; page 4 evicts the
     * least recently used, page 0, which is the next one referenced; by induction every miss
     * evicts the page needed next, so all 3 x 5 = 15 references miss. */
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 4), 0);
    CHECK_EQ(cyclic_scan(&t, 5, 3), 15);
    mtlb_free(&t);
    /* N = E = 4: only the first pass misses (4), the next two passes hit (8 hits) */
    CHECK_EQ(mtlb_init(&t, 4), 0);
    CHECK_EQ(cyclic_scan(&t, 4, 3), 4);
    mtlb_free(&t);
    /* N = 3 < E: 3 misses */
    CHECK_EQ(mtlb_init(&t, 4), 0);
    CHECK_EQ(cyclic_scan(&t, 3, 3), 3);
    mtlb_free(&t);
    /* the default size, 128: N = 129 misses on every one of 2 x 129 references */
    CHECK_EQ(mtlb_init(&t, 128), 0);
    CHECK_EQ(cyclic_scan(&t, 129, 2), 258);
    mtlb_free(&t);
}

static void test_lru_not_fifo(void)
{
    /* E = 2: insert A, B; a hit on A makes B the LRU; C evicts B, not A */
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 2), 0);
    const uint64_t a = 0x10000, b = 0x20000, c = 0x30000;
    mtlb_insert(&t, a, 1, PS16K, 0x661);
    mtlb_insert(&t, b, 1, PS16K, 0x661);
    CHECK(mtlb_lookup(&t, a, 1) != NULL);
    mtlb_insert(&t, c, 1, PS16K, 0x661);
    CHECK(mtlb_probe(&t, a, 1) != NULL);
    CHECK(mtlb_probe(&t, b, 1) == NULL);
    CHECK(mtlb_probe(&t, c, 1) != NULL);
    /* last uses: A at its lookup, C at its insert (later), so A is the LRU. mtlb_probe does not
     * count as a use: after probing A, inserting B still evicts A, not C. */
    CHECK(mtlb_probe(&t, a, 1) != NULL);
    mtlb_insert(&t, b, 1, PS16K, 0x661);
    CHECK(mtlb_probe(&t, a, 1) == NULL);
    CHECK(mtlb_probe(&t, c, 1) != NULL);
    mtlb_free(&t);
}

static void test_entry_contents(void)
{
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 8), 0);
    /* a 64K page: va aligned down, ppn bits below 64K cleared (0x1005677 -> 0x1005670) */
    mtlb_insert(&t, 0x37abc, 5, 16, UINT64_C(0x1005677661));
    const struct mtlb_entry *e = mtlb_probe(&t, 0x3ffff, 5);
    CHECK(e != NULL);
    if (e) {
        CHECK_EQ(e->ps, 16);
        CHECK_EQ(e->va, 0x30000);
        CHECK_EQ(e->pte, UINT64_C(0x1005670661));
    }
    CHECK(mtlb_probe(&t, 0x40000, 5) == NULL); /* just past the page */
    CHECK(mtlb_probe(&t, 0x2ffff, 5) == NULL); /* just before it */
    CHECK(mtlb_probe(&t, 0x30000, 6) == NULL); /* another rid */
    mtlb_free(&t);
}

static void test_purge_range_rid(void)
{
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 16), 0);
    mtlb_insert(&t, 0x00000, 1, PS16K, 0x661);
    mtlb_insert(&t, 0x04000, 1, PS16K, 0x661);
    mtlb_insert(&t, 0x10000, 1, PS16K, 0x661);
    mtlb_insert(&t, 0x20000, 1, 16, 0x661); /* 64K [0x20000, 0x2ffff] */
    mtlb_insert(&t, 0x04000, 2, PS16K, 0x661);
    /* 16K at 0x4123 (aligned 0x4000), rid 1: only rid 1's 0x4000 */
    CHECK_EQ(mtlb_purge(&t, 0x4123, PS16K, 1), 1);
    CHECK(mtlb_probe(&t, 0x4000, 1) == NULL);
    CHECK(mtlb_probe(&t, 0x4000, 2) != NULL);
    /* a 4K purge inside the 64K entry removes the whole entry */
    CHECK_EQ(mtlb_purge(&t, 0x22000, 12, 1), 1);
    CHECK(mtlb_probe(&t, 0x20000, 1) == NULL);
    /* 64K at 0: [0, 0xffff] removes 0x0 only; 0x10000 is adjacent */
    CHECK_EQ(mtlb_purge(&t, 0, 16, 1), 1);
    CHECK(mtlb_probe(&t, 0, 1) == NULL);
    CHECK(mtlb_probe(&t, 0x10000, 1) != NULL);
    /* a rid with no entries */
    CHECK_EQ(mtlb_purge(&t, 0, 24, 3), 0);
    /* ptc.e: the two left (rid 1 0x10000, rid 2 0x4000) */
    CHECK_EQ(mtlb_purge_all(&t), 2);
    CHECK(mtlb_probe(&t, 0x10000, 1) == NULL);
    CHECK(mtlb_probe(&t, 0x4000, 2) == NULL);
    mtlb_free(&t);
}

static void test_insert_purges_overlaps(void)
{
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 16), 0);
    for (uint64_t va = 0x40000; va < 0x50000; va += 0x4000)
        mtlb_insert(&t, va, 1, PS16K, 0x661);
    mtlb_insert(&t, 0x44000, 2, PS16K, 0x661);
    mtlb_insert(&t, 0x50000, 1, PS16K, 0x661);
    /* a 64K page over the four 16K ones of rid 1 */
    mtlb_insert(&t, 0x40000, 1, 16, 0x661);
    const struct mtlb_entry *e = mtlb_probe(&t, 0x44000, 1);
    CHECK(e != NULL);
    CHECK_EQ(e ? e->ps : 0, 16);
    /* only one rid-1 entry is left in [0x40000, 0x4ffff]: the four 16K ones were purged */
    CHECK_EQ(mtlb_purge(&t, 0x40000, 16, 1), 1);
    CHECK(mtlb_probe(&t, 0x44000, 2) != NULL);  /* other rid kept */
    CHECK(mtlb_probe(&t, 0x50000, 1) != NULL);  /* adjacent page kept */
    /* and the other way: a 16K insert inside a 64K entry purges the 64K one */
    mtlb_insert(&t, 0x40000, 1, 16, 0x661);
    mtlb_insert(&t, 0x44000, 1, PS16K, 0x661);
    CHECK(mtlb_probe(&t, 0x48000, 1) == NULL);
    e = mtlb_probe(&t, 0x44000, 1);
    CHECK_EQ(e ? e->ps : 0, PS16K);
    mtlb_free(&t);
}

static void test_tr_never_evicted(void)
{
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 4), 0);
    mtlb_insert_tr(&t, 0, 0x100000, 1, 16, UINT64_C(0x7000661));
    /* 12 distinct TC pages through a 4-entry TC: 8 evictions */
    CHECK_EQ(cyclic_scan(&t, 12, 1), 12);
    const struct mtlb_entry *e = mtlb_lookup(&t, 0x10abcd, 1);
    CHECK(e == &t.tr[0]);
    CHECK_EQ(e ? e->ps : 0, 16);
    /* ptc.e purges translation caches only */
    mtlb_purge_all(&t);
    CHECK(mtlb_lookup(&t, 0x10abcd, 1) == &t.tr[0]);
    CHECK(mtlb_lookup(&t, 0, 1) == NULL);
    /* a TR of another rid does not translate */
    CHECK(mtlb_lookup(&t, 0x10abcd, 2) == NULL);
    mtlb_free(&t);
}

/* A lookup that repeats the last miss (same va and rid) is answered without a search as long as
 * nothing was given to the TLB since (mtlb_lookup_slow): it must still count as a miss at both
 * levels, and anything that could make it hit (an insert, an L1 fill from an L2 hit, a TR)
 * must make the next lookup search again. Default levels: L1 32 x 4 KiB, L2 128 of any size. */
static void test_repeated_miss(void)
{
    struct mtlb_params p;
    mtlb_params_default(&p);
    struct mtlb t;
    CHECK_EQ(mtlb_init_params(&t, &p), 0);
    const uint64_t r3 = UINT64_C(0x6000000000000000), va = r3 + 0x155008;
    enum mtlb_hit hit;
    CHECK(mtlb_lookup_level(&t, va, 1, &hit) == NULL);
    CHECK(mtlb_lookup_level(&t, va, 1, &hit) == NULL);
    CHECK_EQ(hit, MTLB_MISS);
    CHECK_EQ(t.l1.stats.misses, 2);
    CHECK_EQ(t.l2.stats.misses, 2);
    /* a purge removes, never adds: still a miss (3) */
    mtlb_purge(&t, va, PS16K, 1);
    CHECK(mtlb_lookup(&t, va, 1) == NULL);
    CHECK_EQ(t.l2.stats.misses, 3);
    /* the 16 KiB page inserted at another address of it (L1 gets the piece 0x154000, not va's):
     * va's lookup misses L1 (4) and hits L2 */
    mtlb_insert(&t, r3 + 0x154000, 1, PS16K, UINT64_C(0x40000661));
    CHECK(mtlb_lookup_level(&t, va, 1, &hit) != NULL);
    CHECK_EQ(hit, MTLB_HIT_L2);
    CHECK_EQ(t.l1.stats.misses, 4);
    CHECK_EQ(t.l2.stats.misses, 3);
    /* another rid at the same va is searched (and misses) */
    CHECK(mtlb_lookup(&t, va, 2) == NULL);
    CHECK_EQ(t.l2.stats.misses, 4);
    /* a miss, then a TR over it: a hit (a TR hit counts as an L2 hit) */
    const uint64_t vb = r3 + 0x400010;
    CHECK(mtlb_lookup(&t, vb, 1) == NULL);
    mtlb_insert_tr(&t, 0, r3 + 0x400000, 1, 16, UINT64_C(0x80000661));
    CHECK(mtlb_lookup_level(&t, vb, 1, &hit) == &t.tr[0]);
    CHECK_EQ(hit, MTLB_HIT_L2);
    /* a miss at L1 then an L2 hit fills L1: vc misses L1 twice, hits L2, then L1 */
    const uint64_t vc = r3 + 0x157010;
    CHECK(mtlb_lookup_level(&t, vc, 1, &hit) != NULL && hit == MTLB_HIT_L2);
    CHECK(mtlb_lookup_level(&t, vc, 1, &hit) != NULL && hit == MTLB_HIT_L1);
    mtlb_free(&t);
}

int main(void)
{
    test_lru_cyclic();
    test_lru_not_fifo();
    test_entry_contents();
    test_purge_range_rid();
    test_insert_purges_overlaps();
    test_tr_never_evicted();
    test_repeated_miss();
    return check_report("test_mtlb");
}

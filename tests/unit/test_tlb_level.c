/*
 * test_tlb_level.c - one TLB level: replacement policies (LRU, NRU, random), set-associative
 * indexing, fragments, parameter checks. Every expected value is derived by hand in the
 * comments from the definitions in tlb_policy.h / tlb_level.h / tlb_rng.h.
 */
#include <string.h>

#include "../../model/machine/machine.h"
#include "../../model/machine/tlb_level.h"
#include "../../model/machine/tlb_rng.h"
#include "check.h"

#define RID 0x77
#define PTE(paddr) ((uint64_t)(paddr) | 0x661) /* p=1, a, d, ar=rwx, ma=WB */

static struct tlb_level make(uint32_t entries, uint32_t ways, enum tlb_policy_kind policy, uint8_t ps, uint64_t seed)
{
    struct tlb_level l;
    const struct tlb_level_params p = {.entries = entries, .ways = ways, .policy = policy, .ps = ps};
    CHECK_EQ(tlb_level_init(&l, &p, seed), 0);
    return l;
}

/* One reference the way a TLB level is used: hit -> touch, miss -> fill. 1 on a hit. */
static int ref(struct tlb_level *l, uint64_t va, unsigned ps)
{
    struct mtlb_entry *e = tlb_level_find(l, va, RID);
    if (e) {
        l->stats.hits++;
        tlb_level_touch(l, e);
        return 1;
    }
    l->stats.misses++;
    tlb_level_fill(l, va, RID, ps, PTE(va & IA64_REGION_OFFSET_MASK), ps, NULL);
    return 0;
}

/* 16 KiB page number -> address in region 3 */
static uint64_t page16k(uint64_t vpn) { return UINT64_C(0x6000000000000000) + (vpn << 14); }

static void test_lru_cyclic_scan(void)
{
    /* E = 8 entries, fully associative, LRU. A cyclic scan of N = 9 pages: when page k is
     * referenced, the 8 most recently used pages are the 8 others, so k is never resident:
     * all 3 * 9 = 27 references miss; the first 8 fills use free entries, the other 19 evict. */
    struct tlb_level l = make(8, 0, TLB_POLICY_LRU, 0, 1);
    unsigned hits = 0;
    for (unsigned pass = 0; pass < 3; pass++)
        for (unsigned k = 0; k < 9; k++)
            hits += (unsigned)ref(&l, page16k(k), 14);
    CHECK_EQ(hits, 0);
    CHECK_EQ(l.stats.misses, 27);
    CHECK_EQ(l.stats.inserts, 27);
    CHECK_EQ(l.stats.evictions, 19);
    tlb_level_free(&l);

    /* N = 8 <= E: only the first pass misses (8), the two others hit (16), nothing evicted. */
    l = make(8, 0, TLB_POLICY_LRU, 0, 1);
    for (unsigned pass = 0; pass < 3; pass++)
        for (unsigned k = 0; k < 8; k++)
            CHECK_EQ(ref(&l, page16k(k), 14), pass > 0);
    CHECK_EQ(l.stats.misses, 8);
    CHECK_EQ(l.stats.hits, 16);
    CHECK_EQ(l.stats.evictions, 0);
    tlb_level_free(&l);

    /* The same through mtlb (no L1, L2 = 8 LRU entries): lookup, insert on a miss. */
    struct mtlb t;
    CHECK_EQ(mtlb_init(&t, 8), 0);
    for (unsigned pass = 0; pass < 3; pass++) {
        for (unsigned k = 0; k < 9; k++) {
            enum mtlb_hit hit;
            if (!mtlb_lookup_level(&t, page16k(k), RID, &hit))
                mtlb_insert(&t, page16k(k), RID, 14, PTE(k << 14));
            CHECK_EQ(hit, MTLB_MISS);
        }
    }
    const struct mtlb_stats s = mtlb_get_stats(&t);
    CHECK_EQ(s.l2.misses, 27);
    CHECK_EQ(s.l2.hits, 0);
    CHECK_EQ(s.l2.evictions, 19);
    CHECK_EQ(s.l1.misses, 0); /* no L1: nothing counted there */
    mtlb_free(&t);
}

static int way_of(const struct tlb_level *l, uint64_t va)
{
    const struct mtlb_entry *e = tlb_level_find(l, va, RID);
    return e ? (int)(e - l->e) : -1;
}

static void test_nru(void)
{
    /* 4 entries, fully associative, NRU. Pages A..I = 16 KiB pages 0..8.
     * fill A,B,C,D -> ways 0..3 (free), stamps 1..4, epoch 0: all referenced.
     * E: all referenced -> clear (epoch = 4), victim way 0 -> E (stamp 5).
     * touch C (way 2, stamp 6).
     * F: first unreferenced way = 1 (B, stamp 2 <= 4) -> F (7).
     * G: way 0 E 5 ref, 1 F 7 ref, 2 C 6 ref, 3 D 4 not -> way 3 -> G (8).
     * H: all referenced -> clear (epoch = 8), way 0 -> H (9).
     * I: way 0 H 9 ref, way 1 F 7 not -> way 1 -> I (10).
     * Final: H, I, C, G in ways 0..3. */
    struct tlb_level l = make(4, 0, TLB_POLICY_NRU, 0, 1);
    for (unsigned k = 0; k < 4; k++)
        ref(&l, page16k(k), 14);
    ref(&l, page16k(4), 14);           /* E */
    CHECK_EQ(ref(&l, page16k(2), 14), 1); /* touch C */
    ref(&l, page16k(5), 14);           /* F */
    ref(&l, page16k(6), 14);           /* G */
    ref(&l, page16k(7), 14);           /* H */
    ref(&l, page16k(8), 14);           /* I */
    CHECK_EQ(way_of(&l, page16k(7)), 0);
    CHECK_EQ(way_of(&l, page16k(8)), 1);
    CHECK_EQ(way_of(&l, page16k(2)), 2);
    CHECK_EQ(way_of(&l, page16k(6)), 3);
    for (unsigned k = 0; k < 6; k++)
        if (k != 2)
            CHECK_EQ(way_of(&l, page16k(k)), -1);
    CHECK_EQ(l.stats.evictions, 5);
    tlb_level_free(&l);
}

static void test_random(void)
{
    /* xorshift64 from seed 7, by hand: x = 7; x ^= x << 13 -> 0xe007; x ^= x >> 7 (0x1c0) ->
     * 0xe1c7; x ^= x << 17 (0x1c38e0000) -> 0x1c38ee1c7: mod 4 = 3. The next ones (same three
     * steps, done with a calculator): 0x7001c71224016dc4 (mod 4 = 0), 0xc1581fc011949e1f (3),
     * then mod 4 = 3, 2, 1. */
    uint64_t s = tlb_rng_state(7);
    CHECK_EQ(tlb_rng_next(&s), UINT64_C(0x1c38ee1c7));
    CHECK_EQ(tlb_rng_next(&s), UINT64_C(0x7001c71224016dc4));
    CHECK_EQ(tlb_rng_next(&s), UINT64_C(0xc1581fc011949e1f));
    CHECK_EQ(tlb_rng_state(0), TLB_RNG_ZERO_SEED);

    /* 4 entries, random, seed 7. Pages 0..3 fill the free ways 0..3 (no draw). Then page 4 ->
     * way 3 (replaces 3), 5 -> way 0 (replaces 0), 6 -> way 3 (replaces 4), 7 -> way 3 (6),
     * 8 -> way 2 (2), 9 -> way 1 (1). Final: 5, 9, 8, 7. */
    struct tlb_level a = make(4, 0, TLB_POLICY_RANDOM, 0, 7);
    struct tlb_level b = make(4, 0, TLB_POLICY_RANDOM, 0, 7);
    struct tlb_level c = make(4, 0, TLB_POLICY_RANDOM, 0, 5);
    for (unsigned k = 0; k < 10; k++) {
        ref(&a, page16k(k), 14);
        ref(&b, page16k(k), 14);
        ref(&c, page16k(k), 14);
    }
    CHECK_EQ(way_of(&a, page16k(5)), 0);
    CHECK_EQ(way_of(&a, page16k(9)), 1);
    CHECK_EQ(way_of(&a, page16k(8)), 2);
    CHECK_EQ(way_of(&a, page16k(7)), 3);
    CHECK_EQ(a.stats.evictions, 6);
    /* same seed, same victims */
    int same = 1;
    for (unsigned i = 0; i < 4; i++)
        same &= a.e[i].va == b.e[i].va;
    CHECK(same);
    /* seed 5 draws 1, 3, 1, 1, 0, 2 (mod 4): 4 -> way 1, 5 -> 3, 6 -> 1, 7 -> 1, 8 -> 0,
     * 9 -> 2. Final: 8, 7, 9, 5. */
    CHECK_EQ(way_of(&c, page16k(8)), 0);
    CHECK_EQ(way_of(&c, page16k(7)), 1);
    CHECK_EQ(way_of(&c, page16k(9)), 2);
    CHECK_EQ(way_of(&c, page16k(5)), 3);
    tlb_level_free(&a);
    tlb_level_free(&b);
    tlb_level_free(&c);
}

static void test_set_associative(void)
{
    /* 8 entries, 2 ways -> 4 sets, 16 KiB pages: set = (va offset >> 14) & 3. */
    struct tlb_level l = make(8, 2, TLB_POLICY_LRU, 14, 1);
    CHECK_EQ(l.sets, 4);
    /* 16 KiB pages 0, 4, 8 all index set 0 (entries 0 and 1): the third evicts the LRU one,
     * page 0, although sets 1..3 are empty. */
    ref(&l, page16k(0), 14);
    ref(&l, page16k(4), 14);
    ref(&l, page16k(8), 14);
    CHECK_EQ(way_of(&l, page16k(0)), -1);
    CHECK_EQ(way_of(&l, page16k(4)), 1);
    CHECK_EQ(way_of(&l, page16k(8)), 0);
    CHECK_EQ(l.stats.evictions, 1);
    /* page 1 -> set 1 = entries 2, 3 */
    ref(&l, page16k(1), 14);
    CHECK_EQ(way_of(&l, page16k(1)), 2);
    /* the region number takes no part in the index or the match */
    CHECK_EQ((int)(tlb_level_find(&l, UINT64_C(0x2000000000000000) + (4 << 14), RID) - l.e), 1);

    /* A 64 KiB page at 0x30000 (pa 0x1230000) with va 0x34008: cached as the 16 KiB piece
     * 0x34000 (16 KiB page 13 -> set 1, entry 3), ppn = pa 0x1230000 + 0x4000 = 0x1234000. */
    const struct mtlb_entry *e = tlb_level_fill(&l, UINT64_C(0x6000000000034008), RID, 16, PTE(0x1230000), 16, NULL);
    CHECK(e != NULL);
    CHECK_EQ(e - l.e, 3);
    CHECK_EQ(e->ps, 14);
    CHECK_EQ(e->va, UINT64_C(0x6000000000034000));
    CHECK_EQ(ia64_pte_ppn(e->pte), 0x1234);
    /* the piece does not cover the rest of the 64 KiB page */
    CHECK(tlb_level_find(&l, UINT64_C(0x6000000000030000), RID) == NULL);
    /* a 4 KiB page is smaller than the level's 16 KiB: refused */
    CHECK(tlb_level_fill(&l, UINT64_C(0x6000000000100000), RID, 12, PTE(0x5000), 12, NULL) == NULL);
    CHECK_EQ(l.stats.rejected, 1);
    tlb_level_free(&l);
}

static void test_params_check(void)
{
    const struct tlb_level_params ok_fa = {.entries = 128, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0};
    const struct tlb_level_params ok_l1 = {.entries = 32, .ways = 32, .policy = TLB_POLICY_NRU, .ps = 12};
    const struct tlb_level_params ok_sa = {.entries = 64, .ways = 4, .policy = TLB_POLICY_RANDOM, .ps = 14};
    const struct tlb_level_params absent = {.entries = 0, .ways = 3, .policy = TLB_POLICY_LRU, .ps = 0};
    const struct tlb_level_params sa_all = {.entries = 8, .ways = 2, .policy = TLB_POLICY_LRU, .ps = 0};
    const struct tlb_level_params three_sets = {.entries = 12, .ways = 4, .policy = TLB_POLICY_LRU, .ps = 12};
    const struct tlb_level_params ways_not_dividing = {.entries = 8, .ways = 3, .policy = TLB_POLICY_LRU, .ps = 12};
    const struct tlb_level_params too_many_ways = {.entries = 8, .ways = 16, .policy = TLB_POLICY_LRU, .ps = 12};
    const struct tlb_level_params bad_ps = {.entries = 8, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 15};
    const struct tlb_level_params too_big = {.entries = TLB_LEVEL_MAX_ENTRIES + 1, .ways = 0, .policy = TLB_POLICY_LRU};
    CHECK_EQ(tlb_level_params_check(&ok_fa), TLB_LEVEL_OK);
    CHECK_EQ(tlb_level_params_check(&ok_l1), TLB_LEVEL_OK);
    CHECK_EQ(tlb_level_params_check(&ok_sa), TLB_LEVEL_OK);
    CHECK_EQ(tlb_level_params_check(&absent), TLB_LEVEL_OK);
    CHECK_EQ(tlb_level_params_check(&sa_all), TLB_LEVEL_SETS_NEED_PS);
    CHECK_EQ(tlb_level_params_check(&three_sets), TLB_LEVEL_BAD_WAYS);
    CHECK_EQ(tlb_level_params_check(&ways_not_dividing), TLB_LEVEL_BAD_WAYS);
    CHECK_EQ(tlb_level_params_check(&too_many_ways), TLB_LEVEL_BAD_WAYS);
    CHECK_EQ(tlb_level_params_check(&bad_ps), TLB_LEVEL_BAD_PS);
    CHECK_EQ(tlb_level_params_check(&too_big), TLB_LEVEL_BAD_ENTRIES);
    struct tlb_level l;
    CHECK_EQ(tlb_level_init(&l, &sa_all, 1), -1);

    /* the machine-level check names the side and level */
    struct machine_params mp;
    machine_params_default(&mp);
    CHECK(machine_params_check(&mp) == NULL);
    mp.dtlb.l2 = sa_all;
    CHECK_STREQ(machine_params_check(&mp),
                "dtlb l2: a set-associative level must hold a single page size (only a fully associative "
                "level may hold every page size)");
    machine_params_default(&mp);
    mp.itlb.l1 = three_sets;
    CHECK_STREQ(machine_params_check(&mp), "itlb l1: the ways must divide the entries into a power-of-two number of sets");
    machine_params_default(&mp);
    mp.itlb.l2.entries = 0;
    CHECK_STREQ(machine_params_check(&mp), "itlb l2: needs at least one entry");
    machine_params_default(&mp);
    mp.dtlb.l1.entries = 0; /* no L1 is allowed */
    CHECK(machine_params_check(&mp) == NULL);
    mp.dtlb.ntr = MTLB_MAX_TRS + 1;
    CHECK_STREQ(machine_params_check(&mp), "dtlb: at most 64 translation registers");
    /* a side must hold 4 KiB pages in some level: L2 of 16 KiB pages only (ok_sa) is fine
     * with the default 4 KiB L1, not with an L1 of 16 KiB pages, nor without L1 */
    machine_params_default(&mp);
    mp.dtlb.l2 = ok_sa;
    CHECK(machine_params_check(&mp) == NULL);
    mp.dtlb.l1.ps = 14;
    CHECK_STREQ(machine_params_check(&mp), "dtlb: neither level holds 4 KiB pages (L1 or L2 needs page size 12 or 'all')");
    mp.dtlb.l1.ps = 0;
    CHECK(machine_params_check(&mp) == NULL);
    mp.dtlb.l1.entries = 0;
    CHECK_STREQ(machine_params_check(&mp), "dtlb: neither level holds 4 KiB pages (L1 or L2 needs page size 12 or 'all')");
}

static void test_policy_names(void)
{
    enum tlb_policy_kind k;
    CHECK_EQ(tlb_policy_parse("lru", &k), 0);
    CHECK_EQ(k, TLB_POLICY_LRU);
    CHECK_EQ(tlb_policy_parse("nru", &k), 0);
    CHECK_EQ(k, TLB_POLICY_NRU);
    CHECK_EQ(tlb_policy_parse("random", &k), 0);
    CHECK_EQ(k, TLB_POLICY_RANDOM);
    CHECK_EQ(tlb_policy_parse("fifo", &k), -1);
    CHECK_STREQ(tlb_policy_name(TLB_POLICY_NRU), "nru");
}

int main(void)
{
    test_lru_cyclic_scan();
    test_nru();
    test_random();
    test_set_associative();
    test_params_check();
    test_policy_names();
    return check_report("test_tlb_level");
}

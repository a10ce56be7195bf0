/*
 * test_tlb_hierarchy.c - one side of the machine TLB (mtlb.h): L1 / L2 lookups and fills,
 * 4 KiB fragments of larger pages, TRs, purges at both levels. Expected values are derived by
 * hand in the comments from the rules of mtlb.h.
 */
#include <string.h>

#include "../../model/machine/mtlb.h"
#include "check.h"

#define PTE(paddr) ((uint64_t)(paddr) | 0x661)

static uint64_t paddr(const struct mtlb_entry *e, uint64_t va)
{
    return ((e->pte & IA64_PTE_PPN_MASK) & e->mask) | (va & ~e->mask);
}

static void init(struct mtlb *t, uint32_t l1, uint8_t l1_ps, uint32_t l2)
{
    struct mtlb_params p;
    mtlb_params_default(&p);
    p.l1 = (struct tlb_level_params){.entries = l1, .ways = 0, .policy = TLB_POLICY_LRU, .ps = l1_ps};
    p.l2 = (struct tlb_level_params){.entries = l2, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0};
    CHECK_EQ(mtlb_init_params(t, &p), 0);
}

static unsigned valid_in(const struct tlb_level *l)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < l->n; i++)
        n += l->e[i].valid;
    return n;
}

static void test_defaults(void)
{
    struct mtlb_params p;
    mtlb_params_default(&p);
    CHECK_EQ(p.l1.entries, 32);
    CHECK_EQ(p.l1.ps, 12);
    CHECK_EQ(p.l1.ways, 0);
    CHECK_EQ(p.l2.entries, 128);
    CHECK_EQ(p.l2.ps, 0);
    CHECK_EQ(p.l2.ways, 0);
    CHECK_EQ(p.l2.policy, TLB_POLICY_LRU);
    CHECK_EQ(p.ntr, MTLB_NTRS);
}

static void test_fragments(void)
{
    /* L1: 4 entries, 4 KiB only, LRU. L2: 8 entries, every size. One 64 KiB page at
     * 0x6000000000050000 -> pa 0x40000000, inserted with va = the page base:
     * L2 gets the page (1 insert), L1 its first 4 KiB piece (1 insert). */
    const uint64_t rid = 0x55, base = UINT64_C(0x6000000000050000);
    struct mtlb t;
    init(&t, 4, 12, 8);
    mtlb_insert(&t, base, rid, 16, PTE(0x40000000));
    CHECK_EQ(t.l2.stats.inserts, 1);
    CHECK_EQ(t.l1.stats.inserts, 1);

    /* References to the 16 pieces k = 0..15 (va base + k * 4K + 8):
     *  k = 0: L1 hit. k = 1..15: L1 miss, L2 hit, L1 fill (15 fills). The 4-entry L1 holds
     *  piece 0 and pieces 1..3, then each of 4..15 evicts the LRU one: 12 evictions; it ends
     *  with pieces 12..15. Then k = 15: L1 hit; k = 0: L1 miss, L2 hit, fill (evicts 12).
     * Totals: L1 hits 2, misses 16, inserts 1 + 16 = 17, evictions 13; L2 hits 16, misses 0. */
    for (unsigned k = 0; k < 16; k++) {
        enum mtlb_hit hit;
        const uint64_t va = base + k * 0x1000 + 8;
        const struct mtlb_entry *e = mtlb_lookup_level(&t, va, rid, &hit);
        CHECK(e != NULL);
        CHECK_EQ(hit, k == 0 ? MTLB_HIT_L1 : MTLB_HIT_L2);
        CHECK_EQ(paddr(e, va), 0x40000000 + k * 0x1000 + 8);
        /* an L2 hit answers with the L2 entry (the 64 KiB page), an L1 hit with the piece */
        CHECK_EQ(e->ps, k == 0 ? 12 : 16);
    }
    enum mtlb_hit hit;
    const struct mtlb_entry *e = mtlb_lookup_level(&t, base + 15 * 0x1000, rid, &hit);
    CHECK_EQ(hit, MTLB_HIT_L1);
    CHECK_EQ(e->ps, 12);
    CHECK_EQ(e->va, base + 15 * 0x1000);
    CHECK_EQ(ia64_pte_ppn(e->pte), 0x4000f); /* pa 0x4000f000 >> 12 */
    CHECK_EQ(paddr(e, base + 15 * 0x1000 + 0x123), 0x4000f123);
    e = mtlb_lookup_level(&t, base + 4, rid, &hit);
    CHECK_EQ(hit, MTLB_HIT_L2);
    CHECK_EQ(t.l1.stats.hits, 2);
    CHECK_EQ(t.l1.stats.misses, 16);
    CHECK_EQ(t.l1.stats.inserts, 17);
    CHECK_EQ(t.l1.stats.evictions, 13);
    CHECK_EQ(t.l2.stats.hits, 16);
    CHECK_EQ(t.l2.stats.misses, 0);
    CHECK_EQ(t.l2.stats.evictions, 0);
    /* L1 now: pieces 13, 14, 15, 0 */
    CHECK(tlb_level_find(&t.l1, base + 12 * 0x1000, rid) == NULL);
    CHECK(tlb_level_find(&t.l1, base + 13 * 0x1000, rid) != NULL);
    CHECK(tlb_level_find(&t.l1, base, rid) != NULL);
    /* a probe counts nothing and finds the same translation */
    e = mtlb_probe(&t, base + 5 * 0x1000 + 1, rid);
    CHECK(e != NULL && paddr(e, base + 5 * 0x1000 + 1) == 0x40005001);
    CHECK_EQ(t.l2.stats.hits, 16);
    /* another rid does not match */
    CHECK(mtlb_lookup_level(&t, base, rid + 1, &hit) == NULL);
    CHECK_EQ(hit, MTLB_MISS);
    CHECK_EQ(t.l2.stats.misses, 1);
    mtlb_free(&t);

    /* An L1 of 16 KiB pages only cannot hold a 4 KiB page: the insert fills L2 only (L1
     * rejected 1), and every lookup is an L1 miss + L2 hit whose fill is rejected again. */
    struct mtlb_params p;
    mtlb_params_default(&p);
    p.l1.ps = 14;
    CHECK_EQ(mtlb_init_params(&t, &p), 0);
    mtlb_insert(&t, UINT64_C(0x1000), rid, 12, PTE(0x9000));
    CHECK_EQ(t.l1.stats.rejected, 1);
    CHECK_EQ(t.l2.stats.inserts, 1);
    for (unsigned i = 0; i < 3; i++) {
        CHECK(mtlb_lookup_level(&t, UINT64_C(0x1008), rid, &hit) != NULL);
        CHECK_EQ(hit, MTLB_HIT_L2);
    }
    CHECK_EQ(t.l1.stats.rejected, 4);
    CHECK_EQ(t.l1.stats.misses, 3);
    mtlb_free(&t);
}

static void test_trs(void)
{
    /* L1 4 x 4 KiB, L2 4 entries, 8 TRs. rid 7. */
    const uint64_t rid = 7, trva = UINT64_C(0x2000000000100000);
    struct mtlb t;
    init(&t, 4, 12, 4);
    /* a TC inside the TR's 1 MiB: itr purges it at both levels (2 purged, 1 per level) */
    mtlb_insert(&t, trva + 0x4000, rid, 14, PTE(0x7774000));
    mtlb_insert_tr(&t, 2, trva, rid, 20, PTE(0x80000000));
    CHECK_EQ(t.l2.stats.purged, 1);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(valid_in(&t.l2), 0);
    /* slot 8 does not exist with 8 TRs: ignored */
    mtlb_insert_tr(&t, 8, UINT64_C(0x3000000000000000), rid, 14, PTE(0x1000000));
    CHECK(mtlb_probe(&t, UINT64_C(0x3000000000000000), rid) == NULL);

    /* 10 TCs of 16 KiB pages outside the TR: the 4-entry L2 evicts 6; the TR stays. */
    for (unsigned i = 0; i < 10; i++)
        mtlb_insert(&t, UINT64_C(0x2000000000400000) + i * 0x4000, rid, 14, PTE(0x100000 + i * 0x4000));
    CHECK_EQ(t.l2.stats.evictions, 6);
    enum mtlb_hit hit;
    const uint64_t va = trva + 0x12345;
    const struct mtlb_entry *e = mtlb_lookup_level(&t, va, rid, &hit);
    CHECK_EQ(hit, MTLB_HIT_L2); /* a TR hit counts as L2 */
    CHECK(e == &t.tr[2]);
    CHECK_EQ(paddr(e, va), 0x80012345);
    CHECK_EQ(t.tr_hits, 1);
    e = mtlb_lookup_level(&t, va, rid, &hit); /* now from the L1 piece */
    CHECK_EQ(hit, MTLB_HIT_L1);
    CHECK_EQ(paddr(e, va), 0x80012345);

    /* ptc.l over the TR: no L2 TC there (returns 0), the TR survives; only the L1 piece goes */
    const uint64_t l1_purged = t.l1.stats.purged;
    CHECK_EQ(mtlb_purge(&t, trva, 20, rid), 0);
    CHECK_EQ(t.l1.stats.purged, l1_purged + 1);
    e = mtlb_lookup_level(&t, va, rid, &hit);
    CHECK_EQ(hit, MTLB_HIT_L2);
    CHECK(e == &t.tr[2]);
    CHECK_EQ(t.tr_hits, 2);
    /* ptc.e: the 4 valid L2 TCs go, the TR stays */
    CHECK_EQ(mtlb_purge_all(&t), 4);
    CHECK_EQ(valid_in(&t.l2), 0);
    CHECK_EQ(valid_in(&t.l1), 0);
    CHECK(mtlb_lookup_level(&t, va, rid, &hit) == &t.tr[2]);
    CHECK_EQ(hit, MTLB_HIT_L2);
    mtlb_free(&t);
}

static void test_purge_range(void)
{
    /* L1 8 x 4 KiB, L2 16. rids A = 1, B = 2. 16 KiB pages X = A@0x10000, Y = A@0x14000,
     * Z = B@0x10000, W = A@0x20000 (region 3). Each insert puts the page in L2 and its first
     * 4 KiB piece in L1; a reference to X + 0x1000 adds X's second piece to L1.
     * Valid: L2 4, L1 5. */
    const uint64_t A = 1, B = 2, r3 = UINT64_C(0x6000000000000000);
    struct mtlb t;
    init(&t, 8, 12, 16);
    mtlb_insert(&t, r3 + 0x10000, A, 14, PTE(0x100000));
    mtlb_insert(&t, r3 + 0x14000, A, 14, PTE(0x104000));
    mtlb_insert(&t, r3 + 0x10000, B, 14, PTE(0x200000));
    mtlb_insert(&t, r3 + 0x20000, A, 14, PTE(0x300000));
    enum mtlb_hit hit;
    CHECK(mtlb_lookup_level(&t, r3 + 0x11000, A, &hit) != NULL);
    CHECK_EQ(hit, MTLB_HIT_L2);
    CHECK_EQ(valid_in(&t.l2), 4);
    CHECK_EQ(valid_in(&t.l1), 5);

    /* ptc.l [0x10000, 0x14000) of rid A: X only (Y starts at 0x14000, Z has rid B).
     * L2: 1 purged (returned); L1: X's two pieces. */
    CHECK_EQ(mtlb_purge(&t, r3 + 0x10000, 14, A), 1);
    CHECK_EQ(t.l2.stats.purged, 1);
    CHECK_EQ(t.l1.stats.purged, 2);
    CHECK(tlb_level_find(&t.l2, r3 + 0x10000, A) == NULL);
    CHECK(tlb_level_find(&t.l1, r3 + 0x10000, A) == NULL);
    CHECK(tlb_level_find(&t.l1, r3 + 0x11000, A) == NULL);
    CHECK(tlb_level_find(&t.l2, r3 + 0x14000, A) != NULL);
    CHECK(tlb_level_find(&t.l1, r3 + 0x14000, A) != NULL);
    CHECK(tlb_level_find(&t.l2, r3 + 0x10000, B) != NULL);
    CHECK(tlb_level_find(&t.l1, r3 + 0x10000, B) != NULL);
    CHECK(tlb_level_find(&t.l2, r3 + 0x20000, A) != NULL);

    /* Through region 1 with the same rid: Y goes (the region number is not part of the tag) */
    CHECK_EQ(mtlb_purge(&t, UINT64_C(0x2000000000014000), 14, A), 1);
    CHECK(mtlb_probe(&t, r3 + 0x14000, A) == NULL);

    /* A 1 MiB purge of rid B from 0: Z at both levels; W (rid A) stays */
    CHECK_EQ(mtlb_purge(&t, 0, 20, B), 1);
    CHECK(mtlb_probe(&t, r3 + 0x10000, B) == NULL);
    CHECK(mtlb_probe(&t, r3 + 0x20000, A) != NULL);
    CHECK_EQ(valid_in(&t.l2), 1);
    CHECK_EQ(valid_in(&t.l1), 1);

    /* itc of a 64 KiB page of rid A at 0x20000 overlaps W: W is purged at both levels first,
     * then the new page fills L2 and its piece at 0x2c000 fills L1. */
    const struct mtlb_entry *e = mtlb_insert(&t, r3 + 0x2c000, A, 16, PTE(0x400000));
    CHECK(e != NULL && e->ps == 16 && e->va == r3 + 0x20000);
    CHECK_EQ(valid_in(&t.l2), 1);
    CHECK_EQ(valid_in(&t.l1), 1);
    CHECK(tlb_level_find(&t.l1, r3 + 0x2c000, A) != NULL);
    CHECK(tlb_level_find(&t.l1, r3 + 0x20000, A) == NULL);
    e = mtlb_probe(&t, r3 + 0x20010, A);
    CHECK(e != NULL && paddr(e, r3 + 0x20010) == 0x400010);
    mtlb_free(&t);
}

int main(void)
{
    test_defaults();
    test_fragments();
    test_trs();
    test_purge_range();
    return check_report("test_tlb_hierarchy");
}

/*
 * test_mtlb_l1_any.c - an L1 level that holds every page size (`page_size: any`, ps 0) in
 * one side of the machine TLB (mtlb.h), where a TR overlaps a TC.
 *
 * The rule (mtlb.c fill_l1, tlb_level.h): no two valid entries of one level with the same rid
 * overlap; the hit path's one-entry MRU shortcut relies on it. A single-size L1 keeps it for
 * free (its pieces overlap only when equal, and a fill follows a miss); an L1 of every size
 * does not when a TR overlaps a TC of L2 (architecturally a machine check, which the model does
 * not raise): the L1 fill after an L2-level hit must first purge the L1 entries overlapping
 * the filled translation.
 */
#include <string.h>

#include "../../model/machine/mtlb.h"
#include "check.h"

#define PTE(paddr) ((uint64_t)(paddr) | 0x661)

static uint64_t paddr(const struct mtlb_entry *e, uint64_t va)
{
    return ((e->pte & IA64_PTE_PPN_MASK) & e->mask) | (va & ~e->mask);
}

static void init(struct mtlb *t, uint32_t l1, uint8_t l1_ps, uint32_t l2, unsigned ntr)
{
    struct mtlb_params p;
    mtlb_params_default(&p); /* fully associative LRU levels */
    p.l1.entries = l1;
    p.l1.ps = l1_ps;
    p.l2.entries = l2;
    p.l2.ps = 0;
    p.ntr = ntr;
    CHECK_EQ(mtlb_init_params(t, &p), 0);
}

/* A scan of level l: how many entries are valid, and how many pairs of valid entries of one rid
 * overlap (as region offsets). */
struct scan {
    unsigned valid, overlapping;
};

static struct scan scan_level(const struct tlb_level *l)
{
    struct scan r = {0, 0};
    for (uint32_t i = 0; i < l->n; i++) {
        const struct mtlb_entry *a = &l->e[i];
        if (!a->valid)
            continue;
        r.valid++;
        const uint64_t a0 = ia64_region_offset(a->va), a1 = a0 + ~a->mask;
        for (uint32_t j = i + 1; j < l->n; j++) {
            const struct mtlb_entry *b = &l->e[j];
            if (!b->valid || b->rid != a->rid)
                continue;
            const uint64_t b0 = ia64_region_offset(b->va), b1 = b0 + ~b->mask;
            r.overlapping += a0 <= b1 && b0 <= a1;
        }
    }
    return r;
}

static void test_tr_over_tc(void)
{
    /* L1 4 entries of every size, L2 8, 8 TRs, LRU; rid 5; region 3. */
    const uint64_t rid = 5, base = UINT64_C(0x6000000000100000);
    struct mtlb t;
    init(&t, 4, 0, 8, 8);
    /* TR 0: 64 KiB at base -> pa 0x40000000. Then a 16 KiB TC at base + 0x4000 -> pa 0x50004000,
     * inside the TR: an insert purges overlapping TCs only, so both exist; the TC fills L2 and
     * (whole: L1 holds every size) L1. */
    mtlb_insert_tr(&t, 0, base, rid, 16, PTE(0x40000000));
    mtlb_insert(&t, base + 0x4000, rid, 14, PTE(0x50004000));
    CHECK_EQ(scan_level(&t.l1).valid, 1);
    CHECK_EQ(scan_level(&t.l2).valid, 1);
    CHECK_EQ(t.l1.stats.purged, 0);

    /* base + 0x10 is in the TR, not in the TC: L1 misses, the TR answers (an L2-level hit),
     * and L1 is filled with the TR's 64 KiB page, which overlaps the TC's copy in L1: that
     * copy is purged first (1 purged), leaving the TR's copy alone in L1. */
    enum mtlb_hit hit;
    const struct mtlb_entry *e = mtlb_lookup_level(&t, base + 0x10, rid, &hit);
    CHECK_EQ(hit, MTLB_HIT_L2);
    CHECK(e == &t.tr[0]);
    CHECK_EQ(t.tr_hits, 1);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(scan_level(&t.l1).valid, 1);
    CHECK_EQ(scan_level(&t.l1).overlapping, 0);
    CHECK_EQ(scan_level(&t.l2).valid, 1); /* the L2 TC is not touched by an L1 fill */

    /* A TC elsewhere (base + 1 MiB, 16 KiB -> pa 0x60000000) becomes L1's most recent entry, so
     * the next lookup does not take the MRU shortcut. */
    mtlb_insert(&t, base + 0x100000, rid, 14, PTE(0x60000000));
    CHECK_EQ(scan_level(&t.l1).valid, 2);
    /* base + 0x4010, inside the TC and the TR: L1 holds only the TR's copy, so it answers with
     * the TR's translation pa 0x40004010 -- what the TLB answers with no L1 at all (TRs before
     * L2 TCs). Had the TC's copy stayed, L1 would hold two entries for this address and answer
     * with whichever it found first. */
    e = mtlb_lookup_level(&t, base + 0x4010, rid, &hit);
    CHECK_EQ(hit, MTLB_HIT_L1);
    CHECK(e != NULL);
    CHECK_EQ(e ? paddr(e, base + 0x4010) : 0, 0x40004010);
    CHECK_EQ(e ? e->ps : 0, 16);
    mtlb_free(&t);

    /* The same with no L1: the TR answers base + 0x4010. */
    init(&t, 0, 0, 8, 8);
    mtlb_insert_tr(&t, 0, base, rid, 16, PTE(0x40000000));
    mtlb_insert(&t, base + 0x4000, rid, 14, PTE(0x50004000));
    e = mtlb_lookup_level(&t, base + 0x4010, rid, &hit);
    CHECK(e == &t.tr[0]);
    CHECK_EQ(paddr(e, base + 0x4010), 0x40004010);
    mtlb_free(&t);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * Property: after every operation, no level holds two overlapping entries of one rid. Random
 * TCs, TRs, lookups and purges of two rids in a 1 MiB window (so TRs and TCs overlap often),
 * pages of 4 KiB .. 256 KiB, with an L1 of every size and with the Itanium 2 4 KiB L1.
 */
static void test_no_overlap_property(uint8_t l1_ps, uint64_t seed)
{
    static const unsigned sizes[4] = {12, 14, 16, 18};
    const uint64_t window = UINT64_C(0x6000000000000000);
    struct mtlb t;
    init(&t, 8, l1_ps, 16, 4);
    uint64_t s = seed;
    unsigned bad = 0, lookups = 0, tr_l1_fills = 0;
    for (unsigned step = 0; step < 20000; step++) {
        const uint64_t r = xorshift(&s);
        const uint64_t rid = 1 + (r & 1);
        const unsigned ps = sizes[(r >> 1) & 3];
        const uint64_t va = window + ((r >> 8) & 0xfffff);
        const unsigned op = (unsigned)((r >> 32) % 100);
        if (op < 30) {
            mtlb_insert(&t, va, rid, ps, PTE((r >> 20) & 0xfffff000));
        } else if (op < 34) {
            mtlb_insert_tr(&t, (unsigned)(r >> 40) & 3, va, rid, ps, PTE((r >> 20) & 0xfffff000));
        } else if (op < 94) {
            enum mtlb_hit hit;
            const uint64_t before = t.tr_hits;
            mtlb_lookup_level(&t, va, rid, &hit);
            tr_l1_fills += t.tr_hits != before && t.l1.n > 0;
            lookups++;
        } else if (op < 99) {
            mtlb_purge(&t, va, ps, rid);
        } else {
            mtlb_purge_all(&t);
        }
        bad += scan_level(&t.l1).overlapping != 0 || scan_level(&t.l2).overlapping != 0;
    }
    CHECK_EQ(bad, 0);
    CHECK(lookups > 10000);
    CHECK(tr_l1_fills > 100); /* the case this is about did happen */
    mtlb_free(&t);
}

int main(void)
{
    test_tr_over_tc();
    test_no_overlap_property(0, UINT64_C(0x9e3779b97f4a7c15));
    test_no_overlap_property(0, 12345);
    test_no_overlap_property(12, UINT64_C(0x9e3779b97f4a7c15));
    return check_report("test_mtlb_l1_any");
}

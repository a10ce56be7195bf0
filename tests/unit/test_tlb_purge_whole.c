/*
 * test_tlb_purge_whole.c - every path that removes a translation from the machine TLB removes
 * it whole, from both levels, including the L1 4 KiB pieces that lie outside the purge range
 * (issue 7, point 1): ptc.l (small, equal, scan-sized parents), the overlap purge of an insert,
 * ptc.e, a remote purge through rr0, an itr (its purge, and a TR slot overwritten), an L2
 * capacity eviction (L1 is inclusive), pieces held by a single-page-size L2 and by an L1 of
 * every page size, and L1 entries no L2 entry backs (a TR's pieces, a page L2 refused). Expected values are derived by hand in the comments from mtlb.h and
 * tlb_level.h.
 */
#include "../../model/machine/machine.h"
#include "../../model/machine/mtlb.h"
#include "check.h"

#define PTE(paddr) ((uint64_t)(paddr) | 0x661)
#define R3 UINT64_C(0x6000000000000000)
#define RID 0x10

static void init(struct mtlb *t, uint32_t l1, uint8_t l1_ps, uint32_t l2, uint8_t l2_ps)
{
    struct mtlb_params p;
    mtlb_params_default(&p);
    p.l1 = (struct tlb_level_params){.entries = l1, .ways = 0, .policy = TLB_POLICY_LRU, .ps = l1_ps};
    p.l2 = (struct tlb_level_params){.entries = l2, .ways = 0, .policy = TLB_POLICY_LRU, .ps = l2_ps};
    CHECK_EQ(mtlb_init_params(t, &p), 0);
}

static enum mtlb_hit look(struct mtlb *t, uint64_t va)
{
    enum mtlb_hit hit;
    mtlb_lookup_level(t, va, RID, &hit);
    return hit;
}

/*
 * The 16 KiB page P = [R3 + 0x154000, R3 + 0x158000) (the repro): inserted at its base
 * (L2: P; L1: the piece 0x154000), then referenced at 0x157dd0 (L1 miss, L2 hit, L1 piece
 * 0x157000). L1: 4 x 4 KiB, L2: 8 entries of every size.
 */
static void setup_p(struct mtlb *t)
{
    init(t, 4, 12, 8, 0);
    mtlb_insert(t, R3 + 0x154000, RID, 14, PTE(0x4000));
    CHECK_EQ(look(t, R3 + 0x157dd0), MTLB_HIT_L2);
    CHECK_EQ(look(t, R3 + 0x157dd0), MTLB_HIT_L1);
    CHECK_EQ(t->l1.nvalid, 2);
}

static void test_ptc_l(void)
{
    /* ptc.l of 8 KiB at 0x154000 ([0x154000, 0x156000)): P overlaps, so it goes whole: L2 1
     * (returned), L1 both pieces (0x157000 lies outside the range, its parent P does not). */
    struct mtlb t;
    setup_p(&t);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x154000, 13, RID), 1);
    CHECK_EQ(t.l1.stats.purged, 2);
    CHECK_EQ(t.l1.nvalid, 0);
    CHECK_EQ(look(&t, R3 + 0x157dd0), MTLB_MISS);
    mtlb_free(&t);

    /* A 4 KiB purge of P's last piece while L1 holds its first one: the first goes too. */
    setup_p(&t);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x157000, 12, RID), 1);
    CHECK_EQ(t.l1.nvalid, 0);
    CHECK_EQ(look(&t, R3 + 0x154000), MTLB_MISS);
    mtlb_free(&t);

    /* What does not overlap stays: a 16 KiB Q at 0x158000 (piece 0x158000 in L1), the same
     * range under rid 0x11, and P itself under a purge of [0x150000, 0x154000). */
    setup_p(&t);
    mtlb_insert(&t, R3 + 0x158000, RID, 14, PTE(0x8000));
    mtlb_insert(&t, R3 + 0x154000, RID + 1, 14, PTE(0xc000));
    CHECK_EQ(t.l1.nvalid, 4);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x150000, 14, RID), 0);
    CHECK_EQ(t.l1.nvalid, 4);
    /* P's 8 KiB purge: P's two pieces go, Q's piece and rid 0x11's piece stay */
    CHECK_EQ(mtlb_purge(&t, R3 + 0x154000, 13, RID), 1);
    CHECK_EQ(t.l1.nvalid, 2);
    CHECK_EQ(look(&t, R3 + 0x158010), MTLB_HIT_L1);
    CHECK(tlb_level_find(&t.l1, R3 + 0x154000, RID + 1) != NULL);
    mtlb_free(&t);

    /* A 256 MiB page at 0x10000000: its pieces at the first and last 4 KiB. A 4 KiB purge at
     * the base widens to 2^16 probes of 4 KiB VPNs, more than the level's probe limit
     * (8 + 2/4 = 8): the purge scans the entries instead and still takes both pieces. */
    init(&t, 4, 12, 8, 0);
    mtlb_insert(&t, R3 + 0x10000000, RID, 28, PTE(0x40000000));
    CHECK_EQ(look(&t, R3 + 0x1ffff008), MTLB_HIT_L2);
    CHECK_EQ(t.l1.nvalid, 2);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x10000000, 12, RID), 1);
    CHECK_EQ(t.l1.nvalid, 0);
    CHECK_EQ(look(&t, R3 + 0x1ffff008), MTLB_MISS);
    mtlb_free(&t);
}

static void test_insert_overlap(void)
{
    /* itc of an 8 KiB page at 0x154000 overlaps P: P goes whole (L2 1, L1 both pieces), then
     * the new page fills L2 and its piece 0x154000 fills L1. 0x157dd0 is no longer mapped. */
    struct mtlb t;
    setup_p(&t);
    const struct mtlb_entry *e = mtlb_insert(&t, R3 + 0x154000, RID, 13, PTE(0x20000));
    CHECK(e != NULL && e->ps == 13);
    CHECK_EQ(t.l2.stats.purged, 1);
    CHECK_EQ(t.l1.stats.purged, 2);
    CHECK_EQ(t.l1.nvalid, 1);
    CHECK_EQ(look(&t, R3 + 0x157dd0), MTLB_MISS);
    CHECK_EQ(look(&t, R3 + 0x155008), MTLB_HIT_L2); /* the new page's second piece */
    mtlb_free(&t);
}

static void test_ptc_e(void)
{
    struct mtlb t;
    setup_p(&t);
    CHECK_EQ(mtlb_purge_all(&t), 1);
    CHECK_EQ(t.l1.stats.purged, 2);
    CHECK_EQ(look(&t, R3 + 0x157dd0), MTLB_MISS);
    mtlb_free(&t);
}

static void test_remote_purge_rr0(void)
{
    /* KVM's remote ptc.ga purges REGION_OFFSET(va) with the purging rid in rr0. Machine rr3
     * and rr0 both have rid 0x10 (rr = rid << 8 | ps << 2). P is inserted through region 3
     * (itc: L2 + piece 0x154000), referenced at 0x157dd0 (piece 0x157000); a ptc.l of 8 KiB at
     * region-0 address 0x154000 must take P and both pieces. */
    struct machine m;
    struct machine_params p;
    machine_params_default(&p);
    CHECK_EQ(machine_init(&m, &p, NULL), 0);
    m.rr[3] = m.rr[0] = (RID << 8) | (14 << 2);
    const struct vmm_machine vm = machine_as_vmm_machine(&m);
    vm.ops->itc(vm.ctx, VMM_I_TLB, R3 + 0x154000, PTE(0x4000), 14);
    CHECK(machine_tlb_lookup(&m, VMM_I_TLB, R3 + 0x157dd0) != NULL);
    CHECK_EQ(m.itlb.l1.nvalid, 2);
    vm.ops->ptc_l(vm.ctx, 0x154000, 13);
    CHECK_EQ(m.itlb.l2.nvalid, 0);
    CHECK_EQ(m.itlb.l1.nvalid, 0);
    CHECK(machine_tlb_lookup(&m, VMM_I_TLB, R3 + 0x157dd0) == NULL);
    machine_free(&m);
}

static void test_itr(void)
{
    /* itr of an 8 KiB TR at 0x154000 purges the TCs it overlaps: P whole (both pieces). The
     * TR then maps only [0x154000, 0x156000). */
    struct mtlb t;
    setup_p(&t);
    mtlb_insert_tr(&t, 0, R3 + 0x154000, RID, 13, PTE(0x80000));
    CHECK_EQ(t.l2.nvalid, 0);
    CHECK_EQ(t.l1.nvalid, 0);
    CHECK_EQ(look(&t, R3 + 0x157dd0), MTLB_MISS);
    CHECK_EQ(look(&t, R3 + 0x154010), MTLB_HIT_L2);
    CHECK_EQ(t.tr_hits, 1);
    mtlb_free(&t);

    /* A TR slot overwritten: TR 1 = 64 KiB at 0x200000, referenced at 0x20f008 (TR hit, L1
     * piece 0x20f000 of the TR). itr into slot 1 of a 16 KiB page at 0x400000 replaces the TR:
     * its L1 piece goes with it (l1 purged 1), so 0x20f008 misses everywhere. */
    init(&t, 4, 12, 8, 0);
    mtlb_insert_tr(&t, 1, R3 + 0x200000, RID, 16, PTE(0x100000));
    CHECK_EQ(look(&t, R3 + 0x20f008), MTLB_HIT_L2);
    CHECK_EQ(look(&t, R3 + 0x20f008), MTLB_HIT_L1);
    mtlb_insert_tr(&t, 1, R3 + 0x400000, RID, 14, PTE(0x200000));
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(look(&t, R3 + 0x20f008), MTLB_MISS);
    CHECK_EQ(look(&t, R3 + 0x400008), MTLB_HIT_L2);
    mtlb_free(&t);
}

static void test_l2_eviction_inclusive(void)
{
    /* L2 of 2 entries, LRU. 16 KiB pages A = 0x10000, B = 0x20000, C = 0x30000 inserted in
     * that order (each also puts its first piece in L1). C's fill finds L2 full and evicts
     * the least recently used, A (L2 stamps: A 1, B 2). L1 is inclusive: A's piece goes
     * (l1 purged 1, L1 keeps B's and C's), and A misses at every level. */
    struct mtlb t;
    init(&t, 4, 12, 2, 0);
    mtlb_insert(&t, R3 + 0x10000, RID, 14, PTE(0x10000));
    mtlb_insert(&t, R3 + 0x20000, RID, 14, PTE(0x20000));
    mtlb_insert(&t, R3 + 0x30000, RID, 14, PTE(0x30000));
    CHECK_EQ(t.l2.stats.evictions, 1);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(t.l1.nvalid, 2);
    CHECK_EQ(look(&t, R3 + 0x10008), MTLB_MISS);
    CHECK_EQ(look(&t, R3 + 0x20008), MTLB_HIT_L1);
    CHECK_EQ(look(&t, R3 + 0x30008), MTLB_HIT_L1);
    mtlb_free(&t);
}

static void test_pieces_of_pieces(void)
{
    /* L2 holds 16 KiB only: a 64 KiB page G = [0x40000, 0x50000) inserted at 0x4c008 is held
     * as L2 piece 0x4c000 (parent 16) and L1 piece 0x4c000 (parent 16, from the L2 entry).
     * A 4 KiB ptc.l at 0x40000 lies outside both pieces but inside G: both go. */
    struct mtlb t;
    init(&t, 4, 12, 8, 14);
    const struct mtlb_entry *e = mtlb_insert(&t, R3 + 0x4c008, RID, 16, PTE(0x100000));
    CHECK(e != NULL && e->ps == 14 && e->parent_ps == 16 && e->va == R3 + 0x4c000);
    CHECK_EQ(look(&t, R3 + 0x4c008), MTLB_HIT_L1);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x40000, 12, RID), 1);
    CHECK_EQ(t.l1.nvalid, 0);
    CHECK_EQ(look(&t, R3 + 0x4c008), MTLB_MISS);
    mtlb_free(&t);

    /* The same with an L1 of every page size: it copies the L2 piece (16 KiB at 0x4c000,
     * parent 16); the 4 KiB purge at 0x40000 removes it (l1 purged 1). */
    init(&t, 4, 0, 8, 14);
    mtlb_insert(&t, R3 + 0x4c008, RID, 16, PTE(0x100000));
    const struct mtlb_entry *c = tlb_level_find(&t.l1, R3 + 0x4c008, RID);
    CHECK(c != NULL && c->ps == 14 && c->parent_ps == 16);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x40000, 12, RID), 1);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(look(&t, R3 + 0x4c008), MTLB_MISS);
    mtlb_free(&t);
}

/* mtlb_purge searches L1 only when L2 lost something, unless an L1 entry may be backed by no
 * L2 entry: a TR's piece, or a page L2 refused. Both must still go. */
static void test_l1_without_l2_copy(void)
{
    /* TR 0 = 64 KiB at 0x200000, referenced at 0x20f008: TR hit, L1 piece 0x20f000 (parent
     * 16). A 4 KiB ptc.l at 0x200000 finds nothing in L2 (l2 purged 0) but overlaps the TR:
     * L1 drops the TR's piece (l1 purged 1); the TR itself stays (the next lookup: L2 hit). */
    struct mtlb t;
    init(&t, 4, 12, 8, 0);
    mtlb_insert_tr(&t, 0, R3 + 0x200000, RID, 16, PTE(0x100000));
    CHECK_EQ(look(&t, R3 + 0x20f008), MTLB_HIT_L2);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x200000, 12, RID), 0);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(t.l1.nvalid, 0);
    CHECK_EQ(look(&t, R3 + 0x20f008), MTLB_HIT_L2);
    /* ... while a purge next to the TR (16 KiB at 0x210000, outside it) leaves its piece */
    CHECK_EQ(mtlb_purge(&t, R3 + 0x210000, 14, RID), 0);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(look(&t, R3 + 0x20f008), MTLB_HIT_L1);
    mtlb_free(&t);

    /* L2 holds 16 KiB pages only: a 4 KiB page at 0x30000 is refused there (l2 rejected 1)
     * and cached by L1 alone. Its ptc.l finds nothing in L2 (0) and removes it from L1. */
    init(&t, 4, 12, 8, 14);
    CHECK(mtlb_insert(&t, R3 + 0x30000, RID, 12, PTE(0x7000)) != NULL);
    CHECK_EQ(t.l2.stats.rejected, 1);
    CHECK_EQ(look(&t, R3 + 0x30008), MTLB_HIT_L1);
    CHECK_EQ(mtlb_purge(&t, R3 + 0x30000, 12, RID), 0);
    CHECK_EQ(t.l1.stats.purged, 1);
    CHECK_EQ(look(&t, R3 + 0x30008), MTLB_MISS);
    mtlb_free(&t);
}

int main(void)
{
    test_ptc_l();
    test_insert_overlap();
    test_ptc_e();
    test_remote_purge_rr0();
    test_itr();
    test_l2_eviction_inclusive();
    test_pieces_of_pieces();
    test_l1_without_l2_copy();
    return check_report("test_tlb_purge_whole");
}

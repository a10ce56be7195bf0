/*
 * test_vtlb_hash.c - vsa_thash (the vTLB's own hash) and vhpt_enabled, values derived by hand
 * from the seed's vsa_thash:
 *   pfn_bits = pta.size - 5 - 8; pfn = REGION_OFFSET(va) >> vrr.ps; rid = vrr.rid (24 bits)
 *   index = ((rid & 0xff) << pfn_bits) | (pfn & (2^pfn_bits - 1))
 *   tag = ((rid >> 8) & 0xffff) | ((pfn >> pfn_bits) << 16); slot = base + index * 32
 */
#include <string.h>

#include "../../model/vmm/vtlb.h"
#include "check.h"

#define BASE UINT64_C(0xe000000200000000)

static uint64_t pta_of(unsigned size) { return ia64_pta_make(BASE, size, 1, 1); }

static void test_size15(void)
{
    /* size 15: pfn_bits = 15 - 13 = 2. rid 0x1234ab, ps 14, va offset 0x34000:
     * pfn = 0x34000 >> 14 = 0xd; index = (0xab << 2) | (0xd & 3) = 0x2ac | 1 = 0x2ad;
     * tag = ((0x1234ab >> 8) & 0xffff) | ((0xd >> 2) << 16) = 0x1234 | 0x30000 = 0x31234;
     * slot = base + 0x2ad * 32 = base + 0x55a0 */
    uint64_t tag = 0;
    const uint64_t vrr = ia64_rr_make(0x1234ab, 14, 1);
    CHECK_EQ(vsa_thash(pta_of(15), UINT64_C(0x2000000000034000), vrr, &tag), BASE + 0x55a0);
    CHECK_EQ(tag, 0x31234);
    /* the index stays inside the 2^(15-5) = 1024-entry table: 0x2ad < 0x400 */
    CHECK((0x55a0 >> 5) < 1024);
}

static void test_size17(void)
{
    /* size 17 (the seed's vTLB): pfn_bits = 4. rid 0x1234ab, ps 16, va 0x6000000123456789:
     * region offset 0x123456789; pfn = 0x123456789 >> 16 = 0x12345;
     * index = (0xab << 4) | (0x12345 & 0xf) = 0xab0 | 5 = 0xab5;
     * tag = 0x1234 | ((0x12345 >> 4) << 16) = 0x1234 | (0x1234 << 16) = 0x12341234;
     * slot = base + 0xab5 * 32 = base + 0x156a0 */
    uint64_t tag = 0;
    const uint64_t vrr = ia64_rr_make(0x1234ab, 16, 1);
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x6000000123456789), vrr, &tag), BASE + 0x156a0);
    CHECK_EQ(tag, 0x12341234);

    /* The region bits of va are not hashed (REGION_OFFSET): the same offset in region 0. */
    uint64_t tag0 = 0;
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x0000000123456789), vrr, &tag0), BASE + 0x156a0);
    CHECK_EQ(tag0, 0x12341234);

    /* Only the rr's rid and ps fields count: ve = 0 and bits 32..63 set change nothing. */
    uint64_t tag1 = 0;
    const uint64_t noisy = ia64_rr_make(0x1234ab, 16, 0) | (UINT64_C(0xff) << 32);
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x6000000123456789), noisy, &tag1), BASE + 0x156a0);
    CHECK_EQ(tag1, 0x12341234);

    /* rid 0x0034ab differs from 0x1234ab only above bit 8: same slot (index uses rid & 0xff),
     * tag's rid part = (0x34ab >> 8) & 0xffff = 0x34 -> tag = 0x12340034 */
    uint64_t tag2 = 0;
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x6000000123456789), ia64_rr_make(0x34ab, 16, 1), &tag2),
             BASE + 0x156a0);
    CHECK_EQ(tag2, 0x12340034);
}

static void test_size20(void)
{
    /* size 20: pfn_bits = 7. rid 0xffffff, ps 12, va 0xa00000000fedc000 (region 5):
     * pfn = 0xfedc000 >> 12 = 0xfedc; index = (0xff << 7) | (0xfedc & 0x7f) = 0x7f80 | 0x5c = 0x7fdc;
     * tag = ((0xffffff >> 8) & 0xffff) | ((0xfedc >> 7) << 16) = 0xffff | (0x1fd << 16) = 0x1fdffff;
     * slot = base + 0x7fdc * 32 = base + 0xffb80 */
    uint64_t tag = 0;
    const uint64_t vrr = ia64_rr_make(0xffffff, 12, 1);
    CHECK_EQ(vsa_thash(pta_of(20), UINT64_C(0xa00000000fedc000), vrr, &tag), BASE + 0xffb80);
    CHECK_EQ(tag, 0x1fdffff);
    /* an offset inside the same 4K page hashes the same */
    uint64_t tag1 = 0;
    CHECK_EQ(vsa_thash(pta_of(20), UINT64_C(0xa00000000fedcfff), vrr, &tag1), BASE + 0xffb80);
    CHECK_EQ(tag1, 0x1fdffff);
    /* the next 4K page: pfn 0xfedd -> low 7 bits 0x5d -> index 0x7fdd, same tag (0xfedd >> 7 = 0x1fd) */
    uint64_t tag2 = 0;
    CHECK_EQ(vsa_thash(pta_of(20), UINT64_C(0xa00000000fedd000), vrr, &tag2), BASE + 0x7fdd * 32);
    CHECK_EQ(tag2, 0x1fdffff);
}

static void test_collision(void)
{
    /* size 17 (pfn_bits 4), ps 14. Page A: rid 0x1ab, va 0x14000 -> pfn 0x5;
     * page B: rid 0x2ab, va 0x54000 -> pfn 0x15. Low 4 pfn bits (5) and low 8 rid bits (0xab) are
     * equal: both index = (0xab << 4) | 5 = 0xab5. Tags: A = 0x1 | (0 << 16) = 0x1,
     * B = 0x2 | (1 << 16) = 0x10002. One slot, two tags: a direct-mapped conflict. */
    uint64_t ta = 0, tb = 0;
    const uint64_t sa = vsa_thash(pta_of(17), UINT64_C(0x2000000000014000), ia64_rr_make(0x1ab, 14, 1), &ta);
    const uint64_t sb = vsa_thash(pta_of(17), UINT64_C(0x4000000000054000), ia64_rr_make(0x2ab, 14, 1), &tb);
    CHECK_EQ(sa, BASE + 0xab5 * 32);
    CHECK_EQ(sb, sa);
    CHECK_EQ(ta, 0x1);
    CHECK_EQ(tb, 0x10002);

    /* Different low rid bits (0xac) move the page to another group of 16 slots: index 0xac5 */
    uint64_t tc = 0;
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x2000000000014000), ia64_rr_make(0x1ac, 14, 1), &tc),
             BASE + 0xac5 * 32);

    /* One region of one rid owns 2^pfn_bits = 16 slots: pages 0..31 of rid 0xab (ps 14) fall in
     * slots 0xab0..0xabf, each slot taken by exactly two of them (pfn p and p + 16). */
    unsigned hits[16] = {0};
    int outside = 0;
    for (uint64_t p = 0; p < 32; p++) {
        uint64_t t;
        const uint64_t s = vsa_thash(pta_of(17), p << 14, ia64_rr_make(0xab, 14, 1), &t);
        const uint64_t index = (s - BASE) >> 5;
        if (index < 0xab0 || index > 0xabf)
            outside++;
        else
            hits[index - 0xab0]++;
    }
    CHECK_EQ(outside, 0);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ(hits[i], 2);
}

/* vhpt_enabled reads only v->vpsr, v->vrr[] and v->vpta. */
static struct vmm_vcpu hv;

/* Spec section 4: rr.ve & pta.ve, then DATA/NA -> dt; INST -> dt && it && ic; RSE -> dt && rt. */
static int spec_enabled(unsigned rrve, unsigned ptave, uint64_t psr, enum vhpt_ref ref)
{
    if (!(rrve && ptave))
        return 0;
    const int dt = (psr & IA64_PSR_DT) != 0, it = (psr & IA64_PSR_IT) != 0;
    const int ic = (psr & IA64_PSR_IC) != 0, rt = (psr & IA64_PSR_RT) != 0;
    switch (ref) {
    case DATA_REF:
    case NA_REF:
        return dt;
    case INST_REF:
        return dt && it && ic;
    case RSE_REF:
        return dt && rt;
    }
    return -1;
}

/* docs/vtlb-mapping.md, "How many pages the vTLB holds": the worked example of the default
 * experiment. Process 0's region 3 has rid 1 << 3 | 3 = 0xb (docs/guest-os.md) and 64 KiB pages;
 * the 128 KiB vTLB has pta.size 17, pfn_bits = 4. Every one of the 768 pages of the 48 MiB
 * footprint at 0x6000000000000000 hashes to index (0xb << 4) | (pfn & 0xf): the 16 slots
 * 0xb0..0xbf, 48 pages each; pages 16 apart (1 MiB) share a slot and differ in the tag. */
static void test_per_rid_capacity(void)
{
    const uint64_t vrr = ia64_rr_make(0xb, 16, 1);
    unsigned uses[4096];
    memset(uses, 0, sizeof uses);
    for (uint64_t page = 0; page < 768; page++) {
        uint64_t tag = 0;
        const uint64_t slot = vsa_thash(pta_of(17), UINT64_C(0x6000000000000000) + (page << 16), vrr, &tag);
        const uint64_t index = (slot - BASE) >> 5;
        CHECK(index < 4096);
        if (index < 4096)
            uses[index]++;
        CHECK_EQ(index, 0xb0 | (page & 0xf));
        CHECK_EQ(tag, (page >> 4) << 16); /* rid >> 8 = 0 */
    }
    unsigned distinct = 0;
    for (unsigned i = 0; i < 4096; i++) {
        distinct += uses[i] != 0;
        if (uses[i])
            CHECK_EQ(uses[i], 48);
    }
    CHECK_EQ(distinct, 16);
    /* the doc's two pages: 0x6000000000010000 (pfn 1) and 0x6000000000110000 (pfn 0x11) */
    uint64_t t1 = 0, t2 = 0;
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x6000000000010000), vrr, &t1), BASE + 0xb1 * 32);
    CHECK_EQ(vsa_thash(pta_of(17), UINT64_C(0x6000000000110000), vrr, &t2), BASE + 0xb1 * 32);
    CHECK_EQ(t1, 0);
    CHECK_EQ(t2, 0x10000);
}

static void test_vhpt_enabled(void)
{
    const uint64_t bits[4] = {IA64_PSR_IC, IA64_PSR_DT, IA64_PSR_RT, IA64_PSR_IT};
    const uint64_t va = UINT64_C(0x6000000000004000); /* region 3 */
    unsigned enabled[4] = {0};
    memset(&hv, 0, sizeof hv);
    for (unsigned ref = DATA_REF; ref <= RSE_REF; ref++) {
        for (unsigned combo = 0; combo < 64; combo++) {
            uint64_t psr = 0;
            for (unsigned b = 0; b < 4; b++)
                if (combo & (1u << b))
                    psr |= bits[b];
            const unsigned rrve = (combo >> 4) & 1, ptave = (combo >> 5) & 1;
            /* other psr bits set (i, cpl 3, bn) must not matter */
            hv.vpsr = psr | (UINT64_C(1) << 14) | IA64_PSR_CPL_MASK | (UINT64_C(1) << 44);
            hv.vrr[3] = ia64_rr_make(0x77, 14, rrve);
            hv.vpta = ia64_pta_make(UINT64_C(0x4000000000100000), 16, 0, ptave);
            const int got = vhpt_enabled(&hv, va, (enum vhpt_ref)ref);
            CHECK_EQ(got != 0, spec_enabled(rrve, ptave, psr, (enum vhpt_ref)ref));
            enabled[ref] += got != 0;
        }
    }
    /* Counts over the 64 combinations (4 psr bits x rr.ve x pta.ve), derived by hand:
     * DATA/NA need rrve, ptave, dt: 1 * 1 * (2^3 combos of ic/rt/it) = 8;
     * INST needs dt, it, ic: rt free -> 2; RSE needs dt, rt: ic and it free -> 4. */
    CHECK_EQ(enabled[DATA_REF], 8);
    CHECK_EQ(enabled[NA_REF], 8);
    CHECK_EQ(enabled[INST_REF], 2);
    CHECK_EQ(enabled[RSE_REF], 4);

    /* The rr consulted is va's region's: rr3.ve = 1 but va in region 2 with rr2.ve = 0 -> off. */
    hv.vpsr = IA64_PSR_DT | IA64_PSR_IT | IA64_PSR_IC | IA64_PSR_RT;
    hv.vrr[3] = ia64_rr_make(0x77, 14, 1);
    hv.vrr[2] = ia64_rr_make(0x77, 14, 0);
    hv.vpta = ia64_pta_make(UINT64_C(0x4000000000100000), 16, 0, 1);
    CHECK_EQ(vhpt_enabled(&hv, UINT64_C(0x6000000000004000), DATA_REF), 1);
    CHECK_EQ(vhpt_enabled(&hv, UINT64_C(0x4000000000004000), DATA_REF), 0);
    /* pta.vf (long format) does not matter for the enable */
    hv.vpta = ia64_pta_make(UINT64_C(0x4000000000100000), 16, 1, 1);
    CHECK_EQ(vhpt_enabled(&hv, UINT64_C(0x6000000000004000), INST_REF), 1);
}

int main(void)
{
    test_per_rid_capacity();
    test_size15();
    test_size17();
    test_size20();
    test_collision();
    test_vhpt_enabled();
    return check_report("test_vtlb_hash");
}

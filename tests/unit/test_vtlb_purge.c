/*
 * test_vtlb_purge.c - vtlb_purge, vhpt_purge, thash_purge_entries and thash_purge_all.
 *
 * Common set-up (defaults: vTLB 2^17 bytes -> pfn_bits 4, VHPT 2^18 bytes -> 8192 entries,
 * host page 16K): region 1 has guest rr rid 0x123, ps 14, ve 1 and machine rr
 * vrrtomrr = rid (0x123 << 4) | 0xe = 0x123e, ps 14, ve 1.
 * vTLB slots (vsa_thash, rid & 0xff = 0x23, rid >> 8 = 1):
 *   ps 14, va offset 0x40000: pfn 0x10 -> index 0x230, tag 1 | (0x10 >> 4) << 16 = 0x10001
 *   ps 14, 0x44000 -> pfn 0x11 -> 0x231; 0x48000 -> 0x232; 0x4c000 -> 0x233; 0x60000 -> pfn 0x18 -> 0x238
 *   ps 16, 0x40000: pfn 4 -> index 0x234, tag 1; 0x50000: pfn 5 -> 0x235, tag 1
 * VHPT slots (Ski hash, rid 0x123e, ps 14): index = (hpn ^ 0x123e) mod 8192
 *   0x40000: hpn 0x10 -> 0x122e; 0x44000: 0x11 -> 0x122f; 0x48000: 0x12 -> 0x122c;
 *   0x4c000: 0x13 -> 0x122d; 0x50000: 0x14 -> 0x122a
 */
#include <string.h>

#include "../../model/vmm/vtlb.h"
#include "check.h"
#include "fake_machine.h"

#define R1 UINT64_C(0x2000000000000000)
#define R2 UINT64_C(0x4000000000000000)
#define MRID1 UINT64_C(0x123e)
#define PTE UINT64_C(0x1005678661) /* p a d ar=rwx, ppn 0x1005678 */

static struct fake_vcpu F;

static void setup(const struct vmm_params *p)
{
    fake_vcpu_init(&F, p);
    F.v.vrr[1] = ia64_rr_make(0x123, 14, 1);
    F.fm.m.rr[1] = ia64_rr_make(MRID1, 14, 1);
}

static const struct ia64_lvhpt_entry *vtlb_at(uint32_t index) { return &F.v.vtlb.hash[index]; }
static const struct ia64_lvhpt_entry *vhpt_at(uint32_t index) { return &F.v.vhpt.hash[index]; }
static uint64_t mtag1(uint64_t hpn) { return hpn ^ (MRID1 << 39); } /* ttag, region 1 */

static void test_vtlb_purge_two_sizes(void)
{
    setup(NULL);
    vtlb_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x40000);
    vtlb_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x44000);
    vtlb_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x4c000); /* 0x48000 left empty */
    vtlb_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x60000); /* outside the purge */
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x40000);
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x50000); /* outside the purge */
    CHECK_EQ(F.v.psbits[1], (UINT64_C(1) << 14) | (UINT64_C(1) << 16));
    CHECK_EQ(vtlb_at(0x230)->etag, 0x10001);
    CHECK_EQ(vtlb_at(0x234)->etag, 1);

    memset(&F.v.work, 0, sizeof F.v.work);
    /* 64K purge of 0x4d234: start 0x40000 (va aligned down to 64K; probing from va itself would
     * hash pfns 0x13..0x16 instead). rr_ps 14: num = 2^(16-14) = 4 probes at 0x40000,
     * 0x44000, 0x48000, 0x4c000 (slots 0x230..0x233, three hold matching entries);
     * rr_ps 16: num 1 probe at 0x40000 (slot 0x234, matching). 5 probes, 4 invalidated. */
    vtlb_purge(&F.v, R1 + 0x4d234, 16);
    CHECK_EQ(F.v.work.vtlb_probes, 5);
    CHECK_EQ(F.v.work.vtlb_invalidated, 4);
    CHECK_EQ(vtlb_at(0x230)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(vtlb_at(0x231)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(vtlb_at(0x232)->etag, IA64_INVALID_TI_TAG); /* was never written */
    CHECK_EQ(vtlb_at(0x233)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(vtlb_at(0x234)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(vtlb_at(0x238)->etag, 0x10001); /* 0x60000 is outside [0x40000, 0x50000) */
    CHECK_EQ(vtlb_at(0x235)->etag, 1);       /* 0x50000 too */
    /* only the tag is written: page_flags and itir stay (the seed sets cur->etag only) */
    CHECK_EQ(vtlb_at(0x230)->page_flags, PTE);
    CHECK_EQ(vtlb_at(0x234)->itir, ia64_itir_make(16, 0));
    /* vtlb_purge does not clear psbits and issues no machine purge */
    CHECK_EQ(F.v.psbits[1], (UINT64_C(1) << 14) | (UINT64_C(1) << 16));
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 0);
    fake_vcpu_free(&F);
}

static void test_vtlb_purge_smaller_than_entry(void)
{
    setup(NULL);
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x40000); /* slot 0x234, tag 1 */
    memset(&F.v.work, 0, sizeof F.v.work);
    /* purge 4K at 0x44000: psbits = {16}; ps 12 < 16 -> num = 1, one probe at 0x44000 hashed
     * with ps 16: pfn 4 -> slot 0x234, tag 1 -> the 64K entry covering 0x44000 is dropped */
    vtlb_purge(&F.v, R1 + 0x44000, 12);
    CHECK_EQ(F.v.work.vtlb_probes, 1);
    CHECK_EQ(F.v.work.vtlb_invalidated, 1);
    CHECK_EQ(vtlb_at(0x234)->etag, IA64_INVALID_TI_TAG);
    fake_vcpu_free(&F);
}

static void test_vtlb_purge_ps_mismatch(void)
{
    setup(NULL);
    /* ps 16 at 0x100000: pfn 0x10 -> index 0x230, tag 1 | (1 << 16) = 0x10001: the same slot and
     * tag a ps-14 page at 0x40000 (pfn 0x10) hashes to */
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x100000);
    vtlb_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x60000); /* sets psbits bit 14, slot 0x238 */
    CHECK_EQ(vtlb_at(0x230)->etag, 0x10001);
    memset(&F.v.work, 0, sizeof F.v.work);
    /* purge 16K at 0x40000: rr_ps 14 probes slot 0x230, tag equal but entry ps 16 != 14 -> kept;
     * rr_ps 16: 14 < 16 -> 1 probe at pfn 4, slot 0x234 (empty). 2 probes, 0 invalidated. */
    vtlb_purge(&F.v, R1 + 0x40000, 14);
    CHECK_EQ(F.v.work.vtlb_probes, 2);
    CHECK_EQ(F.v.work.vtlb_invalidated, 0);
    CHECK_EQ(vtlb_at(0x230)->etag, 0x10001);
    CHECK_EQ(vtlb_at(0x238)->etag, 0x10001);
    fake_vcpu_free(&F);
}

static void test_vhpt_purge(void)
{
    setup(NULL);
    /* region 2: machine rid 0x323e; 0x48000 (hpn 0x12) -> (0x12 ^ 0x323e) mod 8192 = 0x122c, the
     * slot region 1's 0x48000 would use, but with tag 0x12 ^ (0x323e << 39) */
    F.fm.m.rr[2] = ia64_rr_make(0x323e, 14, 1);
    vhpt_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x40000, PTE);
    vhpt_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x44000, PTE);
    vhpt_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x50000, PTE);
    vhpt_insert(&F.v, PTE, ia64_itir_make(14, 0), R2 + 0x48000, PTE);
    CHECK_EQ(vhpt_at(0x122e)->etag, mtag1(0x10));
    CHECK_EQ(vhpt_at(0x122f)->etag, mtag1(0x11));
    CHECK_EQ(vhpt_at(0x122a)->etag, mtag1(0x14));
    CHECK_EQ(vhpt_at(0x122c)->etag, UINT64_C(0x12) ^ (UINT64_C(0x323e) << 39));

    memset(&F.v.work, 0, sizeof F.v.work);
    fake_clear(&F.fm);
    /* 64K purge of 0x4d234, machine ps 14: from 0x40000, num = 2^(16-14) = 4 probes
     * (0x122e, 0x122f, 0x122c, 0x122d);
     * 0x122e and 0x122f match; 0x122c holds another rid's tag; 0x122d is empty */
    vhpt_purge(&F.v, R1 + 0x4d234, 16);
    CHECK_EQ(F.v.work.vhpt_probes, 4);
    CHECK_EQ(F.v.work.vhpt_invalidated, 2);
    CHECK_EQ(vhpt_at(0x122e)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(vhpt_at(0x122f)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(vhpt_at(0x122c)->etag, UINT64_C(0x12) ^ (UINT64_C(0x323e) << 39));
    CHECK_EQ(vhpt_at(0x122a)->etag, mtag1(0x14));
    /* then exactly one machine ptc.l with the caller's va (not aligned) and ps */
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->va, R1 + 0x4d234);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 16);
    CHECK_EQ(F.v.work.machine_ptc_l, 1);

    /* A purge smaller than the machine page: ps 12 < 14 -> num = 1 probe at 0x50000 (0x122a) */
    memset(&F.v.work, 0, sizeof F.v.work);
    fake_clear(&F.fm);
    vhpt_purge(&F.v, R1 + 0x51000, 12);
    CHECK_EQ(F.v.work.vhpt_probes, 1);
    CHECK_EQ(F.v.work.vhpt_invalidated, 1);
    CHECK_EQ(vhpt_at(0x122a)->etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 12);

    /* A 16M purge: 2^(24-14) = 1024 probes */
    memset(&F.v.work, 0, sizeof F.v.work);
    vhpt_purge(&F.v, R1, 24);
    CHECK_EQ(F.v.work.vhpt_probes, 1024);
    fake_vcpu_free(&F);
}

static void test_purge_entries_region_check(void)
{
    setup(NULL);
    /* vtlb_insert alone does not set tc_regions (thash_purge_and_insert does) */
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x40000); /* slot 0x234 */
    CHECK_EQ(F.v.tc_regions, 0);
    memset(&F.v.work, 0, sizeof F.v.work);
    fake_clear(&F.fm);
    thash_purge_entries(&F.v, R1 + 0x40000, 16);
    CHECK_EQ(F.v.work.vtlb_probes, 0);        /* vtlb_purge skipped */
    CHECK_EQ(vtlb_at(0x234)->etag, 1);        /* entry survives */
    CHECK_EQ(F.v.work.vhpt_probes, 4);        /* vhpt_purge still runs: 2^(16-14) */
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 1);

    /* another region's bit does not help */
    F.v.tc_regions = 1u << 2;
    memset(&F.v.work, 0, sizeof F.v.work);
    thash_purge_entries(&F.v, R1 + 0x40000, 16);
    CHECK_EQ(F.v.work.vtlb_probes, 0);
    CHECK_EQ(vtlb_at(0x234)->etag, 1);

    /* with region 1's bit: vtlb_purge runs (psbits {16}: 1 probe) and drops the entry */
    F.v.tc_regions |= 1u << 1;
    memset(&F.v.work, 0, sizeof F.v.work);
    thash_purge_entries(&F.v, R1 + 0x40000, 16);
    CHECK_EQ(F.v.work.vtlb_probes, 1);
    CHECK_EQ(F.v.work.vtlb_invalidated, 1);
    CHECK_EQ(vtlb_at(0x234)->etag, IA64_INVALID_TI_TAG);
    fake_vcpu_free(&F);
}

static int all_invalid(const struct thash_table *t)
{
    for (uint32_t i = 0; i < t->num; i++) {
        const struct ia64_lvhpt_entry *e = &t->hash[i];
        if (e->etag != IA64_INVALID_TI_TAG || e->page_flags || e->itir || e->word3)
            return 0;
    }
    return 1;
}

static void test_thash_init(void)
{
    setup(NULL);
    /* vCPU 0's tables (vmm_vcpu.c layout): VHPT at 0xe000000100000000, vTLB at 0xe000000200000000.
     * pta = base | vf (0x100) | size << 2 | ve: vTLB 17 << 2 = 0x44 -> 0x145; VHPT 18 << 2 = 0x48 -> 0x149 */
    CHECK_EQ(F.v.vtlb.pta, UINT64_C(0xe000000200000145));
    CHECK_EQ(F.v.vhpt.pta, UINT64_C(0xe000000100000149));
    CHECK_EQ(F.fm.m.pta, F.v.vhpt.pta); /* kvm_init_vhpt: ia64_set_pta */
    CHECK(all_invalid(&F.v.vtlb));
    CHECK(all_invalid(&F.v.vhpt));
    /* thash_init again on a dirtied table: everything invalid, pta rewritten with the new size */
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x40000);
    thash_init(&F.v.vtlb, 17);
    CHECK(all_invalid(&F.v.vtlb));
    CHECK_EQ(F.v.vtlb.pta, UINT64_C(0xe000000200000145));
    fake_vcpu_free(&F);
}

static void fill_some(void)
{
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x40000);
    vtlb_insert(&F.v, PTE, ia64_itir_make(18, 0), R1 + 0x80000);
    vhpt_insert(&F.v, PTE, ia64_itir_make(14, 0), R1 + 0x40000, PTE);
    F.v.psbits[3] = UINT64_C(1) << 20;
    F.v.tc_regions = 0x0a;
}

static void test_purge_all_defaults(void)
{
    setup(NULL);
    CHECK_EQ(F.v.vtlb.num, 4096); /* 2^17 / 32 */
    CHECK_EQ(F.v.vhpt.num, 8192); /* 2^18 / 32 */
    fill_some();
    memset(&F.v.work, 0, sizeof F.v.work);
    fake_clear(&F.fm);
    thash_purge_all(&F.v);
    CHECK_EQ(F.v.work.purge_all_entries, 4096 + 8192);
    for (unsigned r = 0; r < 8; r++)
        CHECK_EQ(F.v.psbits[r], 0);
    CHECK_EQ(F.v.tc_regions, 0x0a); /* region bitmaps are never cleared by a purge */
    CHECK(all_invalid(&F.v.vtlb));
    CHECK(all_invalid(&F.v.vhpt));
    /* local_flush_tlb_all with ptce_count 1 x 1: one ptc.e at ptce_base (0 by default) */
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_E), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_E, 0)->va, 0);
    CHECK_EQ(F.v.work.machine_ptc_e, 1);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 0);
    fake_vcpu_free(&F);
}

static void test_purge_all_params(void)
{
    struct vmm_params p;
    vmm_params_default(&p);
    p.vtlb_shift = 15; /* 2^15 / 32 = 1024 entries */
    p.vhpt_shift = 16; /* 2048 entries */
    p.ptce_count[0] = 2;
    p.ptce_count[1] = 3;
    p.ptce_base = 0x1000;
    p.ptce_stride[0] = 0x100;
    p.ptce_stride[1] = 0x10;
    CHECK(vmm_params_check(&p) == NULL);
    setup(&p);
    CHECK_EQ(F.v.vtlb.num, 1024);
    CHECK_EQ(F.v.vhpt.num, 2048);
    /* with a 2^15 vTLB pfn_bits = 2: ps 16 at 0x40000 -> pfn 4 -> index (0x23 << 2) | 0 = 0x8c */
    vtlb_insert(&F.v, PTE, ia64_itir_make(16, 0), R1 + 0x40000);
    CHECK_EQ(vtlb_at(0x8c)->etag, 1 | (1 << 16)); /* tag: rid>>8 = 1, pfn>>2 = 1 */
    memset(&F.v.work, 0, sizeof F.v.work);
    fake_clear(&F.fm);
    thash_purge_all(&F.v);
    CHECK_EQ(F.v.work.purge_all_entries, 1024 + 2048);
    CHECK(all_invalid(&F.v.vtlb));
    CHECK(all_invalid(&F.v.vhpt));
    /* 2 x 3 ptc.e; addresses as local_flush_tlb_all walks them: inner += stride1, outer += stride0:
     * i=0: 0x1000 0x1010 0x1020, addr = 0x1030 + 0x100 = 0x1130; i=1: 0x1130 0x1140 0x1150 */
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_E), 6);
    CHECK_EQ(F.v.work.machine_ptc_e, 6);
    const uint64_t expect[6] = {0x1000, 0x1010, 0x1020, 0x1130, 0x1140, 0x1150};
    for (unsigned i = 0; i < 6; i++)
        CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_E, i)->va, expect[i]);
    fake_vcpu_free(&F);
}

int main(void)
{
    test_vtlb_purge_two_sizes();
    test_vtlb_purge_smaller_than_entry();
    test_vtlb_purge_ps_mismatch();
    test_vhpt_purge();
    test_purge_entries_region_check();
    test_thash_init();
    test_purge_all_defaults();
    test_purge_all_params();
    return check_report("test_vtlb_purge");
}

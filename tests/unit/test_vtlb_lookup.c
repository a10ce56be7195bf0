/*
 * test_vtlb_lookup.c - vtlb_lookup, vtr_lookup, vtr_find_overlap and guest_vhpt_lookup.
 *
 * Set-up: defaults (vTLB pfn_bits 4, host page 16K, p2m: machine = guest + 0x1000000000).
 * Region 1: guest rr rid 0x123 ps 14 ve 1 (value 0x12339), machine rid 0x123e.
 *   vTLB index = (0x23 << 4) | (pfn & 0xf), tag = 1 | (pfn >> 4) << 16, pfn = offset >> ps.
 * Region 2 (guest VHPT): guest rr rid 0x55 ps 14 ve 1, machine rid 0x55e (0x55 << 4 | 0xe).
 * Guest TRs hold vadr in the tag word and rid (rr & 0xffffff00) in the fourth word.
 */
#include <string.h>

#include "../../model/vmm/vtlb.h"
#include "check.h"
#include "fake_machine.h"

#define R1 UINT64_C(0x2000000000000000)
#define R2 UINT64_C(0x4000000000000000)
#define MEM_OFF UINT64_C(0x1000000000)
#define PTE_BITS UINT64_C(0x661)

static struct fake_vcpu F;

static void setup(void)
{
    fake_vcpu_init(&F, NULL);
    F.v.vrr[1] = ia64_rr_make(0x123, 14, 1);
    F.fm.m.rr[1] = ia64_rr_make(0x123e, 14, 1);
    F.v.vrr[2] = ia64_rr_make(0x55, 14, 1);
    F.fm.m.rr[2] = ia64_rr_make(0x55e, 14, 1);
}

static void set_tr(struct ia64_lvhpt_entry *tr, uint64_t pte, unsigned ps, uint64_t vadr, uint64_t rid_field)
{
    tr->page_flags = pte;
    tr->itir = ia64_itir_make(ps, 0);
    tr->etag = vadr;
    tr->word3 = rid_field;
}

static const struct ia64_lvhpt_entry *vtlb_at(uint32_t i) { return &F.v.vtlb.hash[i]; }

static void test_tr_wins(void)
{
    setup();
    /* DTR 2: 64K at 0x40000; a vTLB ps-14 entry for 0x44000 (pfn 0x11 -> slot 0x231) */
    set_tr(&F.v.dtrs[2], UINT64_C(0x7000000) | PTE_BITS, 16, R1 + 0x40000, 0x12300);
    F.v.dtr_regions = 1u << 1;
    vtlb_insert(&F.v, UINT64_C(0x8004000) | PTE_BITS, ia64_itir_make(14, 0), R1 + 0x44000);
    F.v.tc_regions = 1u << 1;
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtlb_lookup(&F.v, R1 + 0x44abc, VMM_D_TLB) == &F.v.dtrs[2]);
    CHECK_EQ(F.v.work.tr_probes, 3);   /* slots 0, 1, 2 */
    CHECK_EQ(F.v.work.vtlb_probes, 0); /* the hash is not consulted */
    CHECK_EQ(F.v.stats.vtlb_lookup_tr_hits, 1);
    /* The I side looks at the ITRs (none in region 1): the vTLB entry answers */
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtlb_lookup(&F.v, R1 + 0x44abc, VMM_I_TLB) == vtlb_at(0x231));
    CHECK_EQ(F.v.work.tr_probes, 0);
    CHECK_EQ(F.v.work.vtlb_probes, 1);
    CHECK_EQ(F.v.stats.vtlb_lookup_tc_hits, 1);
    fake_vcpu_free(&F);
}

static void test_tc_regions_gate(void)
{
    setup();
    vtlb_insert(&F.v, UINT64_C(0x8004000) | PTE_BITS, ia64_itir_make(14, 0), R1 + 0x44000);
    CHECK_EQ(F.v.tc_regions, 0);
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtlb_lookup(&F.v, R1 + 0x44000, VMM_D_TLB) == NULL);
    CHECK_EQ(F.v.work.vtlb_probes, 0);
    CHECK_EQ(F.v.stats.vtlb_lookup_misses, 1);
    F.v.tc_regions = 1u << 2; /* another region's bit */
    CHECK(vtlb_lookup(&F.v, R1 + 0x44000, VMM_D_TLB) == NULL);
    F.v.tc_regions |= 1u << 1;
    CHECK(vtlb_lookup(&F.v, R1 + 0x44000, VMM_D_TLB) == vtlb_at(0x231));
    fake_vcpu_free(&F);
}

static void test_lowest_ps_first(void)
{
    setup();
    F.v.tc_regions = 1u << 1;
    /* Lookup va V = 0x48000: ps 14 -> pfn 0x12 -> slot 0x232 (tag 0x10001);
     * ps 16 -> pfn 4 -> slot 0x234 (tag 1); ps 18 -> pfn 1 -> slot 0x231 (tag 1). */
    const uint64_t V = R1 + 0x48000;
    vtlb_insert(&F.v, UINT64_C(0x1000000) | PTE_BITS, ia64_itir_make(18, 0), R1 + 0x40000);  /* 0x231 */
    vtlb_insert(&F.v, UINT64_C(0x2000000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x3f0000); /* pfn 0x3f: 0x23f */
    vtlb_insert(&F.v, UINT64_C(0x3000000) | PTE_BITS, ia64_itir_make(14, 0), R1 + 0x38000);  /* pfn 0xe: 0x23e */
    CHECK_EQ(F.v.psbits[1], (UINT64_C(1) << 14) | (UINT64_C(1) << 16) | (UINT64_C(1) << 18));
    /* only the ps-18 entry covers V: probes ps 14 (0x232 empty), ps 16 (0x234 empty), ps 18 hit */
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtlb_lookup(&F.v, V, VMM_D_TLB) == vtlb_at(0x231));
    CHECK_EQ(F.v.work.vtlb_probes, 3);
    /* a ps-14 entry for V too: found at the first probe */
    vtlb_insert(&F.v, UINT64_C(0x4008000) | PTE_BITS, ia64_itir_make(14, 0), V); /* 0x232, tag 0x10001 */
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtlb_lookup(&F.v, V, VMM_D_TLB) == vtlb_at(0x232));
    CHECK_EQ(F.v.work.vtlb_probes, 1);
    /* a miss probes every size: va 0x80000: ps 14 pfn 0x20 -> 0x230 (empty), ps 16 pfn 8 ->
     * 0x238 (empty), ps 18 pfn 2 -> 0x232 (tag 0x10001, wants 1) */
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtlb_lookup(&F.v, R1 + 0x80000, VMM_D_TLB) == NULL);
    CHECK_EQ(F.v.work.vtlb_probes, 3);
    fake_vcpu_free(&F);
}

static void test_vtr_lookup_rid_and_range(void)
{
    setup();
    const uint64_t vadr = R1 + 0x40000;
    set_tr(&F.v.dtrs[0], PTE_BITS, 16, vadr, 0x12300);
    F.v.dtr_regions = 1u << 1;
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == &F.v.dtrs[0]);
    /* rr & 0xffffff00: ps, ve and bits 32..63 of the rr do not take part */
    F.v.vrr[1] = ia64_rr_make(0x123, 16, 0) | (UINT64_C(0xab) << 32);
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == &F.v.dtrs[0]);
    /* another rid: no match */
    F.v.vrr[1] = ia64_rr_make(0x124, 14, 1);
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == NULL);
    F.v.vrr[1] = ia64_rr_make(0x123, 14, 1);
    /* a TR holding the rid unshifted (0x123) does not match rr & 0xffffff00 = 0x12300 */
    F.v.dtrs[0].word3 = 0x123;
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == NULL);
    F.v.dtrs[0].word3 = 0x12300;
    /* (va - vadr) < 2^16, unsigned */
    CHECK(vtr_lookup(&F.v, vadr + 0xffff, VMM_D_TLB) == &F.v.dtrs[0]);
    CHECK(vtr_lookup(&F.v, vadr + 0x10000, VMM_D_TLB) == NULL);
    CHECK(vtr_lookup(&F.v, vadr - 1, VMM_D_TLB) == NULL); /* wraps to 2^64 - 1 */
    /* p = 0: no match */
    F.v.dtrs[0].page_flags = PTE_BITS & ~IA64_PTE_P;
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == NULL);
    F.v.dtrs[0].page_flags = PTE_BITS;
    /* region bit clear: the TRs are not scanned at all */
    F.v.dtr_regions = 0;
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == NULL);
    CHECK_EQ(F.v.work.tr_probes, 0);
    F.v.dtr_regions = 1u << 1;
    /* the first matching TR in slot order wins: a 16K TR in slot 5 covering vadr comes after slot 0 */
    set_tr(&F.v.dtrs[5], PTE_BITS, 14, vadr, 0x12300);
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == &F.v.dtrs[0]);
    F.v.dtrs[0].page_flags = 0;
    CHECK(vtr_lookup(&F.v, vadr, VMM_D_TLB) == &F.v.dtrs[5]);
    /* D TRs are not seen by an I lookup, I TRs are */
    CHECK(vtr_lookup(&F.v, vadr, VMM_I_TLB) == NULL);
    set_tr(&F.v.itrs[7], PTE_BITS, 16, vadr, 0x12300);
    F.v.itr_regions = 1u << 1;
    CHECK(vtr_lookup(&F.v, vadr + 0x1234, VMM_I_TLB) == &F.v.itrs[7]);
    fake_vcpu_free(&F);
}

static void test_vtr_find_overlap(void)
{
    setup();
    /* TR 3 covers [0x40000, 0x4ffff] */
    set_tr(&F.v.dtrs[3], PTE_BITS, 16, R1 + 0x40000, 0x12300);
    F.v.dtr_regions = 1u << 1;
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x50000, 14, VMM_D_TLB), (uint64_t)-1); /* adjacent after */
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x3c000, 14, VMM_D_TLB), (uint64_t)-1); /* [0x3c000, 0x3ffff] */
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x4ffff, 12, VMM_D_TLB), 3);  /* [0x4ffff, 0x50ffe]: 1 byte */
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x3f001, 12, VMM_D_TLB), 3);  /* [0x3f001, 0x40000]: 1 byte */
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x3f000, 12, VMM_D_TLB), (uint64_t)-1); /* ends at 0x3ffff */
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x44000, 12, VMM_D_TLB), 3);  /* inside */
    CHECK_EQ(vtr_find_overlap(&F.v, R1, 24, VMM_D_TLB), 3);            /* [0, 16M) contains it */
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x40000, 16, VMM_D_TLB), 3);
    CHECK_EQ(F.v.work.tr_probes, 4); /* slots 0..3 */
    /* the I side does not see D TRs; another rid or region does not match */
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x40000, 16, VMM_I_TLB), (uint64_t)-1);
    F.v.vrr[1] = ia64_rr_make(0x223, 14, 1);
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x40000, 16, VMM_D_TLB), (uint64_t)-1);
    F.v.vrr[1] = ia64_rr_make(0x123, 14, 1);
    F.v.dtr_regions = 1u << 2;
    CHECK_EQ(vtr_find_overlap(&F.v, R1 + 0x40000, 16, VMM_D_TLB), (uint64_t)-1);
    fake_vcpu_free(&F);
}

static void test_guest_vhpt_lookup(void)
{
    setup();
    /* Map the guest VHPT page R2 + 0x200000 -> gpa 0x100000 (ps 14 == machine ps: VHPT only).
     * machine address of iha R2 + 0x200128 = 0x100000 + 0x1000000000 + 0x128 = 0x1000100128 */
    CHECK_EQ(thash_purge_and_insert(&F.v, UINT64_C(0x100000) | PTE_BITS, ia64_itir_make(14, 0),
                                    R2 + 0x200000, VMM_D_TLB), 0);
    CHECK_EQ(phys_mem_write(&F.mem, MEM_OFF + 0x100128, UINT64_C(0xfff0000012345661), 8), 0);
    fake_clear(&F.fm);
    uint64_t pte = 0xdead;
    CHECK_EQ(guest_vhpt_lookup(&F.v, R2 + 0x200128, &pte), 0);
    /* extr.u r9 = r9, 0, 53: 0xfff0000012345661 & 0x001fffffffffffff = 0x0010000012345661 */
    CHECK_EQ(pte, UINT64_C(0x0010000012345661));
    CHECK_EQ(fake_count(&F.fm, FAKE_LOAD8), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_LOAD8, 0)->va, R2 + 0x200128);
    CHECK_EQ(F.v.stats.gvhpt_ok, 1);
    /* a word never written reads 0 and still succeeds */
    pte = 0xdead;
    CHECK_EQ(guest_vhpt_lookup(&F.v, R2 + 0x200130, &pte), 0);
    CHECK_EQ(pte, 0);

    /* no translation for the page: returns 1, *pte untouched */
    pte = 0xdead;
    CHECK_EQ(guest_vhpt_lookup(&F.v, R2 + 0x300000, &pte), 1);
    CHECK_EQ(pte, 0xdead);
    CHECK_EQ(F.v.stats.gvhpt_fail, 1);

    /* A guest DTR covering iha is inserted first (thash_vhpt_insert): DTR 64K at R2 + 0x400000 ->
     * gpa 0x200000. iha R2 + 0x404008: gpa 0x204008, gpfn 0x81, machine 0x1000204008. */
    set_tr(&F.v.dtrs[0], UINT64_C(0x200000) | PTE_BITS, 16, R2 + 0x400000, 0x5500);
    F.v.dtr_regions = 1u << 2;
    CHECK_EQ(phys_mem_write(&F.mem, MEM_OFF + 0x204008, 0x42, 8), 0);
    pte = 0xdead;
    CHECK_EQ(guest_vhpt_lookup(&F.v, R2 + 0x404008, &pte), 0);
    CHECK_EQ(pte, 0x42);
    CHECK_EQ(F.v.stats.gvhpt_tr_inserts, 1);
    /* the TR's 64K page is marked dirty: gfn 0x200000 >> 14 = 0x80, 4 frames */
    CHECK(dirty_log_test(&F.vm.dirty, 0x83));
    fake_vcpu_free(&F);
}

int main(void)
{
    test_tr_wins();
    test_tc_regions_gate();
    test_lowest_ps_first();
    test_vtr_lookup_rid_and_range();
    test_vtr_find_overlap();
    test_guest_vhpt_lookup();
    return check_report("test_vtlb_lookup");
}

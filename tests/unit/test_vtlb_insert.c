/*
 * test_vtlb_insert.c - thash_purge_and_insert (the itc emulation), translate_phy_pte,
 * mark_pages_dirty and the direct-mapped vtlb_insert.
 *
 * Set-up: defaults (host page 16K, vTLB pfn_bits 4, VHPT 8192 entries, p2m: machine address =
 * guest address + 64 GiB = + 0x1000000000). Region 1: guest rr rid 0x123 ps 14 ve 1, machine rr
 * rid 0x123e (vrrtomrr: 0x123 << 4 | 0xe) ps 14 ve 1.
 *   VHPT index of a region-1 va = ((offset >> 14) ^ 0x123e) mod 8192; tag = hpn ^ (0x123e << 39).
 *   vTLB index = (0x23 << 4) | (pfn & 0xf), tag = 1 | (pfn >> 4) << 16.
 */
#include <string.h>

#include "../../model/vmm/vtlb.h"
#include "check.h"
#include "fake_machine.h"

#define R1 UINT64_C(0x2000000000000000)
#define MRID1 UINT64_C(0x123e)
#define MEM_OFF UINT64_C(0x1000000000) /* 64 GiB */
#define PTE_BITS UINT64_C(0x661)        /* p a d ar=rwx, ma WB, pl 0 */
#define MA(x) ((uint64_t)(x) << 2)

static struct fake_vcpu F;

static void setup(void)
{
    fake_vcpu_init(&F, NULL);
    F.v.vrr[1] = ia64_rr_make(0x123, 14, 1);
    F.fm.m.rr[1] = ia64_rr_make(MRID1, 14, 1);
}

static const struct ia64_lvhpt_entry *vtlb_at(uint32_t i) { return &F.v.vtlb.hash[i]; }
static const struct ia64_lvhpt_entry *vhpt_at(uint32_t i) { return &F.v.vhpt.hash[i]; }
static uint64_t mtag1(uint64_t hpn) { return hpn ^ (MRID1 << 39); }

static unsigned valid_entries(const struct thash_table *t)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < t->num; i++)
        n += ia64_entry_tag_valid(&t->hash[i]);
    return n;
}

static void test_ps_equal(void)
{
    setup();
    /* guest pte: gpa 0x5678000, ma UC; itir ps 14 with key 0x55 (so the guest itir differs
     * from the machine one). va 0x34000: hpn = 0xd -> VHPT index 0xd ^ 0x123e = 0x1233.
     * translate_phy_pte: gpa = 0x5678000 | (va & 0x3fff = 0) = 0x5678000, gpfn 0x159e,
     * maddr = 0x1005678000 -> machine ppn 0x1005678; ma cleared (memory, not NaTPage):
     * page_flags = 0x1005678000 | 0x661 = 0x1005678661 */
    const uint64_t pte = UINT64_C(0x5678000) | PTE_BITS | MA(4);
    const uint64_t itir = ia64_itir_make(14, 0x55);
    const uint64_t va = R1 + 0x34000;
    CHECK_EQ(thash_purge_and_insert(&F.v, pte, itir, va, VMM_D_TLB), 0);
    const struct ia64_lvhpt_entry *e = vhpt_at(0x1233);
    CHECK_EQ(e->page_flags, UINT64_C(0x1005678661));
    CHECK_EQ(e->itir, 14 << 2); /* machine rr ps << 2, the key is not copied */
    CHECK_EQ(e->etag, mtag1(0xd));
    CHECK_EQ(e->word3, UINT64_C(0x5678000)); /* gpaddr = (gpte ppn >> 14 << 14) | (va & 0x3fff) */
    /* VHPT only: nothing in the vTLB, no psbits, no tc_regions bit, no itc */
    CHECK_EQ(valid_entries(&F.v.vtlb), 0);
    CHECK_EQ(valid_entries(&F.v.vhpt), 1);
    CHECK_EQ(F.v.psbits[1], 0);
    CHECK_EQ(F.v.tc_regions, 0);
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 0);
    /* the purges ran first: vhpt_purge of 16K = 1 probe and one ptc.l (va, 14) */
    CHECK_EQ(F.v.work.vhpt_probes, 1);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->va, va);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 14);
    /* dirty: 1 frame, gfn 0x5678000 >> 14 = 0x159e */
    CHECK(dirty_log_test(&F.vm.dirty, 0x159e));
    CHECK_EQ(F.vm.dirty.set_count, 1);
    /* the machine walker now finds it: vhpt_lookup(va) is that slot */
    CHECK(vhpt_lookup(&F.v, va) == e);
    fake_vcpu_free(&F);
}

static void test_ps_greater(void)
{
    setup();
    /* 64K guest page at gpa 0x5670000, va 0x37abc (offset 0x7abc in the 64K page 0x30000):
     * gpa = 0x5670000 | 0x7abc = 0x5677abc; gpfn = 0x159d (frame 0x5674000..0x5677fff);
     * maddr = 0x1005674000 | (0x5677abc & 0x3fff = 0x3abc) = 0x1005677abc; ppn = 0x1005677
     * (it keeps the 0x3000 of the offset inside the 16K host page). */
    const uint64_t pte = UINT64_C(0x5670000) | PTE_BITS;
    const uint64_t itir = ia64_itir_make(16, 0);
    const uint64_t va = R1 + 0x37abc;
    CHECK_EQ(thash_purge_and_insert(&F.v, pte, itir, va, VMM_D_TLB), 0);
    /* vTLB: ps 16, pfn 3 -> index 0x233, tag 1; the guest's pte and itir */
    CHECK_EQ(vtlb_at(0x233)->etag, 1);
    CHECK_EQ(vtlb_at(0x233)->page_flags, pte);
    CHECK_EQ(vtlb_at(0x233)->itir, itir);
    CHECK_EQ(F.v.psbits[1], UINT64_C(1) << 16);
    CHECK_EQ(F.v.tc_regions, 1u << 1);
    /* VHPT: hpn = 0x37abc >> 14 = 0xd -> 0x1233 */
    const struct ia64_lvhpt_entry *e = vhpt_at(0x1233);
    CHECK_EQ(e->page_flags, UINT64_C(0x1005677661));
    CHECK_EQ(e->itir, 14 << 2);
    CHECK_EQ(e->etag, mtag1(0xd));
    CHECK_EQ(e->word3, UINT64_C(0x5677abc)); /* gpaddr = 0x5670000 | (va & 0xffff) */
    CHECK_EQ(valid_entries(&F.v.vtlb), 1);
    CHECK_EQ(valid_entries(&F.v.vhpt), 1);
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 0);
    /* purge before insert: psbits was empty (0 vTLB probes), VHPT 2^(16-14) = 4 probes */
    CHECK_EQ(F.v.work.vtlb_probes, 0);
    CHECK_EQ(F.v.work.vhpt_probes, 4);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 16);
    /* dirty: base gfn 0x5670000 >> 14 = 0x159c, 2^(16-14) = 4 frames */
    for (uint64_t g = 0x159c; g < 0x15a0; g++)
        CHECK(dirty_log_test(&F.vm.dirty, g));
    CHECK(!dirty_log_test(&F.vm.dirty, 0x159b));
    CHECK(!dirty_log_test(&F.vm.dirty, 0x15a0));
    CHECK_EQ(F.vm.dirty.set_count, 4);
    /* a second itc of the same page purges the old vTLB entry first: psbits {16} -> 4 VHPT + 1 vTLB probe */
    memset(&F.v.work, 0, sizeof F.v.work);
    CHECK_EQ(thash_purge_and_insert(&F.v, pte, itir, va, VMM_D_TLB), 0);
    CHECK_EQ(F.v.work.vtlb_probes, 1);
    CHECK_EQ(F.v.work.vtlb_invalidated, 1);
    CHECK_EQ(vtlb_at(0x233)->etag, 1); /* and re-inserted */
    fake_vcpu_free(&F);
}

static void test_ps_less(void)
{
    setup();
    /* 4K guest page gpa 0x5679000 at va 0x35000 with reserved bits 1 and 53 set:
     * gpa = 0x5679000, gpfn 0x159e, maddr = 0x1005678000 | 0x1000 = 0x1005679000;
     * phy_pte = 0x1005679000 | 0x663 | 1 << 53, then & ~RV -> 0x1005679661 */
    const uint64_t pte = UINT64_C(0x5679000) | PTE_BITS | 0x2 | (UINT64_C(1) << 53);
    const uint64_t va = R1 + 0x35000;
    CHECK_EQ(thash_purge_and_insert(&F.v, pte, ia64_itir_make(12, 0), va, VMM_D_TLB), 0);
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 1);
    const struct fake_call_rec *itc = fake_nth(&F.fm, FAKE_ITC, 0);
    CHECK_EQ(itc->side, VMM_D_TLB);
    CHECK_EQ(itc->va, va);
    CHECK_EQ(itc->ps, 12);
    CHECK_EQ(itc->pte, UINT64_C(0x1005679661));
    CHECK_EQ(valid_entries(&F.v.vtlb), 0);
    CHECK_EQ(valid_entries(&F.v.vhpt), 0);
    CHECK_EQ(F.v.psbits[1], 0);
    CHECK_EQ(F.v.tc_regions, 0);
    /* the machine D TLB holds it under machine rid 0x123e */
    const struct mtlb_entry *m = mtlb_probe(&F.fm.m.dtlb, va + 0xabc, MRID1);
    CHECK(m != NULL);
    CHECK_EQ(m ? m->ps : 0, 12);
    CHECK(mtlb_probe(&F.fm.m.itlb, va, MRID1) == NULL);
    /* dirty: ps 12 <= 14 -> 1 frame, gfn 0x159e */
    CHECK(dirty_log_test(&F.vm.dirty, 0x159e));
    CHECK_EQ(F.vm.dirty.set_count, 1);

    /* the I side issues an I-side itc */
    fake_clear(&F.fm);
    CHECK_EQ(thash_purge_and_insert(&F.v, pte, ia64_itir_make(12, 0), va + 0x1000, VMM_I_TLB), 0);
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_ITC, 0)->side, VMM_I_TLB);
    CHECK_EQ(fake_nth(&F.fm, FAKE_ITC, 0)->va, va + 0x1000);
    fake_vcpu_free(&F);
}

static void test_io_page(void)
{
    setup();
    /* gpa 0xfee00000 (PIB), ma UC, ps 14, va 0x80000. translate_phy_pte: gpfn 0x3fb80 is I/O ->
     * pte |= 1 << 60, ret 1; ma is kept (I/O). ps == machine ps -> vtlb_insert only:
     * pfn 0x80000 >> 14 = 0x20 -> index 0x230, tag 1 | (0x20 >> 4) << 16 = 0x20001 */
    const uint64_t pte = UINT64_C(0xfee00000) | PTE_BITS | MA(4);
    const uint64_t va = R1 + 0x80000;
    CHECK_EQ(thash_purge_and_insert(&F.v, pte, ia64_itir_make(14, 0), va, VMM_D_TLB), 1);
    CHECK_EQ(vtlb_at(0x230)->etag, 0x20001);
    CHECK_EQ(vtlb_at(0x230)->page_flags, pte | VTLB_PTE_IO);
    CHECK_EQ(ia64_pte_ma(vtlb_at(0x230)->page_flags), 4);
    CHECK_EQ(F.v.tc_regions, 1u << 1);
    CHECK_EQ(F.v.psbits[1], UINT64_C(1) << 14);
    CHECK_EQ(F.v.work.vhpt_inserts, 0);
    CHECK_EQ(valid_entries(&F.v.vhpt), 0);
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 0);
    CHECK_EQ(F.vm.dirty.set_count, 0); /* I/O pages are not marked dirty */
    CHECK_EQ(F.v.stats.tpi_io, 1);

    /* ps 16 > 14 I/O page: vtlb only too. pfn 0xa0000 >> 16 = 0xa -> index 0x23a, tag 1 */
    CHECK_EQ(thash_purge_and_insert(&F.v, UINT64_C(0xfee00000) | PTE_BITS, ia64_itir_make(16, 0),
                                    R1 + 0xa0000, VMM_D_TLB), 1);
    CHECK_EQ(vtlb_at(0x23a)->etag, 1);
    CHECK(vtlb_at(0x23a)->page_flags & VTLB_PTE_IO);
    CHECK_EQ(valid_entries(&F.v.vhpt), 0);
    CHECK_EQ(F.vm.dirty.set_count, 0);
    fake_vcpu_free(&F);
}

static void test_memory_attributes(void)
{
    setup();
    /* ps 16 at va 0x40000, gpa 0x5670000: vTLB index 0x234 (pfn 4), VHPT index 0x122e (hpn 0x10),
     * machine ppn 0x1005670 */
    const uint64_t va = R1 + 0x40000;
    const unsigned ma_in[4] = {4 /* UC */, 6 /* WC */, 5 /* UCE */, 7 /* NaTPage */};
    const unsigned ma_out[4] = {0, 0, 0, 7};
    for (unsigned i = 0; i < 4; i++) {
        const uint64_t pte = UINT64_C(0x5670000) | PTE_BITS | MA(ma_in[i]);
        CHECK_EQ(thash_purge_and_insert(&F.v, pte, ia64_itir_make(16, 0), va, VMM_D_TLB), 0);
        CHECK_EQ(ia64_pte_ma(vtlb_at(0x234)->page_flags), ma_out[i]);
        CHECK_EQ(ia64_pte_ma(vhpt_at(0x122e)->page_flags), ma_out[i]);
        CHECK_EQ(vhpt_at(0x122e)->page_flags, UINT64_C(0x1005670661) | MA(ma_out[i]));
    }
    fake_vcpu_free(&F);
}

static void test_translate_phy_pte(void)
{
    setup();
    /* the 64K example of test_ps_greater, directly: 0x1005677 << 12 | 0x661 */
    uint64_t pte = UINT64_C(0x5670000) | PTE_BITS;
    CHECK_EQ(translate_phy_pte(&F.v, &pte, ia64_itir_make(16, 0), R1 + 0x37abc), UINT64_C(0x1005677661));
    CHECK_EQ(pte, UINT64_C(0x5670000) | PTE_BITS); /* memory: *pte untouched */
    /* the ppn bits of the pte below the guest page size are ignored: ppn 0x5671 (4K inside
     * the 64K page) gives the same gpa 0x5670000 | 0x7abc */
    pte = UINT64_C(0x5671000) | PTE_BITS;
    CHECK_EQ(translate_phy_pte(&F.v, &pte, ia64_itir_make(16, 0), R1 + 0x37abc), UINT64_C(0x1005677661));
    /* offset 0x1000 in the 64K page: gpa 0x5671000, gpfn 0x159c, maddr 0x1005670000 | 0x1000 */
    pte = UINT64_C(0x5670000) | PTE_BITS;
    CHECK_EQ(translate_phy_pte(&F.v, &pte, ia64_itir_make(16, 0), R1 + 0x31000), UINT64_C(0x1005671661));
    /* flags other than ppn pass through: ed (bit 52), pl 3, ar 7, key-free */
    pte = UINT64_C(0x5670000) | IA64_PTE_ED | (3u << 7) | (7u << 9) | 1;
    CHECK_EQ(translate_phy_pte(&F.v, &pte, ia64_itir_make(16, 0), R1 + 0x30000),
             UINT64_C(0x1005670000) | IA64_PTE_ED | (3u << 7) | (7u << 9) | 1);
    /* I/O (VGA frame buffer 0xa0000): returns -1 and sets the IO bit in *pte */
    pte = UINT64_C(0xa0000) | PTE_BITS;
    CHECK_EQ(translate_phy_pte(&F.v, &pte, ia64_itir_make(14, 0), R1), UINT64_MAX);
    CHECK_EQ(pte, UINT64_C(0xa0000) | PTE_BITS | VTLB_PTE_IO);
    fake_vcpu_free(&F);
}

static void test_mark_pages_dirty(void)
{
    setup();
    /* gpa 1 MiB -> gfn 0x100000 >> 14 = 0x40; ps 18 -> 2^(18-14) = 16 frames 0x40..0x4f.
     * Bits outside the ppn (ed, bit 60) do not move the base. */
    mark_pages_dirty(&F.v, UINT64_C(0x100000) | PTE_BITS | IA64_PTE_ED | VTLB_PTE_IO, 18);
    for (uint64_t g = 0x40; g < 0x50; g++)
        CHECK(dirty_log_test(&F.vm.dirty, g));
    CHECK(!dirty_log_test(&F.vm.dirty, 0x3f));
    CHECK(!dirty_log_test(&F.vm.dirty, 0x50));
    CHECK_EQ(F.vm.dirty.set_count, 16);
    CHECK_EQ(F.v.work.dirty_pages, 16);
    /* ps 12 and ps 14: one frame each (gpa 0x200000 -> 0x80, gpa 0x300000 -> 0xc0) */
    mark_pages_dirty(&F.v, UINT64_C(0x200000) | PTE_BITS, 12);
    mark_pages_dirty(&F.v, UINT64_C(0x300000) | PTE_BITS, 14);
    CHECK(dirty_log_test(&F.vm.dirty, 0x80));
    CHECK(!dirty_log_test(&F.vm.dirty, 0x81));
    CHECK(dirty_log_test(&F.vm.dirty, 0xc0));
    CHECK(!dirty_log_test(&F.vm.dirty, 0xc1));
    CHECK_EQ(F.vm.dirty.set_count, 18);
    /* marking again visits the frames but sets nothing new ("avoid RMW") */
    mark_pages_dirty(&F.v, UINT64_C(0x100000), 18);
    CHECK_EQ(F.vm.dirty.set_count, 18);
    CHECK_EQ(F.v.work.dirty_pages, 16 + 1 + 1 + 16);
    fake_vcpu_free(&F);
}

static void test_direct_mapped_overwrite(void)
{
    setup();
    /* ps 16: va 0x30000 -> pfn 3 -> index 0x233, tag 1; va 0x130000 -> pfn 0x13 -> index 0x233,
     * tag 1 | 1 << 16 = 0x10001 */
    const uint64_t a = R1 + 0x30000, b = R1 + 0x130000;
    vtlb_insert(&F.v, UINT64_C(0x1000661), ia64_itir_make(16, 0), a);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 0);
    vtlb_insert(&F.v, UINT64_C(0x2000661), ia64_itir_make(16, 0), b);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 1);
    CHECK_EQ(vtlb_at(0x233)->etag, 0x10001);
    CHECK_EQ(vtlb_at(0x233)->page_flags, UINT64_C(0x2000661));
    F.v.tc_regions = 1u << 1;
    CHECK(vtlb_lookup(&F.v, a, VMM_D_TLB) == NULL);
    CHECK(vtlb_lookup(&F.v, b, VMM_D_TLB) == vtlb_at(0x233));
    /* re-inserting the page the slot already holds is not an overwrite */
    vtlb_insert(&F.v, UINT64_C(0x2000661), ia64_itir_make(16, 0), b);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 1);

    /* The VHPT is direct-mapped too: hpn 0xd and 0xd + 8192 (va 0x34000 and 0x8034000) share
     * index 0x1233; the second ps-14 itc evicts the first, whose next access misses again. */
    const uint64_t c = R1 + 0x34000, d = R1 + 0x8034000;
    thash_purge_and_insert(&F.v, UINT64_C(0x5678000) | PTE_BITS, ia64_itir_make(14, 0), c, VMM_D_TLB);
    CHECK(vhpt_lookup(&F.v, c) == vhpt_at(0x1233));
    thash_purge_and_insert(&F.v, UINT64_C(0x567c000) | PTE_BITS, ia64_itir_make(14, 0), d, VMM_D_TLB);
    CHECK_EQ(F.v.stats.vhpt_insert_overwrites, 1);
    CHECK_EQ(vhpt_at(0x1233)->etag, mtag1(0x200d));
    CHECK(vhpt_lookup(&F.v, c) == NULL);
    fake_vcpu_free(&F);
}

static void test_overwrite_other_page_size(void)
{
    setup();
    /* vsa_thash at va R1 + 0 (pfn 0 at any page size): index (0x23 << 4) | 0 = 0x230 and
     * tag (0x123 >> 8) | (0 >> 4) << 16 = 1 for ps 16 and ps 18 alike. So a 256 KiB entry
     * inserted where a 64 KiB one is lands in the same slot with the same tag: the slot held
     * another translation (another page size, vtlb_lookup tells them apart by ps), so it is an
     * overwrite (vmm_stats: "replaced a valid entry of another page"). */
    const uint64_t va = R1;
    vtlb_insert(&F.v, UINT64_C(0x1000661), ia64_itir_make(16, 0), va);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 0);
    vtlb_insert(&F.v, UINT64_C(0x2000661), ia64_itir_make(18, 0), va);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 1);
    CHECK_EQ(vtlb_at(0x230)->etag, 1);
    CHECK_EQ(vtlb_at(0x230)->itir, ia64_itir_make(18, 0));
    CHECK_EQ(F.v.psbits[1], (UINT64_C(1) << 16) | (UINT64_C(1) << 18));
    /* vtlb_lookup probes ps 16 first: slot 0x230, tag 1 matches but the entry's ps is 18 ->
     * no; then ps 18: slot 0x230 -> the 256 KiB entry (also for R1 + 0x10000, pfn 1 at ps 16
     * -> slot 0x231, empty) */
    F.v.tc_regions = 1u << 1;
    CHECK(vtlb_lookup(&F.v, va, VMM_D_TLB) == vtlb_at(0x230));
    CHECK(vtlb_lookup(&F.v, va + 0x10000, VMM_D_TLB) == vtlb_at(0x230));
    /* the same 256 KiB translation again: the slot already holds it, not an overwrite */
    vtlb_insert(&F.v, UINT64_C(0x2000661), ia64_itir_make(18, 0), va);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 1);
    /* back to 64 KiB: another overwrite */
    vtlb_insert(&F.v, UINT64_C(0x1000661), ia64_itir_make(16, 0), va);
    CHECK_EQ(F.v.stats.vtlb_insert_overwrites, 2);
    CHECK(vtlb_lookup(&F.v, va + 0x10000, VMM_D_TLB) == NULL);
    fake_vcpu_free(&F);
}

int main(void)
{
    test_ps_equal();
    test_ps_greater();
    test_ps_less();
    test_io_page();
    test_memory_attributes();
    test_translate_phy_pte();
    test_mark_pages_dirty();
    test_direct_mapped_overwrite();
    test_overwrite_other_page_size();
    return check_report("test_vtlb_insert");
}

/*
 * test_vmm_miss.c - the branches of vmm_page_fault (KVM/ia64 process.c kvm_page_fault).
 *
 * Set-up: defaults (host page 16K, p2m: machine = guest + 0x1000000000, VHPT 8192 entries).
 * Guest psr dt/it/rt/ic, cpl 0 (virtual mode).
 *   Region 1: guest rr 0x12339 (rid 0x123, ps 14, ve 1), machine rid 0x123e (ps 14).
 *   Region 2: guest rr rid 0x55 ps 14 ve 1, machine rid 0x55e; region 3 keeps the initial guest
 *   rr 0x38 (ve 0: the guest walker is off there).
 *   Guest PTA: base 0x200000, size 16 (64K table), vf 0, ve 1 = 0x200041.
 *   Guest short-format hash of va = R2 + 0x34000: offset ((va >> 14) << 3) mod 2^16 = 0xd << 3 =
 *   0x68 (the region bits shifted down fall above bit 16); base bits: (pta << 3 >> 19) << 16 =
 *   0x200000; region bits of va -> iha = R2 + 0x200068. The guest VHPT page R2 + 0x200000 is
 *   mapped (when a test wants it) to gpa 0x100000, so iha is machine address 0x1000100068.
 */
#include <string.h>

#include "../../model/vmm/vmm_emul.h"
#include "../../model/vmm/vmm_miss.h"
#include "../../model/vmm/vtlb.h"
#include "check.h"
#include "fake_machine.h"

#define R0 UINT64_C(0)
#define R1 UINT64_C(0x2000000000000000)
#define R2 UINT64_C(0x4000000000000000)
#define R3 UINT64_C(0x6000000000000000)
#define R4 UINT64_C(0x8000000000000000)
#define MEM_OFF UINT64_C(0x1000000000)
#define PTE_BITS UINT64_C(0x661)
#define VA2 (R2 + 0x34000)
#define IHA2 (R2 + 0x200068)
#define IHA2_MADDR (MEM_OFF + 0x100068)

static struct fake_vcpu F;

static void setup(void)
{
    fake_vcpu_init(&F, NULL);
    F.v.vrr[1] = ia64_rr_make(0x123, 14, 1);
    F.fm.m.rr[1] = ia64_rr_make(0x123e, 14, 1);
    F.v.vrr[2] = ia64_rr_make(0x55, 14, 1);
    F.fm.m.rr[2] = ia64_rr_make(0x55e, 14, 1);
    F.v.vpta = UINT64_C(0x200041);
}

/* Maps the guest VHPT page and stores `gpte` as the guest pte of VA2. */
static void map_guest_vhpt(uint64_t gpte)
{
    thash_purge_and_insert(&F.v, UINT64_C(0x100000) | PTE_BITS, ia64_itir_make(14, 0), R2 + 0x200000, VMM_D_TLB);
    CHECK_EQ(phys_mem_write(&F.mem, IHA2_MADDR, gpte, 8), 0);
}

static void test_guest_thash(void)
{
    setup();
    CHECK_EQ(vmm_guest_thash(&F.v, VA2), IHA2);
    fake_vcpu_free(&F);
}

static void test_physical_mode(void)
{
    setup();
    vmm_set_psr(&F.v, IA64_PSR_IC); /* 111 -> 000: machine rr0 0x1739 (rid 0x17), rr4 0x2739 (rid 0x27) */
    CHECK(vmm_is_physical_mode(&F.v));
    /* D miss at 0x40000: identity pte 0x40000 | 0x661, ps = machine rr0.ps = 14 -> VHPT:
     * hpn 0x10 -> index 0x10 ^ 0x17 = 0x07, tag 0x10 ^ (0x17 << 39); machine ppn 0x1000040 */
    struct vmm_miss_result r = vmm_page_fault(&F.v, R0 + 0x40000, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_PHYSICAL_INSERT);
    CHECK_EQ(r.fault, VMM_FAULT_NONE);
    CHECK_EQ(F.v.vhpt.hash[0x07].etag, UINT64_C(0x10) ^ (UINT64_C(0x17) << 39));
    CHECK_EQ(F.v.vhpt.hash[0x07].page_flags, UINT64_C(0x1000040661));
    CHECK_EQ(F.v.vhpt.hash[0x07].word3, 0x40000);
    CHECK_EQ(r.work.vhpt_inserts, 1);
    CHECK(dirty_log_test(&F.vm.dirty, 0x10));
    /* I side too; region 4 is metaphysical as well: rid 0x27, hpn 0x80000 >> 14 = 0x20 ->
     * index 0x20 ^ 0x27 = 0x07 (the same slot: it replaces the first entry) */
    r = vmm_page_fault(&F.v, R4 + 0x80000, VMM_I_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_PHYSICAL_INSERT);
    CHECK_EQ(F.v.vhpt.hash[0x07].etag, UINT64_C(0x20) ^ (UINT64_C(0x27) << 39));
    /* D side to an I/O frame (PIB 0xfee00000): emulated, nothing inserted */
    r = vmm_page_fault(&F.v, R0 + 0xfee00008, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_PHYSICAL_IO);
    CHECK_EQ(r.work.vhpt_inserts, 0);
    CHECK_EQ(r.work.machine_itc, 0);
    /* region 1 is not metaphysical: the normal path. No vTLB entry; the guest walker is off
     * (psr.dt = 0) -> alt_dtlb, psr.ic being set */
    r = vmm_page_fault(&F.v, R1 + 0x40000, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_FAULT);
    CHECK_EQ(r.fault, VMM_FAULT_ALT_DTLB);
    CHECK_EQ(F.v.stats.miss_outcome[VMM_MISS_PHYSICAL_INSERT], 2);
    CHECK_EQ(F.v.stats.miss_outcome[VMM_MISS_PHYSICAL_IO], 1);
    CHECK_EQ(F.v.stats.op[VMM_OP_DTLB_MISS].count, 3);
    CHECK_EQ(F.v.stats.op[VMM_OP_ITLB_MISS].count, 1);
    fake_vcpu_free(&F);
}

static void test_vtlb_hit(void)
{
    setup();
    /* a 64K guest page R1 + 0x40000 -> gpa 0x5670000 in the vTLB (slot 0x234) */
    thash_purge_and_insert(&F.v, UINT64_C(0x5670000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x40000, VMM_D_TLB);
    /* miss at 0x44000 (its machine 16K page is not in the VHPT): vtlb hit -> thash_vhpt_insert:
     * hpn 0x11 -> index 0x11 ^ 0x123e = 0x122f; gpa 0x5674000 -> machine ppn 0x1005674 */
    struct vmm_miss_result r = vmm_page_fault(&F.v, R1 + 0x44000, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_VTLB_INSERT);
    CHECK_EQ(r.fault, VMM_FAULT_NONE);
    CHECK_EQ(r.work.vhpt_inserts, 1);
    CHECK_EQ(r.work.guest_vhpt_loads, 0);
    CHECK_EQ(F.v.vhpt.hash[0x122f].etag, UINT64_C(0x11) ^ (UINT64_C(0x123e) << 39));
    CHECK_EQ(F.v.vhpt.hash[0x122f].page_flags, UINT64_C(0x1005674661));
    /* the I side takes the same branch */
    r = vmm_page_fault(&F.v, R1 + 0x48000, VMM_I_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_VTLB_INSERT);
    fake_vcpu_free(&F);
}

static void test_vtlb_hit_io(void)
{
    setup();
    /* I/O page (PIB) ps 16 at R1 + 0x80000, pl 0: vTLB only (slot 0x238) */
    CHECK_EQ(thash_purge_and_insert(&F.v, UINT64_C(0xfee00000) | PTE_BITS, ia64_itir_make(16, 0),
                                    R1 + 0x80000, VMM_D_TLB), 1);
    /* gppa = (va & 0xffff) + (ppn 0xfee00 >> (16 - 12) << 16) = 0xfee00010: I/O; pl 0 >= cpl 0 */
    struct vmm_miss_result r = vmm_page_fault(&F.v, R1 + 0x80010, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_VTLB_IO);
    CHECK_EQ(r.fault, VMM_FAULT_NONE);
    CHECK_EQ(r.work.vhpt_inserts, 0);
    /* cpl 3 > pl 0: data access rights */
    F.v.vpsr |= IA64_PSR_CPL_MASK;
    r = vmm_page_fault(&F.v, R1 + 0x80010, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_FAULT);
    CHECK_EQ(r.fault, VMM_FAULT_DATA_ACCESS_RIGHTS);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_DATA_ACCESS_RIGHTS], 1);
    /* a pl-3 I/O page is accessible at cpl 3: R1 + 0x90000 (slot 0x239) */
    thash_purge_and_insert(&F.v, UINT64_C(0xfee10000) | PTE_BITS | (UINT64_C(3) << 7), ia64_itir_make(16, 0),
                           R1 + 0x90000, VMM_D_TLB);
    r = vmm_page_fault(&F.v, R1 + 0x90000, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_VTLB_IO);
    /* cpl 1 on the pl-0 page: 0 >= 1 fails -> data access rights */
    F.v.vpsr = (F.v.vpsr & ~IA64_PSR_CPL_MASK) | (UINT64_C(1) << IA64_PSR_CPL_SHIFT);
    CHECK_EQ(vmm_page_fault(&F.v, R1 + 0x80010, VMM_D_TLB, 0).fault, VMM_FAULT_DATA_ACCESS_RIGHTS);
    fake_vcpu_free(&F);
}

static void test_walker_disabled(void)
{
    setup();
    /* region 3: guest rr.ve = 0 */
    struct vmm_miss_result r = vmm_page_fault(&F.v, R3 + 0x4000, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_FAULT);
    CHECK_EQ(r.fault, VMM_FAULT_ALT_DTLB);
    CHECK_EQ(r.work.guest_vhpt_loads, 0);
    F.v.vpsr &= ~IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, R3 + 0x4000, VMM_D_TLB, 0).fault, VMM_FAULT_NESTED_DTLB);
    /* I side: alt_itlb whatever psr.ic */
    CHECK_EQ(vmm_page_fault(&F.v, R3 + 0x4000, VMM_I_TLB, 0).fault, VMM_FAULT_ALT_ITLB);
    F.v.vpsr |= IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, R3 + 0x4000, VMM_I_TLB, 0).fault, VMM_FAULT_ALT_ITLB);
    /* rr.ve on but pta.ve off: still alt */
    F.v.vpta = UINT64_C(0x200040);
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0).fault, VMM_FAULT_ALT_DTLB);
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0).fault, VMM_FAULT_ALT_ITLB);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_ALT_DTLB], 2);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_NESTED_DTLB], 1);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_ALT_ITLB], 3);
    fake_vcpu_free(&F);
}

static void test_guest_vhpt_d(void)
{
    setup();
    /* guest VHPT page not translatable: dvhpt (nested without psr.ic) */
    struct vmm_miss_result r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_FAULT);
    CHECK_EQ(r.fault, VMM_FAULT_DVHPT);
    CHECK_EQ(r.work.guest_vhpt_loads, 1);
    F.v.vpsr &= ~IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0).fault, VMM_FAULT_NESTED_DTLB);
    F.v.vpsr |= IA64_PSR_IC;

    /* present pte (gpa 0x300000, WB): thash_purge_and_insert(pte, itir = rr & (rid | ps) = 0x5538,
     * VA2, D): ps 14 == machine ps -> VHPT at hpn 0xd ^ 0x55e = 0x553, machine ppn 0x1000300 */
    map_guest_vhpt(UINT64_C(0x300000) | PTE_BITS);
    fake_clear(&F.fm);
    r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_GUEST_VHPT_INSERT);
    CHECK_EQ(r.fault, VMM_FAULT_NONE);
    CHECK_EQ(fake_count(&F.fm, FAKE_LOAD8), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_LOAD8, 0)->va, IHA2);
    CHECK_EQ(F.v.vhpt.hash[0x553].etag, UINT64_C(0xd) ^ (UINT64_C(0x55e) << 39));
    CHECK_EQ(F.v.vhpt.hash[0x553].page_flags, UINT64_C(0x1000300661));
    CHECK_EQ(F.v.vhpt.hash[0x553].word3, 0x300000);
    CHECK(dirty_log_test(&F.vm.dirty, 0x300000 >> 14));

    /* not present: dtlb (nested without ic); nothing inserted */
    CHECK_EQ(phys_mem_write(&F.mem, IHA2_MADDR, UINT64_C(0x300000) | (PTE_BITS & ~IA64_PTE_P), 8), 0);
    r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.fault, VMM_FAULT_DTLB);
    CHECK_EQ(r.work.vhpt_inserts, 0);
    F.v.vpsr &= ~IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0).fault, VMM_FAULT_NESTED_DTLB);
    F.v.vpsr |= IA64_PSR_IC;

    /* present with ma = 1 (_PAGE_MA_ST): dtlb, not inserted */
    CHECK_EQ(phys_mem_write(&F.mem, IHA2_MADDR, UINT64_C(0x300000) | PTE_BITS | (1u << 2), 8), 0);
    r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.fault, VMM_FAULT_DTLB);
    CHECK_EQ(r.work.vhpt_inserts, 0);

    /* present with ma = NaTPage (7): inserted, ma kept */
    CHECK_EQ(phys_mem_write(&F.mem, IHA2_MADDR, UINT64_C(0x300000) | PTE_BITS | (7u << 2), 8), 0);
    r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_GUEST_VHPT_INSERT);
    CHECK_EQ(ia64_pte_ma(F.v.vhpt.hash[0x553].page_flags), 7);
    fake_vcpu_free(&F);
}

static void test_guest_vhpt_page_not_present(void)
{
    setup();
    /* The guest VHPT page R2 + 0x200000 is mapped, but with p = 0 (itc.d of gpa 0x100000,
     * pte 0x660, ps 14 == machine ps: only a VHPT entry, page_flags 0x1000100660), and the
     * guest pte of VA2 in it is present (0x300661). guest_vhpt_lookup's ld8.s of IHA2: the
     * machine D TLB misses, the walker finds the p = 0 entry (walker hit, filled into the
     * D TLB), and a speculative load through a not-present translation defers the fault: NaT
     * (SDM vol. 1, ld.s: any fault -> NaT). guest_vhpt_lookup returns 1 -> dvhpt fault,
     * nothing inserted; the present pte in memory is never read. */
    map_guest_vhpt(UINT64_C(0x300000) | PTE_BITS);
    thash_purge_and_insert(&F.v, UINT64_C(0x100000) | (PTE_BITS & ~IA64_PTE_P), ia64_itir_make(14, 0),
                           R2 + 0x200000, VMM_D_TLB);
    fake_clear(&F.fm);
    struct vmm_miss_result r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_FAULT);
    CHECK_EQ(r.fault, VMM_FAULT_DVHPT);
    CHECK_EQ(r.work.guest_vhpt_loads, 1);
    CHECK_EQ(r.work.vhpt_inserts, 0);
    CHECK_EQ(F.v.stats.gvhpt_fail, 1);
    CHECK_EQ(F.v.stats.gvhpt_ok, 0);
    CHECK_EQ(F.fm.m.walker.not_present, 1);
    CHECK(!ia64_entry_tag_valid(&F.v.vhpt.hash[0x553])); /* VA2's slot stays empty */
    /* again, now that the D TLB holds the p = 0 translation (no walk): NaT again */
    r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.fault, VMM_FAULT_DVHPT);
    CHECK_EQ(F.fm.m.walker.walks, 1);
    /* the I side: ivhpt */
    r = vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0);
    CHECK_EQ(r.fault, VMM_FAULT_IVHPT);
    CHECK_EQ(r.work.vhpt_inserts, 0);
    CHECK_EQ(F.v.stats.gvhpt_fail, 3);
    fake_vcpu_free(&F);
}

static void test_rse_uses_rt(void)
{
    setup();
    map_guest_vhpt(UINT64_C(0x300000) | PTE_BITS);
    /* psr dt, ic; rt off: an RSE reference has the walker off, a data reference has it on */
    F.v.vpsr = IA64_PSR_DT | IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 1).fault, VMM_FAULT_ALT_DTLB);
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0).outcome, VMM_MISS_GUEST_VHPT_INSERT);
    /* rt on: the RSE reference walks too */
    F.v.vpsr = IA64_PSR_DT | IA64_PSR_RT | IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 1).outcome, VMM_MISS_GUEST_VHPT_INSERT);
    /* rt on, dt off: neither */
    F.v.vpsr = IA64_PSR_RT | IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_D_TLB, 1).fault, VMM_FAULT_ALT_DTLB);
    fake_vcpu_free(&F);
}

static void test_guest_vhpt_i(void)
{
    setup();
    /* no translation for the guest VHPT page: ivhpt */
    struct vmm_miss_result r = vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_FAULT);
    CHECK_EQ(r.fault, VMM_FAULT_IVHPT);
    /* INST_REF needs psr.ic: without it, alt_itlb */
    F.v.vpsr &= ~IA64_PSR_IC;
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0).fault, VMM_FAULT_ALT_ITLB);
    F.v.vpsr |= IA64_PSR_IC;
    /* not present: inst_page_not_present */
    map_guest_vhpt(UINT64_C(0x300000) | (PTE_BITS & ~IA64_PTE_P));
    CHECK_EQ(vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0).fault, VMM_FAULT_INST_PAGE_NOT_PRESENT);
    /* ma ST: itlb */
    CHECK_EQ(phys_mem_write(&F.mem, IHA2_MADDR, UINT64_C(0x300000) | PTE_BITS | (1u << 2), 8), 0);
    r = vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0);
    CHECK_EQ(r.fault, VMM_FAULT_ITLB);
    CHECK_EQ(r.work.vhpt_inserts, 0);
    /* present: inserted (ps 14 == machine ps: VHPT slot 0x553, no itc) */
    CHECK_EQ(phys_mem_write(&F.mem, IHA2_MADDR, UINT64_C(0x300000) | PTE_BITS, 8), 0);
    fake_clear(&F.fm);
    r = vmm_page_fault(&F.v, VA2, VMM_I_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_GUEST_VHPT_INSERT);
    CHECK_EQ(F.v.vhpt.hash[0x553].etag, UINT64_C(0xd) ^ (UINT64_C(0x55e) << 39));
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 0);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_IVHPT], 1);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_INST_PAGE_NOT_PRESENT], 1);
    CHECK_EQ(F.v.stats.fault[VMM_FAULT_ITLB], 1);
    CHECK_EQ(F.v.stats.miss_outcome[VMM_MISS_GUEST_VHPT_INSERT], 1);
    fake_vcpu_free(&F);
}

static void test_guest_page_smaller_than_machine(void)
{
    setup();
    /* guest rr2 ps 12 (machine rr2 stays ps 14): the guest pte is inserted with a direct itc.
     * Guest hash with ps 12: offset ((VA2 >> 12) << 3) mod 2^16 = 0x34 << 3 = 0x1a0 ->
     * iha R2 + 0x2001a0, machine 0x10001001a0 */
    F.v.vrr[2] = ia64_rr_make(0x55, 12, 1);
    CHECK_EQ(vmm_guest_thash(&F.v, VA2), R2 + 0x2001a0);
    thash_purge_and_insert(&F.v, UINT64_C(0x100000) | PTE_BITS, ia64_itir_make(12, 0), R2 + 0x200000, VMM_D_TLB);
    CHECK_EQ(phys_mem_write(&F.mem, MEM_OFF + 0x1001a0, UINT64_C(0x301000) | PTE_BITS, 8), 0);
    fake_clear(&F.fm);
    struct vmm_miss_result r = vmm_page_fault(&F.v, VA2, VMM_D_TLB, 0);
    CHECK_EQ(r.outcome, VMM_MISS_GUEST_VHPT_INSERT);
    CHECK_EQ(fake_count(&F.fm, FAKE_ITC), 1);
    /* gpa 0x301000 -> gpfn 0xc0 -> machine 0x1000300000 | 0x1000 */
    CHECK_EQ(fake_nth(&F.fm, FAKE_ITC, 0)->pte, UINT64_C(0x1000301661));
    CHECK_EQ(fake_nth(&F.fm, FAKE_ITC, 0)->ps, 12);
    CHECK_EQ(fake_nth(&F.fm, FAKE_ITC, 0)->va, VA2);
    fake_vcpu_free(&F);
}

int main(void)
{
    test_guest_thash();
    test_physical_mode();
    test_vtlb_hit();
    test_vtlb_hit_io();
    test_walker_disabled();
    test_guest_vhpt_d();
    test_guest_vhpt_page_not_present();
    test_rse_uses_rt();
    test_guest_vhpt_i();
    test_guest_page_smaller_than_machine();
    return check_report("test_vmm_miss");
}

/*
 * test_vmm_emul.c - the emulated TLB instructions of vmm_emul.h (KVM/ia64 vcpu.c / process.c
 * callers of vtlb.c): itr, ptr, ptc.l, mov rr, psr mode switches, ptc.g/ga and the resume.
 *
 * Set-up: defaults (host page 16K, VHPT 8192 entries). Region 1: guest rr 0x12339 (rid 0x123,
 * ps 14, ve 1), machine rr vrrtomrr = rid 0x123e, ps 14, ve 1 = 0x123e39. The guest starts with
 * psr dt/it/rt/ic (virtual mode) and every rr = 0x38 (rid 0, ps 14, ve 0), whose machine value
 * is rid (0 << 4) | 0xe = 0xe, ps 14, ve 1 = 0xe39.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/vmm/vmm_emul.h"
#include "../../model/vmm/vtlb.h"
#include "check.h"
#include "fake_machine.h"

#define R0 UINT64_C(0)
#define R1 UINT64_C(0x2000000000000000)
#define R3 UINT64_C(0x6000000000000000)
#define R4 UINT64_C(0x8000000000000000)
#define GRR1 UINT64_C(0x12339)
#define MRR1 UINT64_C(0x123e39)
#define MRR_INIT UINT64_C(0xe39)
#define PTE_BITS UINT64_C(0x661)
#define PSR_VIRT (IA64_PSR_DT | IA64_PSR_IT | IA64_PSR_RT | IA64_PSR_IC)

static struct fake_vcpu F;

static void setup(void)
{
    fake_vcpu_init(&F, NULL);
    F.v.vrr[1] = GRR1;
    F.fm.m.rr[1] = MRR1;
}

static void test_itr_d(void)
{
    setup();
    /* a vTLB entry the itr.d purge must drop: ps 16 at 0x40000 -> slot (0x23 << 4) | 4 = 0x234 */
    vtlb_insert(&F.v, UINT64_C(0x5670000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x40000);
    F.v.tc_regions = 1u << 1;
    /* guest rr bits 32..63 are not part of the stored rid */
    F.v.vrr[1] = GRR1 | (UINT64_C(0x7f) << 32);
    /* pte with reserved bits 1 and 60 (60 is in PAGE_FLAGS_RV_MASK): both dropped, memory frame */
    const uint64_t pte = UINT64_C(0x5670000) | PTE_BITS | 0x2 | (UINT64_C(1) << 60);
    struct vmm_work w = vmm_itr(&F.v, VMM_D_TLB, 0, pte, ia64_itir_make(16, 0x9), R1 + 0x41234);
    /* thash_purge_entries(va aligned = 0x40000, 16): vTLB 1 probe (psbits {16}), VHPT 4 probes */
    CHECK_EQ(w.vtlb_probes, 1);
    CHECK_EQ(w.vtlb_invalidated, 1);
    CHECK_EQ(w.vhpt_probes, 4);
    CHECK_EQ(F.v.vtlb.hash[0x234].etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->va, R1 + 0x40000);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 16);
    CHECK_EQ(F.v.dtrs[0].page_flags, UINT64_C(0x5670000) | PTE_BITS);
    CHECK_EQ(F.v.dtrs[0].itir, ia64_itir_make(16, 0x9));
    CHECK_EQ(F.v.dtrs[0].etag, R1 + 0x40000);  /* vadr: ifa aligned to 64K */
    CHECK_EQ(F.v.dtrs[0].word3, 0x12300);      /* rr & 0xffffff00 */
    CHECK_EQ(F.v.dtr_regions, 1u << 1);
    CHECK_EQ(F.v.itr_regions, 0);
    CHECK_EQ(F.v.stats.op[VMM_OP_ITR_D].count, 1);

    /* ps 24 (16M): no purge at all */
    fake_clear(&F.fm);
    w = vmm_itr(&F.v, VMM_D_TLB, 1, UINT64_C(0x1000000) | PTE_BITS, ia64_itir_make(24, 0), R1 + 0x1234567);
    CHECK_EQ(w.vhpt_probes, 0);
    CHECK_EQ(w.vtlb_probes, 0);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 0);
    CHECK_EQ(F.v.dtrs[1].etag, R1 + 0x1000000);
    /* ps 26 does purge: 2^(26-14) = 4096 VHPT probes */
    w = vmm_itr(&F.v, VMM_D_TLB, 2, UINT64_C(0x4000000) | PTE_BITS, ia64_itir_make(26, 0), R3);
    CHECK_EQ(w.vhpt_probes, 4096);

    /* an I/O frame (PIB 0xfee00000): the IO bit is set in the TR */
    vmm_itr(&F.v, VMM_D_TLB, 3, UINT64_C(0xfee00000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x80000);
    CHECK_EQ(F.v.dtrs[3].page_flags, UINT64_C(0xfee00000) | PTE_BITS | VTLB_PTE_IO);
    /* and a TR then answers vtlb_lookup */
    CHECK(vtlb_lookup(&F.v, R1 + 0x8fffc, VMM_D_TLB) == &F.v.dtrs[3]);
    fake_vcpu_free(&F);
}

static void test_itr_i(void)
{
    setup();
    const uint64_t pte = UINT64_C(0xfee00000) | PTE_BITS | 0x2;
    struct vmm_work w = vmm_itr(&F.v, VMM_I_TLB, 3, pte, ia64_itir_make(16, 0), R1 + 0x41234);
    CHECK_EQ(w.vhpt_probes, 0);
    CHECK_EQ(w.vtlb_probes, 0);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 0);
    CHECK_EQ(F.v.itrs[3].page_flags, UINT64_C(0xfee00000) | PTE_BITS); /* RV cleared, no IO bit */
    CHECK_EQ(F.v.itrs[3].etag, R1 + 0x40000);
    CHECK_EQ(F.v.itrs[3].word3, 0x12300);
    CHECK_EQ(F.v.itr_regions, 1u << 1);
    CHECK_EQ(F.v.dtr_regions, 0);
    CHECK_EQ(F.v.stats.op[VMM_OP_ITR_I].count, 1);
    fake_vcpu_free(&F);
}

static void test_ptr(void)
{
    setup();
    /* D TRs: 0 = 64K [0x40000, 0x4ffff]; 4 = 16K at 0x48000 (inside it); 6 = 64K at 0x50000 */
    vmm_itr(&F.v, VMM_D_TLB, 0, UINT64_C(0x1000000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x40000);
    vmm_itr(&F.v, VMM_D_TLB, 4, UINT64_C(0x2000000) | PTE_BITS, ia64_itir_make(14, 0), R1 + 0x48000);
    vmm_itr(&F.v, VMM_D_TLB, 6, UINT64_C(0x3000000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x50000);
    vmm_itr(&F.v, VMM_I_TLB, 0, UINT64_C(0x4000000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x40000);
    fake_clear(&F.fm);
    /* ptr.d 64K at 0x41234 -> va 0x40000: TRs 0 and 4 overlap and are both cleared, 6 is
     * adjacent; then thash_purge_entries(0x40000, 16): 4 VHPT probes, one ptc.l */
    struct vmm_work w = vmm_ptr(&F.v, VMM_D_TLB, R1 + 0x41234, 16);
    CHECK_EQ(F.v.dtrs[0].page_flags, 0);
    CHECK_EQ(F.v.dtrs[4].page_flags, 0);
    CHECK_EQ(F.v.dtrs[6].page_flags, UINT64_C(0x3000000) | PTE_BITS);
    CHECK_EQ(F.v.itrs[0].page_flags, UINT64_C(0x4000000) | PTE_BITS); /* the I side is untouched */
    CHECK_EQ(w.vhpt_probes, 4);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->va, R1 + 0x40000);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 16);
    /* the loop scanned: find #1 -> slot 0 (1 probe), find #2 -> slot 4 (5 probes),
     * find #3 -> none (8 probes) = 14 TR probes */
    CHECK_EQ(w.tr_probes, 14);
    CHECK(vtlb_lookup(&F.v, R1 + 0x48000, VMM_D_TLB) == NULL);
    /* ptr.i clears the I TR only */
    w = vmm_ptr(&F.v, VMM_I_TLB, R1 + 0x40000, 16);
    CHECK_EQ(F.v.itrs[0].page_flags, 0);
    CHECK_EQ(F.v.dtrs[6].page_flags, UINT64_C(0x3000000) | PTE_BITS);
    CHECK_EQ(w.vhpt_probes, 4);
    fake_vcpu_free(&F);
}

static void test_ptc_l_aligns(void)
{
    setup();
    struct vmm_work w = vmm_ptc_l(&F.v, R1 + 0x41234, 16);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 1);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->va, R1 + 0x40000);
    CHECK_EQ(fake_nth(&F.fm, FAKE_PTC_L, 0)->ps, 16);
    CHECK_EQ(w.vhpt_probes, 4);
    CHECK_EQ(w.machine_ptc_l, 1);
    CHECK_EQ(F.v.stats.op[VMM_OP_PTC_L].count, 1);
    CHECK_EQ(F.v.stats.op[VMM_OP_PTC_L].work.vhpt_probes, 4);
    /* ptc.e: thash_purge_all, whatever the address */
    w = vmm_ptc_e(&F.v, R1 + 0x1234);
    CHECK_EQ(w.purge_all_entries, 4096 + 8192);
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_E), 1);
    fake_vcpu_free(&F);
}

static unsigned set_rr_with_value(uint64_t value)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fake_count(&F.fm, FAKE_SET_RR); i++)
        n += fake_nth(&F.fm, FAKE_SET_RR, i)->value == value;
    return n;
}

static void test_set_rr(void)
{
    setup();
    CHECK_EQ(F.fm.m.rr[0], MRR_INIT); /* initial machine rrs: vrrtomrr(0x38) */
    CHECK_EQ(F.fm.m.rr[5], MRR_INIT);
    /* rid 0xabcdef: ((0xabcdef << 4) | 0xe) & 0xffffff = 0xbcdefe; ps 16 capped to 14; ve 0 -> 1 */
    const uint64_t g = ia64_rr_make(0xabcdef, 16, 0);
    vmm_set_rr(&F.v, R1 + 0x1234, g);
    CHECK_EQ(F.v.vrr[1], g);
    CHECK_EQ(F.fm.m.rr[1], UINT64_C(0xbcdefe39));
    CHECK_EQ(fake_count(&F.fm, FAKE_SET_RR), 1);
    /* ps 12 is below the host page: kept. rid 5 -> 0x5e: 0x5e << 8 | 12 << 2 | 1 = 0x5e31 */
    vmm_set_rr(&F.v, R3, ia64_rr_make(5, 12, 1));
    CHECK_EQ(F.fm.m.rr[3], UINT64_C(0x5e31));
    CHECK_EQ(vmm_vrrtomrr(&F.v, ia64_rr_make(0x77, 28, 0)), UINT64_C(0x77e39));
    /* no purge on an rr change */
    CHECK_EQ(fake_count(&F.fm, FAKE_PTC_L), 0);

    /* physical mode (psr 111 -> 000): rr0/rr4 writes go to the saved values only */
    vmm_set_psr(&F.v, IA64_PSR_IC);
    CHECK(vmm_is_physical_mode(&F.v));
    fake_clear(&F.fm);
    vmm_set_rr(&F.v, R0, ia64_rr_make(0x77, 14, 1));
    CHECK_EQ(F.fm.m.rr[0], VMM_GUEST_PHYSICAL_RR0);
    CHECK_EQ(F.v.metaphysical_saved_rr0, UINT64_C(0x77e39));
    CHECK_EQ(F.v.vrr[0], ia64_rr_make(0x77, 14, 1));
    /* the instruction's own frame: prepare loads the old saved rr0/rr4 (0xe39), recover the
     * physical ones; the new value is not written to the machine */
    CHECK_EQ(fake_count(&F.fm, FAKE_SET_RR), 4);
    CHECK_EQ(set_rr_with_value(UINT64_C(0x77e39)), 0);
    CHECK_EQ(fake_nth(&F.fm, FAKE_SET_RR, 0)->value, MRR_INIT);
    CHECK_EQ(fake_nth(&F.fm, FAKE_SET_RR, 2)->value, VMM_GUEST_PHYSICAL_RR0);
    fake_clear(&F.fm);
    vmm_set_rr(&F.v, R4 + 0x10, ia64_rr_make(0x88, 14, 1));
    CHECK_EQ(F.fm.m.rr[4], VMM_GUEST_PHYSICAL_RR4);
    CHECK_EQ(F.v.metaphysical_saved_rr4, UINT64_C(0x88e39));
    CHECK_EQ(set_rr_with_value(UINT64_C(0x88e39)), 0);
    /* (the next emulated instruction's prepare does load the new saved rr0, as kvm_emulate does) */
    CHECK_EQ(set_rr_with_value(UINT64_C(0x77e39)), 1);
    CHECK_EQ(F.fm.m.rr[0], VMM_GUEST_PHYSICAL_RR0);
    /* other regions are written in physical mode too */
    vmm_set_rr(&F.v, R3, ia64_rr_make(0x99, 14, 1));
    CHECK_EQ(F.fm.m.rr[3], UINT64_C(0x99e39));
    /* back to virtual mode: the saved values are loaded */
    vmm_set_psr(&F.v, PSR_VIRT);
    CHECK(!vmm_is_physical_mode(&F.v));
    CHECK_EQ(F.fm.m.rr[0], UINT64_C(0x77e39));
    CHECK_EQ(F.fm.m.rr[4], UINT64_C(0x88e39));
    fake_vcpu_free(&F);
}

static void test_set_psr_mode_switch(void)
{
    setup();
    CHECK(!vmm_is_physical_mode(&F.v));
    /* (it,dt,rt) 111 -> 000: SW_V2P */
    vmm_set_psr(&F.v, IA64_PSR_IC);
    CHECK(vmm_is_physical_mode(&F.v));
    CHECK_EQ(F.fm.m.rr[0], UINT64_C(0x1739));
    CHECK_EQ(F.fm.m.rr[4], UINT64_C(0x2739));
    CHECK_EQ(F.fm.m.rr[1], MRR1); /* other regions untouched */
    CHECK_EQ(F.v.stats.mode_v2p, 1);
    CHECK_EQ(F.v.mode_flags & VMM_GUEST_PHY_EMUL, 0); /* only set inside an emulation */
    /* 000 -> 111: SW_P2V */
    vmm_set_psr(&F.v, PSR_VIRT);
    CHECK(!vmm_is_physical_mode(&F.v));
    CHECK_EQ(F.fm.m.rr[0], MRR_INIT);
    CHECK_EQ(F.fm.m.rr[4], MRR_INIT);
    CHECK_EQ(F.v.stats.mode_p2v, 1);
    /* 111 -> 110 (rt off): table entry 0, nothing happens */
    vmm_set_psr(&F.v, IA64_PSR_DT | IA64_PSR_IT | IA64_PSR_IC);
    CHECK(!vmm_is_physical_mode(&F.v));
    CHECK_EQ(F.fm.m.rr[0], MRR_INIT);
    /* 110 -> 111: [6][7] = 0 as well */
    vmm_set_psr(&F.v, PSR_VIRT);
    CHECK(!vmm_is_physical_mode(&F.v));
    /* 111 -> 101 (dt off, the TLB miss handler case): SW_V2P; 101 -> 111: SW_P2V */
    vmm_set_psr(&F.v, IA64_PSR_IT | IA64_PSR_RT | IA64_PSR_IC);
    CHECK(vmm_is_physical_mode(&F.v));
    CHECK_EQ(F.fm.m.rr[0], UINT64_C(0x1739));
    vmm_set_psr(&F.v, PSR_VIRT);
    CHECK(!vmm_is_physical_mode(&F.v));
    CHECK_EQ(F.fm.m.rr[4], MRR_INIT);
    CHECK_EQ(F.v.stats.mode_v2p, 2);
    CHECK_EQ(F.v.stats.mode_p2v, 2);
    /* a change of bits other than it/dt/rt does not switch (ic off) */
    vmm_set_psr(&F.v, IA64_PSR_DT | IA64_PSR_IT | IA64_PSR_RT);
    CHECK_EQ(F.v.stats.mode_v2p, 2);
    /* vcpu_set_psr clears id (37), da (38), dd (39), ss (40) and ed (43) */
    const uint64_t transient = (UINT64_C(1) << 37) | (UINT64_C(1) << 38) | (UINT64_C(1) << 39) |
                               (UINT64_C(1) << 40) | (UINT64_C(1) << 43);
    vmm_set_psr(&F.v, PSR_VIRT | transient | (UINT64_C(1) << 14));
    CHECK_EQ(F.v.vpsr, PSR_VIRT | (UINT64_C(1) << 14));
    /* ... and ia (45) (kregs.h IA64_PSR_IA_BIT), but keeps bn (44): once a model bug */
    vmm_set_psr(&F.v, PSR_VIRT | (UINT64_C(1) << 45));
    CHECK_EQ(F.v.vpsr, PSR_VIRT);
    vmm_set_psr(&F.v, PSR_VIRT | (UINT64_C(1) << 44));
    CHECK_EQ(F.v.vpsr, PSR_VIRT | (UINT64_C(1) << 44));
    fake_vcpu_free(&F);
}

static void test_physical_mode_itc_uses_virtual_rid(void)
{
    setup();
    vmm_set_psr(&F.v, IA64_PSR_IC); /* physical mode: machine rr0 = 0x1739 */
    /* itc.d in region 0 runs between prepare/recover_if_physical_mode: the VHPT entry is
     * hashed with the virtual rr0 (rid 0xe): va 0x40000 -> hpn 0x10 -> index 0x10 ^ 0xe = 0x1e,
     * tag 0x10 ^ (0xe << 39) */
    vmm_itc(&F.v, VMM_D_TLB, UINT64_C(0x5670000) | PTE_BITS, ia64_itir_make(14, 0), R0 + 0x40000);
    CHECK_EQ(F.v.vhpt.hash[0x1e].etag, UINT64_C(0x10) ^ (UINT64_C(0xe) << 39));
    CHECK_EQ(F.fm.m.rr[0], UINT64_C(0x1739)); /* restored on the way out */
    CHECK_EQ(F.fm.m.rr[4], UINT64_C(0x2739));
    CHECK_EQ(F.v.stats.op[VMM_OP_ITC_D].count, 1);
    fake_vcpu_free(&F);
}

/* ---- a VM of two vCPUs, each on its own recording machine ---------------------------------- */

enum rec_call { REC_SET_RR, REC_PTC_L, REC_PTC_E };

struct rec {
    enum rec_call call;
    uint64_t va, value;
    unsigned ps;
};

struct rec_machine {
    struct machine m;
    struct rec log[64];
    unsigned n;
};

static void rec_add(struct rec_machine *rm, struct rec r)
{
    if (rm->n < 64)
        rm->log[rm->n++] = r;
}

static uint64_t r_get_rr(void *c, uint64_t va) { return machine_vmm_ops.get_rr(&((struct rec_machine *)c)->m, va); }
static void r_set_rr(void *c, uint64_t va, uint64_t value)
{
    rec_add(c, (struct rec){.call = REC_SET_RR, .va = va, .value = value});
    machine_vmm_ops.set_rr(&((struct rec_machine *)c)->m, va, value);
}
static void r_set_pta(void *c, uint64_t pta, const struct thash_table *t)
{
    machine_vmm_ops.set_pta(&((struct rec_machine *)c)->m, pta, t);
}
static uint64_t r_thash(void *c, uint64_t va) { return machine_vmm_ops.thash(&((struct rec_machine *)c)->m, va); }
static uint64_t r_ttag(void *c, uint64_t va) { return machine_vmm_ops.ttag(&((struct rec_machine *)c)->m, va); }
static void r_itc(void *c, enum vmm_tlb_side side, uint64_t va, uint64_t pte, unsigned ps)
{
    machine_vmm_ops.itc(&((struct rec_machine *)c)->m, side, va, pte, ps);
}
static void r_ptc_l(void *c, uint64_t va, unsigned ps)
{
    rec_add(c, (struct rec){.call = REC_PTC_L, .va = va, .ps = ps});
    machine_vmm_ops.ptc_l(&((struct rec_machine *)c)->m, va, ps);
}
static void r_ptc_e(void *c, uint64_t addr)
{
    rec_add(c, (struct rec){.call = REC_PTC_E, .va = addr});
    machine_vmm_ops.ptc_e(&((struct rec_machine *)c)->m, addr);
}
static int r_load8(void *c, uint64_t va, uint64_t *value)
{
    return machine_vmm_ops.load8_spec(&((struct rec_machine *)c)->m, va, value);
}

static const struct vmm_machine_ops rec_ops = {
    .get_rr = r_get_rr, .set_rr = r_set_rr, .set_pta = r_set_pta, .thash = r_thash, .ttag = r_ttag,
    .itc = r_itc, .ptc_l = r_ptc_l, .ptc_e = r_ptc_e, .load8_spec = r_load8,
};

static struct {
    struct phys_mem mem;
    struct vmm_vm vm;
    struct rec_machine rm[2];
    struct vmm_vcpu v[2];
} W;

static void vm2_init(void)
{
    memset(&W, 0, sizeof W);
    struct vmm_params p;
    vmm_params_default(&p);
    struct machine_params mp;
    machine_params_default(&mp);
    if (phys_mem_init(&W.mem) != 0 || vmm_vm_init(&W.vm, &p, 2) != 0)
        goto oom;
    for (unsigned i = 0; i < 2; i++) {
        if (machine_init(&W.rm[i].m, &mp, &W.mem) != 0 ||
            vmm_vcpu_init(&W.v[i], i, &W.vm, (struct vmm_machine){.ops = &rec_ops, .ctx = &W.rm[i]}) != 0)
            goto oom;
        W.v[i].vrr[1] = GRR1;
        W.rm[i].m.rr[1] = MRR1;
        W.rm[i].n = 0;
    }
    return;
oom:
    fprintf(stderr, "vm2_init: out of memory\n");
    exit(EXIT_FAILURE);
}

static void vm2_free(void)
{
    for (unsigned i = 0; i < 2; i++) {
        vmm_vcpu_free(&W.v[i]);
        machine_free(&W.rm[i].m);
    }
    vmm_vm_free(&W.vm);
    phys_mem_free(&W.mem);
}

static unsigned rec_count(const struct rec_machine *rm, enum rec_call call)
{
    unsigned n = 0;
    for (unsigned i = 0; i < rm->n; i++)
        n += rm->log[i].call == call;
    return n;
}

static const struct rec *rec_nth(const struct rec_machine *rm, enum rec_call call, unsigned k)
{
    static const struct rec none = {.call = REC_PTC_E, .va = UINT64_MAX, .value = UINT64_MAX, .ps = 99};
    for (unsigned i = 0; i < rm->n; i++)
        if (rm->log[i].call == call && k-- == 0)
            return &rm->log[i];
    return &none;
}

static void test_ptc_ga_queue_and_overflow(void)
{
    vm2_init();
    CHECK(W.vm.vcpus[0] == &W.v[0]);
    CHECK(W.vm.vcpus[1] == &W.v[1]);
    struct vmm_vcpu *a = &W.v[0], *b = &W.v[1];
    vmm_ptc_g(a, R1 + 0x41234, 16, 1);
    /* queued on the other vCPU only, with the initiator's guest rr and the unaligned va */
    CHECK_EQ(b->requests, VMM_REQ_PTC_G);
    CHECK_EQ(b->ptc_g_count, 1);
    CHECK_EQ(b->ptc_g_data[0].rr, GRR1);
    CHECK_EQ(b->ptc_g_data[0].vaddr, R1 + 0x41234);
    CHECK_EQ(b->ptc_g_data[0].ps, 16);
    CHECK_EQ(a->requests, 0);
    CHECK_EQ(a->ptc_g_count, 0);
    /* the local purge ran on a's machine (ptc.l of the aligned va); b's machine saw nothing yet */
    CHECK_EQ(rec_count(&W.rm[0], REC_PTC_L), 1);
    CHECK_EQ(rec_nth(&W.rm[0], REC_PTC_L, 0)->va, R1 + 0x40000);
    CHECK_EQ(rec_count(&W.rm[1], REC_PTC_L), 0);
    CHECK_EQ(a->stats.op[VMM_OP_PTC_GA].count, 1);
    CHECK_EQ(a->stats.op[VMM_OP_PTC_G].count, 0);

    /* 3 records fit (MAX_PTC_G_NUM); the 4th before a resume turns them into a TLB flush */
    vmm_ptc_g(a, R1 + 0x80000, 14, 0);
    vmm_ptc_g(a, R1 + 0x90000, 14, 1);
    CHECK_EQ(b->ptc_g_count, 3);
    CHECK_EQ(b->requests, VMM_REQ_PTC_G);
    vmm_ptc_g(a, R1 + 0xa0000, 14, 1);
    CHECK_EQ(b->requests, VMM_REQ_TLB_FLUSH);
    CHECK_EQ(b->ptc_g_count, 0);
    CHECK_EQ(b->stats.ptc_g_queued, 3);
    CHECK_EQ(b->stats.ptc_g_overflows, 1);
    CHECK_EQ(a->stats.op[VMM_OP_PTC_G].count, 1);
    /* while a flush is pending, further records are dropped */
    vmm_ptc_g(a, R1 + 0xb0000, 14, 1);
    CHECK_EQ(b->requests, VMM_REQ_TLB_FLUSH);
    CHECK_EQ(b->ptc_g_count, 0);
    CHECK_EQ(b->stats.ptc_g_dropped, 1);

    /* b's resume: thash_purge_all (4096 + 8192 entries, one ptc.e), no ptc.l */
    struct vmm_work w = vmm_resume(b);
    CHECK_EQ(w.purge_all_entries, 4096 + 8192);
    CHECK_EQ(w.machine_ptc_e, 1);
    CHECK_EQ(rec_count(&W.rm[1], REC_PTC_E), 1);
    CHECK_EQ(rec_count(&W.rm[1], REC_PTC_L), 0);
    CHECK_EQ(b->requests, 0);
    CHECK_EQ(b->stats.op[VMM_OP_REMOTE_FLUSH].count, 1);
    CHECK(!vmm_resume_pending(b));
    /* nothing left: a second resume does no work */
    w = vmm_resume(b);
    CHECK_EQ(w.purge_all_entries, 0);
    CHECK_EQ(vmm_work_entries_touched(&w), 0);
    /* the initiator had nothing queued */
    w = vmm_resume(a);
    CHECK_EQ(vmm_work_entries_touched(&w), 0);
    vm2_free();
}

static void test_remote_purge_order(void)
{
    vm2_init();
    struct vmm_vcpu *a = &W.v[0], *b = &W.v[1];
    /* region 3: guest rid 0x456 (machine 0x456e) on both vCPUs */
    a->vrr[3] = b->vrr[3] = ia64_rr_make(0x456, 14, 1);
    W.rm[0].m.rr[3] = W.rm[1].m.rr[3] = ia64_rr_make(0x456e, 14, 1);
    /* b holds a 64K translation at R1 + 0x40000: vTLB slot 0x234 (tag 1), VHPT slot
     * (0x10 ^ 0x123e) = 0x122e (tag 0x10 ^ 0x123e << 39) */
    thash_purge_and_insert(b, UINT64_C(0x5670000) | PTE_BITS, ia64_itir_make(16, 0), R1 + 0x40000, VMM_D_TLB);
    CHECK_EQ(b->vtlb.hash[0x234].etag, 1);
    CHECK_EQ(b->vhpt.hash[0x122e].etag, UINT64_C(0x10) ^ (UINT64_C(0x123e) << 39));
    b->psbits[0] = UINT64_C(1) << 20; /* must be restored */
    const uint64_t b_rr0 = b->vrr[0];

    vmm_ptc_g(a, R1 + 0x41234, 16, 1);                 /* record A */
    vmm_ptc_g(a, R3 + 0x8000, 14, 1);                  /* record B (newest) */
    CHECK_EQ(b->ptc_g_count, 2);
    W.rm[1].n = 0;
    vmm_resume(b);
    /* newest first: B then A. Each: rr0 := vrrtomrr(record rr), purge on REGION_OFFSET(va),
     * rr0 restored to the old machine value (0xe39). */
    CHECK_EQ(rec_count(&W.rm[1], REC_SET_RR), 4);
    CHECK_EQ(rec_nth(&W.rm[1], REC_SET_RR, 0)->va, 0);
    CHECK_EQ(rec_nth(&W.rm[1], REC_SET_RR, 0)->value, UINT64_C(0x456e39));
    CHECK_EQ(rec_nth(&W.rm[1], REC_SET_RR, 1)->value, MRR_INIT);
    CHECK_EQ(rec_nth(&W.rm[1], REC_SET_RR, 2)->value, MRR1);
    CHECK_EQ(rec_nth(&W.rm[1], REC_SET_RR, 3)->value, MRR_INIT);
    CHECK_EQ(rec_count(&W.rm[1], REC_PTC_L), 2);
    CHECK_EQ(rec_nth(&W.rm[1], REC_PTC_L, 0)->va, 0x8000);  /* R3 + 0x8000 -> offset */
    CHECK_EQ(rec_nth(&W.rm[1], REC_PTC_L, 0)->ps, 14);
    CHECK_EQ(rec_nth(&W.rm[1], REC_PTC_L, 1)->va, 0x40000); /* R1 + 0x41234 aligned -> offset */
    CHECK_EQ(rec_nth(&W.rm[1], REC_PTC_L, 1)->ps, 16);
    /* record A reached b's region-1 entries through rr0 (same rid, same offset) */
    CHECK_EQ(b->vtlb.hash[0x234].etag, IA64_INVALID_TI_TAG);
    CHECK_EQ(b->vhpt.hash[0x122e].etag, IA64_INVALID_TI_TAG);
    /* state restored */
    CHECK_EQ(b->vrr[0], b_rr0);
    CHECK_EQ(b->psbits[0], UINT64_C(1) << 20);
    CHECK_EQ(b->psbits[1], UINT64_C(1) << 16);
    CHECK_EQ(W.rm[1].m.rr[0], MRR_INIT);
    CHECK_EQ(b->requests, 0);
    CHECK_EQ(b->ptc_g_count, 0);
    CHECK_EQ(b->stats.op[VMM_OP_REMOTE_PURGE].count, 2);
    vm2_free();
}

int main(void)
{
    test_itr_d();
    test_itr_i();
    test_ptr();
    test_ptc_l_aligns();
    test_set_rr();
    test_set_psr_mode_switch();
    test_physical_mode_itc_uses_virtual_rid();
    test_ptc_ga_queue_and_overflow();
    test_remote_purge_order();
    return check_report("test_vmm_emul");
}

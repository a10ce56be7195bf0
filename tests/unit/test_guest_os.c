/*
 * test_guest_os.c - the guest OS model (model/guest/guest_os.h) on its own: every expected value
 * is derived by hand in the comments next to it.
 *
 * Facts used throughout (ia64_arch.h, spec section 1):
 *   rr   = rid << 8 | ps << 2 | ve          itir = rr & 0xfffffffc (rid | ps, as the VMM injects)
 *   pte  = frame | p(1) | a(0x20) | d(0x40) | pl << 7 | ar << 9, ma = WB = 0
 *        user page   pl 3 (0x180), ar RWX 3 (0x600): frame | 0x7e1
 *        kernel page pl 0,         ar RWX 3:         frame | 0x661
 *        VHPT page   pl 0,         ar RW 2 (0x400):  frame | 0x461
 *   psr  = dt (1<<17) | it (1<<36) | rt (1<<27) | ic (1<<13) = 0x1008022000
 *   p2m  : machine address = guest address + 64 GiB (0x1000000000); VGA hole 0xa0000..0xbffff
 *   default params: ps 14 in regions 0..5, region 6 unused, region 7 identity with ps 24,
 *   VHPT on, pta.size 50, rid_bits 18, 4 GiB, ptc.l, one vCPU.
 *   pta base = 2^61 - 2^50 = 0x1ffc000000000000; pta = base | 50 << 2 (0xc8) | ve
 */
#include <string.h>

#include "../../model/guest/guest_os.h"
#include "../../model/ia64/ia64_arch.h"
#include "check.h"

static const struct p2m P2M = {.mem_offset = UINT64_C(0x1000000000), .page_shift = 14};
#define MOFF UINT64_C(0x1000000000)

#define R1 UINT64_C(0x2000000000000000)
#define R2 UINT64_C(0x4000000000000000)
#define R3 UINT64_C(0x6000000000000000)
#define R5 UINT64_C(0xa000000000000000)
#define R7 UINT64_C(0xe000000000000000)

#define CHECK_EV(out, i, k, v, o0, o1)                                                         \
    do {                                                                                       \
        CHECK((i) < (out).n);                                                                  \
        if ((i) < (out).n) {                                                                   \
            CHECK_EQ((out).ev[i].kind, (k));                                                   \
            CHECK_EQ((out).ev[i].va, (v));                                                     \
            CHECK_EQ((out).ev[i].op0, (o0));                                                   \
            CHECK_EQ((out).ev[i].op1, (o1));                                                   \
        }                                                                                      \
    } while (0)

static struct guest_os *make(struct phys_mem *mem, const struct guest_os_params *p)
{
    CHECK_EQ(phys_mem_init(mem), 0);
    struct guest_os *os = guest_os_create(p, mem, &P2M);
    CHECK(os != NULL);
    return os;
}

static void done(struct guest_os *os, struct phys_mem *mem)
{
    guest_os_destroy(os);
    phys_mem_free(mem);
}

static void boot(struct guest_os *os, unsigned cpu)
{
    struct guest_os_out out;
    guest_os_boot(os, cpu, &out);
}

static void fault(struct guest_os *os, unsigned cpu, enum vmm_fault f, enum guest_event_kind kind, uint64_t va,
                  struct guest_os_out *out)
{
    struct guest_event ref = {.kind = (uint8_t)kind, .cpu = (uint16_t)cpu, .va = va, .size = 8};
    guest_os_on_fault(os, cpu, f, &ref, out);
}

static void event(struct guest_os *os, unsigned cpu, enum guest_event_kind kind, uint64_t va, uint64_t op0,
                  uint64_t op1, struct guest_os_out *out)
{
    struct guest_event ev = {.kind = (uint8_t)kind, .cpu = (uint16_t)cpu, .va = va, .op0 = op0, .op1 = op1};
    guest_os_on_event(os, &ev, out);
}

static void ctx_switch(struct guest_os *os, unsigned cpu, uint64_t pid, struct guest_os_out *out)
{
    event(os, cpu, GE_CTX_SWITCH, 0, pid, 0, out);
}

static void munmap_(struct guest_os *os, unsigned cpu, uint64_t start, uint64_t len, struct guest_os_out *out)
{
    event(os, cpu, GE_MARK, start, GE_MARK_MUNMAP, len, out);
}

/* ---------------------------------------------------------------------------------------------- */

static void test_params(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    CHECK(guest_os_params_check(&p) == NULL);

    p.region_ps[2] = 15; /* not an IA-64 page size */
    CHECK(guest_os_params_check(&p) != NULL);
    guest_os_params_default(&p);
    p.vhpt_size = 49; /* 64 - 14 = 50 needed: pages 2^47 entries apart would share an entry */
    CHECK(guest_os_params_check(&p) != NULL);
    p.vhpt_enabled = 0; /* no walker: the size only has to be a valid pta.size */
    CHECK(guest_os_params_check(&p) == NULL);
    guest_os_params_default(&p);
    p.region_ps[7] = 0; /* the identity region needs its granule */
    CHECK(guest_os_params_check(&p) != NULL);
    p.identity_region = 8; /* ... unless there is none */
    CHECK(guest_os_params_check(&p) == NULL);
    guest_os_params_default(&p);
    p.rid_bits = 4; /* 2^(4-3) - 1 = 1 user context: enough for one vCPU */
    CHECK(guest_os_params_check(&p) == NULL);
    p.nr_vcpus = 2; /* ... not for two */
    CHECK(guest_os_params_check(&p) != NULL);
    p.rid_bits = 25;
    CHECK(guest_os_params_check(&p) != NULL);
    guest_os_params_default(&p);
    p.guest_mem = 0;
    CHECK(guest_os_params_check(&p) != NULL);
    guest_os_params_default(&p);
    p.purge = (enum guest_purge_style)3;
    CHECK(guest_os_params_check(&p) != NULL);
    CHECK(guest_os_create(&p, NULL, &P2M) == NULL);
}

static void test_boot(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    struct phys_mem mem;
    struct guest_os *os = make(&mem, &p);
    struct guest_os_out out;
    guest_os_boot(os, 0, &out);
    /* psr; pta; kernel rrs 5 (rid 5: 0x500 | 14 << 2 | ve 1 = 0x539) and 7 (identity: rid 7,
     * ps 24 (0x60), ve 0: 0x760), region 6 unused; process 0 gets context 1: rid = 1 << 3 | r,
     * rr0 = 0x800 | 0x38 | 1 = 0x839, rr1 0x939, rr2 0xa39, rr3 0xb39, rr4 0xc39 */
    CHECK_EQ(out.n, 9);
    CHECK_EQ(out.retry, 0);
    CHECK_EV(out, 0, GE_SET_PSR, 0, UINT64_C(0x1008022000), 0);
    CHECK_EV(out, 1, GE_MOV_PTA, 0, UINT64_C(0x1ffc0000000000c9), 0);
    CHECK_EV(out, 2, GE_MOV_RR, R5, 0x539, 0);
    CHECK_EV(out, 3, GE_MOV_RR, R7, 0x760, 0);
    CHECK_EV(out, 4, GE_MOV_RR, 0, 0x839, 0);
    CHECK_EV(out, 5, GE_MOV_RR, R1, 0x939, 0);
    CHECK_EV(out, 6, GE_MOV_RR, R2, 0xa39, 0);
    CHECK_EV(out, 7, GE_MOV_RR, R3, 0xb39, 0);
    CHECK_EV(out, 8, GE_MOV_RR, UINT64_C(0x8000000000000000), 0xc39, 0);
    for (unsigned i = 0; i < out.n; i++)
        CHECK_EQ(out.ev[i].cpu, 0);
    CHECK_EQ(guest_os_get_stats(os).ctx_switches, 0); /* boot is not a switch */
    done(os, &mem);

    /* walker off, region 3 with 64 KiB pages, 2 vCPUs: pta ve 0 (0x...c8), rrs ve 0, rr3 ps 16:
     * 0xb00 | 16 << 2 (0x40) = 0xb40. vCPU 1 boots into the same process 0 (context 1). */
    guest_os_params_default(&p);
    p.vhpt_enabled = 0;
    p.region_ps[3] = 16;
    p.nr_vcpus = 2;
    os = make(&mem, &p);
    guest_os_boot(os, 1, &out);
    CHECK_EQ(out.n, 9);
    CHECK_EV(out, 1, GE_MOV_PTA, 0, UINT64_C(0x1ffc0000000000c8), 0);
    CHECK_EV(out, 2, GE_MOV_RR, R5, 0x538, 0);
    CHECK_EV(out, 3, GE_MOV_RR, R7, 0x760, 0);
    CHECK_EV(out, 4, GE_MOV_RR, 0, 0x838, 0);
    CHECK_EV(out, 7, GE_MOV_RR, R3, 0xb40, 0);
    CHECK_EQ(out.ev[0].cpu, 1);
    guest_os_boot(os, 0, &out);
    CHECK_EV(out, 4, GE_MOV_RR, 0, 0x838, 0);
    done(os, &mem);
}

static void test_ctx_switch(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    struct phys_mem mem;
    struct guest_os *os = make(&mem, &p);
    struct guest_os_out out;
    boot(os, 0);
    /* process 42 is new: context 2, rids 16..20: rr0 = 16 << 8 | 0x39 = 0x1039 ... rr4 0x1439 */
    ctx_switch(os, 0, 42, &out);
    CHECK_EQ(out.n, 5);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x1039, 0);
    CHECK_EV(out, 1, GE_MOV_RR, R1, 0x1139, 0);
    CHECK_EV(out, 2, GE_MOV_RR, R2, 0x1239, 0);
    CHECK_EV(out, 3, GE_MOV_RR, R3, 0x1339, 0);
    CHECK_EV(out, 4, GE_MOV_RR, UINT64_C(0x8000000000000000), 0x1439, 0);
    /* back to process 0: context 1 again */
    ctx_switch(os, 0, 0, &out);
    CHECK_EQ(out.n, 5);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x839, 0);
    /* process 7: context 3, rid 24 = 0x18: rr0 = 0x1839 */
    ctx_switch(os, 0, 7, &out);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x1839, 0);
    /* process 42 keeps context 2 */
    ctx_switch(os, 0, 42, &out);
    CHECK_EV(out, 3, GE_MOV_RR, R3, 0x1339, 0);
    /* to the running process: no switch_mm, nothing */
    ctx_switch(os, 0, 42, &out);
    CHECK_EQ(out.n, 0);
    CHECK_EQ(guest_os_get_stats(os).ctx_switches, 4);
    CHECK_EQ(guest_os_get_stats(os).rid_wraps, 0);
    /* references and TLB instructions are only observed */
    event(os, 0, GE_LOAD, R3, 0, 0, &out);
    CHECK_EQ(out.n, 0);
    event(os, 0, GE_ITC_D, R3, 0x7e1, 0xb38, &out);
    CHECK_EQ(out.n, 0);
    done(os, &mem);
}

static void test_demand_allocation(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    struct phys_mem mem;
    struct guest_os *os = make(&mem, &p);
    struct guest_os_out out;
    boot(os, 0);

    /* first touch of 0x6000000000004010 (region 3, page 0x6000000000004000): data frame at
     * guest 0 (the first 16 KiB frame), pte 0x7e1; the guest VHPT entry needs the VHPT page:
     * page-table frame 0x4000. itir = rr3 0xb39 & ~3 = 0xb38.
     * iha: vpn = va >> 14 = 0x1800000000001; (vpn << 3) mod 2^50 = 0x8;
     *      iha = region 3 | base 0x1ffc000000000000 | 0x8 = 0x7ffc000000000008
     * entry at guest 0x4000 + (iha mod 2^14 = 8) = 0x4008, machine 0x1000004008 */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + 0x4010, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EQ(out.retry, 1);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4010, 0x7e1, 0xb38);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4008), 0x7e1);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 1);
    CHECK_EQ(guest_os_get_stats(os).pt_pages_allocated, 1);
    CHECK_EQ(guest_os_get_stats(os).faults_handled[VMM_FAULT_DTLB], 1);

    /* the same page again (another offset): no allocation, the same pte */
    fault(os, 0, VMM_FAULT_DTLB, GE_STORE, R3 + 0x7ff8, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x7ff8, 0x7e1, 0xb38);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 1);

    /* the next page 0x6000000000008000: frame 0x8000 (0x4000 went to the page table), pte
     * 0x87e1; vpn 0x1800000000002 -> entry offset 0x10, same VHPT page: machine 0x1000004010 */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + 0x8000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x8000, 0x87e1, 0xb38);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4010), 0x87e1);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 2);
    CHECK_EQ(guest_os_get_stats(os).pt_pages_allocated, 1);

    /* another process: its own page table and VHPT page; same virtual page -> new frames:
     * data 0xc000 (pte 0xc7e1), page table 0x10000 (entry at 0x10008, machine 0x1000010008);
     * context 2: rr3 = (2 << 3 | 3) << 8 | 0x39 = 0x1339, itir 0x1338 */
    ctx_switch(os, 0, 9, &out);
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + 0x4010, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4010, 0xc7e1, 0x1338);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x10008), 0xc7e1);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4008), 0x7e1); /* process 0's entry untouched */
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 3);
    CHECK_EQ(guest_os_get_stats(os).pt_pages_allocated, 2);
    done(os, &mem);
}

static void test_frames_skip_io(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    p.vhpt_enabled = 0; /* no page-table frames in between */
    p.region_ps[1] = 24;
    struct phys_mem mem;
    struct guest_os *os = make(&mem, &p);
    struct guest_os_out out;
    boot(os, 0);
    /* 16 KiB frames 0, 0x4000, ..., 39 * 0x4000 = 0x9c000 fit below the VGA hole at 0xa0000;
     * the 41st skips 0xa0000..0xbffff and lands at 0xc0000 (pte 0xc07e1). Walker off: alt_dtlb,
     * itir = rr3 (ve 0: 0xb38) & ~3 = 0xb38 */
    for (uint64_t k = 0; k < 40; k++) {
        fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R3 + k * 0x4000, &out);
        CHECK_EV(out, 0, GE_ITC_D, R3 + k * 0x4000, (k * 0x4000) | 0x7e1, 0xb38);
    }
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R3 + 40 * 0x4000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 40 * 0x4000, 0xc07e1, 0xb38);
    /* a 16 MiB page (region 1, ps 24): the bump pointer is at 0xc4000; aligned up: 0x1000000
     * ([0x1000000, 0x2000000) holds no I/O). itir = rr1 = 9 << 8 | 24 << 2 = 0x960 */
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R1 + 0x123456, &out);
    CHECK_EV(out, 0, GE_ITC_D, R1 + 0x123456, 0x10007e1, 0x960);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 42);
    CHECK_EQ(mem.lines.n, 0); /* walker off: nothing written to memory */
    done(os, &mem);

    /* a fresh guest whose first frame is 16 MiB: [0, 16 MiB) holds the VGA hole, so the frame
     * after the first I/O page (0xa4000) aligned up to 16 MiB: 0x1000000 */
    os = make(&mem, &p);
    boot(os, 0);
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R1, &out);
    CHECK_EV(out, 0, GE_ITC_D, R1, 0x10007e1, 0x960);
    done(os, &mem);

    /* 64 KiB of guest memory: four 16 KiB frames, the fifth touch finds none */
    guest_os_params_default(&p);
    p.vhpt_enabled = 0;
    p.guest_mem = 0x10000;
    os = make(&mem, &p);
    boot(os, 0);
    for (uint64_t k = 0; k < 4; k++) {
        fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R3 + k * 0x4000, &out);
        CHECK_EQ(out.retry, 1);
    }
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R3 + 4 * 0x4000, &out);
    CHECK_EQ(out.n, 0);
    CHECK_EQ(out.retry, 0);
    CHECK_EQ(guest_os_get_stats(os).alloc_failures, 1);
    CHECK_EQ(guest_os_get_stats(os).faults_unhandled, 1);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 4);
    done(os, &mem);
}

static void test_fault_kinds(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    struct phys_mem mem;
    struct guest_os *os = make(&mem, &p);
    struct guest_os_out out;
    boot(os, 0);

    /* dvhpt: Linux's vhpt_miss. Data frame 0 (pte 0x7e1), page-table frame 0x4000; itc.d of
     * the page, then itc.d of the VHPT page at iha 0x7ffc000000000008 (see the demand test)
     * with pte 0x4000 | 0x461 = 0x4461, same itir 0xb38 */
    fault(os, 0, VMM_FAULT_DVHPT, GE_LOAD, R3 + 0x4010, &out);
    CHECK_EQ(out.n, 2);
    CHECK_EQ(out.retry, 1);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4010, 0x7e1, 0xb38);
    CHECK_EV(out, 1, GE_ITC_D, UINT64_C(0x7ffc000000000008), 0x4461, 0xb38);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4008), 0x7e1);

    /* ivhpt on an ifetch at 0x4000000000000000 (region 2, page 0): vpn = 4 << 46, (vpn << 3)
     * mod 2^50 = 0 -> iha = region 2 | 0x1ffc000000000000 = 0x5ffc000000000000. Frames: data
     * 0x8000 (pte 0x87e1), page table 0xc000 (pte 0xc461); itir = rr2 0xa39 & ~3 = 0xa38.
     * Entry at guest 0xc000, machine 0x100000c000. */
    fault(os, 0, VMM_FAULT_IVHPT, GE_IFETCH, R2, &out);
    CHECK_EQ(out.n, 2);
    CHECK_EV(out, 0, GE_ITC_I, R2, 0x87e1, 0xa38);
    CHECK_EV(out, 1, GE_ITC_D, UINT64_C(0x5ffc000000000000), 0xc461, 0xa38);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0xc000), 0x87e1);

    /* itlb / inst_page_not_present on the same code page: itc.i, no allocation */
    fault(os, 0, VMM_FAULT_ITLB, GE_IFETCH, R2 + 0x10, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_ITC_I, R2 + 0x10, 0x87e1, 0xa38);
    fault(os, 0, VMM_FAULT_INST_PAGE_NOT_PRESENT, GE_IFETCH, R2 + 0x20, &out);
    CHECK_EV(out, 0, GE_ITC_I, R2 + 0x20, 0x87e1, 0xa38);
    /* nested_dtlb (psr.ic was 0) is served as a dtlb miss: itc.d */
    fault(os, 0, VMM_FAULT_NESTED_DTLB, GE_RSE_STORE, R3 + 0x4000, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4000, 0x7e1, 0xb38);
    /* page_not_present (reflected): the side follows the reference */
    fault(os, 0, VMM_FAULT_PAGE_NOT_PRESENT, GE_IFETCH, R2, &out);
    CHECK_EV(out, 0, GE_ITC_I, R2, 0x87e1, 0xa38);
    fault(os, 0, VMM_FAULT_PAGE_NOT_PRESENT, GE_STORE, R3 + 0x4000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4000, 0x7e1, 0xb38);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 2);
    CHECK_EQ(guest_os_get_stats(os).pt_pages_allocated, 2);

    /* alt_dtlb / alt_itlb in the identity region 7: pa = region offset aligned to 16 MiB:
     * 0xe000000004001234 -> 0x4000000 | 0x661 = 0x4000661; itir = rr7 0x760 */
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R7 + 0x4001234, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EQ(out.retry, 1);
    CHECK_EV(out, 0, GE_ITC_D, R7 + 0x4001234, 0x4000661, 0x760);
    fault(os, 0, VMM_FAULT_ALT_ITLB, GE_IFETCH, R7 + 0x5000000, &out);
    CHECK_EV(out, 0, GE_ITC_I, R7 + 0x5000000, 0x5000661, 0x760);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 2); /* the identity map allocates nothing */

    /* a kernel region (5, vmalloc): the kernel's page table, pl 0. 0xa000000000010000: data
     * frame 0x10000 (pte 0x10661), itir = rr5 0x539 & ~3 = 0x538. vpn = (0xa << 46) + 4,
     * (vpn << 3) mod 2^50 = 0x20 -> iha 0xbffc000000000020; page table frame 0x14000: entry
     * at machine 0x1000014020 */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R5 + 0x10000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R5 + 0x10000, 0x10661, 0x538);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x14020), 0x10661);

    /* data_access_rights: counted, no itc, no retry */
    fault(os, 0, VMM_FAULT_DATA_ACCESS_RIGHTS, GE_LOAD, R3 + 0x4000, &out);
    CHECK_EQ(out.n, 0);
    CHECK_EQ(out.retry, 0);
    /* an unused region (6) and the page-table area itself: nothing, no retry */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, UINT64_C(0xc000000000000000), &out);
    CHECK_EQ(out.n, 0);
    CHECK_EQ(out.retry, 0);
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, UINT64_C(0x7ffc000000000008), &out);
    CHECK_EQ(out.n, 0);
    CHECK_EQ(out.retry, 0);

    const struct guest_os_stats st = guest_os_get_stats(os), *s = &st;
    CHECK_EQ(s->faults_handled[VMM_FAULT_DVHPT], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_IVHPT], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_ITLB], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_INST_PAGE_NOT_PRESENT], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_NESTED_DTLB], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_PAGE_NOT_PRESENT], 2);
    CHECK_EQ(s->faults_handled[VMM_FAULT_ALT_DTLB], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_ALT_ITLB], 1);
    CHECK_EQ(s->faults_handled[VMM_FAULT_DTLB], 3);
    CHECK_EQ(s->faults_handled[VMM_FAULT_DATA_ACCESS_RIGHTS], 1);
    CHECK_EQ(s->faults_unhandled, 2);
    done(os, &mem);

    /* walker off: alt_dtlb outside the identity region walks the page table (no VHPT):
     * region 1, frame 0, itir = rr1 (ve 0) 0x938 */
    guest_os_params_default(&p);
    p.vhpt_enabled = 0;
    os = make(&mem, &p);
    boot(os, 0);
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R1 + 0x10000, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_ITC_D, R1 + 0x10000, 0x7e1, 0x938);
    fault(os, 0, VMM_FAULT_ALT_ITLB, GE_IFETCH, R2, &out);
    CHECK_EV(out, 0, GE_ITC_I, R2, 0x47e1, 0xa38);
    CHECK_EQ(guest_os_get_stats(os).pt_pages_allocated, 0);
    CHECK_EQ(mem.lines.n, 0);
    done(os, &mem);
}

static void test_rid_wrap(void)
{
    /* rid_bits 5: contexts 0..3, 0 the kernel's: three user contexts, the fourth allocation
     * wraps. Two vCPUs. */
    struct guest_os_params p;
    guest_os_params_default(&p);
    p.rid_bits = 5;
    p.nr_vcpus = 2;
    struct phys_mem mem;
    struct guest_os *os = make(&mem, &p);
    struct guest_os_out out;
    boot(os, 0); /* process 0: context 1 */
    boot(os, 1); /* the same process on vCPU 1 */
    ctx_switch(os, 0, 10, &out); /* context 2: rr0 = 16 << 8 | 0x39 */
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x1039, 0);
    event(os, 0, GE_MARK, 0, GE_MARK_EXIT, 0, &out); /* context 2 -> flushmap */
    CHECK_EQ(out.n, 0);
    ctx_switch(os, 0, 11, &out); /* context 3: rr0 = 24 << 8 | 0x39 = 0x1839 */
    CHECK_EQ(out.n, 5);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x1839, 0);
    event(os, 0, GE_MARK, 0, GE_MARK_EXIT, 0, &out); /* context 3 -> flushmap */
    CHECK_EQ(guest_os_get_stats(os).rid_wraps, 0);
    /* process 12: no context left below 4 -> wrap: the flushmap (2, 3) is freed, the search
     * restarts at 1 (1 is process 0's, still running on vCPU 1): context 2. This vCPU flushes
     * (ptc.e) before loading rid 16; vCPU 1 owes a flush. */
    ctx_switch(os, 0, 12, &out);
    CHECK_EQ(out.n, 6);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EV(out, 1, GE_MOV_RR, 0, 0x1039, 0);
    CHECK_EQ(guest_os_get_stats(os).rid_wraps, 1);

    /* vCPU 1 pays at its next switch_mm (Linux's delayed_tlb_flush), not on a fault or on a
     * "switch" to the process it already runs */
    fault(os, 1, VMM_FAULT_DTLB, GE_LOAD, R3, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EQ(out.ev[0].kind, GE_ITC_D);
    CHECK_EQ(out.ev[0].cpu, 1);
    ctx_switch(os, 1, 0, &out);
    CHECK_EQ(out.n, 0);
    ctx_switch(os, 1, 13, &out); /* context 3 (next), after the delayed ptc.e */
    CHECK_EQ(out.n, 6);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EQ(out.ev[0].cpu, 1);
    CHECK_EV(out, 1, GE_MOV_RR, 0, 0x1839, 0);
    CHECK_EQ(guest_os_get_stats(os).delayed_flushes, 1);
    CHECK_EQ(guest_os_get_cpu_stats(os, 1).delayed_flushes, 1); /* paid by vCPU 1 */
    ctx_switch(os, 1, 0, &out); /* paid: back to process 0 (context 1) with no flush */
    CHECK_EQ(out.n, 5);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x839, 0);
    done(os, &mem);

    /* all contexts held by live processes: the wrap takes those of processes not running.
     * One vCPU, rid_bits 5: process 0 (1), 20 (2), 21 (3); 22 wraps: nothing in the flushmap,
     * so 0 (switched out, not running) loses context 1 and 20 loses 2, 21 loses 3: 22 gets 1
     * (rr0 = 8 << 8 | 0x39 = 0x839); back to 20: context 2 (0x1039), no further wrap. */
    guest_os_params_default(&p);
    p.rid_bits = 5;
    os = make(&mem, &p);
    boot(os, 0);
    ctx_switch(os, 0, 20, &out);
    ctx_switch(os, 0, 21, &out);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x1839, 0);
    ctx_switch(os, 0, 22, &out);
    CHECK_EQ(out.n, 6);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EV(out, 1, GE_MOV_RR, 0, 0x839, 0);
    ctx_switch(os, 0, 20, &out);
    CHECK_EQ(out.n, 5);
    CHECK_EV(out, 0, GE_MOV_RR, 0, 0x1039, 0);
    CHECK_EQ(guest_os_get_stats(os).rid_wraps, 1);
    done(os, &mem);
}

/* Boots and touches pages R3 + k * 0x4000, k = 0..n-1, with dtlb faults. Frames (VHPT on):
 * k = 0 -> 0, page table 0x4000, then k -> (k + 1) * 0x4000. */
static struct guest_os *touched(struct phys_mem *mem, const struct guest_os_params *p, unsigned n)
{
    struct guest_os *os = make(mem, p);
    struct guest_os_out out;
    for (unsigned c = 0; c < p->nr_vcpus; c++)
        boot(os, c);
    for (uint64_t k = 0; k < n; k++)
        fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + k * 0x4000, &out);
    return os;
}

static void test_munmap(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    struct phys_mem mem;
    struct guest_os_out out;

    /* ptc.l: unmap pages 1 and 2 ([0x6000000000004000, +0x8000)): one ptc.l per page (ps 14),
     * then one for the VHPT page that maps them (0x7ffc000000000000, tlb_finish_mmu's second
     * flush_tlb_range). Their entries (machine 0x1000004008, 0x1000004010) are cleared. */
    struct guest_os *os = touched(&mem, &p, 3);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4008), 0x87e1);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4010), 0xc7e1);
    munmap_(os, 0, R3 + 0x4000, 0x8000, &out);
    CHECK_EQ(out.n, 3);
    CHECK_EV(out, 0, GE_PTC_L, R3 + 0x4000, 14, 0);
    CHECK_EV(out, 1, GE_PTC_L, R3 + 0x8000, 14, 0);
    CHECK_EV(out, 2, GE_PTC_L, UINT64_C(0x7ffc000000000000), 14, 0);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4008), 0);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4010), 0);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4000), 0x7e1); /* page 0 stays */
    CHECK_EQ(guest_os_get_stats(os).munmaps, 1);
    CHECK_EQ(guest_os_get_stats(os).pages_unmapped, 2);
    CHECK_EQ(guest_os_get_stats(os).munmap_page_purges, 1); /* ptc.l took effect */
    CHECK_EQ(guest_os_get_stats(os).munmap_purge_fallbacks, 0);
    /* the freed frames are reused last-in first-out: page 2's 0xc000 first; a re-touch of an
     * unmapped page is a new first touch */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + 0x10000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x10000, 0xc7e1, 0xb38);
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + 0x4000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4000, 0x87e1, 0xb38);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 5);
    /* a range with nothing mapped: no purge */
    munmap_(os, 0, R3 + 0x100000, 0x10000, &out);
    CHECK_EQ(out.n, 0);
    done(os, &mem);

    /* ptc.ga (SMP guest), two vCPUs: the same purges as ptc.ga */
    guest_os_params_default(&p);
    p.purge = GUEST_PURGE_PTC_GA;
    p.nr_vcpus = 2;
    os = touched(&mem, &p, 3);
    munmap_(os, 0, R3 + 0x4000, 0x8000, &out);
    CHECK_EQ(out.n, 3);
    CHECK_EV(out, 0, GE_PTC_GA, R3 + 0x4000, 14, 0);
    CHECK_EV(out, 1, GE_PTC_GA, R3 + 0x8000, 14, 0);
    CHECK_EV(out, 2, GE_PTC_GA, UINT64_C(0x7ffc000000000000), 14, 0);
    /* counted for the vCPU whose call did it: all on vCPU 0, none on vCPU 1 */
    CHECK_EQ(guest_os_get_cpu_stats(os, 0).munmap_page_purges, 1);
    CHECK_EQ(guest_os_get_cpu_stats(os, 1).munmaps, 0);
    /* vCPU 1 (booted into process 0 too: threads share it) unmaps page 0: 1 page + its VHPT page */
    boot(os, 1);
    munmap_(os, 1, R3, 0x4000, &out);
    CHECK_EQ(out.n, 2);
    CHECK_EQ(out.ev[0].cpu, 1);
    CHECK_EQ(guest_os_get_cpu_stats(os, 1).munmaps, 1);
    CHECK_EQ(guest_os_get_cpu_stats(os, 1).pages_unmapped, 1);
    CHECK_EQ(guest_os_get_cpu_stats(os, 0).pages_unmapped, 2);
    CHECK_EQ(guest_os_get_stats(os).pages_unmapped, 3);
    done(os, &mem);

    /* ptc.e (flush_tlb_all): one local ptc.e; vCPU 1 flushes at its next call (the IPI) */
    p.purge = GUEST_PURGE_PTC_E;
    os = touched(&mem, &p, 3);
    munmap_(os, 0, R3 + 0x4000, 0x8000, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EQ(guest_os_get_stats(os).munmap_flushes, 1);
    CHECK_EQ(guest_os_get_stats(os).munmap_purge_fallbacks, 0); /* ptc.e was the choice */
    fault(os, 1, VMM_FAULT_DTLB, GE_LOAD, R3, &out);
    CHECK_EQ(out.n, 2);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EQ(out.ev[0].cpu, 1);
    CHECK_EQ(out.ev[1].kind, GE_ITC_D);
    CHECK_EQ(guest_os_get_stats(os).delayed_flushes, 1);
    CHECK_EQ(guest_os_get_cpu_stats(os, 1).delayed_flushes, 1); /* paid by vCPU 1 */
    fault(os, 1, VMM_FAULT_DTLB, GE_LOAD, R3, &out); /* paid */
    CHECK_EQ(out.n, 1);
    done(os, &mem);

    /* more than GUEST_OS_MUNMAP_PURGES_MAX purges: 40 pages + 1 VHPT page = 41 > 32 -> one
     * ptc.e even with the ptc.l style */
    guest_os_params_default(&p);
    os = touched(&mem, &p, 40);
    munmap_(os, 0, R3, 40 * 0x4000, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EQ(guest_os_get_stats(os).pages_unmapped, 40);
    CHECK_EQ(guest_os_get_stats(os).munmap_flushes, 1);
    CHECK_EQ(guest_os_get_stats(os).munmap_purge_fallbacks, 1); /* ptc.l asked, ptc.e done */
    CHECK_EQ(guest_os_get_stats(os).munmap_page_purges, 0);
    /* 31 pages + 1 VHPT page = 32: page by page */
    guest_os_params_default(&p);
    done(os, &mem);
    os = touched(&mem, &p, 31);
    munmap_(os, 0, R3, 31 * 0x4000, &out);
    CHECK_EQ(out.n, 32);
    CHECK_EV(out, 30, GE_PTC_L, R3 + 30 * 0x4000, 14, 0);
    CHECK_EV(out, 31, GE_PTC_L, UINT64_C(0x7ffc000000000000), 14, 0);
    /* a range crossing into region 4: flush_tlb_all */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3, &out);
    munmap_(os, 0, R3, UINT64_C(0x4000000000000000), &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_PTC_E, 0, 0, 0);
    CHECK_EQ(guest_os_get_stats(os).munmap_page_purges, 1);     /* the 31 pages */
    CHECK_EQ(guest_os_get_stats(os).munmap_purge_fallbacks, 1); /* the crossing range */
    done(os, &mem);

    /* walker off: no VHPT page purge, nothing written */
    guest_os_params_default(&p);
    p.vhpt_enabled = 0;
    os = make(&mem, &p);
    boot(os, 0);
    fault(os, 0, VMM_FAULT_ALT_DTLB, GE_LOAD, R3 + 0x4000, &out);
    munmap_(os, 0, R3 + 0x4000, 1, &out);
    CHECK_EQ(out.n, 1);
    CHECK_EV(out, 0, GE_PTC_L, R3 + 0x4000, 14, 0);
    CHECK_EQ(mem.lines.n, 0);
    done(os, &mem);
}

static void test_exit(void)
{
    struct guest_os_params p;
    guest_os_params_default(&p);
    struct phys_mem mem;
    struct guest_os_out out;
    /* process 0 touches 2 pages: frames 0 (page table 0x4000), 0x8000. Process 5 (context 2,
     * itir 0x1338) touches R3 + 0x4000: data 0xc000, its own page table 0x10000 (entry at
     * 0x10008) */
    struct guest_os *os = touched(&mem, &p, 2);
    ctx_switch(os, 0, 5, &out);
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3 + 0x4000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x4000, 0xc7e1, 0x1338);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x10008), 0xc7e1);
    event(os, 0, GE_MARK, 0, GE_MARK_EXIT, 0, &out);
    CHECK_EQ(out.n, 0); /* flush_tlb_mm of a dying mm purges nothing */
    CHECK_EQ(guest_os_get_stats(os).exits, 1);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x10008), 0); /* its VHPT entries cleared */
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x4008), 0x87e1); /* process 0's untouched */
    /* no current process: a user-region fault goes unhandled */
    fault(os, 0, VMM_FAULT_DTLB, GE_LOAD, R3, &out);
    CHECK_EQ(out.n, 0);
    CHECK_EQ(out.retry, 0);
    /* a new process 6: context 3 (2 waits in the flushmap for a wrap): rr3 = 27 << 8 | 0x39 =
     * 0x1b39; it reuses the freed frames: data 0xc000, page table 0x10000 */
    ctx_switch(os, 0, 6, &out);
    CHECK_EV(out, 3, GE_MOV_RR, R3, 0x1b39, 0);
    fault(os, 0, VMM_FAULT_DVHPT, GE_LOAD, R3 + 0x8000, &out);
    CHECK_EV(out, 0, GE_ITC_D, R3 + 0x8000, 0xc7e1, 0x1b38);
    CHECK_EV(out, 1, GE_ITC_D, UINT64_C(0x7ffc000000000010), 0x10461, 0x1b38);
    CHECK_EQ(phys_mem_read8(&mem, MOFF + 0x10010), 0xc7e1);
    CHECK_EQ(guest_os_get_stats(os).frames_allocated, 4);
    CHECK_EQ(guest_os_get_stats(os).pt_pages_allocated, 3);
    /* process 5 again is a new address space with a new context: 4 (18 rid bits: 32768
     * contexts, no wrap yet), rr3 = (4 << 3 | 3 = 35) << 8 | 0x39 = 0x2339 */
    ctx_switch(os, 0, 5, &out);
    CHECK_EV(out, 3, GE_MOV_RR, R3, 0x2339, 0);
    done(os, &mem);
}

int main(void)
{
    test_params();
    test_boot();
    test_ctx_switch();
    test_demand_allocation();
    test_frames_skip_io();
    test_fault_kinds();
    test_rid_wrap();
    test_munmap();
    test_exit();
    return check_report("test_guest_os");
}

/*
 * test_guest_platform.c - the guest OS model driving the functional platform end to end.
 *
 * A reference-only stream (no TLB operations) over a known set of pages runs through
 * platform_event; the test itself plays the part of the kernel's trap glue: when a reference
 * ends in REF_FAULT it calls guest_os_on_fault, runs the returned instructions with
 * platform_event, and re-executes the reference if the handler asked for it. The expectations
 * come from the test's own bookkeeping of the address list, never from the model:
 *   - every reference completes, within a few re-executions;
 *   - a reference to a (process, page) pair that was never touched (or was unmapped since)
 *     faults on its first attempt, and the number of those first touches equals the number of
 *     frames the model allocated;
 *   - with the guest VHPT on, the model allocated one page-table page per distinct VHPT page
 *     the test computes ((process, region, vpn >> 11): 2^14 / 8 = 2048 entries per page), and
 *     the VMM's guest VHPT walk served some misses; with it off, it served none.
 * Run for vhpt_enabled = 0 and 1.
 */
#include <string.h>

#include "../../model/guest/guest_os.h"
#include "../../model/platform/platform.h"
#include "check.h"

#define R1 UINT64_C(0x2000000000000000)
#define R2 UINT64_C(0x4000000000000000)
#define R3 UINT64_C(0x6000000000000000)
#define R5 UINT64_C(0xa000000000000000)
#define R7 UINT64_C(0xe000000000000000)
#define KERNEL_PID UINT64_MAX /* the test's name for the kernel's address space */

#define NREFS 4000
#define MAX_TRIES 4 /* a first touch needs one handler run and one re-execution */

enum page_class { DATA, CODE, KDATA, IDENT };

struct page {
    uint64_t va; /* page address (16 KiB pages; identity pages: an address in the granule) */
    enum page_class cls;
};

#define MAXPAGES 256
static struct page pages[MAXPAGES];
static unsigned npages;

static void add_page(uint64_t va, enum page_class cls)
{
    pages[npages++] = (struct page){va, cls};
}

static void build_pages(void)
{
    npages = 0;
    for (uint64_t k = 0; k < 60; k++) /* dense heap: one VHPT page */
        add_page(R3 + k * 0x4000, DATA);
    for (uint64_t k = 0; k < 60; k++) /* scattered over 2^20 pages: many VHPT pages */
        add_page(R3 + ((k * 104729 + 7) % 1048576) * 0x4000 + 0x100000000, DATA);
    for (uint64_t k = 0; k < 20; k++) /* mmap region */
        add_page(R1 + k * 0x40000, DATA);
    for (uint64_t k = 0; k < 30; k++) /* text */
        add_page(R2 + k * 3 * 0x4000, CODE);
    for (uint64_t k = 0; k < 10; k++) /* vmalloc: the kernel's page table */
        add_page(R5 + k * 0x4000, KDATA);
    for (uint64_t k = 0; k < 5; k++) /* identity: guest 64 MiB + k * 16 MiB, away from I/O */
        add_page(R7 + 0x4000000 + k * 0x1000000, IDENT);
}

/* The test's page table: the (pid, page) pairs currently mapped, and the VHPT pages seen. */
struct pair {
    uint64_t pid, page;
};
static struct pair mapped[4 * MAXPAGES];
static unsigned nmapped;
static struct pair vhpt_pages[4 * MAXPAGES];
static unsigned nvhpt_pages;

static int find_pair(const struct pair *set, unsigned n, uint64_t pid, uint64_t page)
{
    for (unsigned i = 0; i < n; i++)
        if (set[i].pid == pid && set[i].page == page)
            return (int)i;
    return -1;
}

static void run_out(struct platform *plat, unsigned cpu, const struct guest_os_out *out)
{
    for (unsigned i = 0; i < out->n; i++) {
        struct guest_event op = out->ev[i];
        op.cpu = (uint16_t)cpu;
        struct ref_result r;
        platform_event(plat, &op, &r);
    }
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state = rng_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return rng_state >> 33;
}

static void run(unsigned vhpt_enabled)
{
    struct platform_params pp;
    platform_params_default(&pp);
    struct platform plat;
    char err[128];
    CHECK_EQ(platform_init(&plat, &pp, err, sizeof err), 0);

    struct guest_os_params gp;
    guest_os_params_default(&gp);
    gp.vhpt_enabled = vhpt_enabled;
    struct guest_os *os = guest_os_create(&gp, &plat.mem, &plat.vm.p2m);
    CHECK(os != NULL);
    if (!os) {
        platform_free(&plat);
        return;
    }
    struct guest_os_out out;
    guest_os_boot(os, 0, &out);
    run_out(&plat, 0, &out);

    build_pages();
    nmapped = nvhpt_pages = 0;
    rng_state = 2024 + vhpt_enabled;
    uint64_t pid = 0;
    unsigned completed = 0, first_touches = 0, first_touch_faults = 0, ident_refs = 0;
    unsigned max_attempts = 0, handler_runs = 0;

    for (unsigned n = 0; n < NREFS; n++) {
        if (n > 0 && n % 500 == 0) { /* two processes take turns */
            pid = (n / 500) % 2;
            struct guest_event sw = {.kind = GE_CTX_SWITCH, .op0 = pid};
            struct ref_result r;
            platform_event(&plat, &sw, &r);
            guest_os_on_event(os, &sw, &out);
            run_out(&plat, 0, &out);
        }
        if (n == 2500) { /* munmap the first 30 dense heap pages of the current process */
            struct guest_event mu = {.kind = GE_MARK, .va = R3, .op0 = GE_MARK_MUNMAP, .op1 = 30 * 0x4000};
            struct ref_result r;
            platform_event(&plat, &mu, &r);
            guest_os_on_event(os, &mu, &out);
            run_out(&plat, 0, &out);
            for (unsigned i = 0; i < nmapped;) {
                if (mapped[i].pid == pid && mapped[i].page >= R3 && mapped[i].page < R3 + 30 * 0x4000)
                    mapped[i] = mapped[--nmapped];
                else
                    i++;
            }
        }

        const struct page *pg = &pages[rnd() % npages];
        struct guest_event ref = {.va = pg->va + (rnd() % 2048) * 8, .size = 8};
        switch (pg->cls) {
        case CODE:
            ref.kind = GE_IFETCH;
            ref.va &= ~UINT64_C(15);
            ref.size = 16;
            break;
        case IDENT:
            ref.kind = GE_LOAD;
            break;
        default: {
            const uint64_t k = rnd() % 4;
            ref.kind = k == 0 ? GE_STORE : k == 1 ? GE_RSE_STORE : GE_LOAD;
            if (ref.kind == GE_STORE) {
                ref.flags = GE_F_HAS_VALUE;
                ref.op0 = n;
            }
            break;
        }
        }
        const uint64_t owner = pg->cls == KDATA ? KERNEL_PID : pid;
        const int fresh = pg->cls != IDENT && find_pair(mapped, nmapped, owner, pg->va) < 0;

        int done = 0;
        for (unsigned attempt = 1; attempt <= MAX_TRIES && !done; attempt++) {
            struct ref_result r;
            platform_event(&plat, &ref, &r);
            if (r.end == REF_FAULT) {
                if (attempt == 1 && fresh)
                    first_touch_faults++;
                guest_os_on_fault(os, 0, r.fault, &ref, &out);
                handler_runs++;
                run_out(&plat, 0, &out);
                if (!out.retry)
                    break;
                continue;
            }
            done = r.end != REF_UNRESOLVED && r.end != REF_DROPPED;
            if (attempt > max_attempts)
                max_attempts = attempt;
        }
        CHECK(done);
        completed += done;
        if (pg->cls == IDENT) {
            ident_refs++;
            continue;
        }
        if (fresh) {
            first_touches++;
            mapped[nmapped++] = (struct pair){owner, pg->va};
        }
        if (vhpt_enabled) {
            /* the VHPT page of this page: entry index = vpn mod 2^47, 2048 entries a page */
            const uint64_t vpage = ((pg->va & ((UINT64_C(1) << 61) - 1)) >> 14 >> 11) | (pg->va >> 61 << 56);
            if (find_pair(vhpt_pages, nvhpt_pages, owner, vpage) < 0)
                vhpt_pages[nvhpt_pages++] = (struct pair){owner, vpage};
        }
    }

    const struct guest_os_stats st = guest_os_get_stats(os), *s = &st;
    const struct vmm_stats *vs = &plat.cpu[0].vmm.stats;
    CHECK_EQ(completed, NREFS);
    CHECK(first_touches > 150); /* the stream reaches most pages of both processes */
    CHECK_EQ(first_touch_faults, first_touches);
    CHECK_EQ(s->frames_allocated, first_touches);
    CHECK(max_attempts <= 3);
    CHECK(ident_refs > 0);
    CHECK_EQ(s->faults_unhandled, 0);
    CHECK_EQ(s->alloc_failures, 0);
    CHECK_EQ(s->ctx_switches, 7); /* at 500, 1000, ..., 3500 */
    CHECK_EQ(s->munmaps, 1);
    CHECK(s->pages_unmapped > 0);
    if (vhpt_enabled) {
        CHECK_EQ(s->pt_pages_allocated, nvhpt_pages);
        CHECK(vs->miss_outcome[VMM_MISS_GUEST_VHPT_INSERT] > 0);
        CHECK(s->faults_handled[VMM_FAULT_DVHPT] > 0);
        CHECK(s->faults_handled[VMM_FAULT_DTLB] > 0);
        CHECK(s->faults_handled[VMM_FAULT_IVHPT] + s->faults_handled[VMM_FAULT_ITLB] > 0);
    } else {
        CHECK_EQ(s->pt_pages_allocated, 0);
        CHECK_EQ(vs->miss_outcome[VMM_MISS_GUEST_VHPT_INSERT], 0);
        CHECK_EQ(s->faults_handled[VMM_FAULT_DVHPT] + s->faults_handled[VMM_FAULT_DTLB], 0);
        CHECK(s->faults_handled[VMM_FAULT_ALT_DTLB] > 0);
        CHECK(s->faults_handled[VMM_FAULT_ALT_ITLB] > 0);
    }
    CHECK(handler_runs >= first_touches);
    printf("vhpt_enabled=%u: %u refs, %u first touches, %u handler runs, %" PRIu64 " VHPT pages\n", vhpt_enabled,
           completed, first_touches, handler_runs, s->pt_pages_allocated);

    guest_os_destroy(os);
    platform_free(&plat);
}

int main(void)
{
    run(0);
    run(1);
    return check_report("test_guest_platform");
}

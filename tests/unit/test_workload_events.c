/*
 * test_workload_events.c - the generators with events of their own (multiproc CTX_SWITCH and
 * MARK_EXIT, mmap_storm MARK_MUNMAP), the hugepage region, and the vCPU modes. Expected
 * sequences are derived by hand from docs/workloads.md.
 */
#include <stdlib.h>
#include <string.h>

#include "../../model/guest/guest_os.h"
#include "../../workloads/rng.h"
#include "../../workloads/workload.h"
#include "check.h"

#define BASE UINT64_C(0x6000000000000000)

_Static_assert(WL_MARK_MUNMAP == GE_MARK_MUNMAP, "munmap mark code agrees with the guest OS model");
_Static_assert(WL_MARK_EXIT == GE_MARK_EXIT, "exit mark code agrees with the guest OS model");

static struct guest_event *run(const struct workload_params *p, size_t *n)
{
    char err[256] = "";
    struct workload *w = workload_create(p, err, sizeof err);
    CHECK(w != NULL);
    if (!w) {
        fprintf(stderr, "workload_create: %s\n", err);
        *n = 0;
        return NULL;
    }
    size_t cap = 1024, k = 0;
    struct guest_event *ev = malloc(cap * sizeof *ev);
    for (;;) {
        if (k == cap)
            ev = realloc(ev, (cap *= 2) * sizeof *ev);
        if (workload_next(w, &ev[k]) != 1)
            break;
        k++;
    }
    /* the end is sticky */
    struct guest_event extra;
    CHECK_EQ(workload_next(w, &extra), 0);
    workload_destroy(w);
    *n = k;
    return ev;
}

static int is_ref(const struct guest_event *e) { return guest_event_is_reference((enum guest_event_kind)e->kind); }

static int is_ctx(const struct guest_event *e, uint64_t pid, unsigned cpu)
{
    return e->kind == GE_CTX_SWITCH && e->op0 == pid && e->va == 0 && e->op1 == 0 && e->cpu == cpu &&
           e->size == 0;
}

static int is_exit(const struct guest_event *e, unsigned cpu)
{
    return e->kind == GE_MARK && e->op0 == WL_MARK_EXIT && e->va == 0 && e->op1 == 0 && e->cpu == cpu;
}

static void test_multiproc(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_MULTIPROC);
    CHECK_EQ(p.inner, WL_UNIFORM);
    p.inner = WL_SEQSCAN;
    p.nr_procs = 3;
    p.switch_interval = 5;
    p.length = 40;
    p.exit_at_end = 1;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    /* 40 refs in 8 slices of 5: ctx 1, 2, 3, 1, 2, 3, 1, 2, each followed by 5 references.
     * Process p's seqscan goes on where it left off: slice s of process p is its
     * (s / 3)-th, so its references are base + 8 * (5 * (s / 3) + j). After the last slice
     * process 2 is current: exit; ctx 3, exit; ctx 1, exit. 8 + 40 + 5 = 53 events. */
    CHECK_EQ(n, 53);
    if (n == 53) {
        size_t i = 0;
        int ok = 1;
        for (unsigned s = 0; s < 8; s++) {
            ok &= is_ctx(&ev[i++], s % 3 + 1, 0);
            for (unsigned j = 0; j < 5; j++, i++)
                ok &= is_ref(&ev[i]) && ev[i].kind == GE_LOAD && ev[i].va == BASE + 8 * (5 * (s / 3) + j);
        }
        CHECK(ok);
        CHECK(is_exit(&ev[48], 0));
        CHECK(is_ctx(&ev[49], 3, 0));
        CHECK(is_exit(&ev[50], 0));
        CHECK(is_ctx(&ev[51], 1, 0));
        CHECK(is_exit(&ev[52], 0));
    }
    free(ev);

    /* a CTX_SWITCH exactly every K references, round-robin, over a longer random run */
    workload_params_default(&p, WL_MULTIPROC);
    p.nr_procs = 4;
    p.switch_interval = 1000;
    p.length = 50500;
    ev = run(&p, &n);
    unsigned refs_since = 0, switches = 0;
    uint64_t expect_pid = 1;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == GE_CTX_SWITCH) {
            ok &= (i == 0 || refs_since == 1000) && ev[i].op0 == expect_pid;
            expect_pid = expect_pid % 4 + 1;
            refs_since = 0;
            switches++;
        } else {
            ok &= is_ref(&ev[i]) && i > 0;
            refs_since++;
        }
    }
    CHECK(ok);
    CHECK_EQ(switches, 51); /* ceil(50500 / 1000) */
    CHECK_EQ(n, 50500 + 51);
    free(ev);

    /* only processes that ran exit: N = 4, K = 10, 15 refs -> ctx 1, 10 refs, ctx 2, 5 refs,
     * exit (2), ctx 1, exit (1); 3 and 4 never ran */
    workload_params_default(&p, WL_MULTIPROC);
    p.nr_procs = 4;
    p.switch_interval = 10;
    p.length = 15;
    p.exit_at_end = 1;
    ev = run(&p, &n);
    CHECK_EQ(n, 2 + 15 + 3);
    if (n == 20) {
        CHECK(is_ctx(&ev[0], 1, 0));
        CHECK(is_ctx(&ev[11], 2, 0));
        CHECK(is_exit(&ev[17], 0));
        CHECK(is_ctx(&ev[18], 1, 0));
        CHECK(is_exit(&ev[19], 0));
    }
    free(ev);

    /* processes draw from their own generators: process 1's first reference is pattern 0's
     * first slot, process 2's is pattern 1's (splitmix outputs 9..12 of the seed) */
    workload_params_default(&p, WL_MULTIPROC);
    p.nr_procs = 2;
    p.switch_interval = 1;
    p.length = 2;
    p.seed = 77;
    ev = run(&p, &n);
    CHECK_EQ(n, 4);
    uint64_t sm = 77;
    struct wl_rng mix, p0, p1;
    wl_rng_seed_from(&mix, &sm);
    wl_rng_seed_from(&p0, &sm);
    wl_rng_seed_from(&p1, &sm);
    /* 4 MiB / 8 = 2^19 slots: no rejection */
    if (n == 4) {
        CHECK_EQ(ev[1].va, BASE + (wl_rng_next(&p0) % (1u << 19)) * 8);
        CHECK_EQ(ev[3].va, BASE + (wl_rng_next(&p1) % (1u << 19)) * 8);
    }
    free(ev);
}

static void test_mmap_storm(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_MMAP_STORM);
    const uint64_t chunk = 65536;
    p.mmap_chunk = chunk;
    p.mmap_live = 3;
    p.footprint = 4 * chunk; /* positions 0..3 */
    p.munmap_interval = 10;
    p.length = 200;
    p.seed = 9;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    /* munmaps come before data references 10, 20, ..., 190: 19 of them */
    CHECK_EQ(n, 200 + 19);
    if (n < 30) {
        free(ev);
        return;
    }
    /* the first three references touch the initial mappings 0, 1, 2 at their start; the first
     * munmap (after 10 references) unmaps mapping 0 (position 0) and the next reference touches
     * mapping 3 (position 3); the second unmaps mapping 1 and maps 4 = position 0 again */
    CHECK_EQ(ev[0].va, BASE);
    CHECK_EQ(ev[1].va, BASE + chunk);
    CHECK_EQ(ev[2].va, BASE + 2 * chunk);
    CHECK(ev[10].kind == GE_MARK && ev[10].op0 == WL_MARK_MUNMAP && ev[10].va == BASE && ev[10].op1 == chunk);
    CHECK_EQ(ev[11].va, BASE + 3 * chunk);
    CHECK(ev[21].kind == GE_MARK && ev[21].va == BASE + chunk);
    CHECK_EQ(ev[22].va, BASE);

    /* the invariants over the whole run, checked with a model of the mapped positions:
     * live[] in mapping order; a MUNMAP unmaps the oldest, which was touched since it was
     * mapped; the reference after a MUNMAP maps (and touches the start of) an unmapped position;
     * every other reference hits a mapped position. */
    int live[8], nlive = 0, touched[4] = {0}, ok = 1, pending_map = 0;
    unsigned munmaps = 0;
    for (int j = 0; j < 3; j++)
        live[nlive++] = j;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == GE_MARK) {
            const uint64_t off = ev[i].va - BASE;
            ok &= ev[i].op0 == WL_MARK_MUNMAP && ev[i].op1 == chunk && off % chunk == 0;
            const int pos = (int)(off / chunk);
            ok &= nlive == 3 && live[0] == pos && touched[pos];
            memmove(live, live + 1, (size_t)--nlive * sizeof live[0]);
            touched[pos] = 0;
            pending_map = 1;
            munmaps++;
            continue;
        }
        const uint64_t off = ev[i].va - BASE;
        ok &= ev[i].va >= BASE && off < 4 * chunk;
        const int pos = (int)(off / chunk);
        if (pending_map) {
            int mapped = 0;
            for (int k = 0; k < nlive; k++)
                mapped |= live[k] == pos;
            ok &= !mapped && off % chunk == 0;
            live[nlive++] = pos;
            pending_map = 0;
        } else {
            int mapped = 0;
            for (int k = 0; k < nlive; k++)
                mapped |= live[k] == pos;
            ok &= mapped;
        }
        touched[pos] = 1;
    }
    CHECK(ok);
    CHECK_EQ(munmaps, 19);
    free(ev);

    /* with one position per live mapping, munmap hands the same range back */
    p.footprint = 3 * chunk;
    p.length = 30;
    ev = run(&p, &n);
    CHECK_EQ(n, 32);
    if (n == 32) {
        CHECK(ev[10].kind == GE_MARK && ev[10].va == BASE);
        CHECK_EQ(ev[11].va, BASE);
    }
    free(ev);

    /* IFETCHes do not count towards munmap_interval */
    workload_params_default(&p, WL_MMAP_STORM);
    p.ifetch_fraction = 0.5;
    p.length = 20000;
    ev = run(&p, &n);
    unsigned data = 0, marks = 0;
    ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == GE_MARK) {
            ok &= data > 0 && data % 4096 == 0;
            marks++;
        } else if (ev[i].kind != GE_IFETCH) {
            data++;
        }
    }
    CHECK(ok);
    CHECK_EQ(marks, (data - 1) / 4096);
    free(ev);
}

static void test_hugepage(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_HUGEPAGE);
    CHECK_EQ(p.base, UINT64_C(0x8000000000000000));
    CHECK_EQ(p.huge_ps, 28);
    CHECK_EQ(p.footprint, UINT64_C(1) << 30);
    CHECK_EQ(workload_region_ps_hint(&p, 4), 28);
    CHECK_EQ(workload_region_ps_hint(&p, 3), 0);
    struct workload_params q;
    workload_params_default(&q, WL_UNIFORM);
    CHECK_EQ(workload_region_ps_hint(&q, 3), 0);
    CHECK_EQ(workload_region_ps_hint(&q, 4), 0);

    const unsigned kinds[] = {WL_UNIFORM, WL_ZIPF, WL_STRIDE};
    for (unsigned k = 0; k < 3; k++) {
        p.inner = kinds[k];
        p.stride = kinds[k] == WL_STRIDE ? UINT64_C(1) << 20 : 0;
        p.length = 20000;
        size_t n;
        struct guest_event *ev = run(&p, &n);
        CHECK_EQ(n, 20000);
        int inside = 1;
        for (size_t i = 0; i < n; i++)
            inside &= ev[i].va >= UINT64_C(0x8000000000000000) &&
                      ev[i].va + ev[i].size <= UINT64_C(0x8000000000000000) + (UINT64_C(1) << 30);
        CHECK(inside);
        free(ev);
    }
    /* 64 MiB pages in region 4 at an aligned base elsewhere */
    p.inner = WL_UNIFORM;
    p.huge_ps = 26;
    p.base = UINT64_C(0x8000000004000000);
    p.footprint = UINT64_C(2) << 26;
    CHECK_EQ(workload_region_ps_hint(&p, 4), 26);
    size_t n;
    struct guest_event *ev = run(&p, &n);
    int inside = 1;
    for (size_t i = 0; i < n; i++)
        inside &= ev[i].va >= p.base && ev[i].va < p.base + p.footprint;
    CHECK(inside);
    free(ev);
}

static void test_vcpus(void)
{
    /* interleave: one seqscan, reference k on vCPU k mod 3 */
    struct workload_params p;
    workload_params_default(&p, WL_SEQSCAN);
    p.nr_vcpus = 3;
    p.length = 7;
    size_t n;
    struct guest_event *ev = run(&p, &n);
    CHECK_EQ(n, 7);
    for (size_t i = 0; i < n; i++)
        CHECK(ev[i].cpu == i % 3 && ev[i].va == BASE + 8 * i);
    free(ev);

    /* per_vcpu: instances at base + i * 1 MiB (64 KiB rounded up to 1 MiB), taking turns;
     * 5 references: vCPU 0 gets 3, vCPU 1 gets 2 */
    p.nr_vcpus = 2;
    p.vcpu_mode = WL_VCPU_PER_VCPU;
    p.footprint = 65536;
    p.length = 5;
    ev = run(&p, &n);
    CHECK_EQ(n, 5);
    if (n == 5) {
        const uint64_t va[5] = {BASE, BASE + (1u << 20), BASE + 8, BASE + (1u << 20) + 8, BASE + 16};
        for (int i = 0; i < 5; i++)
            CHECK(ev[i].cpu == i % 2 && ev[i].va == va[i]);
    }
    free(ev);

    /* per_vcpu uniform: vCPU 1 seeds from splitmix state seed ^ 0xd1b54a32d192ed03 */
    workload_params_default(&p, WL_UNIFORM);
    p.nr_vcpus = 2;
    p.vcpu_mode = WL_VCPU_PER_VCPU;
    p.seed = 4;
    p.length = 4;
    ev = run(&p, &n);
    CHECK_EQ(n, 4);
    if (n == 4) {
        uint64_t sm0 = 4, sm1 = 4 ^ UINT64_C(0xd1b54a32d192ed03);
        struct wl_rng m, r0, r1;
        wl_rng_seed_from(&m, &sm0);
        wl_rng_seed_from(&r0, &sm0);
        wl_rng_seed_from(&m, &sm1);
        wl_rng_seed_from(&r1, &sm1);
        const uint64_t slots = (16u << 20) / 8; /* 2^21 */
        CHECK_EQ(ev[0].va, BASE + (wl_rng_next(&r0) % slots) * 8);
        CHECK_EQ(ev[1].va, BASE + (16u << 20) + (wl_rng_next(&r1) % slots) * 8);
        CHECK_EQ(ev[2].va, BASE + (wl_rng_next(&r0) % slots) * 8);
        CHECK_EQ(ev[3].va, BASE + (16u << 20) + (wl_rng_next(&r1) % slots) * 8);
    }
    free(ev);

    /* interleave multiproc: gang switches (one CTX_SWITCH per vCPU), refs dealt round-robin */
    workload_params_default(&p, WL_MULTIPROC);
    p.nr_vcpus = 2;
    p.nr_procs = 2;
    p.switch_interval = 3;
    p.length = 6;
    p.exit_at_end = 1;
    ev = run(&p, &n);
    /* ctx 1 (cpu 0), ctx 1 (cpu 1), refs on 0 1 0, ctx 2 x2, refs on 1 0 1, exit (2) on cpu 0,
     * ctx 1 x2, exit on cpu 0 */
    CHECK_EQ(n, 2 + 3 + 2 + 3 + 1 + 2 + 1);
    if (n == 14) {
        CHECK(is_ctx(&ev[0], 1, 0) && is_ctx(&ev[1], 1, 1));
        CHECK(ev[2].cpu == 0 && ev[3].cpu == 1 && ev[4].cpu == 0);
        CHECK(is_ctx(&ev[5], 2, 0) && is_ctx(&ev[6], 2, 1));
        CHECK(ev[7].cpu == 1 && ev[8].cpu == 0 && ev[9].cpu == 1);
        CHECK(is_exit(&ev[10], 0));
        CHECK(is_ctx(&ev[11], 1, 0) && is_ctx(&ev[12], 1, 1));
        CHECK(is_exit(&ev[13], 0));
    }
    free(ev);

    /* per_vcpu multiproc: vCPU i runs processes i * N + 1 .. i * N + N on its own */
    p.vcpu_mode = WL_VCPU_PER_VCPU;
    p.length = 4;
    p.switch_interval = 1;
    p.exit_at_end = 0;
    ev = run(&p, &n);
    /* turns end at references: cpu0 ctx 1, ref; cpu1 ctx 3, ref; cpu0 ctx 2, ref; cpu1 ctx 4, ref */
    CHECK_EQ(n, 8);
    if (n == 8) {
        CHECK(is_ctx(&ev[0], 1, 0) && ev[1].cpu == 0 && is_ref(&ev[1]));
        CHECK(is_ctx(&ev[2], 3, 1) && ev[3].cpu == 1);
        CHECK(is_ctx(&ev[4], 2, 0) && ev[5].cpu == 0);
        CHECK(is_ctx(&ev[6], 4, 1) && ev[7].cpu == 1);
    }
    free(ev);

    /* interleave mmap_storm: the MARK goes to the vCPU whose data reference completed the
     * interval, the thread that calls munmap: the 10th reference, index 9, is on 9 mod 2 = 1 */
    workload_params_default(&p, WL_MMAP_STORM);
    p.nr_vcpus = 2;
    p.munmap_interval = 10;
    p.length = 12;
    ev = run(&p, &n);
    CHECK_EQ(n, 13);
    if (n == 13)
        CHECK(ev[9].cpu == 1 && ev[10].kind == GE_MARK && ev[10].cpu == 1 && ev[11].cpu == 0 && ev[12].cpu == 1);
    free(ev);
    /* 4 vCPUs: the j-th munmap follows data reference j * I - 1, on vCPU (j * I - 1) mod 4.
     * I = 4097: (4097 j - 1) mod 4 = (j - 1) mod 4, munmaps 1..4 on vCPUs 0, 1, 2, 3. I = 4096:
     * every one on vCPU 3 (4 divides I; docs/workloads.md says why and what to do) */
    for (unsigned interval = 4096; interval <= 4097; interval++) {
        workload_params_default(&p, WL_MMAP_STORM);
        p.nr_vcpus = 4;
        p.munmap_interval = interval;
        p.length = 4 * (uint64_t)interval + 1;
        ev = run(&p, &n);
        unsigned marks = 0;
        for (size_t i = 0; i < n; i++) {
            if (ev[i].kind != GE_MARK)
                continue;
            marks++;
            CHECK_EQ(ev[i].cpu, interval == 4096 ? 3 : (marks - 1) % 4);
            CHECK(i > 0 && ev[i - 1].cpu == ev[i].cpu); /* right after its trigger */
        }
        CHECK_EQ(marks, 4);
        free(ev);
    }
}

int main(void)
{
    test_multiproc();
    test_mmap_storm();
    test_hugepage();
    test_vcpus();
    return check_report("test_workload_events");
}

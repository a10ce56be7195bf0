/*
 * guest_os.c - the Linux/ia64 guest kernel model of guest_os.h (docs/guest-os.md).
 *
 * What each piece stands for in Linux/ia64 (2.6.2x, the KVM/ia64 era):
 *   contexts      ia64_ctx (arch/ia64/mm/tlb.c, asm/mmu_context.h): get_mmu_context,
 *                 wrap_mmu_context, the per-cpu ia64_need_tlb_flush, flush_tlb_mm's flushmap;
 *   rr writes     reload_context (rr0..rr4 on a switch), the boot rrs of head.S;
 *   page table    the pgd/pmd/pte tree, here one map per address space: page -> guest frame;
 *   guest VHPT    the virtually mapped linear page table (pta at the top of each region);
 *   handlers      ivt.S: alt_dtlb_miss / alt_itlb_miss (identity region), dtlb_miss /
 *                 itlb_miss (software walk, itc), vhpt_miss (itc of the page and of the page
 *                 table page), page_fault -> handle_mm_fault (demand allocation);
 *   munmap        unmap_region -> tlb_finish_mmu -> flush_tlb_range (data range and the page
 *                 table range mapping it), flush_tlb_all for ranges that cross a region;
 *   exit          exit_mmap -> flush_tlb_mm: the context goes to the flushmap.
 */
#include "guest_os.h"

#include <stdlib.h>
#include <string.h>

#include "../ia64/ia64_arch.h"
#include "../ia64/ia64_vhpt_hash.h"
#include "guest_frames.h"
#include "../util/u64_map.h"

/* psr the guest kernel runs with once booted: translation on for data, instructions and the
 * register stack, interruption collection on (the VMM reads dt/it/rt/ic, spec section 4) */
#define GUEST_OS_PSR (IA64_PSR_DT | IA64_PSR_IT | IA64_PSR_RT | IA64_PSR_IC)
/* ptc.e address: PAL_PTCE_INFO base of a 1 x 1 loop */
#define GUEST_OS_PTCE_BASE 0
/* pte permission bits: user pages pl 3 RWX, kernel pages pl 0 RWX (Linux PAGE_KERNEL without
 * ed), guest VHPT pages pl 0 RW (vhpt_miss: __DIRTY_BITS_NO_ED | _PAGE_PL_0 | _PAGE_AR_RW) */
#define PTE_BASE_BITS (IA64_PTE_P | IA64_PTE_A | IA64_PTE_D) /* ma = WB (0) */
#define PTE_PL(pl) ((uint64_t)(pl) << IA64_PTE_PL_SHIFT)
#define PTE_AR_RW (UINT64_C(2) << IA64_PTE_AR_SHIFT)

struct gproc {
    uint64_t id;
    unsigned ctx;     /* 0: none allocated (Linux mm->context == 0); always 0 for the kernel */
    unsigned running; /* vCPUs whose current process this is */
    int kernel;       /* the kernel's address space (regions 5..7) */
    struct u64_map pages;      /* page address (aligned to the region's ps) -> guest frame */
    struct u64_map vhpt_pages; /* guest VHPT page address -> page-table frame */
};

struct gcpu {
    struct gproc *cur; /* NULL before boot and after the current process exited */
    int booted;
    int flush_at_switch; /* ia64_need_tlb_flush: another vCPU wrapped the context space */
    int flush_now;       /* another vCPU ran flush_tlb_all (the IPI this vCPU owes) */
    struct guest_os_stats stats; /* what happened while serving this vCPU's calls */
};

struct guest_os {
    struct guest_os_params p;
    struct phys_mem *mem;
    const struct p2m *p2m;
    struct guest_frames frames;
    uint64_t pta;
    struct u64_map procs; /* process id -> (uintptr_t) struct gproc * */
    struct gproc kernel;
    struct gcpu *cpu;
    /* ia64_ctx: contexts 0..ctx_max-1; 0 is the kernel's */
    unsigned ctx_next, ctx_limit, ctx_max;
    uint64_t *ctx_bitmap;   /* in use, or freed but not yet flushed */
    uint64_t *ctx_flushmap; /* freed by an exit: reusable after the next wrap */
    unsigned serving;       /* the vCPU whose call runs now: its counters count */
};

/* the counters of the vCPU being served (every call runs on behalf of one vCPU) */
static struct guest_os_stats *stats_of(struct guest_os *os) { return &os->cpu[os->serving].stats; }

/* ---- parameters ---------------------------------------------------------------------------- */

void guest_os_params_default(struct guest_os_params *p)
{
    memset(p, 0, sizeof *p);
    p->nr_vcpus = 1;
    /* Linux: 16 KiB pages in regions 0..5 (user 0..4, vmalloc 5); region 6 unused; region 7
     * the cached identity mapping with the 16 MiB granule (IA64_GRANULE_SHIFT 24) */
    for (unsigned r = 0; r <= 5; r++)
        p->region_ps[r] = 14;
    p->region_ps[7] = 24;
    p->vhpt_enabled = 1;
    /* Linux's vmlpt_bits = impl_va_bits - PAGE_SHIFT + 3 with all 61 offset bits implemented:
     * one 8-byte entry for every page of a region, no two pages share an entry */
    p->vhpt_size = 61 - 14 + 3;
    p->rid_bits = 18; /* the architected minimum of rr.rid (PAL_VM_SUMMARY rid_size >= 18) */
    p->guest_mem = UINT64_C(4) << 30;
    p->purge = GUEST_PURGE_PTC_L;
    p->identity_region = 7;
}

static int region_is_user(const struct guest_os_params *p, unsigned r)
{
    return r < GUEST_OS_KERNEL_REGION && r != p->identity_region;
}

/* Regions whose misses the guest VHPT walker serves: used, and not the identity region (whose
 * rr.ve Linux leaves 0: alt_dtlb_miss maps it). */
static int region_uses_vhpt(const struct guest_os_params *p, unsigned r)
{
    return p->vhpt_enabled && r != p->identity_region && p->region_ps[r] != 0;
}

const char *guest_os_params_check(const struct guest_os_params *p)
{
    if (p->nr_vcpus < 1 || p->nr_vcpus > 64)
        return "guest: the number of vCPUs must be 1..64";
    for (unsigned r = 0; r < 8; r++)
        if (p->region_ps[r] != 0 && !ia64_page_size_valid(p->region_ps[r]))
            return "guest: a region page size must be 0 (unused) or an IA-64 page size (12, 13, 14, 16, ... 28, 32)";
    if (p->identity_region > 8)
        return "guest: the identity region must be 0..7, or 8 for none";
    if (p->identity_region < 8 && p->region_ps[p->identity_region] == 0)
        return "guest: the identity region needs a page size";
    if (p->vhpt_size < 15 || p->vhpt_size > 61)
        return "guest: the guest VHPT size (pta.size) must be 15..61";
    if (p->vhpt_enabled > 1)
        return "guest: vhpt_enabled must be 0 or 1";
    if (p->vhpt_base && ((p->vhpt_base & ((UINT64_C(1) << p->vhpt_size) - 1)) ||
                         p->vhpt_base > (UINT64_C(1) << IA64_VRN_SHIFT) - (UINT64_C(1) << p->vhpt_size)))
        return "guest: vhpt_base must be a region offset aligned to the VHPT size, the table inside the region";
    if (p->vhpt_enabled) {
        /* a short-format VHPT has no tags: two pages of a region must never share an entry,
         * which needs 2^size >= 8 * 2^(61 - ps), i.e. size >= 64 - ps (Linux sizes it so) */
        for (unsigned r = 0; r < 8; r++)
            if (region_uses_vhpt(p, r) && p->vhpt_size < 64 - p->region_ps[r])
                return "guest: the guest VHPT is too small: pta.size must be at least 64 - ps of every region it serves";
    }
    if (p->rid_bits < 4 || p->rid_bits > 24)
        return "guest: rid_bits must be 4..24";
    /* contexts 1..2^(rid_bits-3)-1 are the users'; a switch needs one free besides the
     * processes running on the other vCPUs */
    if ((UINT64_C(1) << (p->rid_bits - 3)) - 1 < p->nr_vcpus)
        return "guest: rid_bits too small: need 2^(rid_bits-3) - 1 >= the number of vCPUs";
    if (p->guest_mem == 0 || p->guest_mem > (UINT64_C(1) << 50))
        return "guest: guest memory must be 1 byte .. 2^50 bytes (the pte's ppn field)";
    if ((unsigned)p->purge > GUEST_PURGE_PTC_E)
        return "guest: unknown purge style";
    return NULL;
}

/* ---- small helpers ------------------------------------------------------------------------- */

static void bit_set(uint64_t *bm, unsigned i) { bm[i / 64] |= UINT64_C(1) << (i % 64); }
static void bit_clear(uint64_t *bm, unsigned i) { bm[i / 64] &= ~(UINT64_C(1) << (i % 64)); }
static int bit_test(const uint64_t *bm, unsigned i) { return (bm[i / 64] >> (i % 64)) & 1u; }

/* find_next_zero_bit / find_next_bit: the first index >= from below size, or size */
static unsigned find_next(const uint64_t *bm, unsigned size, unsigned from, int want)
{
    for (unsigned i = from; i < size; i++)
        if (bit_test(bm, i) == want)
            return i;
    return size;
}

static uint64_t region_rid(const struct guest_os *os, const struct gproc *proc, unsigned r)
{
    /* ia64_rid(ctx, addr) = ctx << 3 | region; the kernel's context is 0 */
    return proc && !proc->kernel && region_is_user(&os->p, r) ? ((uint64_t)proc->ctx << 3) | r : r;
}

static uint64_t region_rr(const struct guest_os *os, const struct gproc *proc, unsigned r)
{
    return ia64_rr_make(region_rid(os, proc, r), os->p.region_ps[r], region_uses_vhpt(&os->p, r));
}

/* cr.itir as the VMM sets it when it injects the fault: rr & (RR_RID_MASK | RR_PS_MASK) */
static uint64_t region_itir(const struct guest_os *os, const struct gproc *proc, unsigned r)
{
    return region_rr(os, proc, r) & (IA64_RR_RID_MASK | IA64_RR_PS_MASK);
}

static void emit(struct guest_os_out *out, unsigned cpu, enum guest_event_kind kind, uint64_t va, uint64_t op0,
                 uint64_t op1)
{
    /* every caller's burst is bounded well below the cap (see docs/guest-os.md) */
    if (out->n >= GUEST_OS_MAX_OUT)
        return;
    struct guest_event *ev = &out->ev[out->n++];
    memset(ev, 0, sizeof *ev);
    ev->kind = (uint8_t)kind;
    ev->cpu = (uint16_t)cpu;
    ev->va = va;
    ev->op0 = op0;
    ev->op1 = op1;
}

static void emit_local_flush(struct guest_os *os, unsigned cpu, struct guest_os_out *out)
{
    emit(out, cpu, GE_PTC_E, GUEST_OS_PTCE_BASE, 0, 0);
    /* any local flush satisfies what this vCPU owed */
    os->cpu[cpu].flush_at_switch = 0;
    os->cpu[cpu].flush_now = 0;
}

/* ---- processes and contexts ---------------------------------------------------------------- */

static int proc_init(struct gproc *pr, uint64_t id, int kernel)
{
    memset(pr, 0, sizeof *pr);
    pr->id = id;
    pr->kernel = kernel;
    if (u64_map_init(&pr->pages) != 0)
        return -1;
    if (u64_map_init(&pr->vhpt_pages) != 0) {
        u64_map_free(&pr->pages);
        return -1;
    }
    return 0;
}

static struct gproc *proc_get(struct guest_os *os, uint64_t id, int create)
{
    const uint64_t *slot = u64_map_get(&os->procs, id);
    if (slot)
        return (struct gproc *)(uintptr_t)*slot;
    if (!create)
        return NULL;
    struct gproc *pr = malloc(sizeof *pr);
    if (!pr)
        return NULL;
    if (proc_init(pr, id, 0) != 0) {
        free(pr);
        return NULL;
    }
    if (u64_map_put(&os->procs, id, (uint64_t)(uintptr_t)pr) != 0) {
        u64_map_free(&pr->pages);
        u64_map_free(&pr->vhpt_pages);
        free(pr);
        return NULL;
    }
    return pr;
}

/* The address space that translates region r on vCPU cpu (NULL: no current process). */
static struct gproc *region_proc(struct guest_os *os, unsigned cpu, unsigned r)
{
    return region_is_user(&os->p, r) ? os->cpu[cpu].cur : &os->kernel;
}

/* wrap_mmu_context: free the contexts of exited processes, restart the search, make every
 * other vCPU flush before it next switches, flush this one now. */
static void ctx_wrap(struct guest_os *os, unsigned cpu, struct guest_os_out *out)
{
    const unsigned words = (os->ctx_max + 63) / 64;
    for (unsigned i = 0; i < words; i++) {
        os->ctx_bitmap[i] &= ~os->ctx_flushmap[i];
        os->ctx_flushmap[i] = 0;
    }
    /* Linux restarts at 300 to skip long-lived daemons; the model restarts at 1 so that small
     * rid_bits work */
    os->ctx_next = find_next(os->ctx_bitmap, os->ctx_max, 1, 0);
    if (os->ctx_next >= os->ctx_max) {
        /* every context is held by a live process: Linux would overflow here; the model takes
         * the contexts of the processes not running anywhere (they get new ones at their next
         * switch, like the pre-2.6.12 wrap did for all processes) */
        for (size_t i = 0; i < os->procs.cap; i++) {
            if (!os->procs.used[i])
                continue;
            struct gproc *pr = (struct gproc *)(uintptr_t)os->procs.vals[i];
            if (pr->ctx != 0 && pr->running == 0) {
                bit_clear(os->ctx_bitmap, pr->ctx);
                pr->ctx = 0;
            }
        }
        os->ctx_next = find_next(os->ctx_bitmap, os->ctx_max, 1, 0);
    }
    os->ctx_limit = find_next(os->ctx_bitmap, os->ctx_max, os->ctx_next, 1);
    stats_of(os)->rid_wraps++;
    for (unsigned i = 0; i < os->p.nr_vcpus; i++)
        if (i != cpu)
            os->cpu[i].flush_at_switch = 1;
    emit_local_flush(os, cpu, out); /* local_flush_tlb_all */
}

/* get_mmu_context */
static void ctx_get(struct guest_os *os, struct gproc *pr, unsigned cpu, struct guest_os_out *out)
{
    if (pr->ctx != 0)
        return;
    if (os->ctx_next >= os->ctx_limit) {
        os->ctx_next = find_next(os->ctx_bitmap, os->ctx_max, os->ctx_next, 0);
        os->ctx_limit = find_next(os->ctx_bitmap, os->ctx_max, os->ctx_next, 1);
        if (os->ctx_next >= os->ctx_max)
            ctx_wrap(os, cpu, out);
    }
    if (os->ctx_next >= os->ctx_max)
        return; /* cannot happen: guest_os_params_check keeps a context free for every vCPU */
    pr->ctx = os->ctx_next++;
    bit_set(os->ctx_bitmap, pr->ctx);
}

/* switch_mm -> activate_context: context, delayed flush, rr0..rr4 */
static void switch_to(struct guest_os *os, unsigned cpu, uint64_t id, struct guest_os_out *out)
{
    struct gcpu *c = &os->cpu[cpu];
    struct gproc *pr = proc_get(os, id, 1);
    if (!pr) {
        stats_of(os)->alloc_failures++; /* host out of memory: stay in the old address space */
        return;
    }
    if (c->cur != pr) {
        if (c->cur)
            c->cur->running--;
        pr->running++;
        c->cur = pr;
    }
    ctx_get(os, pr, cpu, out);
    if (c->flush_at_switch || c->flush_now) { /* delayed_tlb_flush */
        stats_of(os)->delayed_flushes++;
        emit_local_flush(os, cpu, out);
    }
    for (unsigned r = 0; r < 8; r++)
        if (region_is_user(&os->p, r) && os->p.region_ps[r] != 0)
            emit(out, cpu, GE_MOV_RR, ia64_region_base(r), region_rr(os, pr, r), 0);
}

static void proc_destroy(struct gproc *pr)
{
    u64_map_free(&pr->pages);
    u64_map_free(&pr->vhpt_pages);
}

/* ---- page table and guest VHPT ------------------------------------------------------------- */

static uint64_t page_pte(const struct gproc *pr, uint64_t frame)
{
    return (frame & IA64_PTE_PPN_MASK) | PTE_BASE_BITS | PTE_PL(pr->kernel ? 0 : 3) | IA64_PTE_AR_RWX;
}

static uint64_t vhpt_page_pte(uint64_t frame)
{
    return (frame & IA64_PTE_PPN_MASK) | PTE_BASE_BITS | PTE_PL(0) | PTE_AR_RW;
}

/* Machine address of guest-physical gpa, as translate_phy_pte computes it. */
static uint64_t machine_addr(const struct p2m *p2m, uint64_t gpa)
{
    const uint64_t host_mask = (UINT64_C(1) << p2m->page_shift) - 1;
    const uint64_t mpa = p2m_lookup(p2m, gpa >> p2m->page_shift);
    return ((mpa & IA64_PTE_PPN_MASK) & ~host_mask) | (gpa & host_mask);
}

/* Where va's short-format entry lives: iha, the VHPT page holding it, and (if that page has a
 * frame, or `create` and one could be allocated) its frame. 0, or -1 without a frame. */
static int vhpt_slot(struct guest_os *os, struct gproc *pr, uint64_t va, int create, uint64_t *iha,
                     uint64_t *vpage, uint64_t *frame)
{
    const unsigned r = ia64_region(va);
    const unsigned ps = os->p.region_ps[r];
    *iha = ia64_svhpt_thash(os->pta, region_rr(os, pr, r), va);
    *vpage = ia64_page_align(*iha, ps);
    const uint64_t *f = u64_map_get(&pr->vhpt_pages, *vpage);
    if (f) {
        *frame = *f;
        return 0;
    }
    if (!create)
        return -1;
    if (guest_frames_alloc(&os->frames, GUEST_FRAME_PT, ps, frame) != 0) {
        stats_of(os)->alloc_failures++;
        return -1;
    }
    if (u64_map_put(&pr->vhpt_pages, *vpage, *frame) != 0) {
        guest_frames_release(&os->frames, GUEST_FRAME_PT, ps, *frame);
        stats_of(os)->alloc_failures++;
        return -1;
    }
    stats_of(os)->pt_pages_allocated++;
    return 0;
}

/* Stores value as va's guest VHPT entry (0 clears it). 0, or -1 when the entry has no page. */
static int vhpt_store(struct guest_os *os, struct gproc *pr, uint64_t va, uint64_t value, int create)
{
    uint64_t iha, vpage, frame;
    if (vhpt_slot(os, pr, va, create, &iha, &vpage, &frame) != 0)
        return -1;
    const unsigned ps = os->p.region_ps[ia64_region(va)];
    const uint64_t gpa = frame | (iha & (ia64_psize(ps) - 1));
    if (phys_mem_write(os->mem, machine_addr(os->p2m, gpa), value, 8) != 0) {
        stats_of(os)->alloc_failures++;
        return -1;
    }
    return 0;
}

/* handle_mm_fault for an anonymous page: va's pte, allocating the frame on the first touch and
 * (re)writing the pte into the guest VHPT. 0, or -1 (guest memory exhausted). */
static int ensure_pte(struct guest_os *os, struct gproc *pr, uint64_t va, uint64_t *pte)
{
    const unsigned r = ia64_region(va);
    const unsigned ps = os->p.region_ps[r];
    const uint64_t page = ia64_page_align(va, ps);
    const uint64_t *f = u64_map_get(&pr->pages, page);
    uint64_t frame;
    if (f) {
        frame = *f;
    } else {
        if (guest_frames_alloc(&os->frames, GUEST_FRAME_DATA, ps, &frame) != 0) {
            stats_of(os)->alloc_failures++;
            return -1;
        }
        if (u64_map_put(&pr->pages, page, frame) != 0) {
            guest_frames_release(&os->frames, GUEST_FRAME_DATA, ps, frame);
            stats_of(os)->alloc_failures++;
            return -1;
        }
        stats_of(os)->frames_allocated++;
    }
    *pte = page_pte(pr, frame);
    if (region_uses_vhpt(&os->p, r))
        (void)vhpt_store(os, pr, va, *pte, 1); /* failure: the page still gets its itc */
    return 0;
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

struct guest_os *guest_os_create(const struct guest_os_params *p, struct phys_mem *mem, const struct p2m *p2m)
{
    if (!p || guest_os_params_check(p) != NULL || !p2m || (p->vhpt_enabled && !mem))
        return NULL;
    struct guest_os *os = calloc(1, sizeof *os);
    if (!os)
        return NULL;
    os->p = *p;
    os->mem = mem;
    os->p2m = p2m;
    guest_frames_init(&os->frames, p2m, p->guest_mem);
    /* the VHPT at the top of every region's offset space, aligned to its size (Linux:
     * pta = 2^61 - 2^vmlpt_bits); pta.ve mirrors vhpt_enabled, vf = 0 (short format) */
    const uint64_t base = p->vhpt_base ? p->vhpt_base : (UINT64_C(1) << IA64_VRN_SHIFT) - (UINT64_C(1) << p->vhpt_size);
    os->pta = ia64_pta_make(base, p->vhpt_size, 0, p->vhpt_enabled);
    os->ctx_max = 1u << (p->rid_bits - 3);
    os->ctx_next = 1;
    os->ctx_limit = 0;
    const size_t words = (os->ctx_max + 63) / 64;
    os->ctx_bitmap = calloc(words, sizeof *os->ctx_bitmap);
    os->ctx_flushmap = calloc(words, sizeof *os->ctx_flushmap);
    os->cpu = calloc(p->nr_vcpus, sizeof *os->cpu);
    int ok = os->ctx_bitmap && os->ctx_flushmap && os->cpu;
    ok = ok && u64_map_init(&os->procs) == 0;
    if (ok && proc_init(&os->kernel, 0, 1) != 0) {
        u64_map_free(&os->procs);
        ok = 0;
    }
    if (!ok) {
        free(os->ctx_bitmap);
        free(os->ctx_flushmap);
        free(os->cpu);
        free(os);
        return NULL;
    }
    bit_set(os->ctx_bitmap, 0); /* IA64_REGION_ID_KERNEL */
    return os;
}

void guest_os_destroy(struct guest_os *os)
{
    if (!os)
        return;
    for (size_t i = 0; i < os->procs.cap; i++) {
        if (!os->procs.used[i])
            continue;
        struct gproc *pr = (struct gproc *)(uintptr_t)os->procs.vals[i];
        proc_destroy(pr);
        free(pr);
    }
    u64_map_free(&os->procs);
    proc_destroy(&os->kernel);
    guest_frames_free_all(&os->frames);
    free(os->ctx_bitmap);
    free(os->ctx_flushmap);
    free(os->cpu);
    free(os);
}

struct guest_os_stats guest_os_get_cpu_stats(const struct guest_os *os, unsigned cpu)
{
    struct guest_os_stats s;
    memset(&s, 0, sizeof s);
    if (cpu < os->p.nr_vcpus)
        s = os->cpu[cpu].stats;
    return s;
}

/* every field is a uint64_t count, so the sum adds them word by word (a new counter is summed too) */
_Static_assert(sizeof(struct guest_os_stats) % sizeof(uint64_t) == 0, "guest_os_stats holds uint64_t counts only");

struct guest_os_stats guest_os_get_stats(const struct guest_os *os)
{
    enum { WORDS = sizeof(struct guest_os_stats) / sizeof(uint64_t) };
    uint64_t total[WORDS] = {0}, one[WORDS];
    for (unsigned c = 0; c < os->p.nr_vcpus; c++) {
        memcpy(one, &os->cpu[c].stats, sizeof one);
        for (unsigned i = 0; i < WORDS; i++)
            total[i] += one[i];
    }
    struct guest_os_stats sum;
    memcpy(&sum, total, sizeof sum);
    return sum;
}

static void boot(struct guest_os *os, unsigned cpu, struct guest_os_out *out)
{
    struct gcpu *c = &os->cpu[cpu];
    c->booted = 1;
    c->flush_at_switch = c->flush_now = 0; /* nothing ran on this vCPU yet */
    emit(out, cpu, GE_SET_PSR, 0, GUEST_OS_PSR, 0);
    emit(out, cpu, GE_MOV_PTA, 0, os->pta, 0);
    for (unsigned r = 0; r < 8; r++)
        if (!region_is_user(&os->p, r) && os->p.region_ps[r] != 0)
            emit(out, cpu, GE_MOV_RR, ia64_region_base(r), region_rr(os, &os->kernel, r), 0);
    switch_to(os, cpu, 0, out); /* every vCPU starts in process 0 */
}

/* Calls on a vCPU that has not booted boot it first (the platform normally does). */
static int enter(struct guest_os *os, unsigned cpu, struct guest_os_out *out)
{
    out->n = 0;
    out->retry = 0;
    if (cpu >= os->p.nr_vcpus)
        return -1;
    os->serving = cpu;
    if (!os->cpu[cpu].booted)
        boot(os, cpu, out);
    return 0;
}

void guest_os_boot(struct guest_os *os, unsigned cpu, struct guest_os_out *out)
{
    out->n = 0;
    out->retry = 0;
    if (cpu >= os->p.nr_vcpus)
        return;
    os->serving = cpu;
    boot(os, cpu, out);
}

/* ---- munmap and exit ----------------------------------------------------------------------- */

struct u64_vec {
    uint64_t *v;
    size_t n, cap;
};

static int vec_push(struct u64_vec *x, uint64_t val)
{
    if (x->n == x->cap) {
        const size_t cap = x->cap ? x->cap * 2 : 32;
        uint64_t *bigger = realloc(x->v, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        x->v = bigger;
        x->cap = cap;
    }
    x->v[x->n++] = val;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Removes page `page` of pr: clears its guest VHPT entry, frees its frame. */
static void unmap_page(struct guest_os *os, struct gproc *pr, uint64_t page, uint64_t frame)
{
    const unsigned r = ia64_region(page);
    if (region_uses_vhpt(&os->p, r))
        (void)vhpt_store(os, pr, page, 0, 0);
    if (guest_frames_release(&os->frames, GUEST_FRAME_DATA, os->p.region_ps[r], frame) != 0)
        stats_of(os)->alloc_failures++;
}

static void flush_all_vcpus(struct guest_os *os, unsigned cpu, struct guest_os_out *out, int global)
{
    emit_local_flush(os, cpu, out);
    if (global) /* smp_flush_tlb_all: the others flush at their next call */
        for (unsigned i = 0; i < os->p.nr_vcpus; i++)
            if (i != cpu && os->cpu[i].booted)
                os->cpu[i].flush_now = 1;
}

static void do_munmap(struct guest_os *os, unsigned cpu, uint64_t start, uint64_t len, struct guest_os_out *out)
{
    stats_of(os)->munmaps++;
    if (len == 0)
        return;
    const unsigned r = ia64_region(start);
    const unsigned ps = os->p.region_ps[r];
    if (r == os->p.identity_region || ps == 0)
        return;
    struct gproc *pr = region_proc(os, cpu, r);
    if (!pr)
        return;
    const uint64_t end = start + len < start ? UINT64_MAX : start + len; /* exclusive */
    const int cross = ia64_region(end - 1) != r;

    /* the pages to remove, in address order */
    struct u64_vec pages = {0};
    const uint64_t first = ia64_page_align(start, ps);
    const uint64_t npages = ((end - 1 - first) >> ps) + 1;
    if (!cross && npages <= pr->pages.n) {
        for (uint64_t k = 0; k < npages; k++) {
            const uint64_t page = first + (k << ps);
            if (u64_map_get(&pr->pages, page) && vec_push(&pages, page) != 0)
                break;
        }
    } else {
        for (size_t i = 0; i < pr->pages.cap; i++) {
            if (!pr->pages.used[i])
                continue;
            const uint64_t page = pr->pages.keys[i];
            const uint64_t size = ia64_psize(os->p.region_ps[ia64_region(page)]);
            if (page < end && page + size > start && vec_push(&pages, page) != 0)
                break;
        }
        if (pages.n > 1)
            qsort(pages.v, pages.n, sizeof *pages.v, cmp_u64);
    }

    /* zap the ptes (page table and guest VHPT), free the frames; note the VHPT pages that map
     * them (tlb_finish_mmu also purges the page-table range) */
    struct u64_vec vpages = {0};
    for (size_t i = 0; i < pages.n; i++) {
        uint64_t frame;
        if (!u64_map_del(&pr->pages, pages.v[i], &frame))
            continue;
        unmap_page(os, pr, pages.v[i], frame);
        stats_of(os)->pages_unmapped++;
        if (region_uses_vhpt(&os->p, ia64_region(pages.v[i]))) {
            const unsigned pps = os->p.region_ps[ia64_region(pages.v[i])];
            const uint64_t vpage = ia64_page_align(
                ia64_svhpt_thash(os->pta, region_rr(os, pr, ia64_region(pages.v[i])), pages.v[i]), pps);
            if ((vpages.n == 0 || vpages.v[vpages.n - 1] != vpage) && u64_map_get(&pr->vhpt_pages, vpage))
                (void)vec_push(&vpages, vpage); /* ascending pages give ascending VHPT pages */
        }
    }

    const size_t purges = pages.n + vpages.n;
    if (pages.n == 0) {
        /* nothing was mapped: no flush (tlb->need_flush stays 0) */
    } else if (os->p.purge == GUEST_PURGE_PTC_E || cross || purges > GUEST_OS_MUNMAP_PURGES_MAX) {
        stats_of(os)->munmap_flushes++;
        if (os->p.purge != GUEST_PURGE_PTC_E) /* the configured page-by-page style did not apply */
            stats_of(os)->munmap_purge_fallbacks++;
        flush_all_vcpus(os, cpu, out, os->p.purge != GUEST_PURGE_PTC_L);
    } else {
        stats_of(os)->munmap_page_purges++;
        const enum guest_event_kind kind = os->p.purge == GUEST_PURGE_PTC_GA ? GE_PTC_GA : GE_PTC_L;
        for (size_t i = 0; i < pages.n; i++)
            emit(out, cpu, kind, pages.v[i], os->p.region_ps[ia64_region(pages.v[i])], 0);
        for (size_t i = 0; i < vpages.n; i++)
            emit(out, cpu, kind, vpages.v[i], os->p.region_ps[ia64_region(vpages.v[i])], 0);
    }
    free(pages.v);
    free(vpages.v);
}

/* exit_mmap: free the page table, the page-table pages and the frames; flush_tlb_mm puts the
 * context in the flushmap (reused after the next wrap, whose flush removes its entries). */
static void do_exit(struct guest_os *os, unsigned cpu)
{
    struct gproc *pr = os->cpu[cpu].cur;
    if (!pr)
        return;
    stats_of(os)->exits++;
    for (size_t i = 0; i < pr->pages.cap; i++)
        if (pr->pages.used[i])
            unmap_page(os, pr, pr->pages.keys[i], pr->pages.vals[i]);
    for (size_t i = 0; i < pr->vhpt_pages.cap; i++)
        if (pr->vhpt_pages.used[i] &&
            guest_frames_release(&os->frames, GUEST_FRAME_PT, os->p.region_ps[ia64_region(pr->vhpt_pages.keys[i])],
                                 pr->vhpt_pages.vals[i]) != 0)
            stats_of(os)->alloc_failures++;
    if (pr->ctx != 0)
        bit_set(os->ctx_flushmap, pr->ctx);
    for (unsigned i = 0; i < os->p.nr_vcpus; i++)
        if (os->cpu[i].cur == pr)
            os->cpu[i].cur = NULL;
    u64_map_del(&os->procs, pr->id, NULL);
    proc_destroy(pr);
    free(pr);
}

void guest_os_on_event(struct guest_os *os, const struct guest_event *ev, struct guest_os_out *out)
{
    const unsigned cpu = ev->cpu;
    if (enter(os, cpu, out) != 0)
        return;
    const enum guest_event_kind kind = (enum guest_event_kind)ev->kind;
    if (kind != GE_CTX_SWITCH && kind != GE_MARK)
        return; /* references and TLB instructions: observed only */
    if (os->cpu[cpu].flush_now) { /* the flush_tlb_all IPI, taken on the way */
        stats_of(os)->delayed_flushes++;
        emit_local_flush(os, cpu, out);
    }
    switch (kind) {
    case GE_CTX_SWITCH:
        if (os->cpu[cpu].cur && os->cpu[cpu].cur->id == ev->op0 && os->cpu[cpu].cur->ctx != 0)
            break; /* same mm: schedule() does no switch_mm */
        stats_of(os)->ctx_switches++;
        switch_to(os, cpu, ev->op0, out);
        break;
    case GE_MARK:
        if (ev->op0 == GE_MARK_MUNMAP)
            do_munmap(os, cpu, ev->va, ev->op1, out);
        else if (ev->op0 == GE_MARK_EXIT)
            do_exit(os, cpu);
        break;
    default:
        break;
    }
}

/* ---- fault handlers ------------------------------------------------------------------------ */

static int fault_is_inst(enum vmm_fault f, const struct guest_event *ref)
{
    switch (f) {
    case VMM_FAULT_ALT_ITLB:
    case VMM_FAULT_ITLB:
    case VMM_FAULT_IVHPT:
    case VMM_FAULT_INST_PAGE_NOT_PRESENT:
        return 1;
    case VMM_FAULT_PAGE_NOT_PRESENT: /* reflected for either side */
        return ref->kind == GE_IFETCH;
    default:
        return 0;
    }
}

void guest_os_on_fault(struct guest_os *os, unsigned cpu, enum vmm_fault fault, const struct guest_event *ref,
                       struct guest_os_out *out)
{
    if (enter(os, cpu, out) != 0)
        return;
    if (os->cpu[cpu].flush_now) {
        stats_of(os)->delayed_flushes++;
        emit_local_flush(os, cpu, out);
    }
    if ((unsigned)fault >= VMM_FAULT_COUNT || fault == VMM_FAULT_NONE) {
        stats_of(os)->faults_unhandled++;
        return;
    }
    stats_of(os)->faults_handled[fault]++;
    if (fault == VMM_FAULT_DATA_ACCESS_RIGHTS)
        return; /* a user access to a kernel I/O page: SIGSEGV, never retried */

    const uint64_t va = ref->va;
    const unsigned r = ia64_region(va);
    const unsigned ps = os->p.region_ps[r];
    const enum guest_event_kind itc = fault_is_inst(fault, ref) ? GE_ITC_I : GE_ITC_D;

    if (r == os->p.identity_region) {
        /* alt_dtlb_miss / alt_itlb_miss: pa = region offset, one granule-sized kernel page */
        const uint64_t pte = (ia64_page_align(ia64_region_offset(va), ps) & IA64_PTE_PPN_MASK) | PTE_BASE_BITS |
                             PTE_PL(0) | IA64_PTE_AR_RWX;
        emit(out, cpu, itc, va, pte, region_itir(os, &os->kernel, r));
        out->retry = 1;
        return;
    }
    struct gproc *pr = ps ? region_proc(os, cpu, r) : NULL;
    const uint64_t vhpt_base = ia64_region_offset(ia64_pta_base_addr(os->pta));
    const uint64_t offset = ia64_region_offset(va);
    if (!pr || (region_uses_vhpt(&os->p, r) && offset >= vhpt_base &&
                offset - vhpt_base < (UINT64_C(1) << os->p.vhpt_size))) {
        /* unused region, no current process, or a reference into the page-table area: Linux
         * would deliver SIGSEGV */
        stats_of(os)->faults_unhandled++;
        return;
    }
    uint64_t pte;
    if (ensure_pte(os, pr, va, &pte) != 0) {
        stats_of(os)->faults_unhandled++; /* out of memory: Linux's OOM killer; no retry */
        return;
    }
    emit(out, cpu, itc, va, pte, region_itir(os, pr, r));
    if (fault == VMM_FAULT_DVHPT || fault == VMM_FAULT_IVHPT) {
        /* vhpt_miss: after the original page, the translation of the page-table page */
        uint64_t iha, vpage, frame;
        if (region_uses_vhpt(&os->p, r) && vhpt_slot(os, pr, va, 1, &iha, &vpage, &frame) == 0)
            emit(out, cpu, GE_ITC_D, iha, vhpt_page_pte(frame), region_itir(os, pr, r));
    }
    out->retry = 1;
}

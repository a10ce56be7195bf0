/*
 * guest_os.h - a model of what a Linux/ia64 guest kernel does for translation.
 *
 * Reference-only streams (synthetic workloads, Ski traces) carry no TLB operations; the guest
 * OS model supplies them, as a real kernel would: region ids per process, the page size of
 * each region, a page table filled on demand, an optional short-format VHPT (Linux's virtually
 * mapped linear page table), fault handlers that end in itc.d / itc.i, context switches,
 * munmap-style range purges and process exit.
 *
 * The platform calls it at three points and runs the events it returns, in order, on the same
 * vCPU, as guest instructions (each one an emulated instruction of the VMM):
 *   guest_os_boot      once per vCPU before its first event;
 *   guest_os_on_event  for every CTX_SWITCH and MARK event of the stream (and for references,
 *                      which it only observes: it returns no events for them);
 *   guest_os_on_fault  when a reference ends in a guest fault; afterwards the platform
 *                      re-executes the reference if `retry` is set.
 */
#ifndef VHPTSIM_GUEST_OS_H
#define VHPTSIM_GUEST_OS_H

#include <stdint.h>

#include "../../trace/guest_event.h"
#include "../machine/phys_mem.h"
#include "../vmm/p2m.h"
#include "../vmm/vmm_work.h"

/* MARK codes the guest OS model acts on (guest_event.h has 0..2). */
#define GE_MARK_MUNMAP 16 /* va = start, op1 = length in bytes: unmap and purge the range */
#define GE_MARK_EXIT 17   /* the current process exits: its RIDs are freed */

#define GUEST_OS_MAX_OUT 64 /* most events one call returns */

/* Regions GUEST_OS_KERNEL_REGION..7 belong to the kernel (Linux: 5 vmalloc, 6 uncached and 7
 * cached identity): context 0, one kernel page table, rrs written once at boot. Regions below
 * it (and not the identity region) are per process: rid = context << 3 | region. */
#define GUEST_OS_KERNEL_REGION 5
/* munmap purges page by page up to this many purges (data pages + guest VHPT pages); above it,
 * one ptc.e (flush_tlb_all). See docs/guest-os.md. */
#define GUEST_OS_MUNMAP_PURGES_MAX 32

enum guest_purge_style {
    GUEST_PURGE_PTC_L = 0, /* munmap purges page by page with ptc.l (one vCPU guest) */
    GUEST_PURGE_PTC_GA,    /* ... with ptc.ga (SMP guest: Linux's flush_tlb_range) */
    GUEST_PURGE_PTC_E      /* ... with one ptc.e (flush_tlb_all) */
};

struct guest_os_params {
    unsigned nr_vcpus;
    unsigned region_ps[8];   /* guest page size (rr.ps) per region; 0 = region unused */
    unsigned vhpt_enabled;   /* 1: short-format guest VHPT walker on (rr.ve = pta.ve = 1) */
    unsigned vhpt_size;      /* log2 bytes of the guest VHPT (pta.size): 64 - ps .. 61 */
    uint64_t vhpt_base;      /* region offset of the guest VHPT, aligned to 2^vhpt_size;
                                0 = the top of each region (Linux: 2^61 - 2^vhpt_size) */
    unsigned rid_bits;       /* width of the RID space the kernel allocates from (<= 24) */
    uint64_t guest_mem;      /* bytes of guest-physical memory to allocate frames from */
    enum guest_purge_style purge;
    unsigned identity_region; /* region mapped 1:1 by the alt handlers (Linux: 7), 8 = none */
};

void guest_os_params_default(struct guest_os_params *p);
/* NULL, or a static message naming the impossible parameter. */
const char *guest_os_params_check(const struct guest_os_params *p);

struct guest_os_stats {
    uint64_t faults_handled[VMM_FAULT_COUNT];
    uint64_t frames_allocated;   /* demand allocation: first touches */
    uint64_t pt_pages_allocated; /* page-table (VHPT) pages allocated */
    uint64_t ctx_switches;
    uint64_t rid_wraps;          /* RID space exhausted: global flush */
    uint64_t munmaps, pages_unmapped;
    uint64_t exits;
    /* additions to the lead's contract */
    uint64_t alloc_failures;   /* frames not allocated: guest memory exhausted (no retry) */
    uint64_t faults_unhandled; /* faults with no retry (no page size / process, VHPT area) */
    uint64_t delayed_flushes;  /* ptc.e run for a pending flush (wrap or remote flush_tlb_all) */
    uint64_t munmap_flushes;   /* munmaps that purged with one ptc.e instead of page by page */
    uint64_t munmap_page_purges;     /* munmaps that purged page by page (purge ptc_l / ptc_ga) */
    uint64_t munmap_purge_fallbacks; /* of munmap_flushes, those whose configured style was page
                                        by page (ptc_l / ptc_ga): too many purges, or the range
                                        crossed a region */
};

struct guest_os; /* opaque: per-process page tables, RID allocator, per-vCPU current process */

/* `mem` and `p2m` are the machine memory and the VM's p2m: the model writes the guest's page
 * table entries where the guest VHPT walk (guest_vhpt_lookup) will read them. NULL on error. */
struct guest_os *guest_os_create(const struct guest_os_params *p, struct phys_mem *mem, const struct p2m *p2m);
void guest_os_destroy(struct guest_os *os);

struct guest_os_out {
    struct guest_event ev[GUEST_OS_MAX_OUT];
    unsigned n;
    int retry; /* guest_os_on_fault: re-execute the faulting reference */
};

void guest_os_boot(struct guest_os *os, unsigned cpu, struct guest_os_out *out);
void guest_os_on_event(struct guest_os *os, const struct guest_event *ev, struct guest_os_out *out);
void guest_os_on_fault(struct guest_os *os, unsigned cpu, enum vmm_fault fault, const struct guest_event *ref,
                       struct guest_os_out *out);

/* The counters of vCPU cpu: what happened while serving its calls (all zero for a vCPU out of
 * range); and their sum over the vCPUs. */
struct guest_os_stats guest_os_get_cpu_stats(const struct guest_os *os, unsigned cpu);
struct guest_os_stats guest_os_get_stats(const struct guest_os *os);

#endif

/*
 * ref_engine.h - how one guest event is carried out, independent of who times it.
 *
 * The sequence is the same in the untimed replay and in the SystemC platform: machine TLB and
 * walker, then the VMM's miss path, re-execution after an insert, the guest OS model's fault
 * handlers (when there is one), emulated TLB instructions, remote purges at resume. The stages
 * themselves are callbacks: direct C calls in platform.c, TLM transactions to the SystemC
 * modules (which charge the cycles) in model/sc. docs/replay.md describes the sequence.
 */
#ifndef VHPTSIM_REF_ENGINE_H
#define VHPTSIM_REF_ENGINE_H

#include <stdint.h>

#include "../../trace/guest_event.h"
#include "../guest/guest_os.h"
#include "../machine/mtlb.h"
#include "../vmm/vmm_machine.h"
#include "../vmm/vmm_work.h"

/* A reference is executed at most this often (re-executions after inserts and handlers). */
#define ENGINE_MAX_ATTEMPTS 8

struct engine_ops {
    /* Machine TLB, then the hardware walker: the translation, or NULL when both missed. */
    const struct mtlb_entry *(*translate)(void *ctx, unsigned cpu, enum vmm_tlb_side side, uint64_t va);
    /* The VMM's miss path (kvm_page_fault). */
    struct vmm_miss_result (*page_fault)(void *ctx, unsigned cpu, uint64_t va, enum vmm_tlb_side side, int rse);
    /* One guest TLB-management instruction, emulated by the VMM (itc, ptc.*, rr, ...). */
    void (*emulate)(void *ctx, unsigned cpu, const struct guest_event *ev);
    /* kvm_do_resume_op when remote purges or a flush wait for this vCPU; 0 if nothing ran. */
    int (*resume)(void *ctx, unsigned cpu);
    /* A fault the VMM reflects without its miss path (p = 0 on a machine translation). */
    void (*reflect)(void *ctx, unsigned cpu, enum vmm_fault fault);
    /* The guest kernel ran its handler for `fault` (the guest OS model): for charging. */
    void (*guest_handler)(void *ctx, unsigned cpu, enum vmm_fault fault);
    /* A completed store that carries a value: write it at machine address paddr. */
    void (*store_value)(void *ctx, unsigned cpu, uint64_t paddr, uint64_t value, unsigned size);
};

struct engine_stats {
    uint64_t events[GE_KIND_COUNT];
    uint64_t refs;            /* references (ifetch, ld, st, rse.*, lfetch) */
    uint64_t refs_retried;    /* re-executions (after a VMM insert or a guest handler) */
    uint64_t refs_io;         /* completed by the VMM's I/O emulation */
    uint64_t refs_faulted;    /* abandoned with a guest fault (no guest OS model, or no retry) */
    uint64_t refs_dropped;    /* lfetch dropped after a walker miss */
    uint64_t refs_unresolved; /* still untranslated after ENGINE_MAX_ATTEMPTS (a model bug) */
    uint64_t store_values;    /* st ... val= written to machine memory */
    uint64_t guest_faults;    /* faults handed to the guest OS model */
    uint64_t guest_ops;       /* TLB instructions the guest OS model issued */
    uint64_t insns;           /* instructions the source counted (the events' insns), added
                                 by the event loops (platform_event, the Vcpu), off the hit path */
    /* references whose outcome the trace shows (GE_F_TRACED: a Ski system-mode trace), compared
     * with what the VMM decided (docs/ski-traces.md, "Divergences") */
    uint64_t traced_refs;
    uint64_t traced_faults;             /* ... the trace shows an interruption (the guest's handler) */
    uint64_t traced_faults_agreed;      /* ... and the VMM injected a fault of the same vector */
    uint64_t div_vmm_translated;        /* trace: interruption; VMM: translated it */
    uint64_t div_vmm_fault[VMM_FAULT_COUNT]; /* trace: no interruption; VMM: injected this fault */
    uint64_t div_vector[VMM_FAULT_COUNT];    /* both interrupted; the VMM's fault has another vector */
};

/* How a reference ended. */
enum ref_end {
    REF_TLB_HIT = 0, /* translated (by the TLB, or after the walker filled it) */
    REF_IO,          /* emulated by the VMM */
    REF_FAULT,       /* abandoned with a guest fault */
    REF_DROPPED,     /* lfetch dropped */
    REF_UNRESOLVED
};

struct ref_result {
    enum ref_end end;
    enum vmm_fault fault; /* the last fault taken */
    unsigned attempts;
};

struct engine {
    const struct engine_ops *ops;
    void *ctx;
    struct guest_os *os; /* NULL: the stream carries its own TLB operations (exact replay) */
    /* per vCPU: its VMM's pending-request word; when set and 0, resume() is not called (the
     * common case costs no call). NULL: always call resume(). */
    const unsigned *const *resume_pending;
};

/* The TLB side a reference kind translates on. */
static inline enum vmm_tlb_side engine_side(enum guest_event_kind kind)
{
    return kind == GE_IFETCH ? VMM_I_TLB : VMM_D_TLB;
}

/*
 * A reference nothing can divert from its translation: no remote purge or flush waits for the
 * vCPU (resume_pending known and clear), not traced, no store value. For such an event whose
 * first translation is present, engine_event translates once and counts it (events, refs):
 * an event loop that found that translation itself (the timed Vcpu, by its L1 MRU fast path)
 * finishes the event with engine_count_hit instead.
 */
static inline int engine_plain_reference(const struct engine *e, const struct guest_event *ev)
{
    return guest_event_is_reference((enum guest_event_kind)ev->kind) && !(ev->flags & (GE_F_TRACED | GE_F_HAS_VALUE)) &&
           e->resume_pending && !*e->resume_pending[ev->cpu];
}

static inline void engine_count_hit(struct engine_stats *st, const struct guest_event *ev)
{
    st->events[ev->kind]++;
    st->refs++;
}

/* Boots vCPU cpu's guest (the guest OS model's set-up instructions), if there is a model. */
void engine_boot(struct engine *e, unsigned cpu, struct engine_stats *st);
/* Runs one event on ev->cpu. `res` describes a reference's end (attempts 0 for others). */
void engine_event(struct engine *e, const struct guest_event *ev, struct engine_stats *st, struct ref_result *res);
/* Runs pending remote purges of vCPU cpu (end of the run). */
void engine_finish(struct engine *e, unsigned cpu);

#endif

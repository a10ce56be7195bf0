/* ref_engine.c - the sequence of docs/replay.md, over the stages of struct engine_ops. */
#include "ref_engine.h"

#include "../ia64/ia64_arch.h"
#include "../ia64/ia64_vector.h"

static void run_guest_ops(struct engine *e, unsigned cpu, const struct guest_os_out *out, struct engine_stats *st)
{
    for (unsigned i = 0; i < out->n; i++) {
        struct guest_event op = out->ev[i];
        op.cpu = (uint16_t)cpu;
        e->ops->emulate(e->ctx, cpu, &op);
        st->guest_ops++;
    }
}

void engine_boot(struct engine *e, unsigned cpu, struct engine_stats *st)
{
    if (!e->os)
        return;
    struct guest_os_out out = {.n = 0};
    guest_os_boot(e->os, cpu, &out);
    run_guest_ops(e, cpu, &out, st);
}

/* The guest took `fault` on `ev`: with a guest OS model its handler runs; 1 = re-execute.
 * Kept out of line: its 2 KiB of handler output would otherwise sit in the hit path's frame. */
__attribute__((noinline)) static int handle_fault(struct engine *e, const struct guest_event *ev, enum vmm_fault fault, struct engine_stats *st)
{
    if (!e->os)
        return 0;
    struct guest_os_out out = {.n = 0, .retry = 0};
    st->guest_faults++;
    e->ops->guest_handler(e->ctx, ev->cpu, fault);
    guest_os_on_fault(e->os, ev->cpu, fault, ev, &out);
    run_guest_ops(e, ev->cpu, &out, st);
    return out.retry;
}

static void reference(struct engine *e, const struct guest_event *ev, struct engine_stats *st, struct ref_result *res)
{
    const enum guest_event_kind kind = (enum guest_event_kind)ev->kind;
    const enum vmm_tlb_side side = engine_side(kind);
    const int rse = kind == GE_RSE_LOAD || kind == GE_RSE_STORE;
    const unsigned cpu = ev->cpu;
    st->refs++;
    res->fault = VMM_FAULT_NONE;

    for (res->attempts = 1; res->attempts <= ENGINE_MAX_ATTEMPTS; res->attempts++) {
        if (res->attempts > 1)
            st->refs_retried++;
        const struct mtlb_entry *t = e->ops->translate(e->ctx, cpu, side, ev->va);
        enum vmm_fault fault = VMM_FAULT_NONE;
        if (t) {
            if (ia64_pte_p(t->pte)) {
                res->end = REF_TLB_HIT;
                if (kind == GE_STORE && (ev->flags & GE_F_HAS_VALUE)) {
                    const uint64_t paddr = ((t->pte & IA64_PTE_PPN_MASK) & t->mask) | (ev->va & ~t->mask);
                    e->ops->store_value(e->ctx, cpu, paddr, ev->op0, ev->size);
                    st->store_values++;
                }
                return;
            }
            fault = VMM_FAULT_PAGE_NOT_PRESENT;
            e->ops->reflect(e->ctx, cpu, fault);
        } else if (kind == GE_LFETCH) {
            res->end = REF_DROPPED;
            st->refs_dropped++;
            return;
        } else {
            const struct vmm_miss_result miss = e->ops->page_fault(e->ctx, cpu, ev->va, side, rse);
            switch (miss.outcome) {
            case VMM_MISS_PHYSICAL_INSERT:
            case VMM_MISS_VTLB_INSERT:
            case VMM_MISS_GUEST_VHPT_INSERT:
                continue; /* the guest re-executes the reference */
            case VMM_MISS_PHYSICAL_IO:
            case VMM_MISS_VTLB_IO:
                res->end = REF_IO;
                st->refs_io++;
                return;
            case VMM_MISS_FAULT:
            default:
                fault = miss.fault;
                break;
            }
        }
        res->fault = fault;
        if (!handle_fault(e, ev, fault, st)) {
            res->end = REF_FAULT;
            st->refs_faulted++;
            return;
        }
    }
    res->attempts = ENGINE_MAX_ATTEMPTS;
    res->end = REF_UNRESOLVED;
    st->refs_unresolved++;
}

/* A CTX_SWITCH or MARK for the guest OS model (out of line, like handle_fault). */
__attribute__((noinline)) static void guest_event(struct engine *e, const struct guest_event *ev, struct engine_stats *st)
{
    struct guest_os_out out = {.n = 0};
    guest_os_on_event(e->os, ev, &out);
    run_guest_ops(e, ev->cpu, &out, st);
}

/* The IVT offset of the interruption KVM/ia64 injects for a fault (process.c: alt_dtlb,
 * nested_dtlb, data_page_not_present, dvhpt_fault, itlb_fault, ... name their vectors). */
static uint64_t fault_vector(enum vmm_fault f)
{
    switch (f) {
    case VMM_FAULT_ALT_DTLB: return IA64_VEC_ALT_DTLB;
    case VMM_FAULT_NESTED_DTLB: return IA64_VEC_NESTED_DTLB;
    case VMM_FAULT_DTLB: return IA64_VEC_DTLB;
    case VMM_FAULT_DVHPT:
    case VMM_FAULT_IVHPT: return IA64_VEC_VHPT;
    case VMM_FAULT_ALT_ITLB: return IA64_VEC_ALT_ITLB;
    case VMM_FAULT_ITLB: return IA64_VEC_ITLB;
    case VMM_FAULT_INST_PAGE_NOT_PRESENT:
    case VMM_FAULT_PAGE_NOT_PRESENT: return IA64_VEC_PAGE_NOT_PRESENT;
    case VMM_FAULT_DATA_ACCESS_RIGHTS: return IA64_VEC_DACCESS_RIGHTS;
    default: return GE_VECTOR_UNKNOWN;
    }
}

/* The trace's control flow is fixed: where the VMM decided otherwise than the guest's own TLB
 * did, count the divergence by kind. */
static void check_traced(const struct guest_event *ev, const struct ref_result *res, struct engine_stats *st)
{
    const int vmm_fault = res->end == REF_FAULT;
    st->traced_refs++;
    if (!(ev->flags & GE_F_TRACE_FAULT)) {
        if (vmm_fault)
            st->div_vmm_fault[res->fault]++;
        return;
    }
    st->traced_faults++;
    if (!vmm_fault)
        st->div_vmm_translated++;
    else if (fault_vector(res->fault) == ev->op1)
        st->traced_faults_agreed++;
    else
        st->div_vector[res->fault]++;
}

void engine_event(struct engine *e, const struct guest_event *ev, struct engine_stats *st, struct ref_result *res)
{
    const unsigned cpu = ev->cpu;
    if (!e->resume_pending || *e->resume_pending[cpu])
        e->ops->resume(e->ctx, cpu);
    st->events[ev->kind]++;
    res->end = REF_TLB_HIT;
    res->fault = VMM_FAULT_NONE;
    res->attempts = 0;
    const enum guest_event_kind kind = (enum guest_event_kind)ev->kind;
    if (guest_event_is_reference(kind)) {
        reference(e, ev, st, res);
        if (ev->flags & GE_F_TRACED)
            check_traced(ev, res, st);
        return;
    }
    if (kind == GE_CTX_SWITCH || kind == GE_MARK) {
        if (e->os)
            guest_event(e, ev, st);
        return;
    }
    e->ops->emulate(e->ctx, cpu, ev);
}

void engine_finish(struct engine *e, unsigned cpu)
{
    e->ops->resume(e->ctx, cpu);
}

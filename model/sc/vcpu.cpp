// vcpu.cpp - the event loop of one vCPU.
#include "vcpu.h"

namespace vhptsim {

const struct engine_ops Vcpu::ops_ = {
    Vcpu::op_translate, Vcpu::op_page_fault, Vcpu::op_emulate, Vcpu::op_resume,
    Vcpu::op_reflect,   Vcpu::op_guest_handler, Vcpu::op_store_value,
};

Vcpu::Vcpu(sc_core::sc_module_name name, unsigned cpu, struct platform *p, const CpuClock *clock,
           const struct sc_run_params *rp)
    : sc_core::sc_module(name), tlb("tlb"), vmm("vmm"), cpu_(cpu), p_(p), clock_(clock), rp_(rp)
{
    tlb.bind(*static_cast<LtInitiator<TranslateProtocol> *>(this));
    vmm.bind(*static_cast<LtInitiator<VmmProtocol> *>(this));
    engine_.ops = &ops_;
    engine_.ctx = this;
    engine_.os = rp->os;
    engine_.resume_pending = p->pending;
    mach_ = &p->cpu[cpu].mach;
    l1_hit_cycles_ = clock->costs->cycles[COST_TLB_L1_HIT];
    SC_HAS_PROCESS(Vcpu);
    SC_THREAD(run);
}

const struct mtlb_entry *Vcpu::op_translate(void *ctx, unsigned, enum vmm_tlb_side side, uint64_t va)
{
    Vcpu *self = static_cast<Vcpu *>(ctx);
    // The direct path, in the spirit of TLM-2.0 DMI: a hit on the L1 TLB's most recently used
    // entry is taken without a transaction and charged the latency the MachineTlb charges for
    // it (tlb_l1_hit); the lookup counts and touches exactly what the MachineTlb's would.
    if (const struct mtlb_entry *hit = machine_tlb_lookup_mru(self->mach_, side, va)) {
        self->charge_l1_hit();
        return hit;
    }
    TranslateTxn txn{side, va, nullptr};
    sc_core::sc_time delay = self->qk_.get_local_time();
    self->tlb->b_transport(txn, delay);
    self->qk_.set(delay);
    return txn.entry;
}

void Vcpu::charge_l1_hit()
{
    if (l1_hit_cycles_) { // the default costs 0 cycles: nothing to add
        sc_core::sc_time delay = qk_.get_local_time();
        clock_->charge(COST_TLB_L1_HIT, 1, delay);
        qk_.set(delay);
    }
}

void Vcpu::vmm_call(VmmTxn &txn)
{
    sc_core::sc_time delay = qk_.get_local_time();
    vmm->b_transport(txn, delay);
    qk_.set(delay);
}

struct vmm_miss_result Vcpu::op_page_fault(void *ctx, unsigned, uint64_t va, enum vmm_tlb_side side, int rse)
{
    VmmTxn txn{};
    txn.command = VmmTxn::PAGE_FAULT;
    txn.va = va;
    txn.side = side;
    txn.rse = rse;
    static_cast<Vcpu *>(ctx)->vmm_call(txn);
    return txn.miss;
}

void Vcpu::op_emulate(void *ctx, unsigned, const struct guest_event *ev)
{
    Vcpu *self = static_cast<Vcpu *>(ctx);
    const bool global = (ev->kind == GE_PTC_G || ev->kind == GE_PTC_GA) && self->peers_->size() > 1;
    // A ptc.g is issued at this vCPU's time: first let every vCPU behind it run up to it.
    if (global)
        self->sync();
    VmmTxn txn{};
    txn.command = VmmTxn::EMULATE;
    txn.ev = ev;
    self->vmm_call(txn); // vmm_ptc_g queues the record on every other vCPU
    if (!global)
        return;
    // mirrors handle_global_purge: smp_call_function_single(..., wait = 1) to each other vCPU
    const sc_core::sc_time at = sc_core::sc_time_stamp();
    for (Vcpu *peer : *self->peers_)
        if (peer != self)
            peer->take_ipi(at);
}

int Vcpu::op_resume(void *ctx, unsigned)
{
    Vcpu *self = static_cast<Vcpu *>(ctx);
    // checked here, on shared state, so the common case costs no transaction
    if (!vmm_resume_pending(&self->p_->cpu[self->cpu_].vmm))
        return 0;
    VmmTxn txn{};
    txn.command = VmmTxn::RESUME;
    self->vmm_call(txn);
    return txn.ran;
}

// mirrors kvm_ia64_handle_irq: the IPI's exit, whose re-entry runs kvm_do_resume_op
void Vcpu::take_ipi(const sc_core::sc_time &at)
{
    if (stopped_ && stop_time_ <= at)
        return;
    if (!vmm_resume_pending(&p_->cpu[cpu_].vmm))
        return;
    VmmTxn txn{};
    txn.command = VmmTxn::RESUME;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    vmm->b_transport(txn, delay);
    owed_ += delay; // this thread is suspended: the exit delays its next event
}

void Vcpu::collect_owed()
{
    if (owed_ != sc_core::SC_ZERO_TIME) {
        qk_.inc(owed_);
        owed_ = sc_core::SC_ZERO_TIME;
    }
}

void Vcpu::sync()
{
    qk_.sync();
    collect_owed();
}

void Vcpu::op_reflect(void *ctx, unsigned, enum vmm_fault fault)
{
    VmmTxn txn{};
    txn.command = VmmTxn::REFLECT;
    txn.fault = fault;
    static_cast<Vcpu *>(ctx)->vmm_call(txn);
}

void Vcpu::op_guest_handler(void *ctx, unsigned, enum vmm_fault)
{
    Vcpu *self = static_cast<Vcpu *>(ctx);
    sc_core::sc_time delay = self->qk_.get_local_time();
    self->clock_->charge(COST_GUEST_HANDLER, 1, delay);
    self->qk_.set(delay);
}

void Vcpu::op_store_value(void *ctx, unsigned, uint64_t paddr, uint64_t value, unsigned size)
{
    phys_mem_write(&static_cast<Vcpu *>(ctx)->p_->mem, paddr, value, size);
}

void Vcpu::run()
{
    struct engine_stats *st = &p_->cpu[cpu_].stats;
    qk_.reset();
    collect_owed();
    engine_boot(&engine_, cpu_, st);
    const sc_core::sc_time ref_time = clock_->period * static_cast<double>(clock_->costs->cycles[COST_GUEST_REF]);
    const uint64_t length = rp_->length;
    uint64_t refs = 0;
    uint64_t observe_at = rp_->observe ? rp_->first_observe : 0;
    // guest_ref charges wait in a register and reach the account before anyone reads it (an
    // observer, the end of the run): one add per reference instead of two stores
    uint64_t unbilled_refs = 0;
    uint64_t uncounted_insns = 0; // likewise the instructions the events carry (st->insns)
    const auto bill_refs = [&]() {
        cost_charge(clock_->acct, clock_->costs, COST_GUEST_REF, unbilled_refs);
        unbilled_refs = 0;
        st->insns += uncounted_insns;
        uncounted_insns = 0;
    };
    enum { BATCH = 64 };
    struct guest_event buf[BATCH];
    int n = 0, i = 0;
    for (;;) {
        if (length && refs >= length)
            break;
        if (i == n) { // events come in batches: one call per BATCH events, not per event
            n = rp_->next_events(rp_->source_ctx, cpu_, buf, BATCH);
            i = 0;
            if (n <= 0) {
                failed_ = n < 0;
                break;
            }
        }
        struct guest_event *ev = &buf[i++];
        ev->cpu = static_cast<uint16_t>(cpu_);
        uncounted_insns += ev->insns;
        struct ref_result res;
        if (guest_event_is_reference(static_cast<enum guest_event_kind>(ev->kind))) {
            ++unbilled_refs;
            qk_.inc(ref_time);
            // the hit path: a present L1 MRU translation finishes a plain reference here, as
            // engine_event would (op_translate's direct path, then the counts)
            const struct mtlb_entry *hit;
            if (engine_plain_reference(&engine_, ev) &&
                (hit = machine_tlb_lookup_mru_present(
                     mach_, engine_side(static_cast<enum guest_event_kind>(ev->kind)), ev->va)) != nullptr) {
                charge_l1_hit();
                engine_count_hit(st, ev);
            } else {
                engine_event(&engine_, ev, st, &res);
            }
            if (++refs == observe_at) {
                bill_refs();
                observe_at = rp_->observe(rp_->observer_ctx, cpu_, refs);
            }
        } else {
            engine_event(&engine_, ev, st, &res);
        }
        if (qk_.need_sync())
            sync();
    }
    bill_refs();
    collect_owed();
    stopped_ = true;
    stop_time_ = qk_.get_current_time();
    engine_finish(&engine_, cpu_);
    qk_.sync();
}

} // namespace vhptsim

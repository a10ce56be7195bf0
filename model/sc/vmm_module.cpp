// vmm_module.cpp - every exit costs an exit + entry; each C path is charged by the work it
// reports (entries probed, inserts, machine purges, ...), see model/cost.
#include "vmm_module.h"

extern "C" {
#include "../platform/emulate_event.h"
#include "../vmm/vmm_emul.h"
#include "../vmm/vmm_miss.h"
}

namespace vhptsim {

Vmm::Vmm(sc_core::sc_module_name name, struct vmm_vcpu *v, const CpuClock *clock)
    : sc_core::sc_module(name), target("target"), v_(v), clock_(clock)
{
    target.bind(*static_cast<LtTarget<VmmProtocol> *>(this));
}

void Vmm::page_fault(VmmTxn &txn, sc_core::sc_time &delay)
{
    clock_->charge(COST_VMM_EXIT, 1, delay);
    txn.miss = vmm_page_fault(v_, txn.va, txn.side, txn.rse);
    clock_->charge_work(txn.miss.work, delay);
    switch (txn.miss.outcome) {
    case VMM_MISS_PHYSICAL_IO:
    case VMM_MISS_VTLB_IO:
        clock_->charge(COST_IO_EMULATE, 1, delay);
        break;
    case VMM_MISS_FAULT:
        clock_->charge(COST_FAULT_INJECT, 1, delay);
        break;
    default:
        break;
    }
}

void Vmm::emulate(VmmTxn &txn, sc_core::sc_time &delay)
{
    const uint64_t before = clock_->acct->total;
    clock_->charge(COST_VMM_EXIT, 1, delay);
    clock_->charge(COST_EMULATE, 1, delay);
    enum vmm_op op;
    const struct vmm_work w = emulate_event(v_, txn.ev, &op);
    clock_->charge_work(w, delay);
    const enum guest_event_kind kind = static_cast<enum guest_event_kind>(txn.ev->kind);
    if (kind == GE_PTC_G || kind == GE_PTC_GA) // handle_global_purge: one IPI per other vCPU
        clock_->charge(COST_PTC_G_IPI, v_->vm->nr_vcpus - 1, delay);
    if (op != VMM_OP_COUNT) // what the instruction cost, exit to re-entry (docs/stats.md)
        v_->stats.op[op].cycles += clock_->acct->total - before;
}

void Vmm::resume(VmmTxn &txn, sc_core::sc_time &delay)
{
    // the vCPU was kicked out by another vCPU's ptc.g IPI: one exit, then kvm_do_resume_op
    txn.ran = vmm_resume_pending(v_);
    if (!txn.ran)
        return;
    const uint64_t before = clock_->acct->total, flushes = v_->stats.op[VMM_OP_REMOTE_FLUSH].count;
    clock_->charge(COST_VMM_EXIT, 1, delay);
    const struct vmm_work w = vmm_resume(v_);
    clock_->charge_work(w, delay);
    // the exit and whatever the resume ran: the queued remote purges, or the flush that replaced them
    const enum vmm_op op = v_->stats.op[VMM_OP_REMOTE_FLUSH].count != flushes ? VMM_OP_REMOTE_FLUSH : VMM_OP_REMOTE_PURGE;
    v_->stats.op[op].cycles += clock_->acct->total - before;
}

void Vmm::b_transport(VmmTxn &txn, sc_core::sc_time &delay)
{
    switch (txn.command) {
    case VmmTxn::PAGE_FAULT:
        page_fault(txn, delay);
        break;
    case VmmTxn::EMULATE:
        emulate(txn, delay);
        break;
    case VmmTxn::RESUME:
        resume(txn, delay);
        break;
    case VmmTxn::REFLECT:
        clock_->charge(COST_VMM_EXIT, 1, delay);
        clock_->charge(COST_FAULT_INJECT, 1, delay);
        vmm_reflect_fault(v_, txn.fault);
        break;
    }
}

} // namespace vhptsim

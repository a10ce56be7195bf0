// vcpu.h - the Vcpu module: pulls one vCPU's guest events, runs the guest OS model, and drives
// them through the MachineTlb (translations) and the Vmm (exits); keeps time with a quantum
// keeper, no wait() per reference.
#ifndef VHPTSIM_SC_VCPU_H
#define VHPTSIM_SC_VCPU_H

#include "sc_protocol.h"

#include <vector>

#include <tlm_utils/tlm_quantumkeeper.h>
#include "sc_timing.h"

extern "C" {
#include "../platform/platform.h"
#include "../platform/ref_engine.h"
#include "../vmm/vmm_emul.h"
#include "sc_run.h"
}

namespace vhptsim {

// The standard quantum keeper, plus how much local time is left before the next sync point:
// sc_time_stamp() only moves when the thread syncs, so the hit path compares against a cached
// budget instead of asking the kernel for the time on every event (same sync points).
class QuantumKeeper : public tlm_utils::tlm_quantumkeeper {
  public:
    void reset() override
    {
        tlm_utils::tlm_quantumkeeper::reset();
        budget_ = m_next_sync_point - sc_core::sc_time_stamp();
    }
    bool need_sync() const override { return get_local_time() >= budget_; }

  private:
    sc_core::sc_time budget_;
};

class Vcpu : public sc_core::sc_module, public LtInitiator<TranslateProtocol>, public LtInitiator<VmmProtocol> {
  public:
    tlm::tlm_initiator_socket<64, TranslateProtocol> tlb;
    tlm::tlm_initiator_socket<64, VmmProtocol> vmm;

    Vcpu(sc_core::sc_module_name name, unsigned cpu, struct platform *p, const CpuClock *clock,
         const struct sc_run_params *rp);

    bool failed() const { return failed_; }
    // The other vCPUs, for the IPIs of ptc.g / ptc.ga (set by the Platform before the run).
    void set_peers(const std::vector<Vcpu *> *peers) { peers_ = peers; }
    // Another vCPU's ptc.g IPI reaches this one at simulated time `at` (smp_call_function_single
    // from handle_global_purge). Still running then: the IPI exits it (kvm_ia64_handle_irq) and it
    // re-enters through kvm_do_resume_op at once, charged to its own clock. Stopped by then: it
    // is not in the guest, so the record stays queued (vcpu_global_purge) until the run's end.
    void take_ipi(const sc_core::sc_time &at);
    // both backward interfaces share this one (tlm_bw_direct_mem_if is a virtual base)
    void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}

  private:
    void run();

    // the engine's stages (struct engine_ops), as transactions
    static const struct mtlb_entry *op_translate(void *ctx, unsigned cpu, enum vmm_tlb_side side, uint64_t va);
    static struct vmm_miss_result op_page_fault(void *ctx, unsigned cpu, uint64_t va, enum vmm_tlb_side side, int rse);
    static void op_emulate(void *ctx, unsigned cpu, const struct guest_event *ev);
    static int op_resume(void *ctx, unsigned cpu);
    static void op_reflect(void *ctx, unsigned cpu, enum vmm_fault fault);
    static void op_guest_handler(void *ctx, unsigned cpu, enum vmm_fault fault);
    static void op_store_value(void *ctx, unsigned cpu, uint64_t paddr, uint64_t value, unsigned size);
    static const struct engine_ops ops_;

    void vmm_call(VmmTxn &txn);
    void charge_l1_hit(); // what the MachineTlb charges for an L1 hit, on the direct path
    void sync();         // the quantum keeper's sync, then the time IPIs took meanwhile
    void collect_owed(); // adds that time to the local time

    unsigned cpu_;
    struct platform *p_;
    struct machine *mach_;   // for the direct L1 path of op_translate
    uint64_t l1_hit_cycles_;
    const CpuClock *clock_;
    const struct sc_run_params *rp_;
    struct engine engine_;
    QuantumKeeper qk_;
    bool failed_ = false;
    const std::vector<Vcpu *> *peers_ = nullptr;
    bool stopped_ = false;      // its last event is done ...
    sc_core::sc_time stop_time_; // ... at this simulated time
    sc_core::sc_time owed_;      // IPIs taken while its thread was suspended, not yet in its time
};

} // namespace vhptsim

#endif

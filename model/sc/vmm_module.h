// vmm_module.h - the Vmm module: one vCPU's KVM/ia64 VMM (model/vmm), entered by exits.
#ifndef VHPTSIM_SC_VMM_MODULE_H
#define VHPTSIM_SC_VMM_MODULE_H

#include "sc_protocol.h"
#include "sc_timing.h"

extern "C" {
#include "../vmm/vmm_vcpu.h"
}

namespace vhptsim {

class Vmm : public sc_core::sc_module, public LtTarget<VmmProtocol> {
  public:
    tlm::tlm_target_socket<64, VmmProtocol> target; // from the Vcpu

    Vmm(sc_core::sc_module_name name, struct vmm_vcpu *v, const CpuClock *clock);
    void b_transport(VmmTxn &txn, sc_core::sc_time &delay) override;

  private:
    void page_fault(VmmTxn &txn, sc_core::sc_time &delay);
    void emulate(VmmTxn &txn, sc_core::sc_time &delay);
    void resume(VmmTxn &txn, sc_core::sc_time &delay);

    struct vmm_vcpu *v_;
    const CpuClock *clock_;
};

} // namespace vhptsim

#endif

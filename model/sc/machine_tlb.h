// machine_tlb.h - the MachineTlb module: one vCPU's I and D machine TLBs (model/machine/mtlb).
#ifndef VHPTSIM_SC_MACHINE_TLB_H
#define VHPTSIM_SC_MACHINE_TLB_H

#include "sc_protocol.h"
#include "sc_timing.h"

extern "C" {
#include "../machine/machine.h"
}

namespace vhptsim {

class MachineTlb : public sc_core::sc_module, public LtTarget<TranslateProtocol>, public LtInitiator<TranslateProtocol> {
  public:
    tlm::tlm_target_socket<64, TranslateProtocol> target;    // from the Vcpu
    tlm::tlm_initiator_socket<64, TranslateProtocol> walker; // misses go to the Walker

    MachineTlb(sc_core::sc_module_name name, struct machine *m, const CpuClock *clock);
    void b_transport(TranslateTxn &txn, sc_core::sc_time &delay) override;

  private:
    struct machine *m_;
    const CpuClock *clock_;
};

} // namespace vhptsim

#endif

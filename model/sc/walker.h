// walker.h - the Walker module: the hardware VHPT walker of one vCPU (machine_walk).
#ifndef VHPTSIM_SC_WALKER_H
#define VHPTSIM_SC_WALKER_H

#include "sc_protocol.h"
#include "sc_timing.h"

extern "C" {
#include "../machine/machine.h"
}

namespace vhptsim {

class Walker : public sc_core::sc_module, public LtTarget<TranslateProtocol> {
  public:
    tlm::tlm_target_socket<64, TranslateProtocol> target; // from the MachineTlb

    Walker(sc_core::sc_module_name name, struct machine *m, const CpuClock *clock);
    void b_transport(TranslateTxn &txn, sc_core::sc_time &delay) override;

  private:
    struct machine *m_;
    const CpuClock *clock_;
};

} // namespace vhptsim

#endif

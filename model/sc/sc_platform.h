// sc_platform.h - the Platform module: per vCPU a Vcpu, MachineTlb, Walker and Vmm around the
// C state of struct platform. ptc.g/ptc.ga reach the other vCPUs through the VM they share
// (vmm_ptc_g queues on every other vCPU, as handle_global_purge does), and the issuing Vcpu
// delivers the IPI: each running Vcpu runs its queue at once (Vcpu::take_ipi).
#ifndef VHPTSIM_SC_PLATFORM_H
#define VHPTSIM_SC_PLATFORM_H

#include <memory>
#include <vector>

#include "machine_tlb.h"
#include "vcpu.h"
#include "vmm_module.h"
#include "walker.h"

namespace vhptsim {

class Platform : public sc_core::sc_module {
  public:
    Platform(sc_core::sc_module_name name, struct platform *p, const struct sc_run_params *rp);
    bool failed() const;

  private:
    struct PerCpu {
        CpuClock clock;
        std::unique_ptr<MachineTlb> tlb;
        std::unique_ptr<Walker> walker;
        std::unique_ptr<Vmm> vmm;
        std::unique_ptr<Vcpu> vcpu;
    };
    std::vector<std::unique_ptr<PerCpu>> cpus_;
    std::vector<Vcpu *> vcpus_; // every Vcpu, for the ptc.g IPIs
};

} // namespace vhptsim

#endif

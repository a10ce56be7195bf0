// sc_platform.cpp - module construction and binding, and the C entry point sc_run().
#include "sc_platform.h"

#include <cstdio>
#include <string>

namespace vhptsim {

Platform::Platform(sc_core::sc_module_name name, struct platform *p, const struct sc_run_params *rp)
    : sc_core::sc_module(name)
{
    const sc_core::sc_time period(static_cast<double>(rp->clock_period_ps), sc_core::SC_PS);
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        std::unique_ptr<PerCpu> c(new PerCpu);
        c->clock = CpuClock(&p->cpu[i].cycles, rp->costs, period);
        const std::string n = "cpu" + std::to_string(i);
        c->tlb.reset(new MachineTlb((n + "_tlb").c_str(), &p->cpu[i].mach, &c->clock));
        c->walker.reset(new Walker((n + "_walker").c_str(), &p->cpu[i].mach, &c->clock));
        c->vmm.reset(new Vmm((n + "_vmm").c_str(), &p->cpu[i].vmm, &c->clock));
        c->vcpu.reset(new Vcpu((n + "_vcpu").c_str(), i, p, &c->clock, rp));
        c->vcpu->tlb.bind(c->tlb->target);
        c->vcpu->vmm.bind(c->vmm->target);
        c->tlb->walker.bind(c->walker->target);
        vcpus_.push_back(c->vcpu.get());
        cpus_.push_back(std::move(c));
    }
    for (Vcpu *v : vcpus_)
        v->set_peers(&vcpus_);
}

bool Platform::failed() const
{
    for (const auto &c : cpus_)
        if (c->vcpu->failed())
            return true;
    return false;
}

} // namespace vhptsim

extern "C" int sc_run(struct platform *p, const struct sc_run_params *rp, char *err, size_t errlen)
{
    try {
        const sc_core::sc_time period(static_cast<double>(rp->clock_period_ps), sc_core::SC_PS);
        tlm_utils::tlm_quantumkeeper::set_global_quantum(period * static_cast<double>(rp->quantum_cycles));
        p->guest = rp->os; // its counters are listed with the platform's
        vhptsim::Platform top("platform", p, rp);
        sc_core::sc_start(); // returns when every Vcpu thread has run out of events
        if (top.failed()) {
            std::snprintf(err, errlen, "an event source failed");
            return -1;
        }
    } catch (const std::exception &e) {
        std::snprintf(err, errlen, "SystemC: %s", e.what());
        return -1;
    }
    return 0;
}

// libsystemc.so refers to sc_main (its own main() would call it). vhptsim has its own main and
// starts the kernel from sc_run(), so this is never reached; it only satisfies the link.
int sc_main(int, char **)
{
    std::fprintf(stderr, "vhptsim: sc_main is not an entry point\n");
    return 1;
}

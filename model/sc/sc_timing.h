// sc_timing.h - how a module turns charged cycles into annotated time.
#ifndef VHPTSIM_SC_TIMING_H
#define VHPTSIM_SC_TIMING_H

#include <systemc>

extern "C" {
#include "../cost/cost_table.h"
}

namespace vhptsim {

// One vCPU's clock: its cost account (shared by its modules) and the clock period.
struct CpuClock {
    struct cost_account *acct;
    const struct cost_table *costs;
    sc_core::sc_time period;

    // Charges n units of row r and adds their cycles to the annotated delay.
    void charge(enum cost_row r, uint64_t n, sc_core::sc_time &delay) const
    {
        const uint64_t cycles = cost_charge(acct, costs, r, n);
        if (cycles)
            delay += period * static_cast<double>(cycles);
    }
    void charge_work(const struct vmm_work &w, sc_core::sc_time &delay) const
    {
        const uint64_t cycles = cost_charge_work(acct, costs, &w);
        if (cycles)
            delay += period * static_cast<double>(cycles);
    }
};

} // namespace vhptsim

#endif

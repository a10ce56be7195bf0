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
    sc_core::sc_time row_time[COST_ROW_COUNT]; // one unit of each row, precomputed

    CpuClock() = default;
    CpuClock(struct cost_account *a, const struct cost_table *t, sc_core::sc_time p) : acct(a), costs(t), period(p)
    {
        for (unsigned r = 0; r < COST_ROW_COUNT; r++)
            row_time[r] = period * static_cast<double>(costs->cycles[r]);
    }

    // Charges n units of row r and adds their cycles to the annotated delay.
    void charge(enum cost_row r, uint64_t n, sc_core::sc_time &delay) const
    {
        const uint64_t cycles = cost_charge(acct, costs, r, n);
        if (n == 1)
            delay += row_time[r]; // the hit path: no multiplication
        else if (cycles)
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

// walker.cpp - hash, read the long-format entry (charged by the memory level that served it),
// fill the TLB on a tag match.
#include "walker.h"

namespace vhptsim {

Walker::Walker(sc_core::sc_module_name name, struct machine *m, const CpuClock *clock)
    : sc_core::sc_module(name), target("target"), m_(m), clock_(clock)
{
    target.bind(*static_cast<LtTarget<TranslateProtocol> *>(this));
}

void Walker::b_transport(TranslateTxn &txn, sc_core::sc_time &delay)
{
    static const enum cost_row by_level[WALKER_MEM_LEVELS] = {COST_WALKER_L1, COST_WALKER_L2, COST_WALKER_L3,
                                                              COST_WALKER_MEM};
    const struct mtlb_entry *e = nullptr;
    enum walker_mem_level mem = WALKER_MEM_NONE;
    const enum walk_result r = machine_walk_mem(m_, txn.side, txn.va, &e, &mem);
    if (mem != WALKER_MEM_NONE) // a disabled walker reads no memory and costs nothing here
        clock_->charge(by_level[mem], 1, delay);
    txn.entry = r == WALK_HIT ? e : nullptr;
}

} // namespace vhptsim

// machine_tlb.cpp - TLB lookup, charged by the level that hit; misses forwarded to the walker.
#include "machine_tlb.h"

namespace vhptsim {

MachineTlb::MachineTlb(sc_core::sc_module_name name, struct machine *m, const CpuClock *clock)
    : sc_core::sc_module(name), target("target"), walker("walker"), m_(m), clock_(clock)
{
    target.bind(*static_cast<LtTarget<TranslateProtocol> *>(this));
    walker.bind(*static_cast<LtInitiator<TranslateProtocol> *>(this));
}

void MachineTlb::b_transport(TranslateTxn &txn, sc_core::sc_time &delay)
{
    enum mtlb_hit hit;
    const struct mtlb_entry *e = machine_tlb_lookup_level(m_, txn.side, txn.va, &hit);
    if (e) {
        clock_->charge(hit == MTLB_HIT_L1 ? COST_TLB_L1_HIT : COST_TLB_L2_HIT, 1, delay);
        txn.entry = e;
        return;
    }
    walker->b_transport(txn, delay);
}

} // namespace vhptsim

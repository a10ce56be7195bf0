// sc_protocol.h - the transactions between vhptsim's SystemC modules.
//
// Loosely-timed TLM-2.0: every hop is a b_transport(txn, delay) in which the target adds the
// cycles it charged to the annotated delay; the Vcpu keeps time with a quantum keeper. The
// payloads are small structs of their own (a protocol-types class each) rather than the
// generic payload: nothing here is a memory-mapped bus access, and the hit path must be cheap.
#ifndef VHPTSIM_SC_PROTOCOL_H
#define VHPTSIM_SC_PROTOCOL_H

#include <systemc>
#include <tlm>

extern "C" {
#include "../../trace/guest_event.h"
#include "../machine/mtlb.h"
#include "../vmm/vmm_machine.h"
#include "../vmm/vmm_work.h"
}

namespace vhptsim {

// Vcpu -> MachineTlb (and MachineTlb -> Walker): translate va on one side.
struct TranslateTxn {
    enum vmm_tlb_side side;
    uint64_t va;
    const struct mtlb_entry *entry; // out: the translation, or nullptr after a walker miss
};

// Vcpu -> Vmm: the VMM work of one exit.
struct VmmTxn {
    enum Command { PAGE_FAULT, EMULATE, RESUME, REFLECT } command;
    uint64_t va;                     // PAGE_FAULT
    enum vmm_tlb_side side;          // PAGE_FAULT
    int rse;                         // PAGE_FAULT
    const struct guest_event *ev;    // EMULATE
    enum vmm_fault fault;            // REFLECT
    struct vmm_miss_result miss;     // out (PAGE_FAULT)
    int ran;                         // out (RESUME): 1 if remote purges / a flush ran
};

template <class Payload> struct Protocol {
    typedef Payload tlm_payload_type;
    typedef tlm::tlm_phase tlm_phase_type;
};
typedef Protocol<TranslateTxn> TranslateProtocol;
typedef Protocol<VmmTxn> VmmProtocol;

// A loosely-timed target: only b_transport carries anything.
template <class P> class LtTarget : public tlm::tlm_fw_transport_if<P> {
  public:
    typedef typename P::tlm_payload_type Txn;
    tlm::tlm_sync_enum nb_transport_fw(Txn &txn, tlm::tlm_phase &, sc_core::sc_time &t) override
    {
        this->b_transport(txn, t);
        return tlm::TLM_COMPLETED;
    }
    bool get_direct_mem_ptr(Txn &, tlm::tlm_dmi &) override { return false; }
    unsigned int transport_dbg(Txn &) override { return 0; }
};

// A loosely-timed initiator: no backward path is used.
template <class P> class LtInitiator : public tlm::tlm_bw_transport_if<P> {
  public:
    typedef typename P::tlm_payload_type Txn;
    tlm::tlm_sync_enum nb_transport_bw(Txn &, tlm::tlm_phase &, sc_core::sc_time &) override
    {
        return tlm::TLM_COMPLETED;
    }
    void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}
};

} // namespace vhptsim

#endif

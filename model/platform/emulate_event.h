/* emulate_event.h - a guest TLB-management event handed to the VMM's emulation (vmm_emul.h). */
#ifndef VHPTSIM_EMULATE_EVENT_H
#define VHPTSIM_EMULATE_EVENT_H

#include "../../trace/guest_event.h"
#include "../vmm/vmm_vcpu.h"

/* Runs the vmm_emul.h entry point of ev's kind and returns its work (zero for CTX/MARK); *op
 * gets the vmm_op the call is counted under (VMM_OP_COUNT when none). */
struct vmm_work emulate_event(struct vmm_vcpu *v, const struct guest_event *ev, enum vmm_op *op);

#endif

/*
 * fake_machine.h - a real machine model (model/machine) whose VMM-facing operations are also
 * recorded, so a test can assert which itc / ptc.l / ptc.e the VMM issued, with what operands.
 */
#ifndef VHPTSIM_FAKE_MACHINE_H
#define VHPTSIM_FAKE_MACHINE_H

#include "../../model/machine/machine.h"
#include "../../model/vmm/vmm_vcpu.h"

#define FAKE_LOG_MAX 64

enum fake_call { FAKE_ITC, FAKE_PTC_L, FAKE_PTC_E, FAKE_SET_RR, FAKE_LOAD8 };

struct fake_call_rec {
    enum fake_call call;
    int side;
    uint64_t va, pte, value;
    unsigned ps;
};

struct fake_machine {
    struct machine m;
    struct fake_call_rec log[FAKE_LOG_MAX];
    unsigned nlog;
};

/* A VM of one vCPU with default parameters (optionally changed by `tweak`) on a fake machine. */
struct fake_vcpu {
    struct phys_mem mem;
    struct vmm_vm vm;
    struct fake_machine fm;
    struct vmm_vcpu v;
};

void fake_vcpu_init(struct fake_vcpu *f, const struct vmm_params *params);
void fake_vcpu_free(struct fake_vcpu *f);
/* Calls of one kind in the log, and the n-th of them. */
unsigned fake_count(const struct fake_machine *fm, enum fake_call call);
const struct fake_call_rec *fake_nth(const struct fake_machine *fm, enum fake_call call, unsigned n);
void fake_clear(struct fake_machine *fm);

#endif

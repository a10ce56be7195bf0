/*
 * vmm_miss.h - the VMM's TLB-miss path (KVM/ia64 process.c kvm_page_fault and its helpers),
 * entered when the machine TLB and the hardware VHPT walker both missed (spec section 4).
 */
#ifndef VHPTSIM_VMM_MISS_H
#define VHPTSIM_VMM_MISS_H

#include <stdint.h>

#include "vmm_vcpu.h"

/*
 * kvm_page_fault(vadr, vec): decide how the miss is served. `rse` marks a D-side miss made by
 * the register stack engine (isr.rs), which changes which psr bits enable the guest walker.
 * The result names the branch taken, the fault injected if any, and the work done; it is also
 * added to v->stats.
 */
struct vmm_miss_result vmm_page_fault(struct vmm_vcpu *v, uint64_t vadr, enum vmm_tlb_side type, int rse);

/* vcpu_thash: the guest's own VHPT hash of va (short format, or PAL_VPS_THASH for long). */
uint64_t vmm_guest_thash(const struct vmm_vcpu *v, uint64_t va);

/* Counts a fault the VMM reflects to the guest without running the miss path. */
void vmm_reflect_fault(struct vmm_vcpu *v, enum vmm_fault fault);

#endif

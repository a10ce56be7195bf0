/*
 * vmm_emul.h - the VMM's emulation of the guest's TLB-management instructions (KVM/ia64 vcpu.c
 * and the kvm_emulate / kvm_do_resume_op dispatch of process.c), spec section 4.
 *
 * Each entry point is one emulated guest instruction: it runs between prepare_if_physical_mode
 * and recover_if_physical_mode as kvm_emulate does, returns the work it did, and adds that work
 * to v->stats.op[...]. Arguments are assumed validated (page sizes, TR slots) by the caller.
 */
#ifndef VHPTSIM_VMM_EMUL_H
#define VHPTSIM_VMM_EMUL_H

#include <stdint.h>

#include "vmm_vcpu.h"

/* itc.i / itc.d: vcpu_itc_i / vcpu_itc_d (thash_purge_and_insert). */
struct vmm_work vmm_itc(struct vmm_vcpu *v, enum vmm_tlb_side side, uint64_t pte, uint64_t itir,
                        uint64_t ifa);
/* itr.i / itr.d into guest TR `slot` (0..7): vcpu_itr_i / vcpu_itr_d. */
struct vmm_work vmm_itr(struct vmm_vcpu *v, enum vmm_tlb_side side, unsigned slot, uint64_t pte,
                        uint64_t itir, uint64_t ifa);
/* ptr.i / ptr.d: vcpu_ptr_i / vcpu_ptr_d. */
struct vmm_work vmm_ptr(struct vmm_vcpu *v, enum vmm_tlb_side side, uint64_t ifa, unsigned ps);
/* ptc.l: vcpu_ptc_l. */
struct vmm_work vmm_ptc_l(struct vmm_vcpu *v, uint64_t va, unsigned ps);
/* ptc.e: vcpu_ptc_e (thash_purge_all). */
struct vmm_work vmm_ptc_e(struct vmm_vcpu *v, uint64_t va);
/*
 * ptc.g / ptc.ga: vcpu_ptc_ga. The exit queues {rr, va, ps} on every other vCPU of the VM
 * (handle_global_purge -> vcpu_global_purge), then the local ptc.l runs. The other vCPUs act
 * on the queue at their next vmm_resume(). `global_acquire` selects ptc.ga (else ptc.g).
 */
struct vmm_work vmm_ptc_g(struct vmm_vcpu *v, uint64_t va, unsigned ps, int global_acquire);
/* mov rr[reg] = val, reg being any address in the region: vcpu_set_rr. */
struct vmm_work vmm_set_rr(struct vmm_vcpu *v, uint64_t reg, uint64_t val);
/* mov cr.pta = val. */
struct vmm_work vmm_set_pta(struct vmm_vcpu *v, uint64_t val);
/* mov psr.l / rsm / ssm: vcpu_set_psr with check_mm_mode_switch. */
struct vmm_work vmm_set_psr(struct vmm_vcpu *v, uint64_t val);

/* True when a remote purge or a flush waits for this vCPU's next resume. */
static inline int vmm_resume_pending(const struct vmm_vcpu *v) { return v->requests != 0; }
/*
 * kvm_do_resume_op: on the way back into the guest, run a pending TLB flush
 * (thash_purge_all) or the queued remote purges (ptc_ga_remote_func, newest first).
 */
struct vmm_work vmm_resume(struct vmm_vcpu *v);

#endif

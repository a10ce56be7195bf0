/*
 * vtlb.h - the functions of KVM/ia64's arch/ia64/kvm/vtlb.c (seed patch, April 2008), one C
 * function each, same name (minus the reserved leading underscores), same arguments plus the
 * vCPU where the kernel used current_vcpu. docs/vtlb-mapping.md lists the correspondence.
 *
 * Every function adds what it touched to v->work (vmm_work.h).
 */
#ifndef VHPTSIM_VTLB_H
#define VHPTSIM_VTLB_H

#include <stdint.h>

#include "vmm_vcpu.h"

/* The software bit KVM sets in a guest pte for an MMIO page. */
#define VTLB_PTE_IO (UINT64_C(1) << 60)

enum vhpt_ref { DATA_REF = 0, NA_REF, INST_REF, RSE_REF };

/* vhpt_enabled: may the guest's VHPT walker run for this reference? */
int vhpt_enabled(const struct vmm_vcpu *v, uint64_t vadr, enum vhpt_ref ref);

/* vsa_thash: slot address of va in the vTLB described by pta, for guest rr value vrr. */
uint64_t vsa_thash(uint64_t pta, uint64_t va, uint64_t vrr, uint64_t *tag);

/* __vtr_lookup: the guest TR (D or I) translating va, or NULL. */
struct ia64_lvhpt_entry *vtr_lookup(struct vmm_vcpu *v, uint64_t va, enum vmm_tlb_side type);

/* vhpt_insert: write the machine VHPT entry for ifa. */
void vhpt_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t ifa, uint64_t gpte);

/* mark_pages_dirty: mark the guest frames a pte of size ps covers. */
void mark_pages_dirty(struct vmm_vcpu *v, uint64_t pte, unsigned ps);

/* thash_vhpt_insert: VHPT insert, or direct machine itc when the guest page is smaller. */
void thash_vhpt_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t va,
                       enum vmm_tlb_side type);

/* vhpt_lookup: the machine VHPT entry whose tag matches va, or NULL. */
struct ia64_lvhpt_entry *vhpt_lookup(struct vmm_vcpu *v, uint64_t va);

/* guest_vhpt_lookup: read the guest's short-format pte at iha; 0 on success, 1 on failure. */
int guest_vhpt_lookup(struct vmm_vcpu *v, uint64_t iha, uint64_t *pte);

/* vtlb_purge / vhpt_purge: drop the entries a purge of [va, va + 2^ps) covers. */
void vtlb_purge(struct vmm_vcpu *v, uint64_t va, unsigned ps);
void vhpt_purge(struct vmm_vcpu *v, uint64_t va, unsigned ps);

/* vtlb_insert: write the vTLB entry (direct-mapped: overwrites the slot). */
void vtlb_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t va);

/* vtr_find_overlap: index of the first guest TR overlapping [va, va + 2^ps), or -1. */
int vtr_find_overlap(struct vmm_vcpu *v, uint64_t va, unsigned ps, enum vmm_tlb_side type);

/* thash_purge_entries(_remote): vTLB (if the region may hold TCs) and VHPT purge. */
void thash_purge_entries(struct vmm_vcpu *v, uint64_t va, unsigned ps);
void thash_purge_entries_remote(struct vmm_vcpu *v, uint64_t va, unsigned ps);

/* translate_phy_pte: guest pte -> machine pte; (uint64_t)-1 and VTLB_PTE_IO in *pte for I/O. */
uint64_t translate_phy_pte(struct vmm_vcpu *v, uint64_t *pte, uint64_t itir, uint64_t va);

/* thash_purge_and_insert: the itc emulation; returns 1 for an I/O page. */
int thash_purge_and_insert(struct vmm_vcpu *v, uint64_t pte, uint64_t itir, uint64_t ifa,
                           enum vmm_tlb_side type);

/* thash_purge_all: empty both tables and flush the machine TLB (local_flush_tlb_all). */
void thash_purge_all(struct vmm_vcpu *v);

/* vtlb_lookup: guest TRs first, then the vTLB hash for every page size seen in the region. */
struct ia64_lvhpt_entry *vtlb_lookup(struct vmm_vcpu *v, uint64_t va, enum vmm_tlb_side type);

/* thash_init: set the table's PTA (base | vf | ve | size) and invalidate every entry. */
void thash_init(struct thash_table *t, unsigned sz);

/* machine_tlb_purge / local_flush_tlb_all: the machine purges vtlb.c issues. */
void machine_tlb_purge(struct vmm_vcpu *v, uint64_t va, unsigned ps);
void local_flush_tlb_all(struct vmm_vcpu *v);

#endif

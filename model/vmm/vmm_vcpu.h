/*
 * vmm_vcpu.h - the per-vCPU and per-VM state the KVM/ia64 TLB virtualisation code keeps.
 *
 * This is the part of struct kvm_vcpu_arch / struct kvm_arch that vtlb.c, vcpu.c and process.c
 * read and write for translation, gathered in explicit structs: nothing here is global, and
 * every machine operation goes through `mach` (vmm_machine.h).
 */
#ifndef VHPTSIM_VMM_VCPU_H
#define VHPTSIM_VMM_VCPU_H

#include <stdint.h>

#include "dirty_log.h"
#include "p2m.h"
#include "seen_pages.h"
#include "vmm_machine.h"
#include "vmm_table.h"
#include "vmm_work.h"

#define VMM_NITRS 8
#define VMM_NDTRS 8
#define VMM_MAX_PTC_G_NUM 3 /* MAX_PTC_G_NUM: remote purges queued per vCPU */

/* Defaults of the seed's era (kvm_host.h, April 2008; spec section 2). */
#define VMM_DEFAULT_PAGE_SHIFT 14 /* host PAGE_SHIFT: 16 KiB */
#define VMM_DEFAULT_VHPT_SHIFT 18 /* VHPT_SHIFT: 256 KiB machine VHPT, 8192 entries */
#define VMM_DEFAULT_VTLB_SHIFT 17 /* VTLB_SHIFT: 128 KiB vTLB, 4096 entries */
#define VMM_MIN_TABLE_SHIFT 15    /* PTA.size minimum, and vsa_thash needs size - 13 >= 0 */
#define VMM_MAX_TABLE_SHIFT 30    /* simulator limit: each table is allocated for real */
#define VMM_DEFAULT_GUEST_MEM (UINT64_C(4) << 30) /* span of the dirty bitmap */

/* Guest physical-mode region registers (kvm-ia64.c GUEST_PHYSICAL_RR0/RR4): machine values. */
#define VMM_GUEST_PHYSICAL_RR0 UINT64_C(0x1739)
#define VMM_GUEST_PHYSICAL_RR4 UINT64_C(0x2739)
/* Guest rr value after reset (Xen VT-i's vmx_init_all_rr, which KVM/ia64 derives from). */
#define VMM_GUEST_INITIAL_RR UINT64_C(0x38)

/* mode_flags */
#define VMM_GUEST_IN_PHY 0x1u
#define VMM_GUEST_PHY_EMUL 0x2u

/* requests (KVM_REQ_*) */
#define VMM_REQ_PTC_G 0x1u
#define VMM_REQ_TLB_FLUSH 0x2u

/* Most ptc.e steps one local_flush_tlb_all may take (ptce_count[0] x ptce_count[1]). PAL reports
 * at most one step per TC set, and no IA-64 processor has a TC of more than a few hundred
 * entries (Itanium 2: 1 x 1); 2^16 steps (about 0.3 ms of simulation each) keep a guest's ptc.e
 * from running for hours (2^20 x 2^20 would be 2^40 steps). */
#define VMM_PTCE_STEPS_MAX (1u << 16)

struct vmm_params {
    unsigned page_shift; /* host PAGE_SHIFT (a valid IA-64 page size) */
    unsigned vtlb_shift; /* log2 bytes of the vTLB hash */
    unsigned vhpt_shift; /* log2 bytes of the machine VHPT */
    uint32_t ptce_count[2];   /* PAL_PTCE_INFO counts (default 1 x 1) */
    uint64_t ptce_stride[2];
    uint64_t ptce_base;
    uint64_t guest_mem_bytes; /* frames covered by the dirty bitmap */
    uint64_t p2m_mem_offset;  /* machine address of guest-physical 0 */
    uint64_t initial_psr;     /* guest psr at start (vhptsim starts guests booted: dt/it/rt/ic) */
};

void vmm_params_default(struct vmm_params *p);
/* Checks every parameter; returns NULL or a static message naming what is wrong. */
const char *vmm_params_check(const struct vmm_params *p);

/* Which guest operation (or VMM-internal action) a piece of work belongs to. */
enum vmm_op {
    VMM_OP_ITC_I = 0,
    VMM_OP_ITC_D,
    VMM_OP_ITR_I,
    VMM_OP_ITR_D,
    VMM_OP_PTC_L,
    VMM_OP_PTC_G,
    VMM_OP_PTC_GA,
    VMM_OP_PTC_E,
    VMM_OP_PTR_I,
    VMM_OP_PTR_D,
    VMM_OP_MOV_RR,
    VMM_OP_MOV_PTA,
    VMM_OP_SET_PSR,
    VMM_OP_REMOTE_PURGE, /* ptc_ga_remote_func run at resume for another vCPU's ptc.g/ga */
    VMM_OP_REMOTE_FLUSH, /* thash_purge_all run at resume after the ptc.g queue overflowed */
    VMM_OP_DTLB_MISS,    /* kvm_page_fault, D side */
    VMM_OP_ITLB_MISS,    /* kvm_page_fault, I side */
    VMM_OP_COUNT
};

const char *vmm_op_name(enum vmm_op op);

struct vmm_op_stats {
    uint64_t count;
    struct vmm_work work;
    uint64_t cycles; /* charged for it by the timed platform (model/sc/vmm_module.cpp; 0 untimed) */
};

struct vmm_stats {
    struct vmm_op_stats op[VMM_OP_COUNT];
    uint64_t miss_outcome[VMM_MISS_OUTCOME_COUNT];
    uint64_t fault[VMM_FAULT_COUNT];
    uint64_t vtlb_lookup_tr_hits;  /* vtlb_lookup answered by a guest TR */
    uint64_t vtlb_lookup_tc_hits;  /* ... by a vTLB hash entry */
    uint64_t vtlb_lookup_misses;
    uint64_t vtlb_compulsory_misses; /* misses of a page never inserted into this vTLB */
    uint64_t vtlb_insert_overwrites; /* inserts that replaced a valid entry of another page */
    uint64_t vhpt_insert_overwrites;
    uint64_t tpi_ps_eq, tpi_ps_gt, tpi_ps_lt, tpi_io; /* thash_purge_and_insert branches */
    uint64_t vhpt_insert_direct_itc; /* thash_vhpt_insert with guest ps < machine ps */
    uint64_t gvhpt_ok, gvhpt_fail, gvhpt_tr_inserts; /* guest_vhpt_lookup results */
    uint64_t ptc_g_queued, ptc_g_dropped, ptc_g_overflows;
    uint64_t mode_v2p, mode_p2v; /* switch_mm_mode transitions */
};

struct vmm_ptc_g_record {
    uint64_t rr;    /* the initiator's guest rr of vaddr */
    uint64_t vaddr;
    unsigned ps;
};

struct vmm_vcpu;

/* The VM: what the vCPUs share (p2m, dirty log, parameters) and the vCPU list ptc.ga walks. */
struct vmm_vm {
    struct vmm_params params;
    struct p2m p2m;
    struct dirty_log dirty;
    unsigned nr_vcpus;
    struct vmm_vcpu **vcpus; /* nr_vcpus entries, filled by vmm_vcpu_init */
};

struct vmm_vcpu {
    unsigned id;
    struct vmm_vm *vm;
    struct vmm_machine mach;

    struct thash_table vtlb; /* software guest TLB (direct-mapped, vsa_thash) */
    struct thash_table vhpt; /* machine VHPT the hardware walker reads */

    struct ia64_lvhpt_entry dtrs[VMM_NDTRS]; /* guest TRs: etag = vadr, word3 = rid */
    struct ia64_lvhpt_entry itrs[VMM_NITRS];
    uint64_t psbits[8];  /* per region: bit ps set when a vTLB entry of size ps was inserted */
    uint8_t tc_regions;  /* region bitmaps: set only, cleared by re-initialisation */
    uint8_t dtr_regions;
    uint8_t itr_regions;

    uint64_t vrr[8]; /* guest region registers */
    uint64_t vpta;   /* guest PTA */
    uint64_t vpsr;   /* guest PSR */

    unsigned mode_flags; /* VMM_GUEST_IN_PHY, VMM_GUEST_PHY_EMUL */
    uint64_t metaphysical_rr0, metaphysical_rr4;
    uint64_t metaphysical_saved_rr0, metaphysical_saved_rr4;

    unsigned requests; /* VMM_REQ_* pending for the next resume */
    unsigned ptc_g_count;
    struct vmm_ptc_g_record ptc_g_data[VMM_MAX_PTC_G_NUM];

    struct vmm_work work; /* the work of the call in progress */
    struct vmm_stats stats;
    struct seen_pages vtlb_seen; /* statistics only: pages ever inserted into the vTLB */
};

/* Allocates the VM's dirty log and vCPU list; 0 or -1 (out of memory). */
int vmm_vm_init(struct vmm_vm *vm, const struct vmm_params *params, unsigned nr_vcpus);
void vmm_vm_free(struct vmm_vm *vm);

/*
 * Brings up vCPU `id` of vm on machine `mach`: allocates and thash_init()s both tables,
 * installs the VHPT as the machine PTA (kvm_init_vhpt), loads the machine rrs from the guest's
 * initial rrs. 0 or -1 (out of memory).
 */
int vmm_vcpu_init(struct vmm_vcpu *v, unsigned id, struct vmm_vm *vm, struct vmm_machine mach);
void vmm_vcpu_free(struct vmm_vcpu *v);

/* vrrtomrr: the machine rr KVM loads for a guest rr value. */
uint64_t vmm_vrrtomrr(const struct vmm_vcpu *v, uint64_t vrr);

static inline uint64_t vmm_vcpu_get_rr(const struct vmm_vcpu *v, uint64_t va)
{
    return v->vrr[ia64_region(va)];
}

static inline int vmm_is_physical_mode(const struct vmm_vcpu *v)
{
    return (v->mode_flags & VMM_GUEST_IN_PHY) != 0;
}

/* Machine-op shorthands. */
static inline uint64_t vmm_m_get_rr(const struct vmm_vcpu *v, uint64_t va)
{
    return v->mach.ops->get_rr(v->mach.ctx, va);
}
static inline void vmm_m_set_rr(const struct vmm_vcpu *v, uint64_t va, uint64_t val)
{
    v->mach.ops->set_rr(v->mach.ctx, va, val);
}

#endif

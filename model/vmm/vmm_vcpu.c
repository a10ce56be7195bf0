/* vmm_vcpu.c - set-up of the VM and vCPU state (kvm_init_vhpt, kvm_init_vtlb, kvm_init_all_rr). */
#include "vmm_vcpu.h"

#include <stdlib.h>
#include <string.h>

#include "vtlb.h"

/*
 * Simulated addresses of each vCPU's tables, in the VMM's region 7 like KVM's VHPT_BASE(n) /
 * VTLB_BASE(n). 64 GiB apart per vCPU and 4 GiB-aligned, so any table up to
 * 2^VMM_MAX_TABLE_SHIFT bytes is aligned to its size, as a PTA base must be.
 */
#define VMM_TABLE_REGION_BASE UINT64_C(0xe000000000000000)
#define VMM_VCPU_TABLE_STRIDE (UINT64_C(1) << 36)
#define VMM_VHPT_OFFSET (UINT64_C(1) << 32)
#define VMM_VTLB_OFFSET (UINT64_C(2) << 32)

void vmm_params_default(struct vmm_params *p)
{
    memset(p, 0, sizeof *p);
    p->page_shift = VMM_DEFAULT_PAGE_SHIFT;
    p->vtlb_shift = VMM_DEFAULT_VTLB_SHIFT;
    p->vhpt_shift = VMM_DEFAULT_VHPT_SHIFT;
    p->ptce_count[0] = 1;
    p->ptce_count[1] = 1;
    p->guest_mem_bytes = VMM_DEFAULT_GUEST_MEM;
    p->p2m_mem_offset = P2M_DEFAULT_MEM_OFFSET;
    p->initial_psr = IA64_PSR_DT | IA64_PSR_IT | IA64_PSR_RT | IA64_PSR_IC;
}

const char *vmm_params_check(const struct vmm_params *p)
{
    if (!ia64_page_size_valid(p->page_shift))
        return "host page shift is not an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)";
    if (p->vtlb_shift < VMM_MIN_TABLE_SHIFT || p->vtlb_shift > VMM_MAX_TABLE_SHIFT)
        return "vTLB size must be a power of two from 32 KiB to 1 GiB";
    if (p->vhpt_shift < VMM_MIN_TABLE_SHIFT || p->vhpt_shift > VMM_MAX_TABLE_SHIFT)
        return "VHPT size must be a power of two from 32 KiB to 1 GiB";
    if (p->ptce_count[0] == 0 || p->ptce_count[1] == 0)
        return "ptc.e counts must be at least 1";
    if ((uint64_t)p->ptce_count[0] * p->ptce_count[1] > VMM_PTCE_STEPS_MAX)
        return "ptc.e counts: their product (ptc.e steps per flush) must be at most 65536";
    if (p->p2m_mem_offset & ((UINT64_C(1) << p->page_shift) - 1))
        return "p2m memory offset must be a multiple of the host page size";
    if (p->guest_mem_bytes == 0 || (p->guest_mem_bytes >> p->page_shift) == 0)
        return "guest memory must hold at least one host page";
    return NULL;
}

static const char *const op_names[VMM_OP_COUNT] = {
    "itc_i", "itc_d", "itr_i", "itr_d", "ptc_l", "ptc_g", "ptc_ga", "ptc_e", "ptr_i",
    "ptr_d", "mov_rr", "mov_pta", "set_psr", "remote_purge", "remote_flush", "dtlb_miss",
    "itlb_miss",
};

const char *vmm_op_name(enum vmm_op op) { return (unsigned)op < VMM_OP_COUNT ? op_names[op] : "?"; }

static const char *const fault_names[VMM_FAULT_COUNT] = {
    "none", "alt_dtlb", "nested_dtlb", "dtlb", "dvhpt", "alt_itlb", "itlb", "ivhpt",
    "inst_page_not_present", "data_access_rights", "page_not_present",
};

const char *vmm_fault_name(enum vmm_fault f) { return (unsigned)f < VMM_FAULT_COUNT ? fault_names[f] : "?"; }

static const char *const outcome_names[VMM_MISS_OUTCOME_COUNT] = {
    "physical_insert", "physical_io", "vtlb_insert", "vtlb_io", "guest_vhpt_insert", "fault",
};

const char *vmm_miss_outcome_name(enum vmm_miss_outcome o)
{
    return (unsigned)o < VMM_MISS_OUTCOME_COUNT ? outcome_names[o] : "?";
}

int vmm_vm_init(struct vmm_vm *vm, const struct vmm_params *params, unsigned nr_vcpus)
{
    memset(vm, 0, sizeof *vm);
    vm->params = *params;
    vm->p2m.mem_offset = params->p2m_mem_offset;
    vm->p2m.page_shift = params->page_shift;
    vm->nr_vcpus = nr_vcpus;
    vm->vcpus = calloc(nr_vcpus ? nr_vcpus : 1, sizeof *vm->vcpus);
    if (!vm->vcpus)
        return -1;
    if (dirty_log_init(&vm->dirty, params->guest_mem_bytes >> params->page_shift) != 0) {
        free(vm->vcpus);
        vm->vcpus = NULL;
        return -1;
    }
    return 0;
}

void vmm_vm_free(struct vmm_vm *vm)
{
    dirty_log_free(&vm->dirty);
    free(vm->vcpus);
    vm->vcpus = NULL;
}

/* mirrors vrrtomrr (vcpu.h): rid widened with the VMM's 0xe tag, ps capped, walker on */
uint64_t vmm_vrrtomrr(const struct vmm_vcpu *v, uint64_t vrr)
{
    const uint64_t rid = ((ia64_rr_rid(vrr) << 4) | 0xe) & 0xffffff; /* a 24-bit field */
    unsigned ps = ia64_rr_ps(vrr);
    if (ps > v->vm->params.page_shift)
        ps = v->vm->params.page_shift;
    uint64_t mrr = vrr & ~(IA64_RR_RID_MASK | IA64_RR_PS_MASK | 1u);
    return mrr | ia64_rr_make(rid, ps, 1);
}

static int table_alloc(struct thash_table *t, uint64_t base, unsigned shift)
{
    t->num = (uint32_t)(UINT64_C(1) << (shift - 5));
    t->base = base;
    t->hash = malloc((size_t)t->num * sizeof *t->hash);
    if (!t->hash)
        return -1;
    thash_init(t, shift);
    return 0;
}

int vmm_vcpu_init(struct vmm_vcpu *v, unsigned id, struct vmm_vm *vm, struct vmm_machine mach)
{
    memset(v, 0, sizeof *v);
    v->id = id;
    v->vm = vm;
    v->mach = mach;
    const uint64_t base = VMM_TABLE_REGION_BASE + (uint64_t)id * VMM_VCPU_TABLE_STRIDE;

    /* kvm_init_vhpt and kvm_init_vtlb */
    if (table_alloc(&v->vhpt, base + VMM_VHPT_OFFSET, vm->params.vhpt_shift) != 0)
        return -1;
    if (table_alloc(&v->vtlb, base + VMM_VTLB_OFFSET, vm->params.vtlb_shift) != 0) {
        free(v->vhpt.hash);
        v->vhpt.hash = NULL;
        return -1;
    }
    mach.ops->set_pta(mach.ctx, v->vhpt.pta, &v->vhpt);

    for (unsigned r = 0; r < 8; r++)
        v->vrr[r] = VMM_GUEST_INITIAL_RR;
    v->vpsr = vm->params.initial_psr;
    v->metaphysical_rr0 = VMM_GUEST_PHYSICAL_RR0;
    v->metaphysical_rr4 = VMM_GUEST_PHYSICAL_RR4;

    /* kvm_init_all_rr: rr0/rr4 depend on the mode the guest starts in */
    v->metaphysical_saved_rr0 = vmm_vrrtomrr(v, v->vrr[0]);
    v->metaphysical_saved_rr4 = vmm_vrrtomrr(v, v->vrr[4]);
    /* the guest is in physical mode unless it starts with translation on (MODE_IND == 7) */
    if (!(ia64_psr_dt(v->vpsr) && ia64_psr_it(v->vpsr) && ia64_psr_rt(v->vpsr)))
        v->mode_flags |= VMM_GUEST_IN_PHY;
    for (unsigned r = 0; r < 8; r++) {
        uint64_t mrr = vmm_vrrtomrr(v, v->vrr[r]);
        if (vmm_is_physical_mode(v) && r == 0)
            mrr = v->metaphysical_rr0;
        else if (vmm_is_physical_mode(v) && r == 4)
            mrr = v->metaphysical_rr4;
        vmm_m_set_rr(v, ia64_region_base(r), mrr);
    }
    if (id < vm->nr_vcpus)
        vm->vcpus[id] = v;
    return 0;
}

void vmm_vcpu_free(struct vmm_vcpu *v)
{
    seen_pages_free(&v->vtlb_seen);
    free(v->vtlb.hash);
    free(v->vhpt.hash);
    v->vtlb.hash = NULL;
    v->vhpt.hash = NULL;
}

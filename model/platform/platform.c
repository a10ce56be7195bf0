/* platform.c - one guest event through machine TLB, walker and VMM (docs/replay.md). */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vmm/vmm_emul.h"
#include "../vmm/vmm_miss.h"

void platform_params_default(struct platform_params *p)
{
    vmm_params_default(&p->vmm);
    machine_params_default(&p->machine);
    p->nr_vcpus = 1;
}

const char *platform_params_check(const struct platform_params *p)
{
    if (p->nr_vcpus < 1 || p->nr_vcpus > 64)
        return "the number of vCPUs must be 1..64";
    if (p->machine.itc_entries < 1 || p->machine.dtc_entries < 1)
        return "machine TLBs need at least one entry";
    return vmm_params_check(&p->vmm);
}

int platform_init(struct platform *p, const struct platform_params *params, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    const char *bad = platform_params_check(params);
    if (bad) {
        snprintf(err, errlen, "%s", bad);
        return -1;
    }
    p->params = *params;
    p->nr_vcpus = params->nr_vcpus;
    p->cpu = calloc(p->nr_vcpus, sizeof *p->cpu);
    if (!p->cpu || phys_mem_init(&p->mem) != 0 || vmm_vm_init(&p->vm, &params->vmm, p->nr_vcpus) != 0)
        goto oom;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct platform_cpu *c = &p->cpu[i];
        if (machine_init(&c->mach, &params->machine, &p->mem) != 0)
            goto oom;
        if (vmm_vcpu_init(&c->vmm, i, &p->vm, machine_as_vmm_machine(&c->mach)) != 0) {
            machine_free(&c->mach);
            goto oom;
        }
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory building the platform");
    platform_free(p);
    return -1;
}

void platform_free(struct platform *p)
{
    if (p->cpu) {
        for (unsigned i = 0; i < p->nr_vcpus; i++) {
            if (p->vm.vcpus && p->vm.vcpus[i]) {
                vmm_vcpu_free(&p->cpu[i].vmm);
                machine_free(&p->cpu[i].mach);
            }
        }
    }
    free(p->cpu);
    p->cpu = NULL;
    vmm_vm_free(&p->vm);
    phys_mem_free(&p->mem);
}

/* The machine part of one attempt: TLB, then walker. NULL when both missed. */
static const struct mtlb_entry *translate(struct machine *m, enum vmm_tlb_side side, uint64_t va,
                                          enum ref_end *how)
{
    const struct mtlb_entry *e = machine_tlb_lookup(m, side, va);
    if (e) {
        *how = REF_TLB_HIT;
        return e;
    }
    if (machine_walk(m, side, va, &e) == WALK_HIT) {
        *how = REF_WALKER_HIT;
        return e;
    }
    return NULL;
}

static void reference(struct platform *p, struct platform_cpu *c, const struct guest_event *ev,
                      struct ref_result *res)
{
    const enum guest_event_kind kind = (enum guest_event_kind)ev->kind;
    const enum vmm_tlb_side side = kind == GE_IFETCH ? VMM_I_TLB : VMM_D_TLB;
    const int rse = kind == GE_RSE_LOAD || kind == GE_RSE_STORE;
    c->stats.refs++;
    res->fault = VMM_FAULT_NONE;

    for (res->attempts = 1; res->attempts <= PLATFORM_MAX_ATTEMPTS; res->attempts++) {
        if (res->attempts > 1)
            c->stats.refs_retried++;
        const struct mtlb_entry *e = translate(&c->mach, side, ev->va, &res->end);
        if (e) {
            if (!ia64_pte_p(e->pte)) {
                res->end = REF_FAULT;
                res->fault = VMM_FAULT_PAGE_NOT_PRESENT;
                vmm_reflect_fault(&c->vmm, res->fault);
                c->stats.refs_faulted++;
                return;
            }
            if (kind == GE_STORE && (ev->flags & GE_F_HAS_VALUE)) {
                phys_mem_write(&p->mem, machine_paddr(e, ev->va), ev->op0, ev->size);
                c->stats.store_values++;
            }
            return;
        }
        if (kind == GE_LFETCH) {
            res->end = REF_DROPPED;
            c->stats.refs_dropped++;
            return;
        }
        const struct vmm_miss_result miss = vmm_page_fault(&c->vmm, ev->va, side, rse);
        switch (miss.outcome) {
        case VMM_MISS_PHYSICAL_INSERT:
        case VMM_MISS_VTLB_INSERT:
        case VMM_MISS_GUEST_VHPT_INSERT:
            continue; /* the guest re-executes the reference */
        case VMM_MISS_PHYSICAL_IO:
        case VMM_MISS_VTLB_IO:
            res->end = REF_IO;
            c->stats.refs_io++;
            return;
        case VMM_MISS_FAULT:
        default:
            res->end = REF_FAULT;
            res->fault = miss.fault;
            c->stats.refs_faulted++;
            return;
        }
    }
    res->attempts = PLATFORM_MAX_ATTEMPTS;
    res->end = REF_UNRESOLVED;
    c->stats.refs_unresolved++;
}

/* One emulated guest instruction (vmm_emul.h). */
static void instruction(struct platform_cpu *c, const struct guest_event *ev)
{
    struct vmm_vcpu *v = &c->vmm;
    switch ((enum guest_event_kind)ev->kind) {
    case GE_ITC_I:
        vmm_itc(v, VMM_I_TLB, ev->op0, ev->op1, ev->va);
        break;
    case GE_ITC_D:
        vmm_itc(v, VMM_D_TLB, ev->op0, ev->op1, ev->va);
        break;
    case GE_ITR_I:
        vmm_itr(v, VMM_I_TLB, ev->slot, ev->op0, ev->op1, ev->va);
        break;
    case GE_ITR_D:
        vmm_itr(v, VMM_D_TLB, ev->slot, ev->op0, ev->op1, ev->va);
        break;
    case GE_PTC_L:
        vmm_ptc_l(v, ev->va, (unsigned)ev->op0);
        break;
    case GE_PTC_G:
        vmm_ptc_g(v, ev->va, (unsigned)ev->op0, 0);
        break;
    case GE_PTC_GA:
        vmm_ptc_g(v, ev->va, (unsigned)ev->op0, 1);
        break;
    case GE_PTC_E:
        vmm_ptc_e(v, ev->va);
        break;
    case GE_PTR_I:
        vmm_ptr(v, VMM_I_TLB, ev->va, (unsigned)ev->op0);
        break;
    case GE_PTR_D:
        vmm_ptr(v, VMM_D_TLB, ev->va, (unsigned)ev->op0);
        break;
    case GE_MOV_RR:
        vmm_set_rr(v, ev->va, ev->op0);
        break;
    case GE_MOV_PTA:
        vmm_set_pta(v, ev->op0);
        break;
    case GE_SET_PSR:
        vmm_set_psr(v, ev->op0);
        break;
    default: /* CTX_SWITCH and MARK: counted only */
        break;
    }
}

void platform_event(struct platform *p, const struct guest_event *ev, struct ref_result *ref)
{
    struct platform_cpu *c = &p->cpu[ev->cpu];
    if (vmm_resume_pending(&c->vmm))
        vmm_resume(&c->vmm);
    c->stats.events[ev->kind]++;
    if (guest_event_is_reference((enum guest_event_kind)ev->kind)) {
        reference(p, c, ev, ref);
    } else {
        instruction(c, ev);
        ref->end = REF_TLB_HIT;
        ref->fault = VMM_FAULT_NONE;
        ref->attempts = 0;
    }
}

void platform_finish(struct platform *p)
{
    for (unsigned i = 0; i < p->nr_vcpus; i++)
        if (vmm_resume_pending(&p->cpu[i].vmm))
            vmm_resume(&p->cpu[i].vmm);
}

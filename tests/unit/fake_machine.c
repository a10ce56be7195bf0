/* fake_machine.c - see fake_machine.h. */
#include "fake_machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record(struct fake_machine *fm, struct fake_call_rec rec)
{
    if (fm->nlog < FAKE_LOG_MAX)
        fm->log[fm->nlog++] = rec;
}

static uint64_t f_get_rr(void *ctx, uint64_t va) { return machine_vmm_ops.get_rr(&((struct fake_machine *)ctx)->m, va); }

static void f_set_rr(void *ctx, uint64_t va, uint64_t value)
{
    struct fake_machine *fm = ctx;
    record(fm, (struct fake_call_rec){.call = FAKE_SET_RR, .va = va, .value = value});
    machine_vmm_ops.set_rr(&fm->m, va, value);
}

static void f_set_pta(void *ctx, uint64_t pta, const struct thash_table *t)
{
    machine_vmm_ops.set_pta(&((struct fake_machine *)ctx)->m, pta, t);
}

static uint64_t f_thash(void *ctx, uint64_t va) { return machine_vmm_ops.thash(&((struct fake_machine *)ctx)->m, va); }
static uint64_t f_ttag(void *ctx, uint64_t va) { return machine_vmm_ops.ttag(&((struct fake_machine *)ctx)->m, va); }

static void f_itc(void *ctx, enum vmm_tlb_side side, uint64_t va, uint64_t pte, unsigned ps)
{
    struct fake_machine *fm = ctx;
    record(fm, (struct fake_call_rec){.call = FAKE_ITC, .side = side, .va = va, .pte = pte, .ps = ps});
    machine_vmm_ops.itc(&fm->m, side, va, pte, ps);
}

static void f_ptc_l(void *ctx, uint64_t va, unsigned ps)
{
    struct fake_machine *fm = ctx;
    record(fm, (struct fake_call_rec){.call = FAKE_PTC_L, .va = va, .ps = ps});
    machine_vmm_ops.ptc_l(&fm->m, va, ps);
}

static void f_ptc_e(void *ctx, uint64_t addr)
{
    struct fake_machine *fm = ctx;
    record(fm, (struct fake_call_rec){.call = FAKE_PTC_E, .va = addr});
    machine_vmm_ops.ptc_e(&fm->m, addr);
}

static int f_load8(void *ctx, uint64_t va, uint64_t *value)
{
    struct fake_machine *fm = ctx;
    const int rc = machine_vmm_ops.load8_spec(&fm->m, va, value);
    record(fm, (struct fake_call_rec){.call = FAKE_LOAD8, .va = va, .value = rc ? 0 : *value});
    return rc;
}

static const struct vmm_machine_ops fake_ops = {
    .get_rr = f_get_rr, .set_rr = f_set_rr, .set_pta = f_set_pta, .thash = f_thash, .ttag = f_ttag,
    .itc = f_itc, .ptc_l = f_ptc_l, .ptc_e = f_ptc_e, .load8_spec = f_load8,
};

void fake_vcpu_init(struct fake_vcpu *f, const struct vmm_params *params)
{
    memset(f, 0, sizeof *f);
    struct vmm_params p;
    if (params)
        p = *params;
    else
        vmm_params_default(&p);
    struct machine_params mp;
    machine_params_default(&mp);
    if (phys_mem_init(&f->mem) != 0 || vmm_vm_init(&f->vm, &p, 1) != 0 || machine_init(&f->fm.m, &mp, &f->mem) != 0 ||
        vmm_vcpu_init(&f->v, 0, &f->vm, (struct vmm_machine){.ops = &fake_ops, .ctx = &f->fm}) != 0) {
        fprintf(stderr, "fake_vcpu_init: out of memory\n");
        exit(EXIT_FAILURE);
    }
    fake_clear(&f->fm);
}

void fake_vcpu_free(struct fake_vcpu *f)
{
    vmm_vcpu_free(&f->v);
    machine_free(&f->fm.m);
    vmm_vm_free(&f->vm);
    phys_mem_free(&f->mem);
}

unsigned fake_count(const struct fake_machine *fm, enum fake_call call)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fm->nlog; i++)
        n += fm->log[i].call == call;
    return n;
}

const struct fake_call_rec *fake_nth(const struct fake_machine *fm, enum fake_call call, unsigned n)
{
    for (unsigned i = 0; i < fm->nlog; i++)
        if (fm->log[i].call == call && n-- == 0)
            return &fm->log[i];
    return NULL;
}

void fake_clear(struct fake_machine *fm) { fm->nlog = 0; }

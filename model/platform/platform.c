/* platform.c - one guest event through machine TLB, walker and VMM (docs/replay.md). */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vmm/vmm_emul.h"
#include "../vmm/vmm_miss.h"
#include "emulate_event.h"

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
    const char *bad = machine_params_check(&p->machine);
    return bad ? bad : vmm_params_check(&p->vmm);
}

/* ---- the untimed stages: direct calls ------------------------------------------------------ */

static const struct mtlb_entry *f_translate(void *ctx, unsigned cpu, enum vmm_tlb_side side, uint64_t va)
{
    struct machine *m = &((struct platform *)ctx)->cpu[cpu].mach;
    const struct mtlb_entry *e = machine_tlb_lookup(m, side, va);
    if (!e && machine_walk(m, side, va, &e) != WALK_HIT)
        return NULL;
    return e;
}

static struct vmm_miss_result f_page_fault(void *ctx, unsigned cpu, uint64_t va, enum vmm_tlb_side side, int rse)
{
    return vmm_page_fault(&((struct platform *)ctx)->cpu[cpu].vmm, va, side, rse);
}

static void f_emulate(void *ctx, unsigned cpu, const struct guest_event *ev)
{
    enum vmm_op op;
    emulate_event(&((struct platform *)ctx)->cpu[cpu].vmm, ev, &op);
}

static int f_resume(void *ctx, unsigned cpu)
{
    struct vmm_vcpu *v = &((struct platform *)ctx)->cpu[cpu].vmm;
    if (!vmm_resume_pending(v))
        return 0;
    vmm_resume(v);
    return 1;
}

static void f_reflect(void *ctx, unsigned cpu, enum vmm_fault fault)
{
    vmm_reflect_fault(&((struct platform *)ctx)->cpu[cpu].vmm, fault);
}

static void f_guest_handler(void *ctx, unsigned cpu, enum vmm_fault fault)
{
    (void)ctx, (void)cpu, (void)fault; /* untimed: nothing to charge */
}

static void f_store_value(void *ctx, unsigned cpu, uint64_t paddr, uint64_t value, unsigned size)
{
    (void)cpu;
    phys_mem_write(&((struct platform *)ctx)->mem, paddr, value, size);
}

static const struct engine_ops functional_ops = {
    .translate = f_translate,
    .page_fault = f_page_fault,
    .emulate = f_emulate,
    .resume = f_resume,
    .reflect = f_reflect,
    .guest_handler = f_guest_handler,
    .store_value = f_store_value,
};

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
        /* each vCPU draws its own replacement and walker-latency sequences */
        struct machine_params mp = params->machine;
        mp.tlb_seed = params->machine.tlb_seed + (uint64_t)i * UINT64_C(0xd1b54a32d192ed03); /* not the streams' gamma */
        mp.walker.seed = params->machine.walker.seed + (uint64_t)i * UINT64_C(0xd1b54a32d192ed03); /* not the streams' gamma */
        if (machine_init(&c->mach, &mp, &p->mem) != 0)
            goto oom;
        if (vmm_vcpu_init(&c->vmm, i, &p->vm, machine_as_vmm_machine(&c->mach)) != 0) {
            machine_free(&c->mach);
            goto oom;
        }
    }
    p->pending = malloc(p->nr_vcpus * sizeof *p->pending);
    if (!p->pending)
        goto oom;
    for (unsigned i = 0; i < p->nr_vcpus; i++)
        p->pending[i] = &p->cpu[i].vmm.requests;
    p->engine = (struct engine){.ops = &functional_ops, .ctx = p, .os = NULL, .resume_pending = p->pending};
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
    free(p->pending);
    p->pending = NULL;
    vmm_vm_free(&p->vm);
    phys_mem_free(&p->mem);
}

void platform_attach_guest(struct platform *p, struct guest_os *os)
{
    p->engine.os = os;
    p->guest = os;
    for (unsigned i = 0; i < p->nr_vcpus; i++)
        engine_boot(&p->engine, i, &p->cpu[i].stats);
}

void platform_event(struct platform *p, const struct guest_event *ev, struct ref_result *ref)
{
    p->cpu[ev->cpu].stats.insns += ev->insns;
    engine_event(&p->engine, ev, &p->cpu[ev->cpu].stats, ref);
}

void platform_finish(struct platform *p)
{
    for (unsigned i = 0; i < p->nr_vcpus; i++)
        engine_finish(&p->engine, i);
}

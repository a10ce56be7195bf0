/* counters.c - names and order of the counters (documented in docs/stats.md). */
#include "counters.h"

#include <inttypes.h>

struct emitter {
    counter_fn fn;
    void *ctx;
    char prefix[64];
};

static void emit(const struct emitter *e, const char *name, uint64_t value)
{
    char full[256];
    snprintf(full, sizeof full, "%s.%s", e->prefix, name);
    e->fn(e->ctx, full, value);
}

static void emit2(const struct emitter *e, const char *a, const char *b, uint64_t value)
{
    char name[192];
    snprintf(name, sizeof name, "%s.%s", a, b);
    emit(e, name, value);
}

/* one counter per guest fault kind (index 0, no fault, is not one): "<group>.<fault>" */
static void emit_by_fault(const struct emitter *e, const char *group, const uint64_t count[VMM_FAULT_COUNT])
{
    for (unsigned f = 1; f < VMM_FAULT_COUNT; f++)
        emit2(e, group, vmm_fault_name((enum vmm_fault)f), count[f]);
}

static void emit_level(const struct emitter *e, const char *side, const char *level,
                       const struct tlb_level_stats *s)
{
    char base[32];
    snprintf(base, sizeof base, "%s.%s", side, level);
    emit2(e, base, "hits", s->hits);
    emit2(e, base, "misses", s->misses);
    emit2(e, base, "inserts", s->inserts);
    emit2(e, base, "evictions", s->evictions);
    emit2(e, base, "purged", s->purged);
    emit2(e, base, "rejected", s->rejected);
}

static void emit_tlb(const struct emitter *e, const char *side, const struct mtlb *t)
{
    const struct mtlb_stats s = mtlb_get_stats(t);
    emit_level(e, side, "l1", &s.l1);
    emit_level(e, side, "l2", &s.l2);
    emit2(e, side, "l2.tr_hits", s.tr_hits);
}

static const enum vmm_op purge_ops[] = {VMM_OP_PTC_L, VMM_OP_PTC_G,        VMM_OP_PTC_GA,       VMM_OP_PTC_E,
                                        VMM_OP_PTR_I, VMM_OP_PTR_D,        VMM_OP_REMOTE_PURGE, VMM_OP_REMOTE_FLUSH};
static const enum vmm_op insert_ops[] = {VMM_OP_ITC_I, VMM_OP_ITC_D, VMM_OP_ITR_I, VMM_OP_ITR_D};
static const enum vmm_op state_ops[] = {VMM_OP_MOV_RR, VMM_OP_MOV_PTA, VMM_OP_SET_PSR};

static void emit_op(const struct emitter *e, const char *group, const struct vmm_stats *s, enum vmm_op op, int purge)
{
    const struct vmm_op_stats *o = &s->op[op];
    char base[128];
    snprintf(base, sizeof base, "vmm.%s.%s", group, vmm_op_name(op));
    emit2(e, base, "count", o->count);
    emit2(e, base, "entries", vmm_work_entries_touched(&o->work));
    emit2(e, base, "invalidated", o->work.vtlb_invalidated + o->work.vhpt_invalidated);
    if (purge) {
        emit2(e, base, "machine_purges", o->work.machine_ptc_l + o->work.machine_ptc_e);
        emit2(e, base, "cycles", o->cycles);
    }
    else
        emit2(e, base, "inserts", o->work.vtlb_inserts + o->work.vhpt_inserts + o->work.machine_itc);
}

/* the guest OS model's counters of one vCPU (docs/guest-os.md, "Counters") */
static void emit_guest(const struct emitter *e, const struct guest_os_stats *g)
{
    emit_by_fault(e, "guest.faults", g->faults_handled);
    emit(e, "guest.unhandled_faults", g->faults_unhandled);
    emit(e, "guest.frames.allocated", g->frames_allocated);
    emit(e, "guest.frames.vhpt_pages", g->pt_pages_allocated);
    emit(e, "guest.frames.alloc_failures", g->alloc_failures);
    emit(e, "guest.ctx.switches", g->ctx_switches);
    emit(e, "guest.ctx.rid_wraps", g->rid_wraps);
    emit(e, "guest.delayed_flushes", g->delayed_flushes);
    emit(e, "guest.munmap.count", g->munmaps);
    emit(e, "guest.munmap.pages", g->pages_unmapped);
    emit(e, "guest.munmap.page_purges", g->munmap_page_purges);
    emit(e, "guest.munmap.flushes", g->munmap_flushes);
    emit(e, "guest.munmap.purge_fallbacks", g->munmap_purge_fallbacks);
    emit(e, "guest.exits", g->exits);
}

/* what a system-mode Ski trace shows against what the VMM decided (docs/ski-traces.md,
 * "Divergences"); listed only for such a trace (platform.traced) */
static void emit_traced(const struct emitter *e, const struct engine_stats *ps)
{
    emit(e, "trace.refs", ps->traced_refs);
    emit(e, "trace.interruptions", ps->traced_faults);
    emit(e, "trace.interruptions.agreed", ps->traced_faults_agreed);
    emit(e, "divergence.vmm_translated", ps->div_vmm_translated);
    emit_by_fault(e, "divergence.vmm_fault", ps->div_vmm_fault);
    emit_by_fault(e, "divergence.vector", ps->div_vector);
}

static void emit_cpu(const struct emitter *e, const struct platform *p, unsigned cpu)
{
    const struct platform_cpu *c = &p->cpu[cpu];
    const struct engine_stats *ps = &c->stats;
    for (unsigned k = 0; k < GE_KIND_COUNT; k++) {
        /* the vtrace keyword with '.' -> '_' ("itc.d" -> "itc_d"): dots separate levels */
        char kind[16];
        snprintf(kind, sizeof kind, "%s", guest_event_kind_name((enum guest_event_kind)k));
        for (char *ch = kind; *ch; ch++)
            if (*ch == '.')
                *ch = '_';
        emit2(e, "events", kind, ps->events[k]);
    }
    if (p->counts_insns)
        emit(e, "instructions", ps->insns);
    emit(e, "refs", ps->refs);
    emit(e, "refs.retried", ps->refs_retried);
    emit(e, "refs.io_emulated", ps->refs_io);
    emit(e, "refs.faulted", ps->refs_faulted);
    emit(e, "refs.lfetch_dropped", ps->refs_dropped);
    emit(e, "refs.unresolved", ps->refs_unresolved);
    emit(e, "refs.store_values", ps->store_values);
    emit(e, "guest.faults", ps->guest_faults);
    emit(e, "guest.ops", ps->guest_ops);
    if (p->guest) {
        const struct guest_os_stats g = guest_os_get_cpu_stats(p->guest, cpu);
        emit_guest(e, &g);
    }
    if (p->traced)
        emit_traced(e, ps);

    emit_tlb(e, "itlb", &c->mach.itlb);
    emit_tlb(e, "dtlb", &c->mach.dtlb);
    emit(e, "walker.walks", c->mach.walker.walks);
    emit(e, "walker.hits", c->mach.walker.hits);
    emit(e, "walker.misses", c->mach.walker.misses);
    emit(e, "walker.not_present", c->mach.walker.not_present);
    for (unsigned l = 0; l < WALKER_MEM_LEVELS; l++)
        emit2(e, "walker.mem", walker_mem_level_name((enum walker_mem_level)l), c->mach.walker.mem[l]);

    const struct vmm_stats *s = &c->vmm.stats;
    emit(e, "vmm.vtlb.hits", s->vtlb_lookup_tr_hits + s->vtlb_lookup_tc_hits);
    emit(e, "vmm.vtlb.tr_hits", s->vtlb_lookup_tr_hits);
    emit(e, "vmm.vtlb.misses", s->vtlb_lookup_misses);
    emit(e, "vmm.vtlb.compulsory_misses", s->vtlb_compulsory_misses);
    emit(e, "vmm.vtlb.overwrites", s->vtlb_insert_overwrites);
    emit(e, "vmm.vhpt.overwrites", s->vhpt_insert_overwrites);
    emit(e, "vmm.miss.dtlb.count", s->op[VMM_OP_DTLB_MISS].count);
    emit(e, "vmm.miss.dtlb.entries", vmm_work_entries_touched(&s->op[VMM_OP_DTLB_MISS].work));
    emit(e, "vmm.miss.itlb.count", s->op[VMM_OP_ITLB_MISS].count);
    emit(e, "vmm.miss.itlb.entries", vmm_work_entries_touched(&s->op[VMM_OP_ITLB_MISS].work));
    for (unsigned o = 0; o < VMM_MISS_OUTCOME_COUNT; o++)
        emit2(e, "vmm.miss.outcome", vmm_miss_outcome_name((enum vmm_miss_outcome)o), s->miss_outcome[o]);
    emit_by_fault(e, "vmm.fault", s->fault);
    emit(e, "vmm.guest_vhpt.ok", s->gvhpt_ok);
    emit(e, "vmm.guest_vhpt.fail", s->gvhpt_fail);
    emit(e, "vmm.purge_and_insert.ps_eq", s->tpi_ps_eq);
    emit(e, "vmm.purge_and_insert.ps_gt", s->tpi_ps_gt);
    emit(e, "vmm.purge_and_insert.ps_lt", s->tpi_ps_lt);
    emit(e, "vmm.purge_and_insert.io", s->tpi_io);
    emit(e, "vmm.vhpt_insert.direct_itc", s->vhpt_insert_direct_itc);
    for (unsigned i = 0; i < sizeof insert_ops / sizeof insert_ops[0]; i++)
        emit_op(e, "insert", s, insert_ops[i], 0);
    for (unsigned i = 0; i < sizeof purge_ops / sizeof purge_ops[0]; i++)
        emit_op(e, "purge", s, purge_ops[i], 1);
    for (unsigned i = 0; i < sizeof state_ops / sizeof state_ops[0]; i++)
        emit2(e, "vmm.state", vmm_op_name(state_ops[i]), s->op[state_ops[i]].count);
    emit(e, "vmm.ptc_g.queued", s->ptc_g_queued);
    emit(e, "vmm.ptc_g.dropped", s->ptc_g_dropped);
    emit(e, "vmm.ptc_g.overflows", s->ptc_g_overflows);
    emit(e, "vmm.mode.v2p", s->mode_v2p);
    emit(e, "vmm.mode.p2v", s->mode_p2v);
    for (unsigned r = 0; r < COST_ROW_COUNT; r++)
        emit2(e, "cycles", cost_row_name((enum cost_row)r), c->cycles.cycles[r]);
    emit(e, "cycles.total", c->cycles.total);
}

void platform_counters_visit(const struct platform *p, counter_fn fn, void *ctx)
{
    struct emitter e = {.fn = fn, .ctx = ctx};
    for (unsigned c = 0; c < p->nr_vcpus; c++) {
        snprintf(e.prefix, sizeof e.prefix, "cpu%u", c);
        emit_cpu(&e, p, c);
    }
    snprintf(e.prefix, sizeof e.prefix, "vm");
    emit(&e, "dirty.pages", p->vm.dirty.set_count);
    emit(&e, "dirty.out_of_range", p->vm.dirty.out_of_range);
}

struct print_ctx {
    FILE *out;
};

static void print_one(void *ctx, const char *name, uint64_t value)
{
    fprintf(((struct print_ctx *)ctx)->out, "%s %" PRIu64 "\n", name, value);
}

int platform_counters_print(const struct platform *p, FILE *out)
{
    struct print_ctx pc = {.out = out};
    platform_counters_visit(p, print_one, &pc);
    return ferror(out) ? -1 : 0;
}

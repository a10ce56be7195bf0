/* machine.c - the host processor model of machine.h and its vmm_machine_ops. */
#include "machine.h"

#include <string.h>

void machine_params_default(struct machine_params *p)
{
    p->itc_entries = MACHINE_DEFAULT_TC_ENTRIES;
    p->dtc_entries = MACHINE_DEFAULT_TC_ENTRIES;
    p->hash = IA64_LVHPT_HASH_SKI;
}

int machine_init(struct machine *m, const struct machine_params *p, struct phys_mem *mem)
{
    memset(m, 0, sizeof *m);
    m->params = *p;
    m->mem = mem;
    if (mtlb_init(&m->itlb, p->itc_entries) != 0)
        return -1;
    if (mtlb_init(&m->dtlb, p->dtc_entries) != 0) {
        mtlb_free(&m->itlb);
        return -1;
    }
    return 0;
}

void machine_free(struct machine *m)
{
    mtlb_free(&m->itlb);
    mtlb_free(&m->dtlb);
}

static uint64_t m_thash(const struct machine *m, uint64_t va)
{
    return ia64_lvhpt_thash(m->params.hash, m->pta, m->rr[ia64_region(va)], va);
}

static uint64_t m_ttag(const struct machine *m, uint64_t va)
{
    return ia64_lvhpt_ttag(m->params.hash, m->rr[ia64_region(va)], va);
}

enum walk_result machine_walk(struct machine *m, enum vmm_tlb_side side, uint64_t va,
                              const struct mtlb_entry **entry)
{
    m->walker.walks++;
    *entry = NULL;
    /* the VMM runs the guest with psr.dt/it/ic on, so the rr and PTA ve bits decide */
    const uint64_t rr = m->rr[ia64_region(va)];
    const uint64_t addr = m_thash(m, va);
    if (!ia64_rr_ve(rr) || !ia64_pta_ve(m->pta) || !m->vhpt_mem || !thash_table_contains(m->vhpt_mem, addr)) {
        m->walker.misses++;
        return WALK_MISS;
    }
    const struct ia64_lvhpt_entry *e = thash_table_slot(m->vhpt_mem, addr);
    if (e->etag != m_ttag(m, va)) {
        m->walker.misses++;
        return WALK_MISS;
    }
    m->walker.hits++;
    if (!ia64_pte_p(e->page_flags))
        m->walker.not_present++;
    struct mtlb *tlb = machine_tlb(m, side);
    mtlb_insert(tlb, va, ia64_rr_rid(rr), ia64_entry_ps(e), e->page_flags);
    *entry = mtlb_probe(tlb, va, ia64_rr_rid(rr));
    return WALK_HIT;
}

/* ---- vmm_machine_ops ---------------------------------------------------------------------- */

static uint64_t op_get_rr(void *ctx, uint64_t va)
{
    return ((struct machine *)ctx)->rr[ia64_region(va)];
}

static void op_set_rr(void *ctx, uint64_t va, uint64_t value)
{
    ((struct machine *)ctx)->rr[ia64_region(va)] = value;
}

static void op_set_pta(void *ctx, uint64_t pta, const struct thash_table *table)
{
    struct machine *m = ctx;
    m->pta = pta;
    m->vhpt_mem = table;
}

static uint64_t op_thash(void *ctx, uint64_t va) { return m_thash(ctx, va); }
static uint64_t op_ttag(void *ctx, uint64_t va) { return m_ttag(ctx, va); }

static void op_itc(void *ctx, enum vmm_tlb_side side, uint64_t va, uint64_t pte, unsigned ps)
{
    struct machine *m = ctx;
    m->itc_count++;
    mtlb_insert(machine_tlb(m, side), va, machine_rid(m, va), ps, pte);
}

static void op_ptc_l(void *ctx, uint64_t va, unsigned ps)
{
    struct machine *m = ctx;
    const uint64_t rid = machine_rid(m, va);
    m->ptc_l_count++;
    mtlb_purge(&m->itlb, va, ps, rid);
    mtlb_purge(&m->dtlb, va, ps, rid);
}

static void op_ptc_e(void *ctx, uint64_t addr)
{
    struct machine *m = ctx;
    (void)addr;
    /* every ptc.e step is issued and counted; the first one empties both TCs */
    m->ptc_e_count++;
    mtlb_purge_all(&m->itlb);
    mtlb_purge_all(&m->dtlb);
}

static int op_load8_spec(void *ctx, uint64_t va, uint64_t *value)
{
    struct machine *m = ctx;
    const uint64_t rid = machine_rid(m, va);
    const struct mtlb_entry *e = mtlb_probe(&m->dtlb, va, rid);
    if (!e && machine_walk(m, VMM_D_TLB, va, &e) != WALK_HIT)
        return 1; /* the miss is deferred: NaT */
    if (!ia64_pte_p(e->pte))
        return 1;
    *value = m->mem ? phys_mem_read8(m->mem, machine_paddr(e, va)) : 0;
    return 0;
}

const struct vmm_machine_ops machine_vmm_ops = {
    .get_rr = op_get_rr,
    .set_rr = op_set_rr,
    .set_pta = op_set_pta,
    .thash = op_thash,
    .ttag = op_ttag,
    .itc = op_itc,
    .ptc_l = op_ptc_l,
    .ptc_e = op_ptc_e,
    .load8_spec = op_load8_spec,
};

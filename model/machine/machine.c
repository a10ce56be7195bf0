/* machine.c - the host processor model of machine.h and its vmm_machine_ops. */
#include "machine.h"

#include <string.h>

#include "tlb_rng.h"

void machine_params_default(struct machine_params *p)
{
    mtlb_params_default(&p->itlb);
    mtlb_params_default(&p->dtlb);
    p->tlb_seed = 1;
    walker_latency_params_default(&p->walker);
    p->hash = IA64_LVHPT_HASH_SKI;
}

/* "<side> <level>: <problem>" for each side, level and tlb_level_check value */
#define LEVEL_MESSAGES(name)                                                                          \
    {                                                                                                 \
        NULL, name ": too many entries (at most 1048576)",                                            \
            name ": the ways must divide the entries into a power-of-two number of sets",             \
            name ": the page size must be 'all' or an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)", \
            name ": a set-associative level must hold a single page size (only a fully associative "  \
                 "level may hold every page size)",                                                   \
            name ": unknown replacement policy",                                                      \
    }
static const char *const level_messages[2][2][TLB_LEVEL_BAD_POLICY + 1] = {
    {LEVEL_MESSAGES("itlb l1"), LEVEL_MESSAGES("itlb l2")},
    {LEVEL_MESSAGES("dtlb l1"), LEVEL_MESSAGES("dtlb l2")},
};

static const char *side_check(const struct mtlb_params *p, unsigned side)
{
    const enum tlb_level_check c1 = tlb_level_params_check(&p->l1);
    if (c1 != TLB_LEVEL_OK)
        return level_messages[side][0][c1];
    const enum tlb_level_check c2 = tlb_level_params_check(&p->l2);
    if (c2 != TLB_LEVEL_OK)
        return level_messages[side][1][c2];
    if (p->l2.entries < 1)
        return side ? "dtlb l2: needs at least one entry" : "itlb l2: needs at least one entry";
    /* A level of single page size P holds pages of P and up. The VMM puts a guest page smaller
     * than the host's into the machine TLB with the guest's size (thash_vhpt_insert), down to
     * 4 KiB: a side where no level holds 4 KiB pages could never translate one. */
    const int l1_4k = p->l1.entries && (p->l1.ps == 0 || p->l1.ps == 12);
    if (!l1_4k && p->l2.ps != 0 && p->l2.ps != 12)
        return side ? "dtlb: neither level holds 4 KiB pages (L1 or L2 needs page size 12 or 'all')"
                    : "itlb: neither level holds 4 KiB pages (L1 or L2 needs page size 12 or 'all')";
    if (p->ntr > MTLB_MAX_TRS)
        return side ? "dtlb: at most 64 translation registers" : "itlb: at most 64 translation registers";
    return NULL;
}

const char *machine_params_check(const struct machine_params *p)
{
    const char *bad = side_check(&p->itlb, 0);
    if (!bad)
        bad = side_check(&p->dtlb, 1);
    if (!bad)
        bad = walker_latency_params_check(&p->walker);
    return bad;
}

int machine_init(struct machine *m, const struct machine_params *p, struct phys_mem *mem)
{
    memset(m, 0, sizeof *m);
    if (machine_params_check(p))
        return -1;
    m->params = *p;
    m->mem = mem;
    struct mtlb_params side = p->itlb;
    side.seed = tlb_rng_stream_seed(p->tlb_seed, 1);
    if (mtlb_init_params(&m->itlb, &side) != 0)
        return -1;
    side = p->dtlb;
    side.seed = tlb_rng_stream_seed(p->tlb_seed, 2);
    if (mtlb_init_params(&m->dtlb, &side) != 0) {
        mtlb_free(&m->itlb);
        return -1;
    }
    walker_latency_init(&m->walker_lat, &p->walker);
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

enum walk_result machine_walk_mem(struct machine *m, enum vmm_tlb_side side, uint64_t va,
                                  const struct mtlb_entry **entry, enum walker_mem_level *mem)
{
    m->walker.walks++;
    *entry = NULL;
    *mem = WALKER_MEM_NONE;
    /* the VMM runs the guest with psr.dt/it/ic on, so the rr and PTA ve bits decide */
    const uint64_t rr = m->rr[ia64_region(va)];
    if (!ia64_rr_ve(rr) || !ia64_pta_ve(m->pta)) {
        m->walker.misses++;
        return WALK_MISS;
    }
    /* an enabled walker reads the entry at thash(va), whatever it holds */
    *mem = walker_latency_draw(&m->walker_lat);
    m->walker.mem[*mem]++;
    const uint64_t addr = m_thash(m, va);
    if (!m->vhpt_mem || !thash_table_contains(m->vhpt_mem, addr)) {
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
    mtlb_insert_missed(tlb, va, ia64_rr_rid(rr), ia64_entry_ps(e), e->page_flags); /* called after a miss */
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

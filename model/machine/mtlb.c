/* mtlb.c - see mtlb.h. */
#include "mtlb.h"

#include <string.h>

#include "tlb_rng.h"

void mtlb_params_default(struct mtlb_params *p)
{
    memset(p, 0, sizeof *p);
    /* Itanium 2 L1 ITLB / DTLB: 32 entries, fully associative, 4 KiB pages only (larger pages
     * as 4 KiB pieces). L2 ITLB / DTLB: 128 entries, fully associative, every page size.
     * Sources and the figures not found (policy, TR count): docs/machine-tlb.md. */
    p->l1 = (struct tlb_level_params){.entries = 32, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 12};
    p->l2 = (struct tlb_level_params){.entries = 128, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0};
    p->ntr = MTLB_NTRS;
    p->seed = 1;
}

int mtlb_init_params(struct mtlb *t, const struct mtlb_params *p)
{
    memset(t, 0, sizeof *t);
    if (p->ntr > MTLB_MAX_TRS)
        return -1;
    t->ntr = p->ntr;
    for (unsigned i = 0; i < MTLB_MAX_TRS; i++)
        mtlb_entry_clear(&t->tr[i]);
    if (tlb_level_init(&t->l1, &p->l1, tlb_rng_stream_seed(p->seed, 1)) != 0)
        return -1;
    if (tlb_level_init(&t->l2, &p->l2, tlb_rng_stream_seed(p->seed, 2)) != 0) {
        tlb_level_free(&t->l1);
        return -1;
    }
    return 0;
}

int mtlb_init(struct mtlb *t, uint32_t tc_entries)
{
    struct mtlb_params p;
    mtlb_params_default(&p);
    p.l1.entries = 0;
    p.l2 = (struct tlb_level_params){.entries = tc_entries, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0};
    return mtlb_init_params(t, &p);
}

void mtlb_free(struct mtlb *t)
{
    tlb_level_free(&t->l1);
    tlb_level_free(&t->l2);
}

struct mtlb_stats mtlb_get_stats(const struct mtlb *t)
{
    return (struct mtlb_stats){.l1 = t->l1.stats, .l2 = t->l2.stats, .tr_hits = t->tr_hits};
}

/*
 * IA-64 tags a translation with its region id and VPN only: the region number (va bits 63..61)
 * just chooses which rr supplies the rid (SDM vol. 2, 4.1.1.4). KVM's remote ptc.ga relies on
 * it, purging another region's entries through rr0. So mtlb_entry_matches compares offsets,
 * not whole addresses.
 */

/*
 * L1 fill with (the piece containing va of) e, the L2 entry or TR that holds va's translation:
 * L1 caches what L2 holds, and a piece remembers e's translation (parent_ps) so that a purge
 * of any part of that translation removes it. A single-size L1 never holds an entry
 * overlapping the new one (the pieces of one size overlap only when equal, and L1 just missed
 * va). An L1 of every page size may, if a TR overlaps a TC of L2 (architecturally a machine
 * check): drop such entries first so that no two L1 entries of a rid overlap (the invariant of
 * tlb_level.h).
 */
static void fill_l1(struct mtlb *t, uint64_t va, uint64_t rid, const struct mtlb_entry *e)
{
    if (t->l1.n == 0)
        return;
    if (t->l1.ps == 0)
        tlb_level_drop(&t->l1, e->va, e->ps, rid);
    tlb_level_fill(&t->l1, va, rid, e->ps, e->pte, e->parent_ps, NULL);
}

/* Entries given to the levels and TRs so far: only these can turn a miss into a hit. */
static uint64_t fills(const struct mtlb *t)
{
    return t->l1.fills + t->l2.fills + t->tr_sets;
}

/*
 * A lookup of the same va and rid as the last one that missed everywhere, with no entry given
 * to any level or TR since, misses again (purges and replacement-state updates remove or
 * reorder, never add): only the counts are kept, not the searches. This is the guest's
 * re-execution after the VMM's miss path put the translation into the VHPT, not the TLB.
 */
const struct mtlb_entry *mtlb_lookup_slow(struct mtlb *t, uint64_t va, uint64_t rid, enum mtlb_hit *hit)
{
    if (t->last_miss.valid && t->last_miss.va == va && t->last_miss.rid == rid && t->last_miss.fills == fills(t)) {
        if (t->l1.n)
            t->l1.stats.misses++;
        t->l2.stats.misses++;
        *hit = MTLB_MISS;
        return NULL;
    }
    struct mtlb_entry *e1 = tlb_level_find_indexed(&t->l1, va, rid);
    if (e1) {
        t->l1.stats.hits++;
        tlb_level_touch(&t->l1, e1);
        *hit = MTLB_HIT_L1;
        return e1;
    }
    if (t->l1.n)
        t->l1.stats.misses++;
    struct mtlb_entry *e = mtlb_find_tr(t, va, rid);
    if (e) {
        t->tr_hits++;
    } else {
        e = tlb_level_find(&t->l2, va, rid);
        if (!e) {
            t->l2.stats.misses++;
            *hit = MTLB_MISS;
            t->last_miss.va = va;
            t->last_miss.rid = rid;
            t->last_miss.fills = fills(t);
            t->last_miss.valid = 1;
            return NULL;
        }
        tlb_level_touch(&t->l2, e);
    }
    t->l2.stats.hits++;
    *hit = MTLB_HIT_L2;
    fill_l1(t, va, rid, e);
    return e;
}

const struct mtlb_entry *mtlb_probe(const struct mtlb *t, uint64_t va, uint64_t rid)
{
    const struct mtlb_entry *e = tlb_level_find(&t->l1, va, rid);
    if (!e)
        e = mtlb_find_tr(t, va, rid);
    if (!e)
        e = tlb_level_find(&t->l2, va, rid);
    return e;
}

/* Some TR of rid translates a page overlapping [va, va + 2^ps) (region bits ignored). */
static int tr_overlaps(const struct mtlb *t, uint64_t va, unsigned ps, uint64_t rid)
{
    const uint64_t start = ia64_region_offset(ia64_page_align(va, ps)), end_incl = start + ia64_psize(ps) - 1;
    for (uint64_t live = t->tr_valid; live; live &= live - 1) {
        const struct mtlb_entry *e = &t->tr[__builtin_ctzll(live)];
        const uint64_t e_start = ia64_region_offset(e->va);
        if (e->rid == rid && e_start <= end_incl && start <= e_start + (ia64_psize(e->ps) - 1))
            return 1;
    }
    return 0;
}

/*
 * L1 holds pieces of what L2 and the TRs hold, a piece removed with its translation (mtlb.h):
 * so when the purge removed nothing from L2 and overlaps no TR, no L1 entry's translation
 * overlaps the range either, and L1 is not searched. Unless L1 has ever cached a page L2
 * refused (l1_alone), which nothing backs.
 */
static uint32_t purge_levels(struct mtlb *t, uint64_t va, unsigned ps, uint64_t rid, uint64_t l2_sizes)
{
    const uint32_t n = tlb_level_purge_sizes(&t->l2, va, ps, rid, l2_sizes);
    if (n || t->l1_alone || (t->tr_valid && tr_overlaps(t, va, ps, rid)))
        tlb_level_purge(&t->l1, va, ps, rid);
    return n;
}

uint32_t mtlb_purge(struct mtlb *t, uint64_t va, unsigned ps, uint64_t rid)
{
    return purge_levels(t, va, ps, rid, ~UINT64_C(0));
}

uint32_t mtlb_purge_all(struct mtlb *t)
{
    tlb_level_purge_all(&t->l1);
    return tlb_level_purge_all(&t->l2);
}

/* mtlb_insert after the overlap purge */
static const struct mtlb_entry *insert_purged(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    struct mtlb_entry evicted;
    const struct mtlb_entry *e2 = tlb_level_fill(&t->l2, va, rid, ps, pte, ps, &evicted);
    /* L1 is inclusive: the pieces of the translation L2 evicted go with it */
    if (evicted.valid)
        tlb_level_drop(&t->l1, evicted.va, evicted.ps, evicted.rid);
    if (e2) {
        fill_l1(t, va, rid, e2);
        return e2;
    }
    /* a page size L2 does not hold: L1 alone may cache it (docs/machine-tlb.md) */
    const struct mtlb_entry *e1 = tlb_level_fill(&t->l1, va, rid, ps, pte, ps, NULL);
    if (e1)
        t->l1_alone = 1;
    return e1;
}

const struct mtlb_entry *mtlb_insert(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    mtlb_purge(t, va, ps, rid);
    return insert_purged(t, va, rid, ps, pte);
}

/*
 * va missed at L2: no L2 TC of rid contains it. An L2 of every page size holds whole
 * translations only (its fills are mtlb_insert's), so one of 2^ps or more that overlaps va's
 * page of 2^ps contains va: there is none, and the overlap purge searches L2 for smaller ones.
 */
const struct mtlb_entry *mtlb_insert_missed(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    purge_levels(t, va, ps, rid, t->l2.ps == 0 ? ia64_psize(ps) - 1 : ~UINT64_C(0));
    return insert_purged(t, va, rid, ps, pte);
}

void mtlb_insert_tr(struct mtlb *t, unsigned slot, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    if (slot >= t->ntr)
        return;
    mtlb_purge(t, va, ps, rid);
    struct mtlb_entry *tr = &t->tr[slot];
    /* a TR replaced in its slot takes its L1 pieces with it */
    if (t->tr_valid >> slot & 1)
        tlb_level_drop(&t->l1, tr->va, tr->ps, tr->rid);
    mtlb_entry_set(tr, va, rid, ps, pte);
    t->tr_valid |= UINT64_C(1) << slot;
    t->tr_sets++;
}

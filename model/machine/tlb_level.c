/* tlb_level.c - see tlb_level.h. */
#include "tlb_level.h"

#include <stdlib.h>
#include <string.h>

#include "tlb_rng.h"

static int is_pow2(uint32_t v) { return v && (v & (v - 1)) == 0; }

enum tlb_level_check tlb_level_params_check(const struct tlb_level_params *p)
{
    if (p->entries > TLB_LEVEL_MAX_ENTRIES)
        return TLB_LEVEL_BAD_ENTRIES;
    if ((unsigned)p->policy >= TLB_POLICY_COUNT)
        return TLB_LEVEL_BAD_POLICY;
    if (p->ps != 0 && !ia64_page_size_valid(p->ps))
        return TLB_LEVEL_BAD_PS;
    if (p->entries == 0)
        return TLB_LEVEL_OK; /* absent: ways and ps do not matter */
    const uint32_t ways = p->ways ? p->ways : p->entries;
    if (ways > p->entries || p->entries % ways != 0 || !is_pow2(p->entries / ways))
        return TLB_LEVEL_BAD_WAYS;
    if (p->entries / ways > 1 && p->ps == 0)
        return TLB_LEVEL_SETS_NEED_PS;
    return TLB_LEVEL_OK;
}

void mtlb_entry_clear(struct mtlb_entry *e)
{
    e->valid = 0;
    e->rid = MTLB_RID_INVALID;
}

void mtlb_entry_set(struct mtlb_entry *e, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    e->mask = ~(ia64_psize(ps) - 1);
    e->va = va & e->mask;
    e->rid = rid;
    e->ps = (uint8_t)ps;
    /* the ppn bits below the page size are not part of the translation */
    const uint64_t low_ppn = ps > IA64_ARCH_PAGE_SHIFT ? (ia64_psize(ps) - 1) & IA64_PTE_PPN_MASK : 0;
    e->pte = pte & ~low_ppn;
    e->valid = 1;
}

int tlb_level_init(struct tlb_level *l, const struct tlb_level_params *p, uint64_t seed)
{
    memset(l, 0, sizeof *l);
    if (tlb_level_params_check(p) != TLB_LEVEL_OK)
        return -1;
    l->n = p->entries;
    l->ways = p->entries ? (p->ways ? p->ways : p->entries) : 0;
    l->sets = p->entries ? p->entries / l->ways : 1;
    l->set_mask = l->sets - 1;
    l->ps = p->ps;
    l->index_shift = l->sets > 1 ? p->ps : 0;
    l->policy_kind = p->policy;
    l->policy = tlb_policy_get(p->policy);
    l->rng = tlb_rng_state(seed);
    /* an absent level keeps one invalid entry so that the MRU pointer is never NULL */
    l->e = calloc(l->n ? l->n : 1, sizeof *l->e);
    l->epoch = calloc(l->sets, sizeof *l->epoch);
    if (!l->e || !l->epoch) {
        tlb_level_free(l);
        return -1;
    }
    for (uint32_t i = 0; i < (l->n ? l->n : 1); i++)
        mtlb_entry_clear(&l->e[i]);
    l->mru = &l->e[0];
    return 0;
}

void tlb_level_free(struct tlb_level *l)
{
    free(l->e);
    free(l->epoch);
    l->e = NULL;
    l->epoch = NULL;
    l->mru = NULL;
}

struct mtlb_entry *tlb_level_fill(struct tlb_level *l, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    if (l->n == 0)
        return NULL;
    if (l->ps) {
        if (ps < l->ps) {
            l->stats.rejected++;
            return NULL;
        }
        if (ps > l->ps) {
            /* the l->ps-sized piece of the page that contains va: same attributes, ppn of the
             * piece = the page's ppn (low bits cleared) + va's offset in the page, in l->ps units */
            const uint64_t low_ppn = (ia64_psize(ps) - 1) & IA64_PTE_PPN_MASK;
            const uint64_t piece = va & (ia64_psize(ps) - 1) & ~(ia64_psize(l->ps) - 1) & IA64_PTE_PPN_MASK;
            pte = (pte & ~low_ppn) | piece;
            ps = l->ps;
        }
    }
    const uint32_t set = (uint32_t)((ia64_region_offset(va) >> l->index_shift) & l->set_mask);
    const uint32_t first = set * l->ways;
    struct mtlb_entry *victim = NULL;
    if (l->nvalid < l->n) {
        for (uint32_t w = 0; w < l->ways; w++) {
            if (!l->e[first + w].valid) {
                victim = &l->e[first + w];
                l->nvalid++;
                break;
            }
        }
    }
    if (!victim) {
        victim = &l->e[first + l->policy->victim(l, set, first)];
        l->stats.evictions++;
    }
    mtlb_entry_set(victim, va, rid, ps, pte);
    tlb_level_touch(l, victim);
    l->stats.inserts++;
    return victim;
}

/* [start, end_incl] are region offsets (see mtlb_entry_matches) */
static int overlaps(const struct mtlb_entry *e, uint64_t start, uint64_t end_incl, uint64_t rid)
{
    const uint64_t e_start = ia64_region_offset(e->va);
    return e->valid && e->rid == rid && e_start <= end_incl && start <= e_start + ~e->mask;
}

uint32_t tlb_level_purge(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid)
{
    const uint64_t start = ia64_region_offset(ia64_page_align(va, ps));
    const uint64_t end_incl = start + ia64_psize(ps) - 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        if (overlaps(&l->e[i], start, end_incl, rid)) {
            mtlb_entry_clear(&l->e[i]);
            n++;
        }
    }
    l->nvalid -= n;
    l->stats.purged += n;
    return n;
}

uint32_t tlb_level_purge_all(struct tlb_level *l)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        n += l->e[i].valid;
        mtlb_entry_clear(&l->e[i]);
    }
    l->nvalid = 0;
    l->stats.purged += n;
    return n;
}

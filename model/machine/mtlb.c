/* mtlb.c - see mtlb.h. */
#include "mtlb.h"

#include <stdlib.h>
#include <string.h>

#include "../ia64/ia64_arch.h"

int mtlb_init(struct mtlb *t, uint32_t tc_entries)
{
    memset(t, 0, sizeof *t);
    t->ntc = tc_entries;
    t->tc = calloc(tc_entries ? tc_entries : 1, sizeof *t->tc);
    return t->tc ? 0 : -1;
}

void mtlb_free(struct mtlb *t)
{
    free(t->tc);
    t->tc = NULL;
}

/*
 * IA-64 tags a translation with its region id and VPN only: the region number (va bits 63..61)
 * just chooses which rr supplies the rid (SDM vol. 2, 4.1.1.4). KVM's remote ptc.ga relies on
 * it, purging another region's entries through rr0. So compare offsets, not whole addresses.
 */
static int entry_matches(const struct mtlb_entry *e, uint64_t va, uint64_t rid)
{
    return e->valid && ((va ^ e->va) & e->mask & IA64_REGION_OFFSET_MASK) == 0 && e->rid == rid;
}

static const struct mtlb_entry *find(const struct mtlb *t, uint64_t va, uint64_t rid, uint32_t *tc_index)
{
    for (unsigned i = 0; i < MTLB_NTRS; i++)
        if (entry_matches(&t->tr[i], va, rid))
            return &t->tr[i];
    for (uint32_t i = 0; i < t->ntc; i++) {
        if (entry_matches(&t->tc[i], va, rid)) {
            *tc_index = i;
            return &t->tc[i];
        }
    }
    return NULL;
}

const struct mtlb_entry *mtlb_probe(const struct mtlb *t, uint64_t va, uint64_t rid)
{
    uint32_t index;
    return find(t, va, rid, &index);
}

const struct mtlb_entry *mtlb_lookup(struct mtlb *t, uint64_t va, uint64_t rid)
{
    uint32_t index = UINT32_MAX;
    const struct mtlb_entry *e = find(t, va, rid, &index);
    if (!e) {
        t->stats.misses++;
        return NULL;
    }
    t->stats.hits++;
    if (index != UINT32_MAX)
        t->tc[index].stamp = ++t->clock;
    return e;
}

static void fill(struct mtlb_entry *e, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
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

/* [start, end_incl] are region offsets (see entry_matches) */
static int overlaps(const struct mtlb_entry *e, uint64_t start, uint64_t end_incl, uint64_t rid)
{
    const uint64_t e_start = ia64_region_offset(e->va);
    return e->valid && e->rid == rid && e_start <= end_incl && start <= e_start + ~e->mask;
}

uint32_t mtlb_purge(struct mtlb *t, uint64_t va, unsigned ps, uint64_t rid)
{
    const uint64_t start = ia64_region_offset(ia64_page_align(va, ps));
    const uint64_t end_incl = start + ia64_psize(ps) - 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->ntc; i++) {
        if (overlaps(&t->tc[i], start, end_incl, rid)) {
            t->tc[i].valid = 0;
            n++;
        }
    }
    t->stats.purged += n;
    return n;
}

uint32_t mtlb_purge_all(struct mtlb *t)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->ntc; i++) {
        n += t->tc[i].valid;
        t->tc[i].valid = 0;
    }
    t->stats.purged += n;
    return n;
}

void mtlb_insert(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    mtlb_purge(t, va, ps, rid);
    struct mtlb_entry *victim = NULL;
    for (uint32_t i = 0; i < t->ntc && !victim; i++)
        if (!t->tc[i].valid)
            victim = &t->tc[i];
    if (!victim) {
        if (t->ntc == 0)
            return;
        victim = &t->tc[0];
        for (uint32_t i = 1; i < t->ntc; i++)
            if (t->tc[i].stamp < victim->stamp)
                victim = &t->tc[i];
        t->stats.evictions++;
    }
    fill(victim, va, rid, ps, pte);
    victim->stamp = ++t->clock;
    t->stats.inserts++;
}

void mtlb_insert_tr(struct mtlb *t, unsigned slot, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    if (slot < MTLB_NTRS)
        fill(&t->tr[slot], va, rid, ps, pte);
}

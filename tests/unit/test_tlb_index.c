/*
 * test_tlb_index.c - the indexes of a TLB level (hash of (rid, page size, VPN), valid bitmap,
 * LRU recency lists; tlb_level.h) change nothing a scan of the entry array would answer.
 *
 * A reference level here does everything by scanning, as the level did before it had indexes:
 * lookup = MRU shortcut then the lowest matching way of the set, fill = lowest invalid way of
 * the set else the policy's victim (LRU: smallest stamp, lowest way on a tie; NRU; random),
 * purge = every valid same-rid entry overlapping the range. Random sequences of lookups,
 * fills (with and without the purge that normally precedes them, so that overlapping entries
 * can exist too), purges of every size and purge-alls run on both, for several geometries and
 * the three policies; after every step every entry, the counters, the clock, the MRU entry and
 * the replacement state must be equal. Fills carry a parent page size (a piece of a larger
 * translation, as an L1 fill from an L2 piece); a purge removes an entry whose parent page
 * overlaps the range (ptc.l), a drop one that itself overlaps it; a fill reports the entry it
 * evicted.
 */
#include <stdlib.h>
#include <string.h>

#include "../../model/machine/tlb_level.h"
#include "../../model/machine/tlb_rng.h"
#include "check.h"

struct ref_entry {
    uint64_t va, mask, rid, pte, stamp;
    uint8_t ps, valid, parent_ps;
};

struct ref_level {
    struct ref_entry *e;
    uint32_t n, ways, sets, set_mask, nvalid, mru;
    unsigned ps, index_shift;
    enum tlb_policy_kind policy;
    uint64_t clock, rng;
    uint64_t *epoch;
    struct tlb_level_stats stats;
};

static void ref_clear(struct ref_entry *e)
{
    e->valid = 0;
    e->rid = MTLB_RID_INVALID;
}

static void ref_init(struct ref_level *r, const struct tlb_level_params *p, uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->n = p->entries;
    r->ways = p->entries ? (p->ways ? p->ways : p->entries) : 0;
    r->sets = p->entries ? p->entries / r->ways : 1;
    r->set_mask = r->sets - 1;
    r->ps = p->ps;
    r->index_shift = r->sets > 1 ? p->ps : 0;
    r->policy = p->policy;
    r->rng = tlb_rng_state(seed);
    r->e = calloc(r->n ? r->n : 1, sizeof *r->e);
    r->epoch = calloc(r->sets, sizeof *r->epoch);
    for (uint32_t i = 0; i < (r->n ? r->n : 1); i++)
        ref_clear(&r->e[i]);
}

static int ref_matches(const struct ref_entry *e, uint64_t va, uint64_t rid)
{
    return ((va ^ e->va) & e->mask & IA64_REGION_OFFSET_MASK) == 0 && e->rid == rid;
}

static uint32_t ref_set(const struct ref_level *r, uint64_t va)
{
    return (uint32_t)((ia64_region_offset(va) >> r->index_shift) & r->set_mask);
}

static int64_t ref_find(const struct ref_level *r, uint64_t va, uint64_t rid)
{
    if (ref_matches(&r->e[r->mru], va, rid))
        return r->mru;
    const uint32_t first = ref_set(r, va) * r->ways;
    for (uint32_t w = 0; w < r->ways; w++)
        if (ref_matches(&r->e[first + w], va, rid))
            return first + w;
    return -1;
}

static void ref_touch(struct ref_level *r, uint32_t i)
{
    r->e[i].stamp = ++r->clock;
    r->mru = i;
}

static uint32_t ref_victim(struct ref_level *r, uint32_t set, uint32_t first)
{
    const struct ref_entry *e = r->e + first;
    switch (r->policy) {
    case TLB_POLICY_LRU: {
        uint32_t best = 0;
        for (uint32_t w = 1; w < r->ways; w++)
            if (e[w].stamp < e[best].stamp)
                best = w;
        return best;
    }
    case TLB_POLICY_NRU:
        for (uint32_t w = 0; w < r->ways; w++)
            if (e[w].stamp <= r->epoch[set])
                return w;
        r->epoch[set] = r->clock;
        return 0;
    default:
        return (uint32_t)(tlb_rng_next(&r->rng) % r->ways);
    }
}

/* -1 when refused; *evicted: index of the valid entry replaced (copied to *old), or -1 */
static int64_t ref_fill(struct ref_level *r, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte, unsigned parent_ps,
                        int64_t *evicted, struct ref_entry *old)
{
    *evicted = -1;
    if (parent_ps < ps)
        parent_ps = ps;
    if (r->n == 0)
        return -1;
    if (r->ps) {
        if (ps < r->ps) {
            r->stats.rejected++;
            return -1;
        }
        if (ps > r->ps) {
            const uint64_t low_ppn = (ia64_psize(ps) - 1) & IA64_PTE_PPN_MASK;
            const uint64_t piece = va & (ia64_psize(ps) - 1) & ~(ia64_psize(r->ps) - 1) & IA64_PTE_PPN_MASK;
            pte = (pte & ~low_ppn) | piece;
            ps = r->ps;
        }
    }
    const uint32_t set = ref_set(r, va), first = set * r->ways;
    int64_t v = -1;
    if (r->nvalid < r->n) {
        for (uint32_t w = 0; w < r->ways; w++) {
            if (!r->e[first + w].valid) {
                v = first + w;
                r->nvalid++;
                break;
            }
        }
    }
    if (v < 0) {
        v = first + ref_victim(r, set, first);
        r->stats.evictions++;
        *evicted = v;
        *old = r->e[v];
    }
    struct ref_entry *e = &r->e[v];
    e->mask = ~(ia64_psize(ps) - 1);
    e->va = va & e->mask;
    e->rid = rid;
    e->ps = (uint8_t)ps;
    e->parent_ps = (uint8_t)parent_ps;
    const uint64_t low_ppn = ps > IA64_ARCH_PAGE_SHIFT ? (ia64_psize(ps) - 1) & IA64_PTE_PPN_MASK : 0;
    e->pte = pte & ~low_ppn;
    e->valid = 1;
    ref_touch(r, (uint32_t)v);
    r->stats.inserts++;
    return v;
}

/* by_parent: compare the range with the entry's parent page (ptc.l), else with the entry (drop) */
static uint32_t ref_purge(struct ref_level *r, uint64_t va, unsigned ps, uint64_t rid, int by_parent)
{
    const uint64_t start = ia64_region_offset(ia64_page_align(va, ps));
    const uint64_t end_incl = start + ia64_psize(ps) - 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        const struct ref_entry *e = &r->e[i];
        const uint64_t last = ia64_psize(by_parent ? e->parent_ps : e->ps) - 1;
        const uint64_t s = ia64_region_offset(e->va) & ~last;
        if (e->valid && e->rid == rid && s <= end_incl && start <= s + last) {
            ref_clear(&r->e[i]);
            n++;
        }
    }
    r->nvalid -= n;
    r->stats.purged += n;
    return n;
}

static uint32_t ref_purge_all(struct ref_level *r)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        n += r->e[i].valid;
        ref_clear(&r->e[i]);
    }
    r->nvalid = 0;
    r->stats.purged += n;
    return n;
}

/* 1 when the level shows the same state as the reference */
static int same_state(const struct tlb_level *l, const struct ref_level *r)
{
    int ok = l->nvalid == r->nvalid && l->clock == r->clock && l->rng == r->rng &&
             (uint32_t)(l->mru - l->e) == r->mru && memcmp(&l->stats, &r->stats, sizeof r->stats) == 0 &&
             memcmp(l->epoch, r->epoch, r->sets * sizeof *r->epoch) == 0;
    for (uint32_t i = 0; i < r->n && ok; i++) {
        const struct mtlb_entry *a = &l->e[i];
        const struct ref_entry *b = &r->e[i];
        ok = a->valid == b->valid && a->rid == b->rid && a->stamp == b->stamp;
        if (b->valid)
            ok = ok && a->va == b->va && a->mask == b->mask && a->pte == b->pte && a->ps == b->ps &&
                 a->parent_ps == b->parent_ps;
    }
    return ok;
}

static uint64_t draw(uint64_t *s, uint64_t n) { return tlb_rng_next(s) % n; }

static const unsigned sizes[] = {12, 13, 14, 16, 18, 20, 22, 24, 28};

/* An address near the others (so that pages of different sizes overlap), any region. */
static uint64_t some_va(uint64_t *s, uint64_t span)
{
    return (draw(s, 8) << 61) | (draw(s, span) << 12) | (draw(s, 4096) & ~UINT64_C(7));
}

/* A fill on both; 1 when they filled and evicted the same entries. */
static int fill_both(struct tlb_level *l, struct ref_level *r, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte,
                     unsigned parent_ps)
{
    struct mtlb_entry old;
    struct ref_entry ref_old = {0};
    int64_t evicted;
    const struct mtlb_entry *f = tlb_level_fill(l, va, rid, ps, pte, parent_ps, &old);
    const int64_t fi = ref_fill(r, va, rid, ps, pte, parent_ps, &evicted, &ref_old);
    if (f ? fi != f - l->e : fi >= 0)
        return 0;
    if (evicted < 0)
        return !old.valid;
    return old.valid && old.va == ref_old.va && old.rid == ref_old.rid && old.ps == ref_old.ps &&
           old.parent_ps == ref_old.parent_ps && old.pte == ref_old.pte;
}

/* A parent page size for a fill of size ps: mostly ps itself (a whole translation). */
static unsigned some_parent(uint64_t *s, unsigned ps)
{
    const unsigned q = sizes[draw(s, sizeof sizes / sizeof *sizes)];
    return draw(s, 3) == 0 && q > ps ? q : ps;
}

static void run(const struct tlb_level_params *p, uint64_t seed, unsigned steps, uint64_t span)
{
    struct tlb_level l;
    struct ref_level r;
    CHECK_EQ(tlb_level_init(&l, p, seed), 0);
    ref_init(&r, p, seed);
    uint64_t s = tlb_rng_stream_seed(seed, 77);
    int ok = 1;
    for (unsigned step = 0; step < steps && ok; step++) {
        const uint64_t va = some_va(&s, span), rid = 1 + draw(&s, 3);
        const unsigned ps = sizes[draw(&s, sizeof sizes / sizeof *sizes)];
        const unsigned op = (unsigned)draw(&s, 100);
        if (op < 45) { /* a reference: hit -> touch, miss -> purge + fill */
            struct mtlb_entry *e = tlb_level_find(&l, va, rid);
            const int64_t i = ref_find(&r, va, rid);
            ok = e ? i == e - l.e : i < 0;
            if (ok && e) {
                l.stats.hits++, r.stats.hits++;
                tlb_level_touch(&l, e);
                ref_touch(&r, (uint32_t)i);
            } else if (ok) {
                l.stats.misses++, r.stats.misses++;
                const unsigned fps = draw(&s, 4) ? 14 : ps, parent = some_parent(&s, fps);
                ok = tlb_level_purge(&l, va, parent, rid) == ref_purge(&r, va, parent, rid, 1);
                const uint64_t pte = (draw(&s, 1 << 20) << 12) | 0x661;
                ok = ok && fill_both(&l, &r, va, rid, fps, pte, parent);
            }
        } else if (op < 60) { /* a fill with no purge first: may overlap what is there */
            const uint64_t pte = (draw(&s, 1 << 20) << 12) | 0x661;
            ok = fill_both(&l, &r, va, rid, ps, pte, some_parent(&s, ps));
        } else if (op < 66) { /* a drop: the entries themselves overlapping the range */
            ok = tlb_level_drop(&l, va, ps, rid) == ref_purge(&r, va, ps, rid, 0);
        } else if (op < 72) { /* a lookup that changes nothing */
            const struct mtlb_entry *e = tlb_level_find(&l, va, rid);
            const int64_t i = ref_find(&r, va, rid);
            ok = e ? i == e - l.e : i < 0;
        } else if (op < 98) { /* ptc.l of any size, up to a whole region */
            const unsigned pps = draw(&s, 8) ? ps : (unsigned)(12 + draw(&s, 52));
            ok = tlb_level_purge(&l, va, pps, rid) == ref_purge(&r, va, pps, rid, 1);
        } else {
            ok = tlb_level_purge_all(&l) == ref_purge_all(&r);
        }
        ok = ok && same_state(&l, &r);
        if (!ok)
            fprintf(stderr, "entries %u ways %u policy %d ps %u seed %llu: differs at step %u (op %u)\n",
                    p->entries, p->ways, (int)p->policy, p->ps, (unsigned long long)seed, step, op);
    }
    CHECK(ok);
    tlb_level_free(&l);
    free(r.e);
    free(r.epoch);
}

static void test_against_scans(void)
{
    static const struct {
        uint32_t entries, ways;
        uint8_t ps;
        uint64_t span; /* 4 KiB pages the addresses spread over */
    } geo[] = {
        {0, 0, 0, 64},      {1, 0, 0, 16},     {2, 0, 12, 16},   {4, 0, 0, 64},    {8, 0, 0, 256},
        {32, 0, 12, 128},   {32, 0, 0, 4096},  {128, 0, 0, 512}, {128, 0, 0, 1 << 20}, {130, 0, 14, 2048},
        {8, 1, 12, 64},     {16, 4, 12, 256},  {64, 2, 14, 1024}, {96, 3, 13, 1024}, {256, 64, 12, 8192},
        {200, 200, 16, 64}, {192, 64, 0, 512},
    };
    for (unsigned g = 0; g < sizeof geo / sizeof *geo; g++) {
        for (unsigned k = 0; k < TLB_POLICY_COUNT; k++) {
            const struct tlb_level_params p = {
                .entries = geo[g].entries, .ways = geo[g].ways, .policy = (enum tlb_policy_kind)k, .ps = geo[g].ps};
            if (tlb_level_params_check(&p) != TLB_LEVEL_OK)
                continue;
            for (uint64_t seed = 1; seed <= 3; seed++)
                run(&p, seed, 20000, geo[g].span);
        }
    }
}

/* The cases the indexes make cheap, by hand: a full 4-entry LRU level evicts the entry used
 * longest ago, not the lowest way; a purge finds a 4 KiB entry inside a 64 KiB range and a
 * 16 KiB entry around a 4 KiB one; a whole-region purge (a scan) empties the rid. */
static void test_by_hand(void)
{
    const struct tlb_level_params p = {.entries = 4, .ways = 0, .policy = TLB_POLICY_LRU, .ps = 0};
    struct tlb_level l;
    CHECK_EQ(tlb_level_init(&l, &p, 1), 0);
    const uint64_t r3 = UINT64_C(0x6000000000000000);
    for (uint64_t k = 0; k < 4; k++)
        CHECK_EQ(tlb_level_fill(&l, r3 + (k << 14), 1, 14, 0x661, 14, NULL) - l.e, (long)k);
    /* uses: 2, 0, 3 (1 is now the least recent), then a fifth page takes way 1 */
    tlb_level_touch(&l, tlb_level_find(&l, r3 + (2 << 14), 1));
    tlb_level_touch(&l, tlb_level_find(&l, r3 + (0 << 14), 1));
    tlb_level_touch(&l, tlb_level_find(&l, r3 + (3 << 14), 1));
    CHECK_EQ(tlb_level_fill(&l, r3 + (9 << 14), 1, 14, 0x661, 14, NULL) - l.e, 1);
    /* then way 2 (used before 0 and 3), then way 0 */
    CHECK_EQ(tlb_level_fill(&l, r3 + (10 << 14), 1, 14, 0x661, 14, NULL) - l.e, 2);
    CHECK_EQ(tlb_level_fill(&l, r3 + (11 << 14), 1, 14, 0x661, 14, NULL) - l.e, 0);
    /* the region number takes no part: a purge through region 1 of page 10 */
    CHECK_EQ(tlb_level_purge(&l, UINT64_C(0x2000000000000000) + (10 << 14), 14, 1), 1);
    CHECK(tlb_level_find(&l, r3 + (10 << 14), 1) == NULL);
    CHECK_EQ(l.nvalid, 3);
    /* the freed way 2 is the lowest free one */
    CHECK_EQ(tlb_level_fill(&l, r3 + 0x100000, 1, 12, 0x661, 12, NULL) - l.e, 2);
    /* a 64 KiB purge at 0x100000 takes the 4 KiB entry inside it; a 4 KiB purge inside page 9
     * (0x24000..0x27fff) takes that 16 KiB entry; rid 2 takes nothing */
    CHECK_EQ(tlb_level_purge(&l, r3 + 0x10c000, 16, 1), 1);
    CHECK_EQ(tlb_level_purge(&l, r3 + 0x26000, 12, 2), 0);
    CHECK_EQ(tlb_level_purge(&l, r3 + 0x26000, 12, 1), 1);
    CHECK_EQ(l.nvalid, 2);
    /* a purge of the whole region offset space */
    CHECK_EQ(tlb_level_purge(&l, 0, 61, 1), 2);
    CHECK_EQ(l.nvalid, 0);
    CHECK_EQ(l.stats.purged, 5);
    tlb_level_free(&l);
}

int main(void)
{
    test_by_hand();
    test_against_scans();
    return check_report("test_tlb_index");
}

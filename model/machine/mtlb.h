/*
 * mtlb.h - one side (I or D) of the machine TLB: an L1 and an L2 translation-cache level
 * (tlb_level.h, each with its own size, associativity, page sizes and replacement policy) and
 * translation registers pinned outside replacement.
 *
 * Entries are tagged by region id and virtual page number (the region number only selects the
 * rr that supplies the rid) and hold any IA-64 page size unless a level is restricted to one.
 *
 *   lookup   L1, then the L2 level: the TRs first, then the L2 TCs. A TR hit counts as an L2 hit.
 *            An L2 hit fills L1 (with the L1-sized fragment containing va when L1 holds a single
 *            smaller page size, e.g. 4 KiB of a 64 KiB page; not at all if the page is smaller).
 *   insert   (itc, walker fill) purges the overlapping same-rid TCs of both levels, then fills
 *            L2 and L1.
 *   purge    (ptc.l) and purge_all (ptc.e) apply to the TCs of both levels, never to TRs.
 *   insert_tr pins a translation and purges the overlapping same-rid TCs of both levels, as
 *            itr does (SDM vol. 3, itr: tlb_must_purge_*tc_entries).
 *
 * Every purge removes each translation overlapping its range whole, at both levels: an L1
 * piece goes when the page it was cut from overlaps the range, even if the piece lies outside
 * (tlb_level.h). L1 may also drop the pieces of a TR it overlaps (a TR hit refills them; SDM
 * vol. 2, 4.1.1.4 allows purging more than asked).
 *
 * L1 is inclusive: it caches only what L2 holds (TCs and TRs). When L2 evicts a TC to make room,
 * or a TR slot is overwritten, the L1 entries overlapping it go too. So L1 changes which level
 * answers and, since L2 does not see L1 hits, L2's replacement order; never which translations
 * the TLB holds. (Exception: a page size L2 cannot hold, in a single-page-size L2, may be
 * cached by L1 alone.) Why: docs/machine-tlb.md.
 *
 * Defaults, with their sources, are in docs/machine-tlb.md.
 */
#ifndef VHPTSIM_MTLB_H
#define VHPTSIM_MTLB_H

#include <stdint.h>

#include "tlb_level.h"

#define MTLB_MAX_TRS 64 /* most TRs a side can be given (mtlb_params.ntr) */
#define MTLB_NTRS 8     /* default TRs per side (docs/machine-tlb.md) */

enum mtlb_hit { MTLB_MISS = 0, MTLB_HIT_L1, MTLB_HIT_L2 };

struct mtlb_params {
    struct tlb_level_params l1, l2;
    unsigned ntr;  /* translation registers, 0 .. MTLB_MAX_TRS */
    uint64_t seed; /* random replacement: L1 uses stream 1, L2 stream 2 of this seed (tlb_rng.h) */
};

struct mtlb_stats {
    struct tlb_level_stats l1, l2;
    uint64_t tr_hits; /* of l2.hits, those answered by a TR */
};

struct mtlb {
    struct tlb_level l1, l2;
    struct mtlb_entry tr[MTLB_MAX_TRS];
    uint64_t tr_valid; /* bit i: tr[i] valid */
    unsigned ntr;
    uint64_t tr_hits;  /* L2 hits answered by a TR */
    int l1_alone;      /* L1 has cached a page L2 refused: every purge searches L1 (mtlb_purge) */
    uint64_t tr_sets;  /* TRs written so far */
    /* the last lookup that missed everywhere, and how many entries the levels and TRs had been
     * given by then (mtlb_lookup_slow) */
    struct {
        uint64_t va, rid, fills;
        int valid;
    } last_miss;
};

/* L1 = Itanium 2's 32-entry 4 KiB fully associative level, L2 = 128 entries fully associative,
 * both LRU, MTLB_NTRS TRs, seed 1. */
void mtlb_params_default(struct mtlb_params *p);

/* 0, or -1 (bad parameters or out of memory). */
int mtlb_init_params(struct mtlb *t, const struct mtlb_params *p);
/* The former single-level TLB: no L1, an L2 of tc_entries fully associative LRU entries of
 * every page size, MTLB_NTRS TRs. 0 or -1 (out of memory). */
int mtlb_init(struct mtlb *t, uint32_t tc_entries);
void mtlb_free(struct mtlb *t);

/* Counters, gathered from the levels. */
struct mtlb_stats mtlb_get_stats(const struct mtlb *t);

/* The TR translating va for rid, or NULL (lowest slot first). */
static inline struct mtlb_entry *mtlb_find_tr(const struct mtlb *t, uint64_t va, uint64_t rid)
{
    for (uint64_t live = t->tr_valid; live; live &= live - 1) {
        const struct mtlb_entry *e = &t->tr[__builtin_ctzll(live)];
        if (mtlb_entry_matches(e, va, rid))
            return (struct mtlb_entry *)e;
    }
    return NULL;
}

/* mtlb_lookup_level past L1's MRU shortcut (not inlined: the hit path stays small). */
const struct mtlb_entry *mtlb_lookup_slow(struct mtlb *t, uint64_t va, uint64_t rid, enum mtlb_hit *hit);

/*
 * The entry translating va for region id rid, or NULL; *hit says which level answered. Counts
 * the hit or miss of every level it asks and updates replacement state. On an L1 hit the entry
 * is the L1 one (maybe a fragment); on an L2 hit it is the L2 TC or the TR.
 */
/*
 * The first step of every lookup: a hit on L1's most recently used entry, counted and touched
 * exactly as the full lookup would; NULL (and nothing changed) otherwise. The timed platform's
 * Vcpu calls it directly for its fast path (docs/timed-platform.md).
 */
static inline const struct mtlb_entry *mtlb_lookup_mru(struct mtlb *t, uint64_t va, uint64_t rid)
{
    struct mtlb_entry *e = t->l1.mru;
    if (!mtlb_entry_matches(e, va, rid))
        return NULL;
    /* tlb_level_touch of the MRU entry: the recency list is already right */
    t->l1.stats.hits++;
    e->stamp = ++t->l1.clock;
    return e;
}

/* mtlb_lookup_mru when only a present translation will do (the Vcpu's fast path, which cannot
 * finish a reference that faults): the hit, counted and touched alike, when the MRU entry
 * matches and has p = 1; otherwise NULL and nothing changed. */
static inline const struct mtlb_entry *mtlb_lookup_mru_present(struct mtlb *t, uint64_t va, uint64_t rid)
{
    const struct mtlb_entry *e = t->l1.mru;
    return mtlb_entry_matches(e, va, rid) && ia64_pte_p(e->pte) ? mtlb_lookup_mru(t, va, rid) : NULL;
}

static inline const struct mtlb_entry *mtlb_lookup_level(struct mtlb *t, uint64_t va, uint64_t rid,
                                                         enum mtlb_hit *hit)
{
    const struct mtlb_entry *e = mtlb_lookup_mru(t, va, rid);
    if (e) {
        *hit = MTLB_HIT_L1;
        return e;
    }
    return mtlb_lookup_slow(t, va, rid, hit);
}

/* Same without saying which level. */
static inline const struct mtlb_entry *mtlb_lookup(struct mtlb *t, uint64_t va, uint64_t rid)
{
    enum mtlb_hit hit;
    return mtlb_lookup_level(t, va, rid, &hit);
}

/* The entry translating va for rid (L1, then TRs, then L2), without counting or touching
 * replacement state (for the VMM's own probes and the dump). */
const struct mtlb_entry *mtlb_probe(const struct mtlb *t, uint64_t va, uint64_t rid);
/* itc / walker fill: purge overlapping TCs of the same rid at both levels, then fill L2 and L1.
 * Returns the L2 entry (or the L1 one when L2 refused the page size; NULL if both did). */
const struct mtlb_entry *mtlb_insert(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte);
/* mtlb_insert of va's translation right after va missed at every level (mtlb_lookup or
 * mtlb_probe returned NULL for va and rid, and t has not changed since): the hardware walker's
 * fill. The same result; the overlap purge skips what the miss rules out. */
const struct mtlb_entry *mtlb_insert_missed(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte);
/* itr: pin a translation in TR `slot` (ignored when slot >= ntr). */
void mtlb_insert_tr(struct mtlb *t, unsigned slot, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte);
/* ptc.l: remove the TCs of rid whose translation overlaps [va, va + 2^ps), whole, at both
 * levels (L1 pieces by their parent page); returns how many L2 entries were removed. */
uint32_t mtlb_purge(struct mtlb *t, uint64_t va, unsigned ps, uint64_t rid);
/* ptc.e: remove every TC of both levels; returns how many L2 entries were valid. */
uint32_t mtlb_purge_all(struct mtlb *t);

#endif

/*
 * tlb_level.h - one level of one side of the machine TLB (e.g. the L1 DTLB): a flat array of
 * `sets * ways` translation-cache entries, a replacement policy (tlb_policy.h) and counters.
 *
 * A level either holds every IA-64 page size (then it must be fully associative: one set) or a
 * single page size `ps` (then it may be set-associative, indexed by the VPN of that size, and
 * a larger translation is cached as the ps-sized fragment containing the address, as the
 * Itanium 2 L1 TLBs hold 4 KiB pieces of larger pages). Entries are tagged by region id and
 * virtual page number; the region number is ignored (see mtlb.h).
 *
 * A piece remembers the page size of the translation it was cut from (parent_ps; its base is
 * the piece's address aligned down to that size). A purge removes every entry whose
 * translation overlaps the range, whole: a piece goes when its parent page overlaps the range,
 * even if the piece itself lies outside it (ptc.l, SDM vol. 3; a 4 KiB piece of a 16 KiB page
 * must not survive an 8 KiB purge of the page's other half).
 *
 * Invariant the hit path relies on: no two valid entries of one level with the same rid
 * overlap (fills after a miss cannot create one; inserts purge overlaps first, mtlb.c). So the
 * one-entry MRU shortcut of tlb_level_find returns exactly what a full scan would.
 *
 * Indexes (they only speed things up; the entry array stays the state, what a scan of it
 * would answer is what the level answers):
 *   - a hash of the translation an entry caches, (rid, parent page size Q, VPN of Q of the
 *     parent page) -> chain of the valid entries with that key (mtlb_entry.hnext): a whole
 *     translation is keyed by itself, the pieces of one larger page share its key. Per parent
 *     page size the count of valid entries (parent_present: the sizes with at least one). A
 *     lookup probes one chain per present parent size (a piece holding va was cut from the
 *     page holding va). A purge or drop of a range probes, at each present parent size, the
 *     chains of the parent pages the range overlaps (a piece that overlaps the range, or whose
 *     parent does, has its parent there), or scans the valid entries when that would be more
 *     probes than is worth it. So a purge of a 16 KiB page probes one chain for all the 4 KiB
 *     pieces an L1 holds of it, not four. (A level of one page size keys the pieces of a page
 *     more than 8 times its size by runs of 8 pieces, so that no chain grows long.)
 *   - a bitmap of the valid entries: the lowest free way of a set without a scan.
 *   - LRU levels: per set, the valid entries in recency order (doubly linked through
 *     lru_link, head = most recent). Every use stamps the entry with the next value of the
 *     level's clock, so stamps of valid entries are distinct and the tail is the entry with
 *     the smallest stamp: the LRU victim, with no scan. l->mru is always the head of its set's
 *     list while it is valid, so a hit on it leaves the list alone.
 * tests/unit/test_tlb_index.c checks the level against one that does everything by scanning.
 */
#ifndef VHPTSIM_TLB_LEVEL_H
#define VHPTSIM_TLB_LEVEL_H

#include <stddef.h>
#include <stdint.h>

#include "../ia64/ia64_arch.h"
#include "tlb_policy.h"

#define TLB_LEVEL_MAX_ENTRIES (1u << 20)
/* the rid of an invalid entry: rids are 24 bits, so it never matches and the hit test needs no
 * separate valid check */
#define MTLB_RID_INVALID UINT64_MAX
#define TLB_LEVEL_NIL UINT32_MAX /* no entry (hash chains, recency lists) */

struct mtlb_entry {
    uint64_t va;    /* virtual address aligned down to the page (matching ignores its region bits) */
    uint64_t mask;  /* ~(2^ps - 1) */
    uint64_t rid;   /* MTLB_RID_INVALID when not valid */
    uint64_t pte;   /* machine page_flags; ppn bits below the page size cleared */
    uint64_t stamp; /* level clock at the last use (replacement state, tlb_policy.h) */
    uint32_t hnext; /* level index: next entry of the hash chain (TLB_LEVEL_NIL: none) */
    uint8_t ps;
    uint8_t valid;
    uint8_t parent_ps; /* page size of the translation cached: ps, or larger for a piece */
};

struct tlb_level_params {
    uint32_t entries; /* 0: the level is absent (lookups go straight to the next level) */
    uint32_t ways;    /* 0 or == entries: fully associative */
    enum tlb_policy_kind policy;
    uint8_t ps;       /* 0: every page size; else the only page size held (log2 bytes) */
};

struct tlb_level_stats {
    uint64_t hits, misses;
    uint64_t inserts;   /* entries filled (walker fills, itc, and L1 fills from L2) */
    uint64_t evictions; /* valid entries replaced to make room */
    uint64_t purged;    /* entries removed by purges (ptc.l, ptc.e, overlap on insert) and drops
                           (an L1 copy of an entry L2 evicted, mtlb.h) */
    uint64_t rejected;  /* fills refused: page smaller than the level's single page size */
};

struct tlb_level {
    struct mtlb_entry *e;   /* sets * ways entries; set s is e[s * ways .. s * ways + ways - 1] */
    struct mtlb_entry *mru; /* last entry hit or filled (never NULL) */
    uint32_t n, ways, sets, set_mask;
    uint32_t nvalid;        /* valid entries: a full level skips the search for a free way */
    uint8_t ps;             /* 0: every page size */
    uint8_t index_shift;    /* ps, or 0 when fully associative */
    uint8_t key_run;        /* chain keys of larger parents: runs of 2^(key_run - ps) pieces */
    enum tlb_policy_kind policy_kind;
    const struct tlb_policy *policy;
    uint64_t clock;
    uint64_t fills;         /* entries filled so far (never reset): what can make a lookup hit */
    uint64_t *epoch;        /* per set: NRU's reference-bit epoch */
    uint64_t rng;           /* random replacement state (xorshift64) */
    struct tlb_level_stats stats;
    /* indexes (see the top of this file) */
    uint32_t *bucket;       /* hash buckets: first entry of the chain, or TLB_LEVEL_NIL */
    unsigned hash_shift;    /* 64 - log2(buckets) */
    uint64_t *validmap;     /* bit i: e[i] valid */
    uint32_t *lru_head, *lru_tail; /* per set, LRU levels only (else NULL) */
    uint32_t *lru_link;     /* per entry i: [2i] the previous, [2i + 1] the next in recency */
    uint64_t parent_present; /* bit Q: some valid entry caches a translation of page size Q */
    uint32_t *parent_count;  /* [64]: valid entries per parent page size */
};

enum tlb_level_check {
    TLB_LEVEL_OK = 0,
    TLB_LEVEL_BAD_ENTRIES,  /* more than TLB_LEVEL_MAX_ENTRIES */
    TLB_LEVEL_BAD_WAYS,     /* ways does not divide entries, or sets not a power of two */
    TLB_LEVEL_BAD_PS,       /* ps is neither 0 nor an IA-64 page size */
    TLB_LEVEL_SETS_NEED_PS, /* set-associative but holding every page size */
    TLB_LEVEL_BAD_POLICY,
};
enum tlb_level_check tlb_level_params_check(const struct tlb_level_params *p);

/* 0, or -1 (bad parameters or out of memory). `seed` seeds random replacement. */
int tlb_level_init(struct tlb_level *l, const struct tlb_level_params *p, uint64_t seed);
void tlb_level_free(struct tlb_level *l);

static inline int mtlb_entry_matches(const struct mtlb_entry *e, uint64_t va, uint64_t rid)
{
    return ((va ^ e->va) & e->mask & IA64_REGION_OFFSET_MASK) == 0 && e->rid == rid;
}

/* tlb_level_find past the MRU shortcut: the lowest-indexed matching entry (as a scan of va's
 * set would find: the entries matching va all lie in its set). */
struct mtlb_entry *tlb_level_find_indexed(const struct tlb_level *l, uint64_t va, uint64_t rid);

/* The entry translating va for rid, or NULL; changes nothing. */
static inline struct mtlb_entry *tlb_level_find(const struct tlb_level *l, uint64_t va, uint64_t rid)
{
    if (mtlb_entry_matches(l->mru, va, rid))
        return l->mru;
    return tlb_level_find_indexed(l, va, rid);
}

/* Moves the valid entry e to the head of its set's recency list (LRU levels). */
void tlb_level_lru_promote(struct tlb_level *l, struct mtlb_entry *e);

/* A use of e (hit): replacement state for every policy, and the MRU shortcut. */
static inline void tlb_level_touch(struct tlb_level *l, struct mtlb_entry *e)
{
    e->stamp = ++l->clock;
    if (e != l->mru) {
        l->mru = e;
        if (l->lru_head)
            tlb_level_lru_promote(l, e);
    }
}

/*
 * Fills va's page of size ps (pte its translation) into the set of va: the lowest invalid
 * way, else the policy's victim. The page is a whole translation (parent_ps == ps) or a piece
 * of a larger page of size parent_ps (an L1 fill from an L2 piece). A level of single page
 * size P stores the P-sized fragment containing va of a larger page, and refuses a smaller one
 * (NULL, counted as rejected). The caller has removed overlapping same-rid entries. Returns
 * the filled entry. *evicted (unless NULL) gets a copy of the valid entry the fill replaced,
 * or valid = 0 when it replaced none.
 */
struct mtlb_entry *tlb_level_fill(struct tlb_level *l, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte,
                                  unsigned parent_ps, struct mtlb_entry *evicted);

/* ptc.l: removes the entries of rid whose translation overlaps [va, va + 2^ps) (region bits
 * ignored), a piece with the whole page it was cut from; how many. */
uint32_t tlb_level_purge(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid);
/* tlb_level_purge for a caller that knows that only translations of the page sizes in `sizes`
 * (bit Q: size Q) can overlap the range: the others are not searched for. */
uint32_t tlb_level_purge_sizes(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid, uint64_t sizes);
/* Removes the entries of rid that themselves overlap [va, va + 2^ps): the copies of an entry
 * the next level dropped (inclusion, mtlb.h); how many (counted as purged). */
uint32_t tlb_level_drop(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid);
/* Removes every entry; how many were valid. */
uint32_t tlb_level_purge_all(struct tlb_level *l);

/* Sets e to the translation (fragment-free: exactly va's page of size ps). */
void mtlb_entry_set(struct mtlb_entry *e, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte);
void mtlb_entry_clear(struct mtlb_entry *e);

#endif

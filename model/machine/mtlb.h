/*
 * mtlb.h - one side (I or D) of the machine TLB: translation registers pinned outside
 * replacement, and a fully associative translation cache with LRU replacement.
 *
 * Entries are tagged by region id and virtual page number (the region number only selects the
 * rr that supplies the rid) and hold any IA-64 page size. This is the functional TLB the
 * VMM's itc / ptc.l / ptc.e land in; levels, set-associativity and other replacement policies
 * plug in behind the same calls (lookup, insert, purge, purge_all).
 */
#ifndef VHPTSIM_MTLB_H
#define VHPTSIM_MTLB_H

#include <stdint.h>

#define MTLB_NTRS 8 /* machine TRs per side */

struct mtlb_entry {
    uint64_t va;   /* virtual address aligned down to the page (matching ignores its region bits) */
    uint64_t mask; /* ~(2^ps - 1) */
    uint64_t rid;
    uint64_t pte;  /* machine page_flags; ppn bits below the page size cleared */
    uint64_t stamp; /* last use, for LRU */
    uint8_t ps;
    uint8_t valid;
};

struct mtlb_stats {
    uint64_t hits, misses;
    uint64_t inserts, evictions; /* evictions: valid entries replaced to make room */
    uint64_t purged;             /* entries removed by purges (ptc.l, ptc.e, overlap on insert) */
};

struct mtlb {
    struct mtlb_entry *tc;
    uint32_t ntc;
    struct mtlb_entry tr[MTLB_NTRS];
    uint64_t clock;
    struct mtlb_stats stats;
};

int mtlb_init(struct mtlb *t, uint32_t tc_entries); /* 0 or -1 (out of memory) */
void mtlb_free(struct mtlb *t);

/* The entry translating va for region id rid (TRs first), or NULL. Counts a hit or a miss. */
const struct mtlb_entry *mtlb_lookup(struct mtlb *t, uint64_t va, uint64_t rid);
/* Same, without counting or touching LRU state (for the VMM's own probes and the dump). */
const struct mtlb_entry *mtlb_probe(const struct mtlb *t, uint64_t va, uint64_t rid);
/* itc: purge overlapping TCs of the same rid, then fill a free or the LRU entry. */
void mtlb_insert(struct mtlb *t, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte);
/* itr: pin a translation in TR `slot`. */
void mtlb_insert_tr(struct mtlb *t, unsigned slot, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte);
/* ptc.l: remove TCs of rid overlapping [va, va + 2^ps); returns how many. */
uint32_t mtlb_purge(struct mtlb *t, uint64_t va, unsigned ps, uint64_t rid);
/* ptc.e: remove every TC; returns how many were valid. */
uint32_t mtlb_purge_all(struct mtlb *t);

#endif

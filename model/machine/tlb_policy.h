/*
 * tlb_policy.h - replacement policies of a TLB level, as small plug-ins.
 *
 * A policy only chooses the victim way of a full set; a level calls it on a fill, never on a
 * hit. Every policy sees the same per-entry state, kept by the level on every hit and fill:
 * `stamp`, the value of the level's clock at the entry's last use. So the hit path is one
 * store whatever the policy (an LRU level also moves an entry other than its MRU one to the
 * head of the set's recency list):
 *
 *   lru     the way with the smallest stamp (least recently used): the tail of the set's
 *           recency list that the level keeps for LRU (tlb_level.h), found without a scan.
 *   nru     not recently used: an entry's reference bit is "stamp > the set's epoch". The victim
 *           is the lowest-numbered way whose bit is clear; when every bit of the set is set, all
 *           are cleared (epoch = clock) and way 0 is the victim. The filled entry is referenced.
 *   random  way = xorshift64(level state) mod ways (tlb_rng.h), one draw per victim.
 *
 * A fill takes the lowest-numbered invalid way of the set first; the policy runs only when the
 * set is full.
 */
#ifndef VHPTSIM_TLB_POLICY_H
#define VHPTSIM_TLB_POLICY_H

#include <stdint.h>

struct tlb_level;

enum tlb_policy_kind { TLB_POLICY_LRU = 0, TLB_POLICY_NRU, TLB_POLICY_RANDOM, TLB_POLICY_COUNT };

struct tlb_policy {
    const char *name;
    /* the way (0 .. ways-1) to replace in the full set starting at entry index `first` */
    uint32_t (*victim)(struct tlb_level *l, uint32_t set, uint32_t first);
};

const struct tlb_policy *tlb_policy_get(enum tlb_policy_kind kind);
/* "lru", "nru", "random": 0 and *kind, or -1 for an unknown name. */
int tlb_policy_parse(const char *name, enum tlb_policy_kind *kind);
const char *tlb_policy_name(enum tlb_policy_kind kind);

#endif

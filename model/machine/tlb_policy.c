/* tlb_policy.c - the replacement policies of tlb_policy.h. */
#include "tlb_policy.h"

#include <string.h>

#include "tlb_level.h"
#include "tlb_rng.h"

/* The tail of the set's recency list (tlb_level.h): the valid entry with the smallest stamp,
 * since every use stamps an entry with a new, larger clock value and moves it to the head. */
static uint32_t lru_victim(struct tlb_level *l, uint32_t set, uint32_t first)
{
    return l->lru_tail[set] - first;
}

static uint32_t nru_victim(struct tlb_level *l, uint32_t set, uint32_t first)
{
    for (uint32_t w = 0; w < l->ways; w++)
        if (l->e[first + w].stamp <= l->epoch[set]) /* reference bit clear */
            return w;
    l->epoch[set] = l->clock; /* every bit set: clear them all */
    return 0;
}

static uint32_t random_victim(struct tlb_level *l, uint32_t set, uint32_t first)
{
    (void)set;
    (void)first;
    return (uint32_t)(tlb_rng_next(&l->rng) % l->ways);
}

static const struct tlb_policy policies[TLB_POLICY_COUNT] = {
    [TLB_POLICY_LRU] = {"lru", lru_victim},
    [TLB_POLICY_NRU] = {"nru", nru_victim},
    [TLB_POLICY_RANDOM] = {"random", random_victim},
};

const struct tlb_policy *tlb_policy_get(enum tlb_policy_kind kind)
{
    return (unsigned)kind < TLB_POLICY_COUNT ? &policies[kind] : &policies[TLB_POLICY_LRU];
}

const char *tlb_policy_name(enum tlb_policy_kind kind)
{
    return tlb_policy_get(kind)->name;
}

int tlb_policy_parse(const char *name, enum tlb_policy_kind *kind)
{
    for (unsigned k = 0; k < TLB_POLICY_COUNT; k++) {
        if (strcmp(name, policies[k].name) == 0) {
            *kind = (enum tlb_policy_kind)k;
            return 0;
        }
    }
    return -1;
}

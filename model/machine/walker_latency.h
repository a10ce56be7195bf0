/*
 * walker_latency.h - which level of the memory hierarchy serves the hardware VHPT walker's read
 * of a VHPT entry: L1, L2, L3 or memory, drawn from a hit-probability table with a seeded PRNG.
 *
 * The walker does not simulate the caches; the cost model charges "walker access at level X"
 * for the level drawn here. Draw k uses the k-th value x of xorshift64 (tlb_rng.h) started from
 * the seed: u = x >> 11 (53 bits), and the level is the first i with u < T[i], where
 * T[i] = round((p_L1 + ... + p_i) * 2^53); memory when none. So the same seed gives the same
 * levels, and a probability of 0 or 1 is exact.
 *
 * Defaults and their sources: docs/machine-tlb.md.
 */
#ifndef VHPTSIM_WALKER_LATENCY_H
#define VHPTSIM_WALKER_LATENCY_H

#include <stdint.h>

enum walker_mem_level {
    WALKER_MEM_L1 = 0,
    WALKER_MEM_L2,
    WALKER_MEM_L3,
    WALKER_MEM_MEMORY,
    WALKER_MEM_LEVELS,
    WALKER_MEM_NONE = WALKER_MEM_LEVELS /* the walk read no memory (walker disabled) */
};

struct walker_latency_params {
    double hit[3]; /* probability that L1, L2, L3 serves the read; memory gets 1 - their sum */
    uint64_t seed;
};

struct walker_latency {
    uint64_t threshold[3]; /* cumulative, in units of 2^-53 */
    uint64_t state;        /* xorshift64 */
};

/* L1 0, L2 1, L3 0 (every walk served by the L2 cache), seed 1. */
void walker_latency_params_default(struct walker_latency_params *p);
/* NULL, or a static message naming the impossible parameter. */
const char *walker_latency_params_check(const struct walker_latency_params *p);
void walker_latency_init(struct walker_latency *w, const struct walker_latency_params *p);

static inline enum walker_mem_level walker_latency_level_of(const struct walker_latency *w, uint64_t x)
{
    const uint64_t u = x >> 11;
    if (u < w->threshold[0])
        return WALKER_MEM_L1;
    if (u < w->threshold[1])
        return WALKER_MEM_L2;
    if (u < w->threshold[2])
        return WALKER_MEM_L3;
    return WALKER_MEM_MEMORY;
}

/* The level serving the next walker read. */
enum walker_mem_level walker_latency_draw(struct walker_latency *w);

/* "l1", "l2", "l3", "memory" (counter names), "none". */
const char *walker_mem_level_name(enum walker_mem_level level);

#endif

/*
 * tlb_rng.h - the deterministic pseudo-random numbers of the machine model (random TLB
 * replacement, the walker's memory-level draws). Same seed, same sequence, on every host.
 *
 * The generator is Marsaglia's xorshift64 with shifts 13, 7, 17 ("Xorshift RNGs", Journal of
 * Statistical Software 8(14), 2003): one state word, the next value is the new state. A state
 * of 0 would stay 0 forever, so a zero seed is replaced by TLB_RNG_ZERO_SEED.
 *
 * Several independent streams come from one user seed through splitmix64 (the seeding
 * function of Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014): stream k starts at splitmix64(seed + k * golden gamma).
 */
#ifndef VHPTSIM_TLB_RNG_H
#define VHPTSIM_TLB_RNG_H

#include <stdint.h>

#define TLB_RNG_ZERO_SEED UINT64_C(0x9e3779b97f4a7c15)
#define TLB_RNG_GAMMA UINT64_C(0x9e3779b97f4a7c15)

/* The state to start a generator from `seed` (0 is replaced, see above). */
static inline uint64_t tlb_rng_state(uint64_t seed)
{
    return seed ? seed : TLB_RNG_ZERO_SEED;
}

/* xorshift64: advances *state and returns the new state (never 0 once the state is not 0). */
static inline uint64_t tlb_rng_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* splitmix64's output function of z = seed + k * gamma: the seed of stream k. */
static inline uint64_t tlb_rng_stream_seed(uint64_t seed, uint64_t k)
{
    uint64_t z = seed + k * TLB_RNG_GAMMA;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#endif

/*
 * rng.h - the workloads' pseudo-random generators: splitmix64 and xoshiro256**.
 *
 * Both are Sebastiano Vigna's public-domain reference algorithms (prng.di.unimi.it,
 * splitmix64.c and xoshiro256starstar.c), restated here so that a seed fully determines every
 * stream on every compiler and platform: only 64-bit unsigned arithmetic, no floating point in
 * the state, no library rand().
 *
 *   splitmix64:  state += 0x9e3779b97f4a7c15; z = state;
 *                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
 *                z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
 *                return z ^ (z >> 31);
 *   xoshiro256**: result = rotl(s1 * 5, 7) * 9; t = s1 << 17;
 *                s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45);
 *
 * A xoshiro256** state is seeded with four consecutive splitmix64 outputs, as its authors
 * recommend (a splitmix64 state may be any value, including 0; the four outputs are never all
 * zero in practice, and wl_rng_seed_from guards that case anyway).
 */
#ifndef VHPTSIM_WL_RNG_H
#define VHPTSIM_WL_RNG_H

#include <stdint.h>

struct wl_rng {
    uint64_t s[4];
};

/* Advances a splitmix64 state and returns its next output. */
uint64_t wl_splitmix64_next(uint64_t *state);

/* Seeds r from the next four outputs of the splitmix64 state *sm (s[0] first). */
void wl_rng_seed_from(struct wl_rng *r, uint64_t *sm);

static inline uint64_t wl_rotl64(uint64_t x, unsigned k) { return (x << k) | (x >> (64 - k)); }

/* The next 64-bit xoshiro256** output (inline: generators draw once or twice per reference). */
static inline uint64_t wl_rng_next(struct wl_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = wl_rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = wl_rotl64(s[3], 45);
    return result;
}

/* A uniform integer in [0, n), n >= 1, without modulo bias: outputs below (2^64 - n) mod n are
 * rejected and the next one drawn (arc4random_uniform's method), then the accepted output is
 * taken mod n. n == 1 returns 0 without drawing. For n a power of two nothing is ever rejected,
 * so the result is the output's low bits. */
uint64_t wl_rng_below(struct wl_rng *r, uint64_t n);

/* wl_rng_below for an n fixed in advance: what does not depend on the draw (the rejection
 * threshold, whether n is a power of two) computed once by wl_below_make. The same results. */
struct wl_below {
    uint64_t n, threshold, mask; /* mask = n - 1 for n a power of two, else 0 */
};
struct wl_below wl_below_make(uint64_t n);
static inline uint64_t wl_rng_below_fixed(struct wl_rng *r, const struct wl_below *b)
{
    if (b->n <= 1)
        return 0;
    for (;;) {
        const uint64_t x = wl_rng_next(r);
        if (x >= b->threshold)
            return b->mask ? x & b->mask : x % b->n;
    }
}

/* A uniform double in [0, 1): the top 53 bits of one output times 2^-53. */
static inline double wl_rng_double(struct wl_rng *r)
{
    return (double)(wl_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); /* 2^-53 */
}

#endif

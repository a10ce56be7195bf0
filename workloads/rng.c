/* rng.c - splitmix64 and xoshiro256** (see rng.h for the definitions and their source). */
#include "rng.h"

static inline uint64_t rotl64(uint64_t x, unsigned k) { return (x << k) | (x >> (64 - k)); }

uint64_t wl_splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void wl_rng_seed_from(struct wl_rng *r, uint64_t *sm)
{
    for (unsigned i = 0; i < 4; i++)
        r->s[i] = wl_splitmix64_next(sm);
    /* xoshiro's one forbidden state; splitmix64 is a bijection of its counter, so four zero
     * outputs in a row cannot actually happen, but a stuck generator would be silent. */
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1;
}

uint64_t wl_rng_next(struct wl_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

uint64_t wl_rng_below(struct wl_rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    const uint64_t threshold = (0 - n) % n; /* (2^64 - n) mod n = 2^64 mod n */
    for (;;) {
        const uint64_t x = wl_rng_next(r);
        if (x >= threshold)
            return x % n;
    }
}

double wl_rng_double(struct wl_rng *r)
{
    return (double)(wl_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); /* 2^-53 */
}

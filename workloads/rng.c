/* rng.c - splitmix64 and xoshiro256** (see rng.h for the definitions and their source). */
#include "rng.h"

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

struct wl_below wl_below_make(uint64_t n)
{
    struct wl_below b = {.n = n, .threshold = 0, .mask = 0};
    if (n > 1) {
        b.threshold = (0 - n) % n; /* (2^64 - n) mod n = 2^64 mod n */
        if ((n & (n - 1)) == 0)
            b.mask = n - 1;
    }
    return b;
}

uint64_t wl_rng_below(struct wl_rng *r, uint64_t n)
{
    const struct wl_below b = wl_below_make(n);
    return wl_rng_below_fixed(r, &b);
}

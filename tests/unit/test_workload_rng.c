/* test_workload_rng.c - splitmix64 and xoshiro256** against their published reference values. */
#include <string.h>

#include "../../workloads/rng.h"
#include "check.h"

static void test_splitmix64(void)
{
    /* Published outputs of splitmix64 from state 0 (Vigna's splitmix64.c). The first by hand:
     * z = 0x9e3779b97f4a7c15, then the two xor-shift-multiply rounds and the final xor-shift. */
    uint64_t sm = 0;
    CHECK_EQ(wl_splitmix64_next(&sm), UINT64_C(0xe220a8397b1dcdaf));
    CHECK_EQ(wl_splitmix64_next(&sm), UINT64_C(0x6e789e6aa1b965f4));
    CHECK_EQ(wl_splitmix64_next(&sm), UINT64_C(0x06c45d188009454f));
    CHECK_EQ(wl_splitmix64_next(&sm), UINT64_C(0xf88bb8a8724c81ec));
    /* the state is a plain counter stepped by the golden gamma */
    CHECK_EQ(sm, UINT64_C(4) * UINT64_C(0x9e3779b97f4a7c15));
}

static void test_xoshiro_reference(void)
{
    /* Published xoshiro256** outputs for the state {1, 2, 3, 4}. The first three by hand:
     * out1 = rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520;
     *   t = 2 << 17; s2 = 3^1 = 2; s3 = 4^2 = 6; s1 = 2^2 = 0; s0 = 1^6 = 7; s2 ^= t -> 0x40002;
     *   s3 = rotl(6, 45) = 6 << 45
     * out2 = rotl(0 * 5, 7) * 9 = 0;
     *   t = 0; s2 = 0x40002 ^ 7 = 0x40005; s3 = 6 << 45; s1 = 0 ^ 0x40005 = 0x40005; ...
     * out3 = rotl(0x40005 * 5, 7) * 9 = 262149 * 5 * 128 * 9 = 1509978240. */
    struct wl_rng r = {{1, 2, 3, 4}};
    CHECK_EQ(wl_rng_next(&r), 11520);
    CHECK_EQ(wl_rng_next(&r), 0);
    CHECK_EQ(wl_rng_next(&r), 1509978240);
    CHECK_EQ(wl_rng_next(&r), UINT64_C(1215971899390074240));
    CHECK_EQ(wl_rng_next(&r), UINT64_C(1216172134540287360));
    CHECK_EQ(wl_rng_next(&r), UINT64_C(607988272756665600));
}

static void test_seeding(void)
{
    /* the state is four consecutive splitmix64 outputs */
    uint64_t sm = 0;
    struct wl_rng r;
    wl_rng_seed_from(&r, &sm);
    CHECK_EQ(r.s[0], UINT64_C(0xe220a8397b1dcdaf));
    CHECK_EQ(r.s[1], UINT64_C(0x6e789e6aa1b965f4));
    CHECK_EQ(r.s[2], UINT64_C(0x06c45d188009454f));
    CHECK_EQ(r.s[3], UINT64_C(0xf88bb8a8724c81ec));
    /* the next seeding continues the same splitmix64 sequence */
    struct wl_rng r2;
    wl_rng_seed_from(&r2, &sm);
    uint64_t sm0 = 0;
    for (int i = 0; i < 4; i++)
        wl_splitmix64_next(&sm0);
    CHECK_EQ(r2.s[0], wl_splitmix64_next(&sm0));
    /* out1 = rotl(s1 * 5, 7) * 9, from the definition */
    const uint64_t m = UINT64_C(0x6e789e6aa1b965f4) * 5;
    CHECK_EQ(wl_rng_next(&r), ((m << 7) | (m >> 57)) * 9);
}

static void test_below_and_double(void)
{
    struct wl_rng r = {{1, 2, 3, 4}};
    /* n = 1000: threshold = 2^64 mod 1000 = 18446744073709551616 mod 1000 = 616.
     * 11520 >= 616 -> 520; 0 < 616 is rejected; 1509978240 -> 240. */
    CHECK_EQ(wl_rng_below(&r, 1000), 520);
    CHECK_EQ(wl_rng_below(&r, 1000), 240);
    /* n = 1 draws nothing: the next output is still the 4th reference value, whose low 4 bits
     * (a power of two: never rejected) are 1215971899390074240 mod 16 = 0 */
    CHECK_EQ(wl_rng_below(&r, 1), 0);
    CHECK_EQ(wl_rng_below(&r, 16), UINT64_C(1215971899390074240) % 16);
    struct wl_rng d = {{1, 2, 3, 4}};
    /* 11520 >> 11 = 5 -> 5 * 2^-53; then 0 -> 0.0 */
    CHECK(wl_rng_double(&d) == 5.0 / 9007199254740992.0);
    CHECK(wl_rng_double(&d) == 0.0);
    /* never 1.0: the all-ones output maps to 1 - 2^-53 */
    int in_range = 1;
    struct wl_rng e;
    uint64_t sm = 99;
    wl_rng_seed_from(&e, &sm);
    for (int i = 0; i < 100000; i++) {
        const double u = wl_rng_double(&e);
        in_range &= u >= 0 && u < 1;
    }
    CHECK(in_range);
}

int main(void)
{
    test_splitmix64();
    test_xoshiro_reference();
    test_seeding();
    test_below_and_double();
    return check_report("test_workload_rng");
}

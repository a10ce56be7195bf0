/*
 * test_num_parse.c - model/util/num_parse: every size suffix K..E on input (docs/config.md),
 * the hex/E rule, overflow, and num_format_size writing the largest exact unit; a seeded
 * property test that formatting then parsing gives the value back.
 */
#include <string.h>

#include "../../model/util/num_parse.h"
#include "check.h"

static uint64_t parse_size(const char *s)
{
    uint64_t v = UINT64_C(0xdead);
    return num_parse_u64(s, NUM_SIZE_SUFFIX, &v) == NUM_OK ? v : UINT64_C(0xdead);
}

static void test_suffixes(void)
{
    CHECK_EQ(parse_size("3K"), 3u << 10);
    CHECK_EQ(parse_size("3m"), 3u << 20);
    CHECK_EQ(parse_size("3G"), UINT64_C(3) << 30);
    CHECK_EQ(parse_size("3T"), UINT64_C(3) << 40);
    CHECK_EQ(parse_size("3p"), UINT64_C(3) << 50);
    CHECK_EQ(parse_size("3E"), UINT64_C(3) << 60);
    CHECK_EQ(parse_size("15E"), UINT64_C(15) << 60);
    CHECK_EQ(parse_size("0x10K"), 16u << 10);
    CHECK_EQ(parse_size("0x1E"), 30);   /* hex digit, not exa */
    CHECK_EQ(parse_size("0x1e"), 30);
    CHECK_EQ(parse_size("1048576G"), UINT64_C(1) << 50);
    uint64_t v;
    CHECK_EQ(num_parse_u64("16E", NUM_SIZE_SUFFIX, &v), NUM_OVERFLOW); /* 2^64 */
    CHECK_EQ(num_parse_u64("1T", NUM_PLAIN, &v), NUM_SYNTAX);           /* no suffix where plain */
    CHECK_EQ(num_parse_u64("1X", NUM_SIZE_SUFFIX, &v), NUM_SYNTAX);
    CHECK_EQ(num_parse_u64("K", NUM_SIZE_SUFFIX, &v), NUM_SYNTAX);
}

static void check_format(uint64_t v, const char *want)
{
    char buf[24];
    num_format_size(v, buf, sizeof buf);
    CHECK_STREQ(buf, want);
}

static void test_format(void)
{
    check_format(0, "0");
    check_format(1000, "1000");
    check_format(1024, "1K");
    check_format(1536, "1536");          /* 1.5 KiB: no exact unit */
    check_format(3u << 20, "3M");
    check_format(UINT64_C(1) << 50, "1P"); /* the 1048576G */
    check_format(UINT64_C(1) << 63, "8E");
    check_format((UINT64_C(1) << 40) + (UINT64_C(1) << 30), "1025G");
    check_format(UINT64_MAX, "18446744073709551615");
}

/* splitmix64: a fixed, documented sequence (docs/workloads.md) */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* format(v) parses back to v; its unit is the largest exact one (the mantissa is not a
 * multiple of 1024, unless there is no larger unit). */
static void test_roundtrip(void)
{
    uint64_t seed = 8;
    for (int i = 0; i < 20000; i++) {
        const uint64_t r = next_rand(&seed);
        const uint64_t v = (r >> (r & 63)) << ((r >> 8) % 64); /* many trailing zeros, or few */
        char buf[24];
        num_format_size(v, buf, sizeof buf);
        CHECK_EQ(parse_size(buf), v);
        const size_t n = strlen(buf);
        if (n && buf[n - 1] >= 'A' && buf[n - 1] != 'E') {
            buf[n - 1] = '\0';
            uint64_t mant;
            CHECK(num_parse_u64(buf, NUM_PLAIN, &mant) == NUM_OK && mant % 1024 != 0);
        }
    }
}

int main(void)
{
    test_suffixes();
    test_format();
    test_roundtrip();
    return check_report("test_num_parse");
}

/* test_u64_map.c - the guest OS model's u64 map against a plain array, through growth and
 * backward-shift deletion (keys chosen to collide: page addresses and small integers). */
#include <string.h>

#include "../../model/util/u64_map.h"
#include "check.h"

#define N 3000

int main(void)
{
    /* u64_hash_bytes is FNV-1a (64-bit): the published test vectors of its authors */
    CHECK_EQ(u64_hash_bytes("", 0), UINT64_C(0xcbf29ce484222325)); /* the offset basis */
    CHECK_EQ(u64_hash_bytes("a", 1), UINT64_C(0xaf63dc4c8601ec8c));
    CHECK_EQ(u64_hash_bytes("foobar", 6), UINT64_C(0x85944171f73967e8));
    struct u64_map m;
    CHECK_EQ(u64_map_init(&m), 0);
    static uint64_t ref_val[N];
    static int ref_in[N];
    /* keys: page addresses of two regions and 0 (any 64-bit key is allowed) */
    uint64_t keys[N];
    for (unsigned i = 0; i < N; i++)
        keys[i] = (i % 2 ? UINT64_C(0x6000000000000000) : 0) + (uint64_t)(i / 2) * 0x4000;

    uint64_t x = 12345;
    for (unsigned step = 0; step < 60000; step++) {
        x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407); /* MMIX LCG */
        const unsigned i = (unsigned)((x >> 33) % N);
        const unsigned op = (unsigned)((x >> 20) % 3);
        if (op < 2) {
            CHECK_EQ(u64_map_put(&m, keys[i], step), 0);
            ref_in[i] = 1;
            ref_val[i] = step;
        } else {
            uint64_t old = 0;
            const int removed = u64_map_del(&m, keys[i], &old);
            CHECK_EQ(removed, ref_in[i]);
            if (ref_in[i])
                CHECK_EQ(old, ref_val[i]);
            ref_in[i] = 0;
        }
    }
    size_t n = 0;
    int all_ok = 1;
    for (unsigned i = 0; i < N; i++) {
        const uint64_t *v = u64_map_get(&m, keys[i]);
        n += ref_in[i];
        if ((v != NULL) != ref_in[i] || (v && *v != ref_val[i]))
            all_ok = 0;
    }
    CHECK(all_ok);
    CHECK_EQ(m.n, n);
    size_t used = 0;
    for (size_t s = 0; s < m.cap; s++)
        used += m.used[s];
    CHECK_EQ(used, n);
    u64_map_free(&m);
    return check_report("test_u64_map");
}

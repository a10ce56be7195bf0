/* test_ski_page_set.c - the distinct-page set of `vhptsim trace info`: against a sort-based count. */
#include <stdlib.h>
#include <string.h>

#include "../../trace/page_set.h"
#include "check.h"

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    struct page_set s;
    page_set_init(&s);
    CHECK_EQ(page_set_size(&s), 0);
    CHECK_EQ(page_set_contains(&s, 0), 0);
    /* the edge keys: 0 and UINT64_MAX (stored apart, since slots hold key + 1) */
    CHECK_EQ(page_set_insert(&s, 0), 1);
    CHECK_EQ(page_set_insert(&s, 0), 0);
    CHECK_EQ(page_set_insert(&s, UINT64_MAX), 1);
    CHECK_EQ(page_set_insert(&s, UINT64_MAX), 0);
    CHECK_EQ(page_set_size(&s), 2);
    CHECK(page_set_contains(&s, UINT64_MAX));
    CHECK(page_set_contains(&s, 0));
    page_set_free(&s);

    /* 200,000 keys from a small range (many repeats) and with region bits: count = sort + unique */
    enum { N = 200000 };
    uint64_t *keys = malloc(N * sizeof *keys);
    uint64_t x = 12345;
    size_t added = 0, bad_rc = 0;
    page_set_init(&s);
    for (size_t i = 0; i < N; i++) {
        x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        keys[i] = ((x >> 33) % 50000) | ((x >> 61) << 49); /* like (va >> 12) with region bits */
        const int rc = page_set_insert(&s, keys[i]);
        bad_rc += rc != 0 && rc != 1;
        added += rc == 1;
    }
    CHECK_EQ(bad_rc, 0);
    qsort(keys, N, sizeof *keys, cmp_u64);
    size_t distinct = 0;
    for (size_t i = 0; i < N; i++)
        distinct += i == 0 || keys[i] != keys[i - 1];
    CHECK_EQ(page_set_size(&s), distinct);
    CHECK_EQ(added, distinct);
    size_t found = 0;
    for (size_t i = 0; i < N; i++)
        found += page_set_contains(&s, keys[i]) == 1;
    CHECK_EQ(found, N);
    CHECK_EQ(page_set_contains(&s, UINT64_C(1) << 40), 0);
    /* at most 3/4 full (u64_map's load bound), and at most 4 slots per key: memory grows with
     * the distinct keys only */
    CHECK(s.map.cap * 3 >= s.map.n * 4 && s.map.cap <= 4 * s.map.n + 32);
    page_set_free(&s);
    free(keys);
    return check_report("test_ski_page_set");
}

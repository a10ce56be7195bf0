/* test_ia64_arch.c - field accessors and the walker hash, values derived by hand. */
#include <string.h>

#include "../../model/ia64/ia64_arch.h"
#include "../../model/ia64/ia64_vhpt_hash.h"
#include "check.h"

static void test_page_sizes(void)
{
    const unsigned valid[] = {12, 13, 14, 16, 18, 20, 22, 24, 26, 28, 32};
    unsigned nvalid = 0;
    for (unsigned ps = 0; ps < 70; ps++)
        nvalid += ia64_page_size_valid(ps);
    CHECK_EQ(nvalid, 11);
    for (unsigned i = 0; i < 11; i++)
        CHECK(ia64_page_size_valid(valid[i]));
    CHECK(!ia64_page_size_valid(15));
    CHECK(!ia64_page_size_valid(30));
    CHECK(!ia64_page_size_valid(64));
}

static void test_fields(void)
{
    /* rr 0x123439: ve = 1, ps = 0x39 >> 2 = 14, rid = 0x1234 */
    CHECK_EQ(ia64_rr_ve(0x123439), 1);
    CHECK_EQ(ia64_rr_ps(0x123439), 14);
    CHECK_EQ(ia64_rr_rid(0x123439), 0x1234);
    CHECK_EQ(ia64_rr_make(0x1234, 14, 1), 0x123439);
    CHECK_EQ(ia64_rr_with_ps(0x123439, 16), 0x123441);
    /* PTA: base 0x4000000000000000, size 15 (0x3c), vf bit 8, ve bit 0 */
    const uint64_t pta = ia64_pta_make(UINT64_C(0x4000000000000000), 15, 1, 1);
    CHECK_EQ(pta, UINT64_C(0x400000000000013d));
    CHECK_EQ(ia64_pta_size(pta), 15);
    CHECK_EQ(ia64_pta_vf(pta), 1);
    CHECK_EQ(ia64_pta_base_addr(pta), UINT64_C(0x4000000000000000));
    /* pte 0x1234661: p=1 ma=0 a=1 d=1 pl=0 ar=3 ppn=0x1234 */
    CHECK_EQ(ia64_pte_p(0x1234661), 1);
    CHECK_EQ(ia64_pte_a(0x1234661), 1);
    CHECK_EQ(ia64_pte_d(0x1234661), 1);
    CHECK_EQ(ia64_pte_ar(0x1234661), 3);
    CHECK_EQ(ia64_pte_ppn(0x1234661), 0x1234);
    CHECK_EQ(ia64_pte_ma(0x10), 4); /* 0x10 = 4 << 2: UC */
    CHECK_EQ(IA64_PAGE_FLAGS_RV_MASK, UINT64_C(0xffec000000000002));
    CHECK_EQ(IA64_PTE_PPN_MASK, UINT64_C(0x0003fffffffff000));
    CHECK_EQ(IA64_PHY_PAGE_WB, 0x661);
    CHECK_EQ(ia64_itir_ps(0x1234 << 8 | 14 << 2), 14);
    CHECK_EQ(ia64_itir_key(0x1234 << 8 | 14 << 2), 0x1234);
}

static void test_walker_hash(void)
{
    /* machine rr: rid 0x1234e, ps 14, ve 1; PTA base 0xe000000100000000, 256 KiB (size 18)
     * va 0x6000000000034000: region offset 0x34000, hpn = 0x34000 >> 14 = 0xd
     * index = (0xd ^ 0x1234e) mod 8192 = 0x12343 mod 0x2000 = 0x343; thash = base + 0x343 * 32
     * ttag = 0xd ^ (0x1234e << 39) */
    const uint64_t rr = ia64_rr_make(0x1234e, 14, 1);
    const uint64_t pta = ia64_pta_make(UINT64_C(0xe000000100000000), 18, 1, 1);
    const uint64_t va = UINT64_C(0x6000000000034000);
    CHECK_EQ(ia64_lvhpt_thash(IA64_LVHPT_HASH_SKI, pta, rr, va), UINT64_C(0xe000000100000000) + 0x343 * 32);
    CHECK_EQ(ia64_lvhpt_ttag(IA64_LVHPT_HASH_SKI, rr, va), UINT64_C(0xd) ^ (UINT64_C(0x1234e) << 39));
    /* short format: guest pta base 0x4000000000100000 size 16 (64 KiB), rr ps 14;
     * va 0x2000000000068000 -> (va >> 14) << 3 = 0x... mod 2^16: offset (0x1a << 3) = 0xd0
     * region bits of va (1 << 61) | base bits above 16 (0x100000) */
    const uint64_t gpta = ia64_pta_make(UINT64_C(0x4000000000100000), 16, 0, 1);
    CHECK_EQ(ia64_svhpt_thash(gpta, ia64_rr_make(5, 14, 1), UINT64_C(0x2000000000068000)),
             UINT64_C(0x2000000000100000) | 0xd0);
    enum ia64_lvhpt_hash_kind k;
    CHECK_EQ(ia64_lvhpt_hash_parse("ski", &k), 0);
    CHECK_EQ(ia64_lvhpt_hash_parse("bogus", &k), (uint64_t)-1);
}

int main(void)
{
    test_page_sizes();
    test_fields();
    test_walker_hash();
    return check_report("test_ia64_arch");
}

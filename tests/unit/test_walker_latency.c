/*
 * test_walker_latency.c - the memory level serving the VHPT walker's read (walker_latency.h)
 * and its counting in machine_walk. First draws derived by hand from the definition; the
 * distribution over 100,000 draws checked against the binomial standard deviation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/machine/machine.h"
#include "check.h"

static struct walker_latency make(double l1, double l2, double l3, uint64_t seed)
{
    const struct walker_latency_params p = {.hit = {l1, l2, l3}, .seed = seed};
    CHECK(walker_latency_params_check(&p) == NULL);
    struct walker_latency w;
    walker_latency_init(&w, &p);
    return w;
}

static void test_first_draws(void)
{
    /* Seed 1, xorshift64 (13, 7, 17). By hand: x = 1 -> 1 ^ 1 << 13 = 0x2001 -> ^ >> 7 (0x40)
     * = 0x2041 -> ^ << 17 (0x40820000) = 0x40822041. The next values (same steps, calculator):
     *   x2 = 0x100041060c011441, x3 = 0x9b1e842f6e862629, x4 = 0xf554f503555d8025,
     *   x5 = 0x860c1fb090599265, x6 = 0xf6b05302e5531801.
     * u = x >> 11, as a fraction of 2^53:
     *   u1 = 0x81044 (5.9e-11), u2 = 0x2000820c18022 (0.0625), u3 = 0x1363d085edd0c4 (0.606),
     *   u4 = 0x1eaa9ea06aabb0 (0.958), u5 = 0x10c183f6120b32 (0.524), u6 = 0x1ed60a605caa63 (0.964).
     * Probabilities L1 0.05, L2 0.5, L3 0.3 -> cumulative 0.05, 0.55, 0.85 (memory above):
     *   L1, L2, L3, memory, L2, memory. */
    struct walker_latency w = make(0.05, 0.5, 0.3, 1);
    CHECK_EQ(w.threshold[0], 450359962737050);  /* round(0.05 * 2^53) */
    CHECK_EQ(w.threshold[1], 4953959590107546); /* round(0.55 * 2^53) */
    /* round(0.85 * 2^53) = 7656119366529843; the sum 0.05 + 0.5 + 0.3 is taken in double
     * (0.8500000000000001), which may move the threshold by one unit of 2^-53 */
    CHECK(w.threshold[2] >= 7656119366529842 && w.threshold[2] <= 7656119366529844);
    const enum walker_mem_level expected[6] = {WALKER_MEM_L1, WALKER_MEM_L2,     WALKER_MEM_L3,
                                               WALKER_MEM_MEMORY, WALKER_MEM_L2, WALKER_MEM_MEMORY};
    for (unsigned i = 0; i < 6; i++)
        CHECK_EQ(walker_latency_draw(&w), expected[i]);
    CHECK_EQ(w.state, UINT64_C(0xf6b05302e5531801)); /* x6 */

    /* same seed, same sequence; probabilities 0 and 1 are exact */
    struct walker_latency a = make(0.1, 0.2, 0.3, 99), b = make(0.1, 0.2, 0.3, 99);
    int same = 1;
    for (unsigned i = 0; i < 1000; i++)
        same &= walker_latency_draw(&a) == walker_latency_draw(&b);
    CHECK(same);
    struct walker_latency only_l2 = make(0, 1, 0, 3), only_mem = make(0, 0, 0, 3), only_l1 = make(1, 0, 0, 3);
    unsigned l2 = 0, mem = 0, l1 = 0;
    for (unsigned i = 0; i < 1000; i++) {
        l2 += walker_latency_draw(&only_l2) == WALKER_MEM_L2;
        mem += walker_latency_draw(&only_mem) == WALKER_MEM_MEMORY;
        l1 += walker_latency_draw(&only_l1) == WALKER_MEM_L1;
    }
    CHECK_EQ(l2, 1000);
    CHECK_EQ(mem, 1000);
    CHECK_EQ(l1, 1000);
}

static void test_distribution(void)
{
    /* 100,000 draws with L1 0.1, L2 0.2, L3 0.3, memory 0.4. Each count is binomial
     * (n = 100000, p): mean n p = 10000, 20000, 30000, 40000; sigma = sqrt(n p (1 - p)) =
     * sqrt(9000) = 94.9, sqrt(16000) = 126.5, sqrt(21000) = 144.9, sqrt(24000) = 154.9.
     * Allowed: 5 sigma = 474, 632, 724, 774 (rounded down). */
    const unsigned n = 100000;
    const long mean[4] = {10000, 20000, 30000, 40000};
    const long tolerance[4] = {474, 632, 724, 774};
    struct walker_latency w = make(0.1, 0.2, 0.3, 12345);
    long count[4] = {0};
    for (unsigned i = 0; i < n; i++)
        count[walker_latency_draw(&w)]++;
    for (unsigned l = 0; l < 4; l++)
        CHECK(labs(count[l] - mean[l]) <= tolerance[l]);
}

static void test_params_check(void)
{
    struct walker_latency_params p;
    walker_latency_params_default(&p);
    CHECK(walker_latency_params_check(&p) == NULL);
    CHECK(p.hit[0] == 0.0 && p.hit[1] == 1.0 && p.hit[2] == 0.0);
    p.hit[0] = 0.5;
    CHECK_STREQ(walker_latency_params_check(&p),
                "walker hit probabilities of L1, L2 and L3 must not add up to more than 1");
    p.hit[0] = -0.1;
    CHECK_STREQ(walker_latency_params_check(&p), "walker hit probabilities must be between 0 and 1");
    p.hit[0] = NAN;
    CHECK_STREQ(walker_latency_params_check(&p), "walker hit probabilities must be between 0 and 1");
    CHECK_STREQ(walker_mem_level_name(WALKER_MEM_MEMORY), "memory");
    CHECK_STREQ(walker_mem_level_name(WALKER_MEM_L3), "l3");
}

static void test_machine_walk(void)
{
    /* A machine with a 32 KiB machine VHPT (1024 empty entries) at 0xe000000100000000, region 3
     * rid 0x1234 ps 14. An empty entry's tag (0) does not match ttag(va) (rid << 39 is not 0),
     * so a walk misses after reading the entry: with the default table the read is served by
     * L2. With the rr's ve clear the walker reads nothing (WALKER_MEM_NONE). */
    struct machine_params mp;
    machine_params_default(&mp);
    struct machine m;
    CHECK_EQ(machine_init(&m, &mp, NULL), 0);
    struct thash_table table = {.num = 1024, .base = UINT64_C(0xe000000100000000)};
    table.hash = calloc(table.num, sizeof *table.hash);
    table.pta = ia64_pta_make(table.base, 15, 1, 1);
    m.pta = table.pta;
    m.vhpt_mem = &table;
    m.rr[3] = ia64_rr_make(0x1234, 14, 1);
    const uint64_t va = UINT64_C(0x6000000000034000);
    const struct mtlb_entry *e;
    enum walker_mem_level mem;
    CHECK_EQ(machine_walk_mem(&m, VMM_D_TLB, va, &e, &mem), WALK_MISS);
    CHECK_EQ(mem, WALKER_MEM_L2);
    CHECK_EQ(m.walker.mem[WALKER_MEM_L2], 1);
    m.rr[3] = ia64_rr_make(0x1234, 14, 0);
    CHECK_EQ(machine_walk_mem(&m, VMM_D_TLB, va, &e, &mem), WALK_MISS);
    CHECK_EQ(mem, WALKER_MEM_NONE);
    CHECK_EQ(m.walker.walks, 2);
    CHECK_EQ(m.walker.misses, 2);
    CHECK_EQ(m.walker.mem[WALKER_MEM_L1] + m.walker.mem[WALKER_MEM_L2] + m.walker.mem[WALKER_MEM_L3] +
                 m.walker.mem[WALKER_MEM_MEMORY],
             1);

    /* A matching entry: the walk hits and fills L2 and the L1 piece; the next lookup of the
     * same 4 KiB is an L1 hit, another 4 KiB of the 16 KiB page an L2 hit. */
    m.rr[3] = ia64_rr_make(0x1234, 14, 1);
    const uint64_t slot = ia64_lvhpt_thash(mp.hash, m.pta, m.rr[3], va);
    struct ia64_lvhpt_entry *ve = thash_table_slot(&table, slot);
    ve->page_flags = UINT64_C(0x4000661); /* pa 0x4000000 */
    ve->itir = 14 << 2;
    ve->etag = ia64_lvhpt_ttag(mp.hash, m.rr[3], va);
    CHECK_EQ(machine_walk_mem(&m, VMM_D_TLB, va + 8, &e, &mem), WALK_HIT);
    CHECK(e != NULL && machine_paddr(e, va + 8) == 0x4000008);
    enum mtlb_hit hit;
    CHECK(machine_tlb_lookup_level(&m, VMM_D_TLB, va + 0x10, &hit) != NULL);
    CHECK_EQ(hit, MTLB_HIT_L1);
    e = machine_tlb_lookup_level(&m, VMM_D_TLB, va + 0x2010, &hit);
    CHECK_EQ(hit, MTLB_HIT_L2);
    CHECK(e != NULL && machine_paddr(e, va + 0x2010) == 0x4002010);
    CHECK_EQ(m.walker.hits, 1);
    CHECK_EQ(m.walker.mem[WALKER_MEM_L2], 2);
    machine_free(&m);
    free(table.hash);

    /* walker draws of a machine follow its walker_latency params: all memory */
    mp.walker.hit[1] = 0.0;
    CHECK_EQ(machine_init(&m, &mp, NULL), 0);
    m.rr[3] = ia64_rr_make(0x1234, 14, 1);
    m.pta = ia64_pta_make(UINT64_C(0xe000000100000000), 15, 1, 1);
    CHECK_EQ(machine_walk_mem(&m, VMM_D_TLB, va, &e, &mem), WALK_MISS); /* no table: a miss */
    CHECK_EQ(mem, WALKER_MEM_MEMORY);
    CHECK_EQ(m.walker.mem[WALKER_MEM_MEMORY], 1);
    machine_free(&m);
}

int main(void)
{
    test_first_draws();
    test_distribution();
    test_params_check();
    test_machine_walk();
    return check_report("test_walker_latency");
}

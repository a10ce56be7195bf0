/*
 * test_cost_account.c - the cost account charges rows exactly and flags, rather than wraps, a
 * total past 2^64 - 1 cycles (model/cost/cost_table.h): no wrapped figure is ever reported.
 */
#include <stdint.h>
#include <string.h>

#include "../../model/cost/cost_table.h"
#include "check.h"

int main(void)
{
    struct cost_table t;
    cost_table_default(&t);
    struct cost_account a;
    memset(&a, 0, sizeof a);

    t.cycles[COST_VMM_EXIT] = 500;
    CHECK_EQ(cost_charge(&a, &t, COST_VMM_EXIT, 3), 1500);
    CHECK_EQ(a.cycles[COST_VMM_EXIT], 1500);
    CHECK_EQ(a.total, 1500);
    CHECK_EQ(cost_account_sum(&a), 1500);
    CHECK_EQ(a.overflow, 0);

    /* up to 2^64 - 1 exactly: 1500 + (2^64 - 1 - 1500) */
    t.cycles[COST_GUEST_REF] = 1;
    cost_charge(&a, &t, COST_GUEST_REF, UINT64_MAX - 1500);
    CHECK_EQ(a.total, UINT64_MAX);
    CHECK_EQ(a.overflow, 0);
    /* one cycle more */
    cost_charge(&a, &t, COST_GUEST_REF, 1);
    CHECK_EQ(a.overflow, 1);

    /* a product of cost and count past 2^64 on an empty account: 2^8 cycles x 2^56 units =
     * 2^64, which would wrap to a total of 0 */
    struct cost_account b;
    memset(&b, 0, sizeof b);
    t.cycles[COST_EMULATE] = 256;
    cost_charge(&b, &t, COST_EMULATE, UINT64_C(1) << 56);
    CHECK_EQ(b.overflow, 1);
    /* just below: 2^8 x (2^56 - 1) fits */
    struct cost_account c;
    memset(&c, 0, sizeof c);
    CHECK_EQ(cost_charge(&c, &t, COST_EMULATE, (UINT64_C(1) << 56) - 1), UINT64_MAX - 255);
    CHECK_EQ(c.overflow, 0);
    return check_report("test_cost_account");
}

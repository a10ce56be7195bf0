/*
 * check_zero.c - a unit test that runs no checks: check_report must fail it (ctest expects
 * this program to fail: WILL_FAIL in tests/CMakeLists.txt). Not named test_*.c, so the unit
 * test glob leaves it alone.
 */
#include "check.h"

int main(void)
{
    return check_report("check_zero");
}

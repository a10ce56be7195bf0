/*
 * test_stat_set.c - the derived statistics of model/stats/stat_set (docs/stats.md, "Derived
 * rates" and "VM totals"), on hand-made sets whose values are derived here: vm.* counters are
 * sums, vm rates come from the sums (not an average of the vCPUs' rates), cycles as max and
 * sum, undefined rates (no lookups) are null / empty, mpki only where instructions are counted.
 */
#include <math.h>
#include <string.h>

#include "../../model/stats/stat_set.h"
#include "check.h"

static void add(struct stat_set *s, const char *name, uint64_t v) { CHECK_EQ(stat_set_add(s, name, v), 0); }

static double rate(const struct stat_set *s, const char *name)
{
    const struct stat_entry *e = stat_set_find(s, name);
    CHECK(e != NULL && e->is_rate && e->defined);
    return e && e->defined ? e->rate : -1.0;
}

static int undefined(const struct stat_set *s, const char *name)
{
    const struct stat_entry *e = stat_set_find(s, name);
    return e && e->is_rate && !e->defined;
}

static uint64_t count(const struct stat_set *s, const char *name)
{
    const struct stat_entry *e = stat_set_find(s, name);
    CHECK(e != NULL && !e->is_rate);
    return e ? e->count : UINT64_MAX;
}

#define CHECK_NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-12)

/* two vCPUs, the same names in the same order (as the counter visitor lists them) */
static void two_vcpus(struct stat_set *s, int with_insns)
{
    /* cpu0: 1 hit, 3 misses, 10 references; cpu1: 9 hits, 1 miss, 30 references */
    const uint64_t hits[2] = {1, 9}, misses[2] = {3, 1}, refs[2] = {10, 30}, insns[2] = {4, 0};
    const uint64_t cycles[2] = {700, 500}, time[2] = {7000, 5000};
    for (unsigned c = 0; c < 2; c++) {
        char n[64];
        if (with_insns) {
            snprintf(n, sizeof n, "cpu%u.instructions", c);
            add(s, n, insns[c]);
        }
        snprintf(n, sizeof n, "cpu%u.refs", c);
        add(s, n, refs[c]);
        snprintf(n, sizeof n, "cpu%u.dtlb.l1.hits", c);
        add(s, n, hits[c]);
        snprintf(n, sizeof n, "cpu%u.dtlb.l1.misses", c);
        add(s, n, misses[c]);
        snprintf(n, sizeof n, "cpu%u.walker.hits", c); /* never looked up */
        add(s, n, 0);
        snprintf(n, sizeof n, "cpu%u.walker.misses", c);
        add(s, n, 0);
        snprintf(n, sizeof n, "cpu%u.cycles.total", c);
        add(s, n, cycles[c]);
    }
    add(s, "vm.dirty.pages", 5);
    add(s, "cpu0.time_ps", time[0]);
    add(s, "cpu1.time_ps", time[1]);
}

static void test_vm_totals_and_rates(void)
{
    struct stat_set s = {0};
    two_vcpus(&s, 0);
    CHECK_EQ(stat_set_add_vm_totals(&s, 2), 0);
    CHECK_EQ(stat_set_derive(&s), 0);
    CHECK_EQ(count(&s, "vm.refs"), 40);
    CHECK_EQ(count(&s, "vm.dtlb.l1.hits"), 10);
    CHECK_EQ(count(&s, "vm.dtlb.l1.misses"), 4);
    CHECK_EQ(count(&s, "vm.cycles.total"), 1200); /* summed */
    CHECK_EQ(count(&s, "vm.cycles.max"), 700);    /* the longest vCPU */
    CHECK_EQ(count(&s, "vm.time_ps"), 7000);      /* elapsed: the longest, not a sum */
    CHECK_EQ(count(&s, "vm.dirty.pages"), 5);     /* a VM counter stays as it is */
    CHECK(stat_set_find(&s, "vm.vm.dirty.pages") == NULL);
    /* per vCPU: 1/4 and 9/10; the VM: 10/14 = 0.714..., not their mean 0.575 */
    CHECK_NEAR(rate(&s, "cpu0.dtlb.l1.hit_rate"), 0.25);
    CHECK_NEAR(rate(&s, "cpu1.dtlb.l1.hit_rate"), 0.9);
    CHECK_NEAR(rate(&s, "vm.dtlb.l1.hit_rate"), 10.0 / 14.0);
    /* misses per 1000 references: 3/10, 1/30, 4/40 */
    CHECK_NEAR(rate(&s, "cpu0.dtlb.l1.mpkr"), 300.0);
    CHECK_NEAR(rate(&s, "cpu1.dtlb.l1.mpkr"), 1000.0 / 30.0);
    CHECK_NEAR(rate(&s, "vm.dtlb.l1.mpkr"), 100.0);
    /* no instructions counted: no mpki at all */
    CHECK(stat_set_find(&s, "cpu0.dtlb.l1.mpki") == NULL);
    CHECK(stat_set_find(&s, "vm.dtlb.l1.mpki") == NULL);
    /* no walker lookups: undefined, not 0; mpkr is defined (0 misses of 10 references) */
    CHECK(undefined(&s, "cpu0.walker.hit_rate"));
    CHECK(undefined(&s, "vm.walker.hit_rate"));
    CHECK_NEAR(rate(&s, "cpu0.walker.mpkr"), 0.0);

    /* written: null in YAML, an empty field in CSV */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK_EQ(stat_set_write_yaml(&s, f), 0);
    fclose(f);
    CHECK(strstr(buf, "\ncpu0.walker.hit_rate: null\n") != NULL);
    CHECK(strstr(buf, "\nvm.dtlb.l1.hit_rate: 0.714285714\n") != NULL);
    free(buf);
    f = open_memstream(&buf, &len);
    CHECK_EQ(stat_set_write_csv(&s, f), 0);
    fclose(f);
    CHECK(strstr(buf, "\ncpu0.walker.hit_rate,\n") != NULL);
    CHECK(strstr(buf, "\ncpu0.dtlb.l1.mpkr,300\n") != NULL);
    free(buf);
    stat_set_free(&s);
}

static void test_mpki(void)
{
    struct stat_set s = {0};
    two_vcpus(&s, 1);
    CHECK_EQ(stat_set_add_vm_totals(&s, 2), 0);
    CHECK_EQ(stat_set_derive(&s), 0);
    CHECK_EQ(count(&s, "vm.instructions"), 4);
    CHECK_NEAR(rate(&s, "cpu0.dtlb.l1.mpki"), 750.0); /* 3 misses in 4 instructions */
    CHECK(undefined(&s, "cpu1.dtlb.l1.mpki"));         /* no instructions on cpu1 */
    CHECK_NEAR(rate(&s, "vm.dtlb.l1.mpki"), 1000.0);   /* 4 misses in 4 instructions */
    stat_set_free(&s);
}

/* the warm-up: a vCPU's counters minus its baseline, the others untouched */
static void test_subtract(void)
{
    struct stat_set s = {0}, base = {0};
    two_vcpus(&s, 0);
    two_vcpus(&base, 0);
    base.e[0].count = 4; /* cpu0.refs at the end of its warm-up */
    stat_set_subtract(&s, &base, "cpu0.");
    CHECK_EQ(count(&s, "cpu0.refs"), 6);
    CHECK_EQ(count(&s, "cpu0.dtlb.l1.hits"), 0);
    CHECK_EQ(count(&s, "cpu1.refs"), 30);
    stat_set_free(&s);
    stat_set_free(&base);
}

int main(void)
{
    test_vm_totals_and_rates();
    test_mpki();
    test_subtract();
    return check_report("test_stat_set");
}

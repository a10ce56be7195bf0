/* test_workload_params.c - names, documented defaults, and the impossible parameters. */
#include <math.h>
#include <string.h>

#include "../../workloads/workload.h"
#include "check.h"

static void test_names(void)
{
    const char *names[] = {"seqscan", "stride", "uniform", "zipf", "ptrchase", "multiproc", "mmap_storm", "hugepage"};
    CHECK_EQ(WL_KIND_COUNT, 8);
    for (unsigned k = 0; k < 8; k++) {
        enum workload_kind kind = WL_KIND_COUNT;
        CHECK_STREQ(workload_kind_name((enum workload_kind)k), names[k]);
        CHECK_EQ(workload_kind_parse(names[k], &kind), 0);
        CHECK_EQ(kind, k);
    }
    enum workload_kind kind;
    CHECK_EQ(workload_kind_parse("zipfian", &kind), (uint64_t)-1);
    CHECK_EQ(workload_kind_parse("", &kind), (uint64_t)-1);
    CHECK(workload_kind_name(WL_KIND_COUNT) == NULL);
    enum workload_vcpu_mode m;
    CHECK_EQ(workload_vcpu_mode_parse("per_vcpu", &m), 0);
    CHECK_EQ(m, WL_VCPU_PER_VCPU);
    CHECK_EQ(workload_vcpu_mode_parse("interleave", &m), 0);
    CHECK_EQ(m, WL_VCPU_INTERLEAVE);
    CHECK_EQ(workload_vcpu_mode_parse("shared", &m), (uint64_t)-1);
    CHECK_STREQ(workload_vcpu_mode_name(WL_VCPU_PER_VCPU), "per_vcpu");
}

static void test_defaults(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_UNIFORM);
    CHECK_EQ(p.kind, WL_UNIFORM);
    CHECK_EQ(p.seed, 1);
    CHECK_EQ(p.length, 1000000);
    CHECK_EQ(p.base, UINT64_C(0x6000000000000000));
    CHECK_EQ(p.footprint, 16u << 20);
    CHECK_EQ(p.access_size, 8);
    CHECK_EQ(p.stride, 0);
    CHECK(p.write_fraction == 0 && p.ifetch_fraction == 0 && p.zipf_alpha == 1.0);
    CHECK_EQ(p.zipf_item, 16384);
    CHECK_EQ(p.nr_procs, 4);
    CHECK_EQ(p.switch_interval, 10000);
    CHECK_EQ(p.mmap_chunk, 1u << 20);
    CHECK_EQ(p.mmap_live, 8);
    CHECK_EQ(p.munmap_interval, 4096);
    CHECK_EQ(p.huge_ps, 28);
    CHECK_EQ(p.code_base, UINT64_C(0x4000000000000000));
    CHECK_EQ(p.code_footprint, 65536);
    CHECK_EQ(p.nr_vcpus, 1);
    CHECK_EQ(p.vcpu_mode, WL_VCPU_INTERLEAVE);
    workload_params_default(&p, WL_MULTIPROC);
    CHECK_EQ(p.footprint, 4u << 20);
    /* every kind's defaults are possible */
    for (unsigned k = 0; k < WL_KIND_COUNT; k++) {
        char err[256] = "";
        workload_params_default(&p, (enum workload_kind)k);
        CHECK_EQ(workload_check(&p, err, sizeof err), 0);
        if (err[0])
            fprintf(stderr, "%s: %s\n", workload_kind_name((enum workload_kind)k), err);
    }
}

/* p must be refused by workload_create with a message containing `what`. */
static void refused(const struct workload_params *p, const char *what, int line)
{
    char err[256] = "";
    struct workload *w = workload_create(p, err, sizeof err);
    CHECK(w == NULL);
    CHECK(strstr(err, what) != NULL);
    if (w || !strstr(err, what))
        fprintf(stderr, "line %d: expected an error about '%s', got '%s'\n", line, what, err);
    workload_destroy(w);
}
#define REFUSED(field, value, what)                        \
    do {                                                   \
        struct workload_params q_ = base;                  \
        q_.field = value;                                  \
        refused(&q_, what, __LINE__);                      \
    } while (0)

static void test_impossible(void)
{
    struct workload_params base;
    workload_params_default(&base, WL_UNIFORM);
    REFUSED(kind, WL_KIND_COUNT, "kind");
    REFUSED(footprint, 0, "footprint");
    REFUSED(footprint, 12, "footprint");
    REFUSED(access_size, 3, "access_size");
    REFUSED(access_size, 0, "access_size");
    REFUSED(base, UINT64_C(0x6000000000000004), "base");
    REFUSED(write_fraction, 1.5, "write_fraction");
    REFUSED(write_fraction, -0.1, "write_fraction");
    REFUSED(write_fraction, NAN, "write_fraction");
    REFUSED(ifetch_fraction, 2, "ifetch_fraction");
    REFUSED(nr_vcpus, 0, "nr_vcpus");
    REFUSED(nr_vcpus, 65, "nr_vcpus");
    REFUSED(vcpu_mode, WL_VCPU_MODE_COUNT, "vcpu_mode");
    REFUSED(exit_at_end, 1, "exit_at_end");
    REFUSED(base, UINT64_C(0x7fffffffffff0000), "region");
    {
        struct workload_params q = base;
        q.ifetch_fraction = 0.1;
        q.code_footprint = 40;
        refused(&q, "code_footprint", __LINE__);
        q.code_footprint = 64;
        q.code_base = UINT64_C(0x4000000000000008);
        refused(&q, "code_base", __LINE__);
        q.code_base = UINT64_C(0x3ffffffffffffff0);
        refused(&q, "code range", __LINE__);
    }
    {
        struct workload_params q = base;
        q.vcpu_mode = WL_VCPU_PER_VCPU;
        q.nr_vcpus = 4;
        q.base = UINT64_C(0x7fffffffff000000); /* 16 MiB left in region 3, 4 x 16 MiB needed */
        refused(&q, "region", __LINE__);
    }
    workload_params_default(&base, WL_STRIDE);
    REFUSED(stride, 12, "stride");
    workload_params_default(&base, WL_ZIPF);
    REFUSED(zipf_alpha, 0, "zipf_alpha");
    REFUSED(zipf_alpha, -1, "zipf_alpha");
    REFUSED(zipf_alpha, NAN, "zipf_alpha");
    REFUSED(zipf_alpha, INFINITY, "zipf_alpha");
    REFUSED(zipf_item, 0, "zipf_item");
    REFUSED(zipf_item, 12, "zipf_item");
    REFUSED(zipf_item, 3u << 20, "zipf_item"); /* 16 MiB is not a multiple of 3 MiB */
    REFUSED(footprint, UINT64_C(16384) << 23, "table cap"); /* 2^23 items > 2^22 */
    workload_params_default(&base, WL_PTRCHASE);
    REFUSED(footprint, 3 * 256, "power-of-two");
    REFUSED(stride, 100, "multiple");
    REFUSED(footprint, 1000, "multiple");
    workload_params_default(&base, WL_MULTIPROC);
    REFUSED(nr_procs, 0, "nr_procs");
    REFUSED(switch_interval, 0, "switch_interval");
    REFUSED(inner, WL_MULTIPROC, "inner");
    REFUSED(inner, WL_MMAP_STORM, "inner");
    workload_params_default(&base, WL_MMAP_STORM);
    REFUSED(mmap_chunk, 0, "mmap_chunk");
    REFUSED(mmap_chunk, 6000, "mmap_chunk");
    REFUSED(mmap_chunk, 3u << 20, "mmap_chunk"); /* 16 MiB not a multiple of 3 MiB */
    REFUSED(mmap_live, 0, "mmap_live");
    REFUSED(mmap_live, 17, "mmap_live"); /* 16 MiB / 1 MiB = 16 positions */
    REFUSED(munmap_interval, 0, "munmap_interval");
    REFUSED(base, UINT64_C(0x6000000000000800), "4 KiB");
    workload_params_default(&base, WL_HUGEPAGE);
    REFUSED(huge_ps, 15, "huge_ps");
    REFUSED(huge_ps, 64, "huge_ps");
    REFUSED(base, UINT64_C(0x8000000001000000), "aligned");
    REFUSED(footprint, UINT64_C(3) << 27, "multiple");
    REFUSED(inner, WL_HUGEPAGE, "inner");
    /* NULL err is allowed */
    struct workload_params q = base;
    q.huge_ps = 15;
    CHECK(workload_create(&q, NULL, 0) == NULL);
    CHECK_EQ(workload_check(&q, NULL, 0), (uint64_t)-1);
}

static void test_length_zero(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_MULTIPROC);
    p.length = 0;
    p.exit_at_end = 1;
    struct workload *w = workload_create(&p, NULL, 0);
    CHECK(w != NULL);
    struct guest_event ev;
    if (w)
        CHECK_EQ(workload_next(w, &ev), 0); /* nothing ran: no switch, no exit */
    workload_destroy(w);
    workload_destroy(NULL);
}

int main(void)
{
    test_names();
    test_defaults();
    test_impossible();
    test_length_zero();
    return check_report("test_workload_params");
}

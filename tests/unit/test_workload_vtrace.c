/* test_workload_vtrace.c - a workload written as vtrace reads back as the identical events. */
#include <stdlib.h>
#include <string.h>

#include "../../trace/vtrace.h"
#include "../../workloads/workload.h"
#include "check.h"

_Static_assert(WL_MAX_INSNS_PER_IFETCH == VTRACE_MAX_INSNS_PER_IFETCH, "what a workload writes, vtrace reads");

/* Writes p as vtrace into a temporary file, reads it back and compares with a fresh run. */
static void round_trip(const struct workload_params *p, const char *must_contain)
{
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_EQ(workload_write_vtrace(p, f), 0);
    /* the text itself */
    if (must_contain) {
        rewind(f);
        char line[512];
        int found = 0;
        while (fgets(line, sizeof line, f))
            found |= strstr(line, must_contain) != NULL;
        CHECK(found);
        if (!found)
            fprintf(stderr, "missing line: %s\n", must_contain);
    }
    rewind(f);
    char err[256] = "";
    struct vtrace_reader *r = vtrace_open_stream(f, "workload.vtr", err, sizeof err);
    CHECK(r != NULL);
    struct workload *w = workload_create(p, err, sizeof err);
    CHECK(w != NULL);
    if (!r || !w) {
        fprintf(stderr, "%s\n", err);
        vtrace_close(r);
        workload_destroy(w);
        fclose(f);
        return;
    }
    struct guest_event a, b;
    unsigned long n = 0, mismatches = 0;
    int ra, rb;
    for (;;) {
        memset(&a, 0x5a, sizeof a);
        memset(&b, 0xa5, sizeof b);
        ra = workload_next(w, &a);
        rb = vtrace_next(r, &b);
        if (ra != 1 || rb != 1)
            break;
        if (memcmp(&a, &b, sizeof a) != 0 && mismatches++ < 3)
            fprintf(stderr, "event %lu differs after the round trip (line %lu)\n", n, vtrace_line(r));
        n++;
    }
    CHECK_EQ(ra, 0);
    CHECK_EQ(rb, 0);
    if (rb < 0)
        fprintf(stderr, "%s\n", vtrace_reader_error(r));
    CHECK_EQ(mismatches, 0);
    CHECK(n > 0);
    CHECK_EQ(vtrace_vcpus(r), p->nr_vcpus);
    CHECK_EQ(vtrace_insns_per_ifetch(r), p->insns_per_ifetch);
    vtrace_close(r);
    workload_destroy(w);
    fclose(f);
}

static void test_round_trips(void)
{
    struct workload_params p;
    /* every event kind the generators emit: CTX_SWITCH, MARK_EXIT, IFETCH, LOAD, STORE on 2 vCPUs */
    workload_params_default(&p, WL_MULTIPROC);
    p.length = 3000;
    p.switch_interval = 250;
    p.exit_at_end = 1;
    p.write_fraction = 0.4;
    p.ifetch_fraction = 0.2;
    p.nr_vcpus = 2;
    round_trip(&p, "vcpus 2");
    /* a workload that counts instructions says so in the file, and its IFETCHes carry them */
    p.insns_per_ifetch = 3;
    round_trip(&p, "insns_per_ifetch 3");
    /* MARK_MUNMAP with its address and length */
    workload_params_default(&p, WL_MMAP_STORM);
    p.length = 20000;
    p.munmap_interval = 1000;
    p.access_size = 4;
    round_trip(&p, "mark 1048576 code=16 addr=0x6000000000000000");
    /* the page size hint as a comment; per_vcpu with 3 vCPUs */
    workload_params_default(&p, WL_HUGEPAGE);
    p.length = 3000;
    p.nr_vcpus = 3;
    p.vcpu_mode = WL_VCPU_PER_VCPU;
    p.inner = WL_ZIPF;
    round_trip(&p, "# guest page size hint: region 4 ps=28");
    /* 10- and 16-byte accesses, ptrchase build stores */
    workload_params_default(&p, WL_PTRCHASE);
    p.access_size = 10;
    p.footprint = 4096;
    p.ptrchase_build = 1;
    p.length = 100;
    round_trip(&p, "st 0x6000000000000000 10");
}

static void test_bad_params(void)
{
    struct workload_params p;
    workload_params_default(&p, WL_UNIFORM);
    p.footprint = 0;
    FILE *f = tmpfile();
    CHECK_EQ(workload_write_vtrace(&p, f), (uint64_t)-1);
    fseek(f, 0, SEEK_END);
    CHECK_EQ(ftell(f), 0); /* nothing written */
    fclose(f);
}

int main(void)
{
    test_round_trips();
    test_bad_params();
    return check_report("test_workload_vtrace");
}

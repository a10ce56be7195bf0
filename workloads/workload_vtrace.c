/*
 * workload_vtrace.c - a workload's whole stream as a vtrace file (docs/vtrace.md).
 *
 * The file starts with '#' comments that name the generator and its parameters (so a trace
 * says where it came from) and the guest page size hint, then "vcpus N" when N > 1 and
 * "insns_per_ifetch N" when the workload counts instructions, then one
 * line per event in vtrace_write_event's exact form: reading it back gives the same events.
 */
#include <inttypes.h>

#include "../trace/vtrace.h"
#include "workload_internal.h"

static int write_comments(const struct workload_params *p, FILE *out)
{
    int rc = 0;
    rc |= fprintf(out, "# vhptsim workload %s seed=%" PRIu64 " length=%" PRIu64 "\n", workload_kind_name(p->kind),
                  p->seed, p->length) < 0;
    rc |= fprintf(out,
                  "# base=0x%" PRIx64 " footprint=%" PRIu64 " access_size=%u stride=%" PRIu64
                  " write_fraction=%.17g\n",
                  p->base, p->footprint, p->access_size, p->stride, p->write_fraction) < 0;
    if (wl_pattern_kind(p) == WL_ZIPF)
        rc |= fprintf(out, "# zipf_alpha=%.17g zipf_item=%" PRIu64 " zipf_scatter=%d\n", p->zipf_alpha, p->zipf_item,
                      p->zipf_scatter) < 0;
    if (wl_pattern_kind(p) == WL_PTRCHASE)
        rc |= fprintf(out, "# ptrchase_build=%d\n", p->ptrchase_build) < 0;
    if (p->kind == WL_MULTIPROC || p->kind == WL_HUGEPAGE)
        rc |= fprintf(out, "# inner=%s\n", workload_kind_name(p->inner)) < 0;
    if (p->kind == WL_MULTIPROC)
        rc |= fprintf(out, "# nr_procs=%u switch_interval=%" PRIu64 " exit_at_end=%d\n", p->nr_procs,
                      p->switch_interval, p->exit_at_end) < 0;
    if (p->kind == WL_MMAP_STORM)
        rc |= fprintf(out, "# mmap_chunk=%" PRIu64 " mmap_live=%u munmap_interval=%" PRIu64 "\n", p->mmap_chunk,
                      p->mmap_live, p->munmap_interval) < 0;
    if (p->ifetch_fraction > 0)
        rc |= fprintf(out, "# ifetch_fraction=%.17g code_base=0x%" PRIx64 " code_footprint=%" PRIu64 "\n",
                      p->ifetch_fraction, p->code_base, p->code_footprint) < 0;
    rc |= fprintf(out, "# nr_vcpus=%u vcpu_mode=%s\n", p->nr_vcpus, workload_vcpu_mode_name(p->vcpu_mode)) < 0;
    for (unsigned r = 0; r < 8; r++) {
        const unsigned ps = workload_region_ps_hint(p, r);
        if (ps)
            rc |= fprintf(out, "# guest page size hint: region %u ps=%u\n", r, ps) < 0;
    }
    return rc ? -1 : 0;
}

int workload_write_vtrace(const struct workload_params *p, FILE *out)
{
    struct workload *w = workload_create(p, NULL, 0);
    if (!w)
        return -1;
    int rc = write_comments(p, out);
    if (rc == 0)
        rc = vtrace_write_header(out, p->nr_vcpus);
    if (rc == 0)
        rc = vtrace_write_insns_per_ifetch(out, p->insns_per_ifetch);
    struct guest_event ev;
    while (rc == 0 && workload_next(w, &ev) == 1)
        rc = vtrace_write_event(out, &ev);
    workload_destroy(w);
    if (rc == 0 && ferror(out))
        rc = -1;
    return rc;
}

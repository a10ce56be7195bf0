/*
 * wl_hugepage.c - references to a region mapped with huge guest pages (guest ps > host ps).
 *
 * The stream is the inner pattern (default uniform) over [base, base + footprint) with base
 * in region 4, where Linux/ia64 puts hugetlbfs mappings, aligned to the huge page size 2^huge_ps,
 * and the footprint a whole number of huge pages. What makes the pages huge is the region's
 * rr.ps, which belongs to the guest OS model: workload_region_ps_hint() returns huge_ps for
 * the base's region so the caller can set guest_os_params.region_ps[region] = huge_ps. The
 * machine (host) page size is the VMM's; KVM/ia64 runs with 16 KiB host pages, so the default
 * 256 MiB (ps 28) is guest ps > host ps, the case where the VMM must keep the guest entry in the
 * vTLB and map it piecewise into the machine VHPT.
 */
#include "../model/ia64/ia64_arch.h"
#include "workload_internal.h"

int wl_hugepage_check(const struct workload_params *p, char *err, size_t errlen)
{
    if (!ia64_page_size_valid(p->huge_ps))
        return wl_fail(err, errlen, "huge_ps %u is not an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)",
                       p->huge_ps);
    const uint64_t hp = UINT64_C(1) << p->huge_ps;
    if (p->base & (hp - 1))
        return wl_fail(err, errlen, "hugepage base 0x%llx must be aligned to the huge page size 2^%u",
                       (unsigned long long)p->base, p->huge_ps);
    if (p->footprint % hp)
        return wl_fail(err, errlen, "hugepage footprint %llu must be a multiple of the huge page size 2^%u",
                       (unsigned long long)p->footprint, p->huge_ps);
    return 0;
}

unsigned workload_region_ps_hint(const struct workload_params *p, unsigned region)
{
    if (p->kind != WL_HUGEPAGE || region != ia64_region(p->base))
        return 0;
    return p->huge_ps;
}

/* run_report.c - see run_report.h. */
#include "run_report.h"

#include <inttypes.h>

static uint64_t count(const struct stat_set *s, const char *name)
{
    const struct stat_entry *e = stat_set_find(s, name);
    return e && !e->is_rate ? e->count : 0;
}

void run_report_summary(FILE *out, const char *dir, const struct run_config *c, const struct stat_set *s)
{
    fprintf(out, "%s: %" PRIu64 " references, %" PRIu64 " cycles on %u vCPU%s", dir, count(s, "vm.refs"),
            count(s, "vm.cycles.max"), c->vcpus, c->vcpus == 1 ? "" : "s");
    if (c->vcpus > 1)
        fprintf(out, " (the longest; %" PRIu64 " summed)", count(s, "vm.cycles.total"));
    if (c->warmup)
        fprintf(out, " after a warm-up of %" PRIu64 " references per vCPU", c->warmup);
    fputc('\n', out);
}

/* guest.purge ptc_l / ptc_ga purges page by page; a munmap of more than
 * GUEST_OS_MUNMAP_PURGES_MAX purges (or across a region) falls back to one ptc.e. When every
 * munmap that purged fell back, the chosen style never showed (with one vCPU the three styles
 * then give the same numbers). */
static unsigned check_purge(FILE *err, const struct run_config *c, const struct stat_set *s)
{
    if (!c->guest_enabled || c->guest.purge == GUEST_PURGE_PTC_E)
        return 0;
    const uint64_t fallbacks = count(s, "vm.guest.munmap.purge_fallbacks");
    if (fallbacks == 0 || count(s, "vm.guest.munmap.page_purges") != 0)
        return 0;
    fprintf(err,
            "vhptsim: run: warning: guest.purge: %s never took effect: all %" PRIu64 " munmaps that purged fell back "
            "to one ptc.e (more than %d purges each, or a range across a region; docs/guest-os.md, \"munmap\"), "
            "so no page-by-page purge was issued\n",
            c->guest.purge == GUEST_PURGE_PTC_GA ? "ptc_ga" : "ptc_l", fallbacks, GUEST_OS_MUNMAP_PURGES_MAX);
    return 1;
}

unsigned run_report_warnings(FILE *err, const struct run_config *c, const struct stat_set *s)
{
    return check_purge(err, c, s);
}

/* timeseries.c - see timeseries.h. */
#include "timeseries.h"

#include <string.h>

static void read_sample(const struct platform *p, unsigned cpu, struct ts_sample *s)
{
    const struct platform_cpu *c = &p->cpu[cpu];
    const struct mtlb_stats is = mtlb_get_stats(&c->mach.itlb), ds = mtlb_get_stats(&c->mach.dtlb);
    const struct vmm_stats *v = &c->vmm.stats;
    memset(s, 0, sizeof *s);
    s->refs = c->stats.refs;
    s->cycles = c->cycles.total;
    s->itlb_l1_acc = is.l1.hits + is.l1.misses;
    s->itlb_l1_miss = is.l1.misses;
    s->itlb_l2_acc = is.l2.hits + is.l2.misses;
    s->itlb_l2_miss = is.l2.misses;
    s->dtlb_l1_acc = ds.l1.hits + ds.l1.misses;
    s->dtlb_l1_miss = ds.l1.misses;
    s->dtlb_l2_acc = ds.l2.hits + ds.l2.misses;
    s->dtlb_l2_miss = ds.l2.misses;
    s->walks = c->mach.walker.walks;
    s->walker_miss = c->mach.walker.misses;
    s->vtlb_lookups = v->vtlb_lookup_tr_hits + v->vtlb_lookup_tc_hits + v->vtlb_lookup_misses;
    s->vtlb_miss = v->vtlb_lookup_misses;
    for (unsigned op = 0; op < VMM_OP_COUNT; op++)
        s->vmm_exits += v->op[op].count;
    s->guest_faults = c->stats.guest_faults;
}

/* ",num/den" with 6 decimals, or "," alone (an empty field) when den is 0: an interval with no
 * lookups has no rate, and a plot must skip it rather than draw a 0 (docs/stats.md) */
static void put_ratio(FILE *out, uint64_t num, uint64_t den)
{
    if (den)
        fprintf(out, ",%.6f", (double)num / (double)den);
    else
        fputc(',', out);
}

int timeseries_start(struct timeseries *ts, FILE *out, const struct platform *p)
{
    memset(ts, 0, sizeof *ts);
    ts->out = out;
    for (unsigned i = 0; i < p->nr_vcpus && i < TIMESERIES_MAX_VCPUS; i++)
        read_sample(p, i, &ts->last[i]);
    fputs("cpu,refs,cycles,itlb_l1_miss_rate,itlb_l2_miss_rate,dtlb_l1_miss_rate,dtlb_l2_miss_rate,"
          "walker_miss_rate,vtlb_miss_rate,vmm_exits,guest_faults\n",
          out);
    return ferror(out) ? -1 : 0;
}

void timeseries_rebase(struct timeseries *ts, const struct platform *p, unsigned cpu)
{
    if (cpu < TIMESERIES_MAX_VCPUS)
        read_sample(p, cpu, &ts->last[cpu]);
}

void timeseries_sample(struct timeseries *ts, const struct platform *p, unsigned cpu, uint64_t refs)
{
    if (cpu >= TIMESERIES_MAX_VCPUS)
        return;
    struct ts_sample now;
    read_sample(p, cpu, &now);
    const struct ts_sample *b = &ts->last[cpu];
    fprintf(ts->out, "%u,%llu,%llu", cpu, (unsigned long long)refs, (unsigned long long)(now.cycles - b->cycles));
    put_ratio(ts->out, now.itlb_l1_miss - b->itlb_l1_miss, now.itlb_l1_acc - b->itlb_l1_acc);
    put_ratio(ts->out, now.itlb_l2_miss - b->itlb_l2_miss, now.itlb_l2_acc - b->itlb_l2_acc);
    put_ratio(ts->out, now.dtlb_l1_miss - b->dtlb_l1_miss, now.dtlb_l1_acc - b->dtlb_l1_acc);
    put_ratio(ts->out, now.dtlb_l2_miss - b->dtlb_l2_miss, now.dtlb_l2_acc - b->dtlb_l2_acc);
    put_ratio(ts->out, now.walker_miss - b->walker_miss, now.walks - b->walks);
    put_ratio(ts->out, now.vtlb_miss - b->vtlb_miss, now.vtlb_lookups - b->vtlb_lookups);
    fprintf(ts->out, ",%llu,%llu\n", (unsigned long long)(now.vmm_exits - b->vmm_exits),
            (unsigned long long)(now.guest_faults - b->guest_faults));
    ts->last[cpu] = now;
}

void timeseries_finish(struct timeseries *ts, const struct platform *p, unsigned cpu)
{
    if (cpu >= TIMESERIES_MAX_VCPUS)
        return;
    struct ts_sample now;
    read_sample(p, cpu, &now);
    if (memcmp(&now, &ts->last[cpu], sizeof now) != 0) /* something happened since the last row */
        timeseries_sample(ts, p, cpu, now.refs);
}

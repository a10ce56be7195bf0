/* walker_latency.c - see walker_latency.h. */
#include "walker_latency.h"

#include <stddef.h>

#include "tlb_rng.h"

#define TWO_53 9007199254740992.0 /* 2^53 */

void walker_latency_params_default(struct walker_latency_params *p)
{
    /* The Itanium 2 walker's reads bypass the L1 data cache and go to L2 (docs/machine-tlb.md);
     * no published figure says how often L2 misses for VHPT reads, so by default L2 always
     * serves them. Workload studies set machine.walker_hit. */
    p->hit[0] = 0.0;
    p->hit[1] = 1.0;
    p->hit[2] = 0.0;
    p->seed = 1;
}

const char *walker_latency_params_check(const struct walker_latency_params *p)
{
    for (unsigned i = 0; i < 3; i++)
        if (!(p->hit[i] >= 0.0 && p->hit[i] <= 1.0)) /* also rejects NaN */
            return "walker hit probabilities must be between 0 and 1";
    if (p->hit[0] + p->hit[1] + p->hit[2] > 1.0 + 1e-9)
        return "walker hit probabilities of L1, L2 and L3 must not add up to more than 1";
    return NULL;
}

void walker_latency_init(struct walker_latency *w, const struct walker_latency_params *p)
{
    double cum = 0.0;
    for (unsigned i = 0; i < 3; i++) {
        cum += p->hit[i];
        const double t = cum * TWO_53 + 0.5; /* truncated below: rounded to the nearest integer */
        w->threshold[i] = t >= TWO_53 ? (uint64_t)1 << 53 : t < 1.0 ? 0 : (uint64_t)t;
    }
    w->state = tlb_rng_state(p->seed);
}

enum walker_mem_level walker_latency_draw(struct walker_latency *w)
{
    return walker_latency_level_of(w, tlb_rng_next(&w->state));
}

const char *walker_mem_level_name(enum walker_mem_level level)
{
    static const char *const names[] = {"l1", "l2", "l3", "memory", "none"};
    return (unsigned)level <= WALKER_MEM_NONE ? names[level] : "none";
}

/* cost_table.c - see cost_table.h; the sources of the defaults are in docs/costs.md. */
#include "cost_table.h"

#include <string.h>

static const char *const row_names[COST_ROW_COUNT] = {
#define COST_NAME(id, name, def) name,
    COST_ROWS(COST_NAME)
#undef COST_NAME
};

static const uint64_t row_defaults[COST_ROW_COUNT] = {
#define COST_DEFAULT(id, name, def) def,
    COST_ROWS(COST_DEFAULT)
#undef COST_DEFAULT
};

void cost_table_default(struct cost_table *t)
{
    memcpy(t->cycles, row_defaults, sizeof t->cycles);
}

const char *cost_row_name(enum cost_row r)
{
    return (unsigned)r < COST_ROW_COUNT ? row_names[r] : "?";
}

int cost_row_parse(const char *name, enum cost_row *r)
{
    for (unsigned i = 0; i < COST_ROW_COUNT; i++) {
        if (strcmp(name, row_names[i]) == 0) {
            *r = (enum cost_row)i;
            return 0;
        }
    }
    return -1;
}

uint64_t cost_charge_work(struct cost_account *a, const struct cost_table *t, const struct vmm_work *w)
{
    uint64_t c = 0;
    c += cost_charge(a, t, COST_TR_PROBE, w->tr_probes);
    c += cost_charge(a, t, COST_VTLB_PROBE, w->vtlb_probes);
    c += cost_charge(a, t, COST_VHPT_PROBE, w->vhpt_probes);
    c += cost_charge(a, t, COST_VTLB_INSERT, w->vtlb_inserts);
    c += cost_charge(a, t, COST_VHPT_INSERT, w->vhpt_inserts);
    c += cost_charge(a, t, COST_PURGE_ALL_ENTRY, w->purge_all_entries);
    c += cost_charge(a, t, COST_MACHINE_ITC, w->machine_itc);
    c += cost_charge(a, t, COST_MACHINE_PTC_L, w->machine_ptc_l);
    c += cost_charge(a, t, COST_MACHINE_PTC_E, w->machine_ptc_e);
    c += cost_charge(a, t, COST_DIRTY_PAGE, w->dirty_pages);
    c += cost_charge(a, t, COST_P2M_LOOKUP, w->p2m_lookups);
    c += cost_charge(a, t, COST_GUEST_VHPT_LOAD, w->guest_vhpt_loads);
    /* invalidations are part of the probe that found the entry: no row of their own */
    return c;
}

uint64_t cost_account_sum(const struct cost_account *a)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < COST_ROW_COUNT; i++)
        s += a->cycles[i];
    return s;
}

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
    /* a call does a few kinds of work: charging 0 units changes nothing, so those are skipped */
#define CHARGE(row, count)                     \
    if (w->count)                              \
        c += cost_charge(a, t, row, w->count);
    CHARGE(COST_TR_PROBE, tr_probes)
    CHARGE(COST_VTLB_PROBE, vtlb_probes)
    CHARGE(COST_VHPT_PROBE, vhpt_probes)
    CHARGE(COST_VTLB_INSERT, vtlb_inserts)
    CHARGE(COST_VHPT_INSERT, vhpt_inserts)
    CHARGE(COST_PURGE_ALL_ENTRY, purge_all_entries)
    CHARGE(COST_MACHINE_ITC, machine_itc)
    CHARGE(COST_MACHINE_PTC_L, machine_ptc_l)
    CHARGE(COST_MACHINE_PTC_E, machine_ptc_e)
    CHARGE(COST_DIRTY_PAGE, dirty_pages)
    CHARGE(COST_P2M_LOOKUP, p2m_lookups)
    CHARGE(COST_GUEST_VHPT_LOAD, guest_vhpt_loads)
#undef CHARGE
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

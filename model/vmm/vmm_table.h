/*
 * vmm_table.h - a hash table of 32-byte long-format entries (KVM's struct thash_cb).
 *
 * Both the VMM's software vTLB and the machine VHPT the hardware walker reads have this shape:
 * `num` entries at the address in the PTA's base field. Slot addresses are kept as addresses (as
 * vsa_thash / ia64_thash produce them) and turned into an index only to touch the array.
 */
#ifndef VHPTSIM_VMM_TABLE_H
#define VHPTSIM_VMM_TABLE_H

#include <assert.h>
#include <stdint.h>

#include "../ia64/ia64_arch.h"

struct thash_table {
    struct ia64_lvhpt_entry *hash; /* num entries, owned by whoever initialised the table */
    uint32_t num;
    uint64_t base; /* the table's simulated address: KVM's (unsigned long)hcb->hash */
    uint64_t pta;  /* base | vf | size | ve, as thash_init sets it */
};

/* Index of the entry at slot address `addr` (an address inside the table). */
static inline uint32_t thash_table_index(const struct thash_table *t, uint64_t addr)
{
    const uint64_t index = (addr - t->base) >> 5;
    assert(index < t->num); /* a hash outside its own table is a simulator bug */
    return (uint32_t)index;
}

static inline struct ia64_lvhpt_entry *thash_table_slot(const struct thash_table *t, uint64_t addr)
{
    return &t->hash[thash_table_index(t, addr)];
}

/* True when addr is a slot address of this table (the walker uses it to find its memory). */
static inline int thash_table_contains(const struct thash_table *t, uint64_t addr)
{
    return addr >= t->base && ((addr - t->base) >> 5) < t->num;
}

#endif

/* ia64_vhpt_hash.c - thash/ttag of the hardware walker (spec section 1). */
#include "ia64_vhpt_hash.h"

#include <string.h>

#include "ia64_arch.h"

static const char *const hash_names[IA64_LVHPT_HASH_COUNT] = {"ski"};

const char *ia64_lvhpt_hash_name(enum ia64_lvhpt_hash_kind kind)
{
    return (unsigned)kind < IA64_LVHPT_HASH_COUNT ? hash_names[kind] : NULL;
}

int ia64_lvhpt_hash_parse(const char *name, enum ia64_lvhpt_hash_kind *kind)
{
    for (unsigned i = 0; i < IA64_LVHPT_HASH_COUNT; i++) {
        if (strcmp(name, hash_names[i]) == 0) {
            *kind = (enum ia64_lvhpt_hash_kind)i;
            return 0;
        }
    }
    return -1;
}

/* Mask of the low `bits` bits; bits may be 64 (the 6-bit size fields reach 63). */
static uint64_t low_mask(unsigned bits)
{
    return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
}

uint64_t ia64_lvhpt_thash(enum ia64_lvhpt_hash_kind kind, uint64_t pta, uint64_t rr, uint64_t va)
{
    (void)kind; /* one implementation so far: Ski's */
    const unsigned size = ia64_pta_size(pta);
    const uint64_t hpn = ia64_region_offset(va) >> ia64_rr_ps(rr);
    const uint64_t table_mask = low_mask(size);
    /* the region bits of the result are the PTA base's: the base keeps its high bits */
    return (ia64_pta_base_addr(pta) & ~table_mask) | (((hpn ^ ia64_rr_rid(rr)) << 5) & table_mask);
}

uint64_t ia64_lvhpt_ttag(enum ia64_lvhpt_hash_kind kind, uint64_t rr, uint64_t va)
{
    (void)kind;
    const uint64_t hpn = ia64_region_offset(va) >> ia64_rr_ps(rr);
    return hpn ^ (ia64_rr_rid(rr) << 39);
}

uint64_t ia64_svhpt_thash(uint64_t pta, uint64_t rr, uint64_t va)
{
    const unsigned size = ia64_pta_size(pta);
    const uint64_t offset = ((va >> ia64_rr_ps(rr)) << 3) & low_mask(size);
    /* (pta << 3 >> (size + 3) << size): the base field with its low `size` bits dropped */
    const uint64_t base = size + 3 >= 64 ? 0 : ((pta << 3) >> (size + 3)) << size;
    return (va & ~IA64_REGION_OFFSET_MASK) | offset | base;
}

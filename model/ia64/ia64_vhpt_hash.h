/*
 * ia64_vhpt_hash.h - the VHPT hash functions (thash / ttag) of the IA-64 hardware walker.
 *
 * The long-format hash is implementation specific, so it sits behind one selector; vhptsim's
 * default is the one Ski implements (spec section 1). The short-format hash is architectural.
 */
#ifndef VHPTSIM_IA64_VHPT_HASH_H
#define VHPTSIM_IA64_VHPT_HASH_H

#include <stdint.h>

enum ia64_lvhpt_hash_kind {
    IA64_LVHPT_HASH_SKI = 0, /* Ski's "oldest implementation" hash (the default) */
    IA64_LVHPT_HASH_COUNT
};

/* Name used in configs and help text ("ski"); NULL for an unknown kind. */
const char *ia64_lvhpt_hash_name(enum ia64_lvhpt_hash_kind kind);
/* Parses a hash name; returns 0 and sets *kind, or -1 for an unknown name. */
int ia64_lvhpt_hash_parse(const char *name, enum ia64_lvhpt_hash_kind *kind);

/* Long-format thash: the address of va's entry in the table pta points at (rr = va's rr). */
uint64_t ia64_lvhpt_thash(enum ia64_lvhpt_hash_kind kind, uint64_t pta, uint64_t rr, uint64_t va);
/* Long-format ttag: the tag an entry for va must hold. */
uint64_t ia64_lvhpt_ttag(enum ia64_lvhpt_hash_kind kind, uint64_t rr, uint64_t va);

/*
 * Short-format thash as the guest sees it (KVM vcpu_thash, vf == 0 branch): va's region bits,
 * the entry offset ((va >> rr.ps) << 3) modulo 2^pta.size, and the PTA base with its low
 * pta.size bits cleared.
 */
uint64_t ia64_svhpt_thash(uint64_t pta, uint64_t rr, uint64_t va);

#endif

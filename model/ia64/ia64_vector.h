/*
 * ia64_vector.h - the interruption vector table (IVT): the offset of each vector from cr.iva
 * and its name (Intel Itanium Architecture SDM volume 2, table 5-6 "Interruption Vector Table").
 *
 * Entries 0..19 are 0x400 bytes apart (offsets 0x0000..0x4c00), entries 20..67 0x100 bytes
 * apart (0x5000..0x7f00). A trace names a vector by the address of its handler's first bundle.
 */
#ifndef VHPTSIM_IA64_VECTOR_H
#define VHPTSIM_IA64_VECTOR_H

#include <stdint.h>

#define IA64_IVT_SIZE 0x8000u
#define IA64_IVT_ENTRIES 68u

/* The offsets the TLB paths raise. */
#define IA64_VEC_VHPT 0x0000u
#define IA64_VEC_ITLB 0x0400u
#define IA64_VEC_DTLB 0x0800u
#define IA64_VEC_ALT_ITLB 0x0c00u
#define IA64_VEC_ALT_DTLB 0x1000u
#define IA64_VEC_NESTED_DTLB 0x1400u
#define IA64_VEC_PAGE_NOT_PRESENT 0x5000u
#define IA64_VEC_IACCESS_RIGHTS 0x5200u
#define IA64_VEC_DACCESS_RIGHTS 0x5300u

/* The entry index (0..67) of an offset from IVA, or -1 when it is not an entry's start. */
int ia64_vector_index(uint64_t offset);
/* The offset of entry index (0..67). */
uint32_t ia64_vector_offset(unsigned index);
/* A short name of entry index: "dtlb", "alt_itlb", ..., or "vector_5800" for the unnamed. */
const char *ia64_vector_name(unsigned index);

#endif

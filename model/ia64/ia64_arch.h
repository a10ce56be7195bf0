/*
 * ia64_arch.h - IA-64 architecture facts the VMM paths and the machine model read.
 *
 * Every field is an explicit shift and mask (never a compiler bit-field), so the layout is the
 * architecture's and not the compiler's. Values follow the Intel Itanium Architecture SDM vol. 2
 * and vhptsim's spec (../shared/spec/vtlb-spec.md, section 1).
 */
#ifndef VHPTSIM_IA64_ARCH_H
#define VHPTSIM_IA64_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* ---- regions ---------------------------------------------------------------------------- */
#define IA64_VRN_SHIFT 61
#define IA64_REGION_OFFSET_MASK ((UINT64_C(1) << IA64_VRN_SHIFT) - 1)

static inline unsigned ia64_region(uint64_t va) { return (unsigned)(va >> IA64_VRN_SHIFT); }
static inline uint64_t ia64_region_offset(uint64_t va) { return va & IA64_REGION_OFFSET_MASK; }
static inline uint64_t ia64_region_base(unsigned region) { return (uint64_t)region << IA64_VRN_SHIFT; }

/* PSIZE(ps) = 2^ps, and the page-aligned address (PAGEALIGN in KVM). */
static inline uint64_t ia64_psize(unsigned ps) { return UINT64_C(1) << ps; }
static inline uint64_t ia64_page_align(uint64_t va, unsigned ps) { return va & ~(ia64_psize(ps) - 1); }

/* ---- page sizes ------------------------------------------------------------------------- */
/* log2 of the page sizes IA-64 defines: 4K 8K 16K 64K 256K 1M 4M 16M 64M 256M 4G. */
#define IA64_PAGE_SIZE_MASK                                                                    \
    ((UINT64_C(1) << 12) | (UINT64_C(1) << 13) | (UINT64_C(1) << 14) | (UINT64_C(1) << 16) | \
     (UINT64_C(1) << 18) | (UINT64_C(1) << 20) | (UINT64_C(1) << 22) | (UINT64_C(1) << 24) | \
     (UINT64_C(1) << 26) | (UINT64_C(1) << 28) | (UINT64_C(1) << 32))

static inline bool ia64_page_size_valid(uint64_t ps)
{
    return ps < 64 && ((IA64_PAGE_SIZE_MASK >> ps) & 1u);
}

/* ---- region register ---------------------------------------------------------------------- */
#define IA64_RR_VE_BIT 0
#define IA64_RR_PS_SHIFT 2
#define IA64_RR_RESERVED_MASK (UINT64_C(0x2) | ~UINT64_C(0xffffffff)) /* bit 1 and 32..63 */
#define IA64_RR_RID_SHIFT 8
#define IA64_RR_RID_BITS 24
#define IA64_RR_RID_MASK UINT64_C(0x00000000ffffff00) /* rid left in bits 8..31 */
#define IA64_RR_PS_MASK UINT64_C(0xfc)

static inline unsigned ia64_rr_ve(uint64_t rr) { return (unsigned)(rr & 1u); }
static inline unsigned ia64_rr_ps(uint64_t rr) { return (unsigned)((rr >> IA64_RR_PS_SHIFT) & 0x3f); }
static inline uint64_t ia64_rr_rid(uint64_t rr) { return (rr >> IA64_RR_RID_SHIFT) & 0xffffff; }
static inline uint64_t ia64_rr_make(uint64_t rid, unsigned ps, unsigned ve)
{
    return ((rid & 0xffffff) << IA64_RR_RID_SHIFT) | ((uint64_t)(ps & 0x3f) << IA64_RR_PS_SHIFT) |
           (ve & 1u);
}
/* The union ia64_rr assignment `vrr.ps = x`: replace the 6-bit ps field, keep the rest. */
static inline uint64_t ia64_rr_with_ps(uint64_t rr, unsigned ps)
{
    return (rr & ~IA64_RR_PS_MASK) | ((uint64_t)(ps & 0x3f) << IA64_RR_PS_SHIFT);
}

/* ---- PTA ---------------------------------------------------------------------------------- */
#define IA64_PTA_VE_BIT 0
#define IA64_PTA_RESERVED_MASK (UINT64_C(0x2) | UINT64_C(0x7e00)) /* bit 1 and 9..14 */
#define IA64_PTA_SIZE_SHIFT 2
#define IA64_PTA_VF_BIT 8
#define IA64_PTA_BASE_SHIFT 15

static inline unsigned ia64_pta_ve(uint64_t pta) { return (unsigned)(pta & 1u); }
static inline unsigned ia64_pta_size(uint64_t pta) { return (unsigned)((pta >> IA64_PTA_SIZE_SHIFT) & 0x3f); }
static inline unsigned ia64_pta_vf(uint64_t pta) { return (unsigned)((pta >> IA64_PTA_VF_BIT) & 1u); }
/* The base field (bits 15..63) as a field value, like `vpta.base`. */
static inline uint64_t ia64_pta_base_field(uint64_t pta) { return pta >> IA64_PTA_BASE_SHIFT; }
/* The base as an address: `vpta.base << PTA_BASE_SHIFT`. */
static inline uint64_t ia64_pta_base_addr(uint64_t pta) { return pta & ~((UINT64_C(1) << IA64_PTA_BASE_SHIFT) - 1); }
static inline uint64_t ia64_pta_make(uint64_t base_addr, unsigned size, unsigned vf, unsigned ve)
{
    return ia64_pta_base_addr(base_addr) | ((uint64_t)(vf & 1u) << IA64_PTA_VF_BIT) |
           ((uint64_t)(size & 0x3f) << IA64_PTA_SIZE_SHIFT) | (ve & 1u);
}

/* ---- PSR bits the paths read -------------------------------------------------------------- */
#define IA64_PSR_IC_BIT 13
#define IA64_PSR_DT_BIT 17
#define IA64_PSR_RT_BIT 27
#define IA64_PSR_CPL_SHIFT 32 /* IA64_PSR_CPL0_BIT: cpl is bits 32..33 */
#define IA64_PSR_IT_BIT 36
#define IA64_PSR_IC (UINT64_C(1) << IA64_PSR_IC_BIT)
#define IA64_PSR_DT (UINT64_C(1) << IA64_PSR_DT_BIT)
#define IA64_PSR_RT (UINT64_C(1) << IA64_PSR_RT_BIT)
#define IA64_PSR_IT (UINT64_C(1) << IA64_PSR_IT_BIT)
#define IA64_PSR_CPL_MASK (UINT64_C(3) << IA64_PSR_CPL_SHIFT)
/* psr.pk (15), psr.is (34), psr.vm (46): KVM/ia64 runs only guests with these clear */
#define IA64_PSR_KVM_UNSUPPORTED ((UINT64_C(1) << 15) | (UINT64_C(1) << 34) | (UINT64_C(1) << 46))

static inline unsigned ia64_psr_ic(uint64_t psr) { return (unsigned)((psr >> IA64_PSR_IC_BIT) & 1u); }
static inline unsigned ia64_psr_dt(uint64_t psr) { return (unsigned)((psr >> IA64_PSR_DT_BIT) & 1u); }
static inline unsigned ia64_psr_rt(uint64_t psr) { return (unsigned)((psr >> IA64_PSR_RT_BIT) & 1u); }
static inline unsigned ia64_psr_it(uint64_t psr) { return (unsigned)((psr >> IA64_PSR_IT_BIT) & 1u); }
static inline unsigned ia64_psr_cpl(uint64_t psr) { return (unsigned)((psr >> IA64_PSR_CPL_SHIFT) & 3u); }

/* ---- ITIR --------------------------------------------------------------------------------- */
#define IA64_ITIR_PS_SHIFT 2
#define IA64_ITIR_KEY_SHIFT 8

static inline unsigned ia64_itir_ps(uint64_t itir) { return (unsigned)((itir >> IA64_ITIR_PS_SHIFT) & 0x3f); }
static inline uint64_t ia64_itir_key(uint64_t itir) { return (itir >> IA64_ITIR_KEY_SHIFT) & 0xffffff; }
static inline uint64_t ia64_itir_make(unsigned ps, uint64_t key)
{
    return ((key & 0xffffff) << IA64_ITIR_KEY_SHIFT) | ((uint64_t)(ps & 0x3f) << IA64_ITIR_PS_SHIFT);
}

/* ---- PTE / page_flags -------------------------------------------------------------------- */
#define IA64_PTE_P UINT64_C(1)                                   /* _PAGE_P */
#define IA64_PTE_MA_SHIFT 2
#define IA64_PTE_MA_MASK (UINT64_C(7) << IA64_PTE_MA_SHIFT)       /* _PAGE_MA_MASK */
#define IA64_PTE_MA_NAT (UINT64_C(7) << IA64_PTE_MA_SHIFT)        /* _PAGE_MA_NAT (NaTPage) */
#define IA64_PTE_MA_ST (UINT64_C(1) << IA64_PTE_MA_SHIFT)         /* _PAGE_MA_ST: reserved 1 */
#define IA64_PTE_A (UINT64_C(1) << 5)
#define IA64_PTE_D (UINT64_C(1) << 6)
#define IA64_PTE_PL_SHIFT 7
#define IA64_PTE_AR_SHIFT 9
#define IA64_PTE_AR_RWX (UINT64_C(3) << IA64_PTE_AR_SHIFT)       /* _PAGE_AR_RWX */
#define IA64_PTE_PPN_SHIFT 12
#define IA64_PTE_PPN_MASK (((UINT64_C(1) << 50) - 1) & ~UINT64_C(0xfff)) /* _PAGE_PPN_MASK */
#define IA64_PTE_ED (UINT64_C(1) << 52)
#define IA64_PAGE_FLAGS_RV_MASK (UINT64_C(0x2) | (UINT64_C(3) << 50) | (((UINT64_C(1) << 11) - 1) << 53))
#define IA64_ARCH_PAGE_SHIFT 12 /* the ppn field counts 4 KiB units */

/* ma encodings */
#define IA64_MA_WB 0u
#define IA64_MA_UC 4u
#define IA64_MA_UCE 5u
#define IA64_MA_WC 6u
#define IA64_MA_NATPAGE 7u

static inline unsigned ia64_pte_p(uint64_t pte) { return (unsigned)(pte & 1u); }
static inline unsigned ia64_pte_ma(uint64_t pte) { return (unsigned)((pte >> IA64_PTE_MA_SHIFT) & 7u); }
static inline unsigned ia64_pte_a(uint64_t pte) { return (unsigned)((pte >> 5) & 1u); }
static inline unsigned ia64_pte_d(uint64_t pte) { return (unsigned)((pte >> 6) & 1u); }
static inline unsigned ia64_pte_pl(uint64_t pte) { return (unsigned)((pte >> IA64_PTE_PL_SHIFT) & 3u); }
static inline unsigned ia64_pte_ar(uint64_t pte) { return (unsigned)((pte >> IA64_PTE_AR_SHIFT) & 7u); }
static inline uint64_t ia64_pte_ppn(uint64_t pte) { return (pte & IA64_PTE_PPN_MASK) >> IA64_PTE_PPN_SHIFT; }
static inline unsigned ia64_pte_ed(uint64_t pte) { return (unsigned)((pte >> 52) & 1u); }
/* `phy_pte.ppn = x` on union pte_flags: replace the 38-bit ppn field. */
static inline uint64_t ia64_pte_with_ppn(uint64_t pte, uint64_t ppn)
{
    return (pte & ~IA64_PTE_PPN_MASK) | ((ppn << IA64_PTE_PPN_SHIFT) & IA64_PTE_PPN_MASK);
}

/* Physical-mode identity pte (KVM's PHY_PAGE_WB = _PAGE_A|_PAGE_D|_PAGE_P|_PAGE_MA_WB|_PAGE_AR_RWX). */
#define IA64_PHY_PAGE_WB (IA64_PTE_A | IA64_PTE_D | IA64_PTE_P | IA64_PTE_AR_RWX)

/* ---- long-format VHPT entry ---------------------------------------------------------------- */
#define IA64_INVALID_TI_TAG (UINT64_C(1) << 63)

/*
 * One 32-byte long-format entry (`struct thash_data`). The third word is the tag (`etag`, bit 63
 * = ti) for hash entries and `vadr` for guest TRs; the fourth is `gpaddr` (VHPT), `rid` (TRs) or
 * `next` (unused by this vtlb.c).
 */
struct ia64_lvhpt_entry {
    uint64_t page_flags;
    uint64_t itir;
    uint64_t etag;  /* == vadr for TR entries */
    uint64_t word3; /* gpaddr / rid / next */
};

static inline unsigned ia64_entry_ps(const struct ia64_lvhpt_entry *e) { return ia64_itir_ps(e->itir); }
static inline bool ia64_entry_tag_valid(const struct ia64_lvhpt_entry *e) { return (e->etag >> 63) == 0; }

#endif

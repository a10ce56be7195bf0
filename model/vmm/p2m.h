/*
 * p2m.h - the VM's guest-physical to machine-physical map (KVM's kvm_lookup_mpa).
 *
 * KVM keeps one 64-bit entry per guest frame (host PAGE_SHIFT): the machine address for memory,
 * or a GPFN_* type in bits 60..62 for I/O ranges (kvm_build_io_pmt). vhptsim computes the same
 * entry as a function instead of storing a table: guest memory maps linearly at `mem_offset`
 * in machine memory, and the default I/O ranges of the spec (section 2) are typed.
 */
#ifndef VHPTSIM_P2M_H
#define VHPTSIM_P2M_H

#include <stdbool.h>
#include <stdint.h>

#define GPFN_MEM (UINT64_C(0) << 60)
#define GPFN_FRAME_BUFFER (UINT64_C(1) << 60)
#define GPFN_LOW_MMIO (UINT64_C(2) << 60)
#define GPFN_PIB (UINT64_C(3) << 60)
#define GPFN_IOSAPIC (UINT64_C(4) << 60)
#define GPFN_LEGACY_IO (UINT64_C(5) << 60)
#define GPFN_GFW (UINT64_C(6) << 60)
#define GPFN_PHYS_MMIO (UINT64_C(7) << 60)
#define GPFN_IO_MASK (UINT64_C(7) << 60)

/* The guest-physical I/O ranges of the era's kvm_host.h (spec section 2). */
#define P2M_MEM_G (UINT64_C(1) << 30)
#define P2M_MEM_M (UINT64_C(1) << 20)
#define P2M_VGA_IO_START UINT64_C(0xA0000)
#define P2M_VGA_IO_SIZE UINT64_C(0x20000)
#define P2M_MMIO_START (3 * P2M_MEM_G)
#define P2M_MMIO_SIZE (512 * P2M_MEM_M)
#define P2M_LEGACY_IO_START (P2M_MMIO_START + P2M_MMIO_SIZE)
#define P2M_LEGACY_IO_SIZE (64 * P2M_MEM_M)
#define P2M_IO_SAPIC_START UINT64_C(0xfec00000)
#define P2M_IO_SAPIC_SIZE UINT64_C(0x100000)
#define P2M_PIB_START UINT64_C(0xfee00000)
#define P2M_PIB_SIZE UINT64_C(0x200000)
#define P2M_GFW_START (4 * P2M_MEM_G - 16 * P2M_MEM_M)
#define P2M_GFW_SIZE (16 * P2M_MEM_M)

/* Default machine address of guest-physical 0: 64 GiB, so machine and guest ppns differ. */
#define P2M_DEFAULT_MEM_OFFSET (UINT64_C(64) << 30)

struct p2m {
    uint64_t mem_offset; /* machine address = guest address + mem_offset (a multiple of the page) */
    unsigned page_shift; /* host PAGE_SHIFT: the unit of a gpfn */
};

/* kvm_lookup_mpa(gpfn): the p2m entry of guest frame gpfn. */
uint64_t p2m_lookup(const struct p2m *p2m, uint64_t gpfn);

/* __gpfn_is_io(gpfn): the I/O type bits of gpfn's entry (0 for memory). */
static inline uint64_t p2m_gpfn_is_io(const struct p2m *p2m, uint64_t gpfn)
{
    return p2m_lookup(p2m, gpfn) & GPFN_IO_MASK;
}

#endif

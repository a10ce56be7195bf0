/* p2m.c - the computed p2m of p2m.h. */
#include "p2m.h"

struct io_range {
    uint64_t start, size, type;
};

/* kvm_build_io_pmt's ranges, plus the firmware range the spec lists as I/O. */
static const struct io_range io_ranges[] = {
    {P2M_VGA_IO_START, P2M_VGA_IO_SIZE, GPFN_FRAME_BUFFER},
    {P2M_MMIO_START, P2M_MMIO_SIZE, GPFN_LOW_MMIO},
    {P2M_LEGACY_IO_START, P2M_LEGACY_IO_SIZE, GPFN_LEGACY_IO},
    {P2M_IO_SAPIC_START, P2M_IO_SAPIC_SIZE, GPFN_IOSAPIC},
    {P2M_PIB_START, P2M_PIB_SIZE, GPFN_PIB},
    {P2M_GFW_START, P2M_GFW_SIZE, GPFN_GFW},
};

uint64_t p2m_lookup(const struct p2m *p2m, uint64_t gpfn)
{
    const unsigned shift = p2m->page_shift;
    const uint64_t page = UINT64_C(1) << shift;
    for (unsigned i = 0; i < sizeof io_ranges / sizeof io_ranges[0]; i++) {
        const struct io_range *r = &io_ranges[i];
        /* kvm_build_io_pmt marks (start + k * PAGE_SIZE) >> PAGE_SHIFT for every k with
         * start + k * PAGE_SIZE < start + size: ceil(size / PAGE_SIZE) consecutive frames */
        const uint64_t first = r->start >> shift;
        const uint64_t count = (r->size + page - 1) >> shift;
        if (gpfn >= first && gpfn - first < count)
            return r->type;
    }
    return (gpfn << shift) + p2m->mem_offset;
}

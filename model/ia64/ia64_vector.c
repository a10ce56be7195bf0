/* ia64_vector.c - see ia64_vector.h. */
#include "ia64_vector.h"

int ia64_vector_index(uint64_t offset)
{
    if (offset < 0x5000)
        return offset % 0x400 ? -1 : (int)(offset / 0x400);
    if (offset < IA64_IVT_SIZE)
        return offset % 0x100 ? -1 : (int)(20 + (offset - 0x5000) / 0x100);
    return -1;
}

uint32_t ia64_vector_offset(unsigned index)
{
    return index < 20 ? index * 0x400u : 0x5000u + (index - 20) * 0x100u;
}

const char *ia64_vector_name(unsigned index)
{
    /* SDM volume 2, table 5-6; the reserved entries keep their offset as the name */
    static const char *const names[IA64_IVT_ENTRIES] = {
        "vhpt",         "itlb",           "dtlb",           "alt_itlb",         "alt_dtlb",
        "nested_dtlb",  "ikey_miss",      "dkey_miss",      "dirty_bit",        "iaccess_bit",
        "daccess_bit",  "break",          "external",       "vector_3400",      "vector_3800",
        "vector_3c00",  "vector_4000",    "vector_4400",    "vector_4800",      "vector_4c00",
        "page_not_present", "key_permission", "iaccess_rights", "daccess_rights", "general_exception",
        "disabled_fp",  "nat_consumption", "speculation",   "vector_5800",      "debug",
        "unaligned",    "unsupported_data", "fp_fault",     "fp_trap",          "lower_privilege",
        "taken_branch", "single_step",    "vector_6100",    "vector_6200",      "vector_6300",
        "vector_6400",  "vector_6500",    "vector_6600",    "vector_6700",      "vector_6800",
        "ia32_exception", "ia32_intercept", "ia32_interrupt", "vector_6c00",    "vector_6d00",
        "vector_6e00",  "vector_6f00",    "vector_7000",    "vector_7100",      "vector_7200",
        "vector_7300",  "vector_7400",    "vector_7500",    "vector_7600",      "vector_7700",
        "vector_7800",  "vector_7900",    "vector_7a00",    "vector_7b00",      "vector_7c00",
        "vector_7d00",  "vector_7e00",    "vector_7f00",
    };
    return index < IA64_IVT_ENTRIES ? names[index] : "unknown";
}

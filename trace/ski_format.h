/*
 * ski_format.h - the byte layout of the trace files Ski writes (`trfile` + `trace 1`).
 *
 * Source of truth: ../shared/traces/ski/README.md (the format as found in the bytes of five real
 * traces) and Ski's own src/libtrace.h. Summary:
 *
 *   [0, 600)            fixed header (x86-64 struct image, little-endian, natural alignment)
 *   [600, first_rec)    string block (NUL-terminated strings the header points at)
 *   [first_rec, EOF)    records back to back, no padding; the last one is END, nothing follows
 *
 * Byte 0 of every record is its type; its length comes from the header's record length table
 * (u16[256] at offset 88). Fields inside records are unaligned in the file: read them with
 * memcpy (ski_get_u32/ski_get_u64 below), never through a cast pointer.
 */
#ifndef VHPTSIM_SKI_FORMAT_H
#define VHPTSIM_SKI_FORMAT_H

#include <stdint.h>
#include <string.h>

/* ---- header ------------------------------------------------------------------------------ */

#define SKI_HEADER_SIZE 600u

/* field offsets in the fixed header */
#define SKI_H_HEADER_MAJOR 0        /* u16, 1 */
#define SKI_H_HEADER_MINOR 2        /* u16, 1 */
#define SKI_H_RECORD_MAJOR 4        /* u16, 1 */
#define SKI_H_RECORD_MINOR 6        /* u16, 0 */
#define SKI_H_FIRST_RECORD 8        /* u32, file offset of the first record */
#define SKI_H_RECORD_COUNT 12       /* u32, never filled in by Ski (0) */
#define SKI_H_VIRTUAL_CYCLE 16      /* f64, instructions executed before `trfile` */
#define SKI_H_COMPRESSION 24        /* u32 */
#define SKI_H_VALID_HEADER_FIELDS 28 /* u32 */
#define SKI_H_VALID_RECORD_FIELDS 32 /* u32, 0xff */
#define SKI_H_VALID_RECORD_FLAGS 36 /* u32, 0x2 */
#define SKI_H_VALID_SLOT_FLAGS 40   /* u32, 0x03000001 */
#define SKI_H_DOFFSET_USAGE 44      /* u32, 0xf */
#define SKI_H_RESERVED 48           /* u16 */
#define SKI_H_E_MACHINE 50          /* u16 */
#define SKI_H_E_FLAGS 52            /* u32 */
#define SKI_H_SIM_TIME 56           /* u32, Unix time of `trfile` */
#define SKI_H_STRINGS 60            /* u32[7]: ip, user, tool, uarch, workload, trace name, comments */
#define SKI_H_RECORD_LENGTHS 88     /* u16[256] */

#define SKI_HEADER_MAJOR 1 /* the only header and record format majors this reader knows */
#define SKI_RECORD_MAJOR 1

enum ski_header_string {
    SKI_STR_HOST = 0,
    SKI_STR_USER,
    SKI_STR_TOOL,
    SKI_STR_UARCH,
    SKI_STR_WORKLOAD,
    SKI_STR_TRACE_NAME,
    SKI_STR_COMMENTS,
    SKI_STR_COUNT
};

/* Header values of the real files (what ski_writer writes too). */
#define SKI_VALID_RECORD_FIELDS 0xffu
#define SKI_VALID_RECORD_FLAGS 0x2u
#define SKI_VALID_SLOT_FLAGS 0x03000001u
#define SKI_DOFFSET_USAGE 0xfu

/* ---- record types -------------------------------------------------------------------------- */

enum ski_record_type {
    SKI_REC_CANONICAL = 0x20,      /* 72-byte "canonical" record; this Ski never writes it */
    SKI_REC_STALL_LATENCY = 0x21,  /* DEBUG builds only */
    SKI_REC_STALL = 0x22,          /* DEBUG builds only */
    SKI_REC_CAPSULE = 0x80,        /* one per executed instruction */
    SKI_REC_CONTEXT_SWITCH = 0x81, /* defined, never written (length 0 in the table) */
    SKI_REC_INTERRUPTION = 0x82,
    SKI_REC_DISCONTINUITY = 0x83,
    SKI_REC_VIRT_CYCLE = 0x84,
    SKI_REC_IOFFSET = 0x85,
    SKI_REC_BUNDLE = 0x86,
    SKI_REC_BRANCH = 0x87,
    SKI_REC_DOFFSET = 0x88,
    SKI_REC_REGION_CHANGE = 0x89, /* defined, never written (length 0 in the table) */
    SKI_REC_PREV_PFS = 0x8a,
    SKI_REC_BR_VALUE = 0x8b,      /* "brpred" in Ski: value written to a branch register */
    SKI_REC_AR_VALUE = 0x8c,      /* "artgt" in Ski: value written to an application register */
    SKI_REC_END = 0xf0
};

/* Length of each record type in the files Ski writes (the writer's table). The reader takes
 * lengths from the file's own table and only checks them against ski_record_min_len(). */
#define SKI_LEN_STALL_LATENCY 4
#define SKI_LEN_STALL 16
#define SKI_LEN_CANONICAL 72
#define SKI_LEN_CAPSULE 4
#define SKI_LEN_CONTEXT_SWITCH 4
#define SKI_LEN_INTERRUPTION 48
#define SKI_LEN_DISCONTINUITY 4
#define SKI_LEN_VIRT_CYCLE 8
#define SKI_LEN_IOFFSET 16
#define SKI_LEN_BUNDLE 20
#define SKI_LEN_BRANCH 16
#define SKI_LEN_DOFFSET 16
#define SKI_LEN_REGION_CHANGE 16
#define SKI_LEN_PREV_PFS 16
#define SKI_LEN_BR_VALUE 16
#define SKI_LEN_AR_VALUE 16
#define SKI_LEN_END 4

/* record field offsets */
#define SKI_CAPSULE_PROC 1  /* u8 processor number */
#define SKI_CAPSULE_FLAGS 2 /* u8: bit 0 br_taken (always 0), bit 1 qualifying predicate */
#define SKI_CAPSULE_SLOT 3  /* u8: 0..2 */
#define SKI_CAPSULE_F_BR_TAKEN 0x1u
#define SKI_CAPSULE_F_PRED 0x2u
#define SKI_IOFFSET_ADDR 8  /* u64 full bundle address, low 4 bits clear */
#define SKI_BUNDLE_WORDS 4  /* u32[4] */
#define SKI_BRANCH_TYPE 1   /* u8, 0xff unknown */
#define SKI_BRANCH_HINT 2   /* u8, 0xff unknown */
#define SKI_BRANCH_REG 3    /* u8: bits 0..6 branch register (0x7f unknown), bit 7 taken */
#define SKI_BRANCH_TARGET 8 /* u64 */
#define SKI_DOFFSET_KIND 1  /* u8, enum ski_doffset_kind */
#define SKI_DOFFSET_SIZE 2  /* u8, bytes */
#define SKI_DOFFSET_ADDR 8  /* u64 full data address */
#define SKI_INTR_PSR 8      /* five u64: psr, ipsr, isr, iip, iipa */
#define SKI_INTR_IPSR 16
#define SKI_INTR_ISR 24
#define SKI_INTR_IIP 32
#define SKI_INTR_IIPA 40
#define SKI_VIRT_CYCLE_COUNT 4 /* u32 instructions run untraced */
#define SKI_REGION_REG 1       /* u8 region register number */
#define SKI_REGION_RID 8       /* u64 region id */
#define SKI_VALUE 8            /* u64 of PREV_PFS, BR_VALUE, AR_VALUE */

enum ski_doffset_kind {
    SKI_D_READ = 0,
    SKI_D_WRITE = 1,
    SKI_D_SEMAPHORE = 2, /* cmpxchg, xchg, fetchadd: one record each */
    SKI_D_LFETCH = 3,
    SKI_D_RSE_READ = 4,  /* RSE fill from the backing store */
    SKI_D_RSE_WRITE = 5, /* RSE spill */
    SKI_D_FLUSH = 6,     /* defined, never seen (fc produces nothing) */
    SKI_D_UNKNOWN = 0xff
};
#define SKI_D_KINDS 8 /* index 7 of per-kind tables = SKI_D_UNKNOWN */

static inline unsigned ski_dkind_index(unsigned kind) { return kind == SKI_D_UNKNOWN ? 7u : kind; }

/* DOFFSET sizes: 1, 2, 4, 8, 10, 16 bytes (ldfe reports 16, stfe 10), or 0xff = unknown. */
#define SKI_NSIZES 6
#define SKI_SIZE_UNKNOWN 0xffu
/* Index of a size in {1, 2, 4, 8, 10, 16}, or -1. */
static inline int ski_size_index(unsigned size)
{
    switch (size) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    case 10: return 4;
    case 16: return 5;
    default: return -1;
    }
}

/* ---- unaligned little-endian field access (the files are LE; so is every host we build on,
 *      but the helpers assemble bytes so the code does not depend on it) ------------------ */

static inline uint16_t ski_get_u16(const unsigned char *p) { return (uint16_t)(p[0] | (unsigned)p[1] << 8); }

static inline uint32_t ski_get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t ski_get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline void ski_put_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static inline void ski_put_u32(unsigned char *p, uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, sizeof v);
}

static inline void ski_put_u64(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, sizeof v);
}

/* Name of a record type ("doffset", ...), or NULL if Ski does not define the type. */
const char *ski_record_name(unsigned type);
/* Bytes a record of a defined type must have for its fields (0 for an undefined type). */
unsigned ski_record_min_len(unsigned type);
/* The record length table of the real files: length of type t, 0 where Ski writes nothing. */
unsigned ski_record_std_len(unsigned type);
/* Name of a DOFFSET kind ("read", "write", "semaphore", ...), NULL if undefined. */
const char *ski_dkind_name(unsigned kind);

#endif

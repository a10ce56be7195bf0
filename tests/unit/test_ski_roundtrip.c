/*
 * test_ski_roundtrip.c - the Ski writer and reader on hand-built events: the bytes the writer
 * produces (derived by hand from the format in ../shared/traces/ski/README.md), the event stream
 * coming back unchanged, the events a Ski file cannot carry, and the reader's errors on
 * hand-made bad files.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../trace/ski_reader.h"
#include "../../trace/ski_writer.h"
#include "check.h"

static struct guest_event mk(enum guest_event_kind k, uint64_t va, unsigned size)
{
    struct guest_event e;
    memset(&e, 0, sizeof e);
    e.kind = (uint8_t)k;
    e.va = va;
    e.size = (uint8_t)size;
    e.insns = k == GE_IFETCH; /* the writer makes an IFETCH one CAPSULE: one instruction, read back */
    return e;
}

static struct guest_event mark(unsigned code, uint64_t va, uint64_t value)
{
    struct guest_event e = mk(GE_MARK, va, 0);
    e.op0 = code;
    e.op1 = value;
    return e;
}

/* Writes events with the Ski writer into memory; returns the bytes (caller frees). */
static unsigned char *write_all(const struct guest_event *ev, size_t n, size_t *len)
{
    char *buf = NULL;
    char err[256];
    FILE *mem = open_memstream(&buf, len);
    struct ski_writer *w = ski_writer_open(mem, "rt", err, sizeof err);
    CHECK(w != NULL);
    for (size_t i = 0; w && i < n; i++)
        CHECK_EQ(ski_writer_put(w, &ev[i]), 0);
    if (w) {
        CHECK_EQ(ski_writer_finish(w), 0);
        ski_writer_free(w);
    }
    fclose(mem);
    return (unsigned char *)buf;
}

/* Reads bytes back; returns the number of events (into out, at most max); -1 on error. */
static long read_all(const unsigned char *data, size_t len, enum ski_ifetch_mode mode, struct guest_event *out,
                     size_t max, char *err, size_t errlen)
{
    struct ski_reader *r = ski_open_memory(data, len, "mem", mode, 0, err, errlen);
    if (!r)
        return -1;
    long n = 0;
    struct guest_event ev;
    int rc;
    while ((rc = ski_next(r, &ev)) > 0) {
        if ((size_t)n < max)
            out[n] = ev;
        n++;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s", ski_reader_error(r));
        n = -1;
    }
    ski_close(r);
    return n;
}

/* The bytes of a small file, field by field. */
static void test_writer_bytes(void)
{
    const struct guest_event ev[] = {
        mk(GE_IFETCH, UINT64_C(0x4000000000000010), 16),
        mk(GE_STORE, UINT64_C(0x6000000000001234), 4),
    };
    size_t len;
    unsigned char *b = write_all(ev, 2, &len);
    /* header 600 + "rt\0" 3 = first record at 603; CAPSULE 4 + BUNDLE 20 + IOFFSET 16 + DOFFSET 16 + END 4 */
    CHECK_EQ(len, 603 + 4 + 20 + 16 + 16 + 4);
    if (len != 603 + 60) {
        free(b);
        return;
    }
    CHECK_EQ(ski_get_u32(b + 8), 603);             /* first record */
    CHECK_EQ(ski_get_u32(b + 60 + 4 * 2), 600);    /* tool-name string offset */
    CHECK(memcmp(b + 600, "rt", 3) == 0);
    const unsigned char capsule[4] = {0x80, 0, 0x02, 0}; /* cpu 0, predicate 1, slot 0 */
    CHECK(memcmp(b + 603, capsule, 4) == 0);
    CHECK_EQ(b[607], 0x86);
    unsigned zeros = 0;
    for (int i = 1; i < 20; i++)
        zeros += b[607 + i] == 0;
    CHECK_EQ(zeros, 19);
    const unsigned char ioffset[16] = {0x85, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0x40};
    CHECK(memcmp(b + 627, ioffset, 16) == 0);
    const unsigned char doffset[16] = {0x88, 1, 4, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0x60};
    CHECK(memcmp(b + 643, doffset, 16) == 0);
    const unsigned char end[4] = {0xf0, 0, 0, 0};
    CHECK(memcmp(b + 659, end, 4) == 0);
    free(b);
}

/* A hand-built stream: every kind a Ski file carries, all sizes, five regions, marks, cpu 1. */
static void test_roundtrip(void)
{
    struct guest_event ev[64];
    size_t n = 0;
    ev[n++] = mk(GE_IFETCH, UINT64_C(0x4000000000000000), 16);
    ev[n++] = mk(GE_LOAD, UINT64_C(0x6000000000000008), 8);
    ev[n++] = mk(GE_LOAD, UINT64_C(0x6000000000000001), 1);
    ev[n++] = mk(GE_STORE, UINT64_C(0x6000000000000002), 2);
    ev[n++] = mk(GE_IFETCH, UINT64_C(0x4000000000000010), 16);
    ev[n++] = mk(GE_STORE, UINT64_C(0x6000000000000010), 10);
    ev[n++] = mk(GE_LOAD, UINT64_C(0x6000000000000020), 16);
    ev[n++] = mk(GE_IFETCH, UINT64_C(0x4000000000000010), 16); /* the same bundle again */
    ev[n++] = mk(GE_LFETCH, UINT64_C(0x6000000000000040), 1);
    ev[n++] = mk(GE_RSE_STORE, UINT64_C(0x9ffffff7f6000000), 8);
    ev[n++] = mk(GE_RSE_LOAD, UINT64_C(0x9ffffff7f6000000), 8);
    ev[n++] = mark(GE_MARK_DISCONTINUITY, 0, 2000);
    ev[n++] = mk(GE_IFETCH, UINT64_C(0x2000000000100000), 16); /* region 1 */
    ev[n++] = mk(GE_STORE, UINT64_C(0x0000000010000000), 4);   /* region 0 */
    ev[n++] = mark(GE_MARK_INTERRUPTION, UINT64_C(0xa000000000010400), 0x20000000000);
    ev[n++] = mk(GE_IFETCH, UINT64_C(0xe000000000000000), 16); /* region 7 */
    ev[n++] = mk(GE_LOAD, UINT64_C(0xfffffffffffffff8), 8);
    struct guest_event c1 = mk(GE_IFETCH, UINT64_C(0x4000000000000020), 16);
    c1.cpu = 1;
    ev[n++] = c1;
    struct guest_event d1 = mk(GE_STORE, UINT64_C(0x6000000000000080), 8);
    d1.cpu = 1;
    ev[n++] = d1;
    ev[n++] = mk(GE_IFETCH, UINT64_C(0x4000000000000030), 16); /* back to cpu 0 */
    ev[n++] = mark(GE_MARK_DISCONTINUITY, 0, UINT32_MAX);

    size_t len;
    unsigned char *b = write_all(ev, n, &len);
    struct guest_event back[64];
    char err[512] = "";
    for (int mode = 0; mode < 2; mode++) {
        /* one CAPSULE per IFETCH, each with an IOFFSET: both modes give one IFETCH per IFETCH */
        const long got = read_all(b, len, (enum ski_ifetch_mode)mode, back, 64, err, sizeof err);
        if (got < 0)
            fprintf(stderr, "roundtrip: %s\n", err);
        CHECK_EQ(got, (long)n);
        for (size_t i = 0; i < n && (long)i < got; i++) {
            if (memcmp(&back[i], &ev[i], sizeof ev[i]) != 0) {
                fprintf(stderr, "roundtrip mode %d: event %zu differs: kind %u/%u va 0x%llx/0x%llx size %u/%u\n", mode,
                        i, back[i].kind, ev[i].kind, (unsigned long long)back[i].va, (unsigned long long)ev[i].va,
                        back[i].size, ev[i].size);
                CHECK(0);
            }
        }
    }
    /* the record counts of the written file */
    struct ski_reader *r = ski_open_memory(b, len, "mem", SKI_IFETCH_BUNDLE, 0, err, sizeof err);
    CHECK(r != NULL);
    if (r) {
        struct guest_event e;
        while (ski_next(r, &e) > 0)
            ;
        const struct ski_stats *st = ski_reader_stats(r);
        CHECK_EQ(st->by_type[SKI_REC_CAPSULE], 7);
        CHECK_EQ(st->by_type[SKI_REC_BUNDLE], 7);
        CHECK_EQ(st->by_type[SKI_REC_IOFFSET], 7);
        CHECK_EQ(st->by_type[SKI_REC_DOFFSET], 11);
        CHECK_EQ(st->by_type[SKI_REC_DISCONTINUITY], 2);
        CHECK_EQ(st->by_type[SKI_REC_VIRT_CYCLE], 2);
        CHECK_EQ(st->by_type[SKI_REC_INTERRUPTION], 1);
        CHECK_EQ(st->untraced, 2000 + (uint64_t)UINT32_MAX);
        CHECK_EQ(st->bundle_starts, 7);
        ski_close(r);
    }
    free(b);
}

/* Events a Ski file cannot carry: ski_writer_put returns 1 and writes nothing. */
static void test_unsupported(void)
{
    char *buf = NULL;
    size_t len = 0;
    char err[256];
    FILE *mem = open_memstream(&buf, &len);
    struct ski_writer *w = ski_writer_open(mem, "x", err, sizeof err);
    CHECK(w != NULL);
    if (!w) {
        fclose(mem);
        free(buf);
        return;
    }
    struct guest_event e = mk(GE_ITC_D, UINT64_C(0x6000000000004000), 0);
    CHECK_EQ(ski_writer_put(w, &e), 1);
    CHECK(strstr(ski_writer_error(w), "itc.d") != NULL);
    static const enum guest_event_kind tlb_ops[] = {GE_ITC_I, GE_ITR_I, GE_ITR_D, GE_PTC_L, GE_PTC_G, GE_PTC_GA,
                                                    GE_PTC_E, GE_PTR_I, GE_PTR_D, GE_MOV_RR, GE_MOV_PTA, GE_SET_PSR,
                                                    GE_CTX_SWITCH};
    for (size_t i = 0; i < sizeof tlb_ops / sizeof tlb_ops[0]; i++) {
        e = mk(tlb_ops[i], 0, 0);
        CHECK_EQ(ski_writer_put(w, &e), 1);
    }
    e = mark(GE_MARK_USER, 0, 42);
    CHECK_EQ(ski_writer_put(w, &e), 1);
    e = mark(GE_MARK_DISCONTINUITY, 0, UINT64_C(1) << 32);
    CHECK_EQ(ski_writer_put(w, &e), 1);
    e = mark(GE_MARK_DISCONTINUITY, 0x1000, 5);
    CHECK_EQ(ski_writer_put(w, &e), 1);
    e = mk(GE_STORE, 0x6000000000000000, 8);
    e.flags = GE_F_HAS_VALUE;
    CHECK_EQ(ski_writer_put(w, &e), 1);
    e = mk(GE_IFETCH, UINT64_C(0x4000000000000004), 16);
    CHECK_EQ(ski_writer_put(w, &e), 1); /* not a bundle address */
    e = mk(GE_IFETCH, UINT64_C(0x4000000000000000), 8);
    CHECK_EQ(ski_writer_put(w, &e), 1); /* not 16 bytes */
    e = mk(GE_LOAD, 0x6000000000000000, 3);
    CHECK_EQ(ski_writer_put(w, &e), 1);
    e = mk(GE_LOAD, 0x6000000000000000, 8);
    e.cpu = 2; /* the last CAPSULE (none yet) is cpu 0's */
    CHECK_EQ(ski_writer_put(w, &e), 1);
    CHECK(strstr(ski_writer_error(w), "cpu 2") != NULL);
    CHECK_EQ(ski_writer_finish(w), 0);
    ski_writer_free(w);
    fclose(mem);
    CHECK_EQ(len, SKI_HEADER_SIZE + 2 + 4); /* nothing but the header, "x" and END */
    free(buf);
}

/* A minimal valid file built by hand: header + one instruction + END; then broken variants. */
static size_t base_file(unsigned char *b)
{
    memset(b, 0, 700);
    ski_put_u16(b + 0, 1);
    ski_put_u16(b + 2, 1);
    ski_put_u16(b + 4, 1);
    ski_put_u32(b + 8, 600);
    for (unsigned t = 0; t < 256; t++)
        ski_put_u16(b + 88 + 2 * t, (uint16_t)ski_record_std_len(t));
    size_t o = 600;
    b[o] = 0x80, b[o + 2] = 2, o += 4;         /* CAPSULE slot 0 */
    b[o] = 0x86, o += 20;                      /* BUNDLE */
    b[o] = 0x85, b[o + 15] = 0x40, o += 16;    /* IOFFSET 0x4000000000000000 */
    b[o] = 0x88, b[o + 2] = 8, b[o + 15] = 0x60, o += 16; /* DOFFSET read 8 @ 0x6000000000000000 */
    b[o] = 0xf0, o += 4;                       /* END */
    return o;
}

static void expect_error(const unsigned char *b, size_t len, const char *what)
{
    char err[512] = "";
    struct guest_event ev[8];
    const long n = read_all(b, len, SKI_IFETCH_BUNDLE, ev, 8, err, sizeof err);
    CHECK_EQ(n, (uint64_t)-1);
    if (!strstr(err, what)) {
        fprintf(stderr, "expected an error containing \"%s\", got \"%s\"\n", what, err);
        CHECK(0);
    }
}

static void test_reader_errors(void)
{
    unsigned char b[700];
    size_t len = base_file(b);
    struct guest_event ev[8];
    char err[512];
    CHECK_EQ(read_all(b, len, SKI_IFETCH_BUNDLE, ev, 8, err, sizeof err), 2);
    CHECK_EQ(ev[0].kind, GE_IFETCH);
    CHECK_EQ(ev[0].va, UINT64_C(0x4000000000000000));
    CHECK_EQ(ev[1].kind, GE_LOAD);
    CHECK_EQ(ev[1].size, 8);

    expect_error(b, 0, "offset 0: error: header too short: the file has 0 bytes");
    expect_error(b, 599, "offset 599: error: header too short: the file has 599 bytes");
    len = base_file(b), b[0] = 2;
    expect_error(b, len, "offset 0: error: bad version: header format 2.1");
    len = base_file(b), b[4] = 7;
    expect_error(b, len, "offset 4: error: bad version: record format 7.0");
    len = base_file(b), ski_put_u32(b + 8, 100);
    expect_error(b, len, "offset 8: error: first-record offset 100 is inside the 600-byte header");
    len = base_file(b), ski_put_u32(b + 8, 5000);
    expect_error(b, len, "offset 8: error: first-record offset 5000 is outside the file (660 bytes)");
    len = base_file(b);
    expect_error(b, len - 4, "offset 656: error: missing end-of-trace record");
    expect_error(b, len - 5, "offset 640: error: truncated record: type 0x88 (doffset) needs 16 bytes, the file ends after 15");
    expect_error(b, 600, "offset 600: error: missing end-of-trace record (type 0xf0): the file ends after 0 records");
    len = base_file(b), b[len] = 0x80, b[len + 1] = 0x80;
    expect_error(b, len + 2, "offset 660: error: 2 bytes after the end-of-trace record (type 0xf0) at offset 656");
    len = base_file(b), b[640] = 0x42;
    expect_error(b, len, "offset 640: error: unknown record type 0x42");
    len = base_file(b), b[640] = 0x81;
    expect_error(b, len, "offset 640: error: record type 0x81 (context-switch) has no length in the header's table");
    len = base_file(b), b[640] = 0x20;
    expect_error(b, len, "offset 640: error: record type 0x20 (canonical) has no length");
    len = base_file(b), ski_put_u16(b + 88 + 2 * 0x88, 8);
    expect_error(b, len, "offset 640: error: record length table inconsistent with a record: the header's table gives "
                         "type 0x88 (doffset) 8 bytes (table entry at offset 360), but a doffset record has at least 16");
    len = base_file(b), b[640 + 1] = 9;
    expect_error(b, len, "offset 640: error: DOFFSET reference kind 9");
    len = base_file(b), b[640 + 2] = 3;
    expect_error(b, len, "offset 640: error: DOFFSET size 3");
    len = base_file(b), b[603] = 3;
    expect_error(b, len, "offset 600: error: CAPSULE slot 3");
    /* a CAPSULE without any IOFFSET: its address is unknown */
    len = base_file(b), b[624] = 0x8a; /* IOFFSET -> PREV_PFS (same length) */
    expect_error(b, len, "offset 600: error: instruction without an address");

    /* a longer record in the table than the reader needs: accepted, the extra bytes skipped */
    len = base_file(b);
    unsigned char c[720];
    memcpy(c, b, 640);
    ski_put_u16(c + 88 + 2 * 0x88, 20);
    memcpy(c + 640, b + 640, 16);
    memset(c + 656, 0xee, 4);
    memcpy(c + 660, b + 656, 4);
    CHECK_EQ(read_all(c, 664, SKI_IFETCH_BUNDLE, ev, 8, err, sizeof err), 2);
    CHECK_EQ(ev[1].va, UINT64_C(0x6000000000000000));

    /* the unknown kind and size Ski defines (0xff) map to a 1-byte LOAD */
    len = base_file(b), b[641] = 0xff, b[642] = 0xff;
    CHECK_EQ(read_all(b, len, SKI_IFETCH_BUNDLE, ev, 8, err, sizeof err), 2);
    CHECK_EQ(ev[1].kind, GE_LOAD);
    CHECK_EQ(ev[1].size, 1);
}

/* DISCONTINUITY without its VIRT_CYCLE, and a bundle continuing across records. */
static void test_reader_sequences(void)
{
    unsigned char b[800];
    memset(b, 0, sizeof b);
    base_file(b); /* the header; the records are replaced below */
    size_t o = 600;
    b[o] = 0x80, b[o + 2] = 2, b[o + 3] = 0, o += 4; /* slot 0, new bundle */
    b[o] = 0x86, o += 20;
    b[o] = 0x85, b[o + 8] = 0xa0, b[o + 15] = 0x40, o += 16; /* 0x40000000000000a0 */
    b[o] = 0x80, b[o + 2] = 2, b[o + 3] = 1, o += 4;  /* slot 1: same bundle */
    b[o] = 0x80, b[o + 2] = 0, b[o + 3] = 2, o += 4;  /* slot 2, predicate off */
    b[o] = 0x80, b[o + 2] = 2, b[o + 3] = 0, o += 4;  /* slot 0: next bundle, 0x...b0 */
    b[o] = 0x86, o += 20;
    b[o] = 0x83, o += 4;                               /* DISCONTINUITY, no VIRT_CYCLE */
    b[o] = 0x80, b[o + 2] = 2, b[o + 3] = 1, o += 4;  /* slot 1 after the gap, with IOFFSET */
    b[o] = 0x86, o += 20;
    b[o] = 0x85, b[o + 8] = 0x00, b[o + 9] = 0x10, b[o + 15] = 0x40, o += 16; /* 0x4000000000001000 */
    b[o] = 0xf0, o += 4;
    struct guest_event ev[16];
    char err[512] = "";
    long n = read_all(b, o, SKI_IFETCH_BUNDLE, ev, 16, err, sizeof err);
    CHECK_EQ(n, 4);
    if (n == 4) {
        CHECK_EQ(ev[0].va, UINT64_C(0x40000000000000a0));
        CHECK_EQ(ev[1].va, UINT64_C(0x40000000000000b0));
        CHECK_EQ(ev[2].kind, GE_MARK);
        CHECK_EQ(ev[2].op0, GE_MARK_DISCONTINUITY);
        CHECK_EQ(ev[2].op1, 0);
        CHECK_EQ(ev[3].va, UINT64_C(0x4000000000001000));
        /* 5 CAPSULEs: the two inside bundle a0 emit nothing and count at its IFETCH */
        CHECK_EQ(ev[0].insns, 3);
        CHECK_EQ(ev[1].insns, 1);
        CHECK_EQ(ev[2].insns, 0);
        CHECK_EQ(ev[3].insns, 1); /* the last one: counted though nothing follows it */
    }
    n = read_all(b, o, SKI_IFETCH_INSN, ev, 16, err, sizeof err);
    CHECK_EQ(n, 6);
    if (n == 6) {
        CHECK_EQ(ev[1].va, UINT64_C(0x40000000000000a0));
        CHECK_EQ(ev[2].va, UINT64_C(0x40000000000000a0));
        CHECK_EQ(ev[3].va, UINT64_C(0x40000000000000b0));
        CHECK_EQ(ev[5].va, UINT64_C(0x4000000000001000));
        for (int i = 0; i < 6; i++) /* one IFETCH per CAPSULE, one instruction each */
            CHECK_EQ(ev[i].insns, ev[i].kind == GE_IFETCH);
    }
}

int main(void)
{
    test_writer_bytes();
    test_roundtrip();
    test_unsupported();
    test_reader_errors();
    test_reader_sequences();
    return check_report("test_ski_roundtrip");
}

/* test_vtrace.c - the vtrace reader and writer (docs/vtrace.md), expected values derived by hand. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../../trace/vtrace.h"
#include "check.h"

#define VA_D UINT64_C(0x6000000000004000) /* region 3, a 16 KiB data page */
#define VA_I UINT64_C(0x4000000000000000) /* region 2 */
#define VA_K UINT64_C(0xa000000000000000) /* region 5 */

/* ---- helpers ---------------------------------------------------------------------------------- */

/* A reader over `text`, held in a temporary file (*fp, closed by close_text). */
static struct vtrace_reader *open_text(const char *text, FILE **fp)
{
    char err[256] = "";
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return NULL;
    CHECK(fputs(text, f) >= 0);
    rewind(f);
    struct vtrace_reader *r = vtrace_open_stream(f, "t.vtr", err, sizeof err);
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "vtrace_open_stream: %s\n", err);
        fclose(f);
        return NULL;
    }
    *fp = f;
    return r;
}

static void close_text(struct vtrace_reader *r, FILE *f)
{
    vtrace_close(r);
    if (f)
        fclose(f);
}

/* Reads the single event of a one-line trace; returns vtrace_next's result for it. The rest of
 * the trace must be empty. */
static int read_one(const char *line, struct guest_event *ev)
{
    FILE *f = NULL;
    struct vtrace_reader *r = open_text(line, &f);
    if (!r)
        return -2;
    memset(ev, 0xa5, sizeof *ev); /* every field must be written by the reader */
    const int rc = vtrace_next(r, ev);
    if (rc != 1)
        fprintf(stderr, "'%s': vtrace_next = %d: %s\n", line, rc, vtrace_reader_error(r));
    if (rc == 1) {
        struct guest_event more;
        CHECK_EQ(vtrace_next(r, &more), 0);
    }
    close_text(r, f);
    return rc;
}

struct expect {
    enum guest_event_kind kind;
    uint64_t va, op0, op1;
    unsigned cpu, size, slot, flags;
};

/* Every field of ev; insns is 0 without an insns_per_ifetch directive. */
#define CHECK_EVENT(ev, ...)                                                                      \
    do {                                                                                          \
        const struct expect x_ = {__VA_ARGS__};                                                   \
        CHECK_EQ((ev).kind, x_.kind);                                                             \
        CHECK_EQ((ev).va, x_.va);                                                                 \
        CHECK_EQ((ev).op0, x_.op0);                                                               \
        CHECK_EQ((ev).op1, x_.op1);                                                               \
        CHECK_EQ((ev).cpu, x_.cpu);                                                               \
        CHECK_EQ((ev).size, x_.size);                                                             \
        CHECK_EQ((ev).slot, x_.slot);                                                             \
        CHECK_EQ((ev).flags, x_.flags);                                                           \
        CHECK_EQ((ev).insns, 0);                                                                  \
    } while (0)

/* One line -> one event with exactly these fields. */
#define CHECK_LINE(line, ...)                                                                     \
    do {                                                                                          \
        struct guest_event ev_;                                                                   \
        CHECK_EQ(read_one((line), &ev_), 1);                                                      \
        CHECK_EVENT(ev_, __VA_ARGS__);                                                            \
    } while (0)

/* The first vtrace_next over `text` fails with exactly `message`. */
static void check_error(const char *text, const char *message)
{
    FILE *f = NULL;
    struct vtrace_reader *r = open_text(text, &f);
    if (!r)
        return;
    struct guest_event ev;
    int rc;
    while ((rc = vtrace_next(r, &ev)) == 1)
        ;
    CHECK_EQ(rc, -1);
    CHECK_STREQ(vtrace_reader_error(r), message);
    close_text(r, f);
}

/* ---- one line of each event kind ------------------------------------------------------------ */

static void test_references(void)
{
    CHECK_LINE("ifetch 0x4000000000000010\n", .kind = GE_IFETCH, .va = UINT64_C(0x4000000000000010), .size = 16);
    CHECK_LINE("ifetch 0x4000000000000010 8\n", .kind = GE_IFETCH, .va = UINT64_C(0x4000000000000010), .size = 8);
    CHECK_LINE("ld 0x6000000000004010\n", .kind = GE_LOAD, .va = UINT64_C(0x6000000000004010), .size = 8);
    CHECK_LINE("ld 0x6000000000004010 4\n", .kind = GE_LOAD, .va = UINT64_C(0x6000000000004010), .size = 4);
    CHECK_LINE("ld 16384 10\n", .kind = GE_LOAD, .va = 0x4000, .size = 10);
    CHECK_LINE("ld 0 1\n", .kind = GE_LOAD, .va = 0, .size = 1);
    CHECK_LINE("ld 0x6000000000004010 2\n", .kind = GE_LOAD, .va = UINT64_C(0x6000000000004010), .size = 2);
    /* st: value in op0 and GE_F_HAS_VALUE only with val= */
    CHECK_LINE("st 0x6000000000004018 4 val=0xdeadbeef\n", .kind = GE_STORE, .va = UINT64_C(0x6000000000004018),
               .op0 = 0xdeadbeef, .size = 4, .flags = GE_F_HAS_VALUE);
    CHECK_LINE("st 0x6000000000004018\n", .kind = GE_STORE, .va = UINT64_C(0x6000000000004018), .size = 8);
    CHECK_LINE("st val=0 0x6000000000004018 16\n", .kind = GE_STORE, .va = UINT64_C(0x6000000000004018), .op0 = 0,
               .size = 16, .flags = GE_F_HAS_VALUE);
    CHECK_LINE("st 0x20 val=18446744073709551615\n", .kind = GE_STORE, .va = 0x20, .op0 = UINT64_MAX, .size = 8,
               .flags = GE_F_HAS_VALUE);
    CHECK_LINE("rse.ld 0x9ffffff7f6000000\n", .kind = GE_RSE_LOAD, .va = UINT64_C(0x9ffffff7f6000000), .size = 8);
    CHECK_LINE("rse.st 0x9ffffff7f6000008 16\n", .kind = GE_RSE_STORE, .va = UINT64_C(0x9ffffff7f6000008),
               .size = 16);
    CHECK_LINE("lfetch 0x6000000000004040\n", .kind = GE_LFETCH, .va = UINT64_C(0x6000000000004040), .size = 1);
    CHECK_LINE("lfetch 0x6000000000004040 16\n", .kind = GE_LFETCH, .va = UINT64_C(0x6000000000004040), .size = 16);
}

static void test_numbers(void)
{
    /* the 64-bit limits, upper-case hex digits, leading zeros beyond 16 hex digits */
    CHECK_LINE("ld 18446744073709551615\n", .kind = GE_LOAD, .va = UINT64_MAX, .size = 8);
    CHECK_LINE("ld 0xffffffffffffffff\n", .kind = GE_LOAD, .va = UINT64_MAX, .size = 8);
    CHECK_LINE("ld 0xFFFFFFFFFFFFFFFF\n", .kind = GE_LOAD, .va = UINT64_MAX, .size = 8);
    CHECK_LINE("ld 0x00000000000000000001\n", .kind = GE_LOAD, .va = 1, .size = 8);
    CHECK_LINE("ld 000000000000000000000016384\n", .kind = GE_LOAD, .va = 16384, .size = 8);
    CHECK_LINE("ld 0x10 0x8\n", .kind = GE_LOAD, .va = 0x10, .size = 8);
}

static void test_inserts(void)
{
    /* op1 = key << 8 | ps << 2 */
    CHECK_LINE("itc.d 0x6000000000004000 pte=0x4661 ps=14 key=0x12\n", .kind = GE_ITC_D, .va = VA_D, .op0 = 0x4661,
               .op1 = 0x1238);
    CHECK_LINE("itc.d 0x6000000000004000 pte=0x4661 ps=14\n", .kind = GE_ITC_D, .va = VA_D, .op0 = 0x4661,
               .op1 = 0x38);
    /* fields in any order; 0x12 << 8 | 16 << 2 = 0x1240 */
    CHECK_LINE("itc.i key=0x12 ps=16 0x4000000000000000 pte=0x8661\n", .kind = GE_ITC_I, .va = VA_I,
               .op0 = 0x8661, .op1 = 0x1240);
    CHECK_LINE("itc.d 0x6000000000008000 pte=0xc661 itir=0x38\n", .kind = GE_ITC_D,
               .va = UINT64_C(0x6000000000008000), .op0 = 0xc661, .op1 = 0x38);
    /* widest key, largest page: 0xffffff << 8 | 32 << 2 */
    CHECK_LINE("itc.i 0x4000000000000000 pte=0x661 ps=32 key=0xffffff\n", .kind = GE_ITC_I, .va = VA_I,
               .op0 = 0x661, .op1 = UINT64_C(0xffffff80));
    /* smallest page, key 0 written out */
    CHECK_LINE("itc.d 0x6000000000001000 pte=0x1661 ps=12 key=0\n", .kind = GE_ITC_D,
               .va = UINT64_C(0x6000000000001000), .op0 = 0x1661, .op1 = 0x30);
    /* a full 64-bit pte is taken as is (the reader does not check PTE bits) */
    CHECK_LINE("itc.d 0x6000000000004000 pte=0x0010000000004661 ps=14\n", .kind = GE_ITC_D, .va = VA_D,
               .op0 = UINT64_C(0x0010000000004661), .op1 = 0x38);
    /* itr: slot in .slot; 24 << 2 = 0x60 */
    CHECK_LINE("itr.d 2 0xa000000000000000 pte=0x100661 ps=24\n", .kind = GE_ITR_D, .va = VA_K, .op0 = 0x100661,
               .op1 = 0x60, .slot = 2);
    CHECK_LINE("itr.i 0 0x4000000000000000 pte=0x661 ps=26\n", .kind = GE_ITR_I, .va = VA_I, .op0 = 0x661,
               .op1 = 0x68, .slot = 0);
    /* raw itir 0x12368: ps = 0x68 >> 2 = 26, key 0x123 */
    CHECK_LINE("itr.i 7 0x4000000000000000 pte=0x661 itir=0x12368\n", .kind = GE_ITR_I, .va = VA_I, .op0 = 0x661,
               .op1 = 0x12368, .slot = 7);
    CHECK_LINE("itr.d 5 0xa000000000000000 pte=0x100661 ps=24 key=0xabcdef\n", .kind = GE_ITR_D, .va = VA_K,
               .op0 = 0x100661, .op1 = UINT64_C(0xabcdef60), .slot = 5);
}

static void test_purges(void)
{
    CHECK_LINE("ptc.l 0x6000000000004000 14\n", .kind = GE_PTC_L, .va = VA_D, .op0 = 14);
    CHECK_LINE("ptc.g 0x6000000000004000 0x10\n", .kind = GE_PTC_G, .va = VA_D, .op0 = 16);
    CHECK_LINE("ptc.ga 0x6000000000004000 16\n", .kind = GE_PTC_GA, .va = VA_D, .op0 = 16);
    CHECK_LINE("ptc.e\n", .kind = GE_PTC_E, .va = 0);
    CHECK_LINE("ptc.e 0x6000000000004000\n", .kind = GE_PTC_E, .va = VA_D);
    CHECK_LINE("ptr.i 0x4000000000000000 26\n", .kind = GE_PTR_I, .va = VA_I, .op0 = 26);
    CHECK_LINE("ptr.d 0xa000000000000000 24\n", .kind = GE_PTR_D, .va = VA_K, .op0 = 24);
    CHECK_LINE("ptr.d 0xa000000000000000 32\n", .kind = GE_PTR_D, .va = VA_K, .op0 = 32);
    CHECK_LINE("ptc.l 0x1000 12\n", .kind = GE_PTC_L, .va = 0x1000, .op0 = 12);
}

static void test_registers(void)
{
    /* rr: va = r << 61; rid 0x1234 << 8 | 14 << 2 | ve */
    CHECK_LINE("rr 3 rid=0x1234 ps=14 ve=1\n", .kind = GE_MOV_RR, .va = UINT64_C(0x6000000000000000),
               .op0 = 0x123439);
    CHECK_LINE("rr 1 0x567839\n", .kind = GE_MOV_RR, .va = UINT64_C(0x2000000000000000), .op0 = 0x567839);
    CHECK_LINE("rr 0 ps=12\n", .kind = GE_MOV_RR, .va = 0, .op0 = 0x30);
    CHECK_LINE("rr 7 ve=0 ps=16 rid=0xffffff\n", .kind = GE_MOV_RR, .va = UINT64_C(0xe000000000000000),
               .op0 = UINT64_C(0xffffff40));
    CHECK_LINE("rr 5 0xffffff81\n", .kind = GE_MOV_RR, .va = VA_K, .op0 = UINT64_C(0xffffff81));
    /* pta: base | vf << 8 | size << 2 | ve; 15 << 2 = 0x3c */
    CHECK_LINE("pta base=0x4000000000000000 size=15 vf=0 ve=1\n", .kind = GE_MOV_PTA,
               .op0 = UINT64_C(0x400000000000003d));
    CHECK_LINE("pta ve=1 vf=1 size=15 base=0x4000000000000000\n", .kind = GE_MOV_PTA,
               .op0 = UINT64_C(0x400000000000013d));
    /* 61 << 2 = 0xf4; 2^61 is aligned to 2^61 */
    CHECK_LINE("pta base=0x2000000000000000 size=61 ve=1\n", .kind = GE_MOV_PTA,
               .op0 = UINT64_C(0x20000000000000f5));
    CHECK_LINE("pta base=0xe000000100000000 size=18\n", .kind = GE_MOV_PTA, .op0 = UINT64_C(0xe000000100000048));
    CHECK_LINE("pta 0x4000000000000000\n", .kind = GE_MOV_PTA, .op0 = UINT64_C(0x4000000000000000));
    CHECK_LINE("pta 0\n", .kind = GE_MOV_PTA, .op0 = 0);
    CHECK_LINE("pta 0x400000000000013d\n", .kind = GE_MOV_PTA, .op0 = UINT64_C(0x400000000000013d));
    /* psr: dt bit 17, it 36, rt 27, ic 13, cpl 32..33 */
    CHECK_LINE("psr dt=1 it=1 rt=1 ic=1\n", .kind = GE_SET_PSR, .op0 = UINT64_C(0x1008022000));
    CHECK_LINE("psr cpl=3 dt=1\n", .kind = GE_SET_PSR, .op0 = UINT64_C(0x300020000));
    CHECK_LINE("psr ic=1 it=0\n", .kind = GE_SET_PSR, .op0 = 0x2000);
    CHECK_LINE("psr\n", .kind = GE_SET_PSR, .op0 = 0);
    CHECK_LINE("psr 0x1008022000\n", .kind = GE_SET_PSR, .op0 = UINT64_C(0x1008022000));
    /* every bit but pk (15), is (34) and vm (46) is allowed in a raw PSR */
    CHECK_LINE("psr 0xffffbffbffff7fff\n", .kind = GE_SET_PSR, .op0 = UINT64_C(0xffffbffbffff7fff));
}

static void test_other_events(void)
{
    CHECK_LINE("ctx 7\n", .kind = GE_CTX_SWITCH, .op0 = 7);
    CHECK_LINE("ctx 0xffffffffffffffff\n", .kind = GE_CTX_SWITCH, .op0 = UINT64_MAX);
    /* mark: op0 = code (default user label), op1 = value, va = addr */
    CHECK_LINE("mark 42\n", .kind = GE_MARK, .op0 = GE_MARK_USER, .op1 = 42);
    CHECK_LINE("mark\n", .kind = GE_MARK);
    CHECK_LINE("mark code=1 addr=0x4000000000000010\n", .kind = GE_MARK, .va = UINT64_C(0x4000000000000010),
               .op0 = GE_MARK_INTERRUPTION);
    CHECK_LINE("mark addr=0x40 1000000 code=2\n", .kind = GE_MARK, .va = 0x40, .op0 = GE_MARK_DISCONTINUITY,
               .op1 = 1000000);
}

/* ---- lexical rules, vCPUs ----------------------------------------------------------------------- */

static void test_lexical(void)
{
    static const char text[] =
        "# a whole-line comment\n"                                /* 1 */
        "\n"                                                      /* 2 */
        "   \t \n"                                                /* 3 */
        "\tld\t0x6000000000004010\t4\t# a trailing comment\n"     /* 4 */
        "    # indented comment\n"                                /* 5 */
        "st 0x10   2  \t val=0x1234   \n"                         /* 6 */
        "ld 0x20\r\n"                                             /* 7: CRLF */
        "# ifetch 0x30\n"                                         /* 8: commented-out event */
        "ptc.e\n";                                                /* 9 */
    FILE *f = NULL;
    struct vtrace_reader *r = open_text(text, &f);
    if (!r)
        return;
    struct guest_event ev;
    CHECK_EQ(vtrace_next(r, &ev), 1);
    CHECK_EVENT(ev, .kind = GE_LOAD, .va = UINT64_C(0x6000000000004010), .size = 4);
    CHECK_EQ(vtrace_line(r), 4);
    CHECK_EQ(vtrace_next(r, &ev), 1);
    CHECK_EVENT(ev, .kind = GE_STORE, .va = 0x10, .op0 = 0x1234, .size = 2, .flags = GE_F_HAS_VALUE);
    CHECK_EQ(vtrace_line(r), 6);
    CHECK_EQ(vtrace_next(r, &ev), 1);
    CHECK_EVENT(ev, .kind = GE_LOAD, .va = 0x20, .size = 8);
    CHECK_EQ(vtrace_line(r), 7);
    CHECK_EQ(vtrace_next(r, &ev), 1);
    CHECK_EVENT(ev, .kind = GE_PTC_E);
    CHECK_EQ(vtrace_line(r), 9);
    CHECK_EQ(vtrace_next(r, &ev), 0);
    CHECK_EQ(vtrace_next(r, &ev), 0); /* end stays the end */
    CHECK_EQ(vtrace_vcpus(r), 1);
    close_text(r, f);
    /* a last line without its newline: a file cut short (ld 0x6000000000010 of a cut
     * "ld 0x60000000000100f0 8" would be another address), an error after its last character */
    r = open_text("ld 0x20 8\nld 0x6000000000010", &f);
    if (!r)
        return;
    CHECK_EQ(vtrace_next(r, &ev), 1);
    CHECK_EQ(vtrace_next(r, &ev), -1);
    CHECK(strstr(vtrace_reader_error(r), ":2:19: error: the last line has no newline: is the file cut short?") != NULL);
    close_text(r, f);

    /* an empty trace and a comments-only trace: no event, one vCPU */
    static const char *const empty[] = {"", "\n\n", "# only\n# comments\n"};
    for (unsigned i = 0; i < 3; i++) {
        r = open_text(empty[i], &f);
        if (!r)
            continue;
        CHECK_EQ(vtrace_next(r, &ev), 0);
        CHECK_EQ(vtrace_vcpus(r), 1);
        close_text(r, f);
    }
}

static void test_vcpus(void)
{
    static const char text[] =
        "# four vCPUs\n"       /* 1 */
        "vcpus 4\n"            /* 2 */
        "ld 0x1000\n"          /* 3: default vCPU 0 */
        "cpu 2 ld 0x2000\n"    /* 4: prefix, one event */
        "ld 0x3000\n"          /* 5: back to vCPU 0 */
        "cpu 3\n"              /* 6: vCPU 3 from here on */
        "ld 0x4000\n"          /* 7 */
        "cpu 1 st 0x5000 1\n"  /* 8: a prefix does not change the default */
        "\tcpu\t0x0 ptc.e\n"   /* 9 */
        "ifetch 0x6000\n"      /* 10: still vCPU 3 */
        "cpu 0 # back\n"       /* 11 */
        "ld 0x7000\n";         /* 12 */
    FILE *f = NULL;
    struct vtrace_reader *r = open_text(text, &f);
    if (!r)
        return;
    CHECK_EQ(vtrace_vcpus(r), 1); /* nothing read yet */
    struct guest_event ev;
    const struct {
        unsigned long line;
        unsigned cpu;
        enum guest_event_kind kind;
        uint64_t va;
    } want[] = {
        {3, 0, GE_LOAD, 0x1000},  {4, 2, GE_LOAD, 0x2000}, {5, 0, GE_LOAD, 0x3000},   {7, 3, GE_LOAD, 0x4000},
        {8, 1, GE_STORE, 0x5000}, {9, 0, GE_PTC_E, 0},      {10, 3, GE_IFETCH, 0x6000}, {12, 0, GE_LOAD, 0x7000},
    };
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK_EQ(vtrace_next(r, &ev), 1);
        CHECK_EQ(vtrace_line(r), want[i].line);
        CHECK_EQ(ev.cpu, want[i].cpu);
        CHECK_EQ(ev.kind, want[i].kind);
        CHECK_EQ(ev.va, want[i].va);
        CHECK_EQ(vtrace_vcpus(r), 4);
    }
    CHECK_EQ(vtrace_next(r, &ev), 0);
    CHECK_EQ(vtrace_vcpus(r), 4);
    close_text(r, f);

    /* the limits: 64 vCPUs, vCPU 63; the directive alone (no events) still declares the count */
    CHECK_LINE("vcpus 64\ncpu 63 itr.d 1 0xa000000000000000 pte=0x661 ps=24\n", .kind = GE_ITR_D, .va = VA_K,
               .op0 = 0x661, .op1 = 0x60, .slot = 1, .cpu = 63);
    r = open_text("vcpus 0x40\n", &f);
    if (r) {
        CHECK_EQ(vtrace_next(r, &ev), 0);
        CHECK_EQ(vtrace_vcpus(r), 64);
        close_text(r, f);
    }
    r = open_text("vcpus 1\ncpu 0 ld 0\n", &f);
    if (r) {
        CHECK_EQ(vtrace_next(r, &ev), 1);
        CHECK_EQ(ev.cpu, 0);
        CHECK_EQ(vtrace_vcpus(r), 1);
        close_text(r, f);
    }
}

/* Errors through the API: the stream name, line and column. tests/bad_input covers them all
 * through 'vhptsim replay'; these pin the message format of vtrace_reader_error itself. */
static void test_errors(void)
{
    check_error("ld 0x10\n\n  itc.x 0x10\n", "t.vtr:3:3: error: unknown event 'itc.x'");
    check_error("itc.d 0x6000000000004000 pte=zz ps=14\n",
                "t.vtr:1:26: error: expected a number after 'pte=', got 'zz'");
    check_error("vcpus 2\ncpu 2 ld 0\n",
                "t.vtr:2:5: error: vCPU 2 is out of range: the trace has 2 vCPUs (see 'vcpus N')");
    check_error("ld 0\nvcpus 2\n", "t.vtr:2:1: error: 'vcpus' must come before the first event");
    check_error("rr 3 ps=14\n\t\tptc.l 0x6000000000004000 15\n",
                "t.vtr:2:28: error: page size 15 is not an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)");

    /* vtrace_open names the file by its path */
    char path[] = "/tmp/test_vtrace_XXXXXX";
    const int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        static const char bad[] = "ld 0x10 3\n";
        CHECK(write(fd, bad, sizeof bad - 1) == (ssize_t)(sizeof bad - 1));
        close(fd);
        char err[256];
        struct vtrace_reader *r = vtrace_open(path, err, sizeof err);
        CHECK(r != NULL);
        if (r) {
            struct guest_event ev;
            char want[512];
            snprintf(want, sizeof want, "%s:1:9: error: access size 3 is not one of 1, 2, 4, 8, 10, 16", path);
            CHECK_EQ(vtrace_next(r, &ev), -1);
            CHECK_STREQ(vtrace_reader_error(r), want);
            vtrace_close(r);
        }
        unlink(path);
        char err2[256] = "";
        CHECK(vtrace_open(path, err2, sizeof err2) == NULL);
        char want2[512];
        snprintf(want2, sizeof want2, "%s: cannot open: No such file or directory", path);
        CHECK_STREQ(err2, want2);
    }

    /* Once a bug: a second 'vcpus' could lower the count below the current 'cpu N' default, and
     * the next event came back with cpu >= vtrace_vcpus() (replay crashed). A repeat is an error. */
    {
        FILE *f = NULL;
        struct vtrace_reader *r = open_text("vcpus 4\ncpu 3\nvcpus 2\nld 0x1000\n", &f);
        if (r) {
            struct guest_event ev;
            const int rc = vtrace_next(r, &ev);
            CHECK(rc == -1 || (rc == 1 && ev.cpu < vtrace_vcpus(r)));
            close_text(r, f);
        }
    }
    check_error("ld 18446744073709551616\n", "t.vtr:1:4: error: number '18446744073709551616' does not fit in 64 bits");
    check_error("pta base=0x4000000000008000 size=16 ve=1\n",
                "t.vtr:1:5: error: PTA base 0x4000000000008000 is not aligned to the table size 2^16");
    check_error("vcpus 4\ncpu 3\nvcpus 2\nld 0x1000\n", "t.vtr:3:1: error: 'vcpus' given twice");
}

/* ---- writer round trip -------------------------------------------------------------------------- */

static struct guest_event mk(enum guest_event_kind kind, unsigned cpu, uint64_t va, uint64_t op0, uint64_t op1,
                             unsigned size, unsigned slot, unsigned flags)
{
    struct guest_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint8_t)kind;
    ev.cpu = (uint16_t)cpu;
    ev.va = va;
    ev.op0 = op0;
    ev.op1 = op1;
    ev.size = (uint8_t)size;
    ev.slot = (uint8_t)slot;
    ev.flags = (uint8_t)flags;
    return ev;
}

static void test_round_trip(void)
{
    const struct guest_event events[] = {
        mk(GE_IFETCH, 0, UINT64_C(0x4000000000000010), 0, 0, 16, 0, 0),
        mk(GE_IFETCH, 1, UINT64_MAX, 0, 0, 1, 0, 0),
        mk(GE_LOAD, 0, UINT64_C(0x6000000000004010), 0, 0, 8, 0, 0),
        mk(GE_LOAD, 2, 0, 0, 0, 1, 0, 0),
        mk(GE_LOAD, 3, 0x10, 0, 0, 2, 0, 0),
        mk(GE_LOAD, 0, 0x10, 0, 0, 4, 0, 0),
        mk(GE_LOAD, 0, 0x10, 0, 0, 10, 0, 0),
        mk(GE_LOAD, 63, 0x10, 0, 0, 16, 0, 0),
        mk(GE_STORE, 0, UINT64_C(0x6000000000004018), 0xdeadbeef, 0, 4, 0, GE_F_HAS_VALUE), /* with a value */
        mk(GE_STORE, 0, UINT64_C(0x6000000000004018), 0, 0, 8, 0, 0),                      /* without */
        mk(GE_STORE, 5, 0x8, 0, 0, 1, 0, GE_F_HAS_VALUE),                                  /* value 0 */
        mk(GE_STORE, 0, 0x8, UINT64_MAX, 0, 16, 0, GE_F_HAS_VALUE),
        mk(GE_RSE_LOAD, 0, UINT64_C(0x9ffffff7f6000000), 0, 0, 8, 0, 0),
        mk(GE_RSE_STORE, 7, UINT64_C(0x9ffffff7f6000008), 0, 0, 8, 0, 0),
        mk(GE_LFETCH, 0, UINT64_C(0x6000000000004040), 0, 0, 1, 0, 0),
        mk(GE_ITC_I, 0, VA_I, 0x8661, 0x1240, 0, 0, 0),
        mk(GE_ITC_D, 1, VA_D, 0x4661, 0x1238, 0, 0, 0),
        mk(GE_ITC_D, 0, UINT64_C(0x6000000000008000), UINT64_C(0x0010000000c661), UINT64_C(0xffffff80), 0, 0, 0),
        mk(GE_ITR_I, 0, VA_I, 0x661, 0x68, 0, 0, 0),
        mk(GE_ITR_I, 2, VA_I, 0x661, 0x12368, 0, 7, 0),
        mk(GE_ITR_D, 0, VA_K, 0x100661, 0x60, 0, 2, 0),
        mk(GE_PTC_L, 0, VA_D, 14, 0, 0, 0, 0),
        mk(GE_PTC_G, 3, VA_D, 12, 0, 0, 0, 0),
        mk(GE_PTC_GA, 0, VA_D, 16, 0, 0, 0, 0),
        mk(GE_PTC_E, 0, 0, 0, 0, 0, 0, 0),
        mk(GE_PTC_E, 4, VA_D, 0, 0, 0, 0, 0),
        mk(GE_PTR_I, 0, VA_I, 26, 0, 0, 0, 0),
        mk(GE_PTR_D, 1, VA_K, 32, 0, 0, 0, 0),
        mk(GE_MOV_RR, 0, 0, 0x38, 0, 0, 0, 0),
        mk(GE_MOV_RR, 0, UINT64_C(0x6000000000000000), 0x123439, 0, 0, 0, 0),
        mk(GE_MOV_RR, 6, UINT64_C(0xe000000000000000), UINT64_C(0xffffff81), 0, 0, 0, 0),
        mk(GE_MOV_PTA, 0, 0, 0, 0, 0, 0, 0),
        mk(GE_MOV_PTA, 0, 0, UINT64_C(0x400000000000013d), 0, 0, 0, 0),
        mk(GE_MOV_PTA, 2, 0, UINT64_C(0x20000000000000f5), 0, 0, 0, 0),
        mk(GE_SET_PSR, 0, 0, UINT64_C(0x1008022000), 0, 0, 0, 0),
        mk(GE_SET_PSR, 1, 0, 0, 0, 0, 0, 0),
        mk(GE_CTX_SWITCH, 0, 0, 7, 0, 0, 0, 0),
        mk(GE_CTX_SWITCH, 0, 0, UINT64_MAX, 0, 0, 0, 0),
        mk(GE_MARK, 0, 0, GE_MARK_USER, 42, 0, 0, 0),
        mk(GE_MARK, 0, 0, GE_MARK_USER, 0, 0, 0, 0),
        mk(GE_MARK, 3, UINT64_C(0x4000000000000010), GE_MARK_INTERRUPTION, 0, 0, 0, 0),
        mk(GE_MARK, 0, 0, GE_MARK_DISCONTINUITY, 1000000, 0, 0, 0),
        mk(GE_MARK, 63, UINT64_MAX, GE_MARK_USER, UINT64_MAX, 0, 0, 0),
    };
    const unsigned n = sizeof events / sizeof events[0];

    /* every kind is in the list */
    unsigned kinds_seen = 0;
    for (unsigned i = 0; i < n; i++)
        kinds_seen |= 1u << events[i].kind;
    CHECK_EQ(kinds_seen, (1u << GE_KIND_COUNT) - 1);

    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_EQ(vtrace_write_header(f, 64), 0);
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(vtrace_write_event(f, &events[i]), 0);
    rewind(f);
    char err[256];
    struct vtrace_reader *r = vtrace_open_stream(f, "rt.vtr", err, sizeof err);
    CHECK(r != NULL);
    if (!r) {
        fclose(f);
        return;
    }
    FILE *again = tmpfile();
    CHECK(again != NULL);
    for (unsigned i = 0; i < n; i++) {
        struct guest_event ev;
        memset(&ev, 0xa5, sizeof ev);
        const int rc = vtrace_next(r, &ev);
        CHECK_EQ(rc, 1);
        if (rc != 1) {
            fprintf(stderr, "round trip, event %u: %s\n", i, vtrace_reader_error(r));
            break;
        }
        CHECK_EQ(vtrace_line(r), i + 2); /* line 1 is "vcpus 64" */
        CHECK_EVENT(ev, .kind = events[i].kind, .va = events[i].va, .op0 = events[i].op0, .op1 = events[i].op1,
                    .cpu = events[i].cpu, .size = events[i].size, .slot = events[i].slot,
                    .flags = events[i].flags);
        CHECK(memcmp(&ev, &events[i], sizeof ev) == 0);
        if (again)
            CHECK_EQ(vtrace_write_event(again, &ev), 0);
    }
    struct guest_event end;
    CHECK_EQ(vtrace_next(r, &end), 0);
    CHECK_EQ(vtrace_vcpus(r), 64);
    vtrace_close(r);

    /* writing the events read back gives the same lines (after the header) */
    if (again) {
        rewind(f);
        rewind(again);
        char a[256], b[256];
        CHECK(fgets(a, sizeof a, f) != NULL);
        CHECK_STREQ(a, "vcpus 64\n");
        unsigned lines = 0;
        while (fgets(a, sizeof a, f)) {
            CHECK(fgets(b, sizeof b, again) != NULL);
            CHECK_STREQ(b, a);
            lines++;
        }
        CHECK(fgets(b, sizeof b, again) == NULL);
        CHECK_EQ(lines, n);
        fclose(again);
    }
    fclose(f);
}

/* The writer's text for a few events, and the header rule (nothing for one vCPU). */
static void test_writer_text(void)
{
    static const struct {
        struct guest_event ev;
        const char *line;
    } cases[] = {
        {{.kind = GE_LOAD, .va = 0x6000000000004010, .size = 8}, "ld 0x6000000000004010 8\n"},
        {{.kind = GE_STORE, .va = 0x10, .size = 4, .op0 = 0xdeadbeef, .flags = GE_F_HAS_VALUE},
         "st 0x10 4 val=0xdeadbeef\n"},
        {{.kind = GE_STORE, .va = 0x10, .size = 4}, "st 0x10 4\n"},
        {{.kind = GE_ITR_D, .cpu = 2, .va = 0xa000000000000000, .op0 = 0x100661, .op1 = 0x60, .slot = 2},
         "cpu 2 itr.d 2 0xa000000000000000 pte=0x100661 itir=0x60\n"},
        {{.kind = GE_PTC_G, .va = 0x6000000000004000, .op0 = 14}, "ptc.g 0x6000000000004000 14\n"},
        {{.kind = GE_MOV_RR, .va = 0x6000000000000000, .op0 = 0x123439}, "rr 3 0x123439\n"},
        {{.kind = GE_MARK, .cpu = 1, .op1 = 42}, "cpu 1 mark 42 code=0 addr=0x0\n"},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = tmpfile();
        CHECK(f != NULL);
        if (!f)
            continue;
        CHECK_EQ(vtrace_write_event(f, &cases[i].ev), 0);
        rewind(f);
        char line[256] = "";
        CHECK(fgets(line, sizeof line, f) != NULL);
        CHECK_STREQ(line, cases[i].line);
        fclose(f);
    }
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(vtrace_write_header(f, 1), 0);
        CHECK_EQ(ftell(f), 0);
        CHECK_EQ(vtrace_write_header(f, 0), 0);
        CHECK_EQ(ftell(f), 0);
        CHECK_EQ(vtrace_write_header(f, 2), 0);
        rewind(f);
        char line[64] = "";
        CHECK(fgets(line, sizeof line, f) != NULL);
        CHECK_STREQ(line, "vcpus 2\n");
        fclose(f);
    }
    const struct guest_event bad = {.kind = GE_KIND_COUNT};
    FILE *null = tmpfile();
    if (null) {
        CHECK_EQ(vtrace_write_event(null, &bad), (uint64_t)-1);
        fclose(null);
    }
}

/* ---- streaming ---------------------------------------------------------------------------------- */

#define STREAM_LINES 1000000u

static void test_streaming(void)
{
    static const char *const lines[] = {
        "ld 0x6000000000004010 8\n",
        "st 0x6000000000004018 4 val=0x1\n",
        "ifetch 0x4000000000000010   # comment\n",
        "cpu 1 itc.d 0x6000000000004000 pte=0x4661 ps=14 key=0x12\n",
        "ptc.l 0x6000000000004000 14\n",
        "rr 3 rid=0x1234 ps=14 ve=1\n",
        "lfetch 0x6000000000004040\n",
        "mark 7\n",
    };
    const unsigned nlines = sizeof lines / sizeof lines[0];
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fputs("vcpus 2\n", f) >= 0);
    int written = 1;
    for (unsigned i = 0; i < STREAM_LINES && written; i++)
        written = fputs(lines[i % nlines], f) >= 0;
    CHECK(written);
    rewind(f);
    char err[256];
    struct vtrace_reader *r = vtrace_open_stream(f, "big.vtr", err, sizeof err);
    CHECK(r != NULL);
    if (!r) {
        fclose(f);
        return;
    }
    unsigned long count = 0, per_kind[GE_KIND_COUNT] = {0}, on_cpu1 = 0;
    uint64_t va_sum = 0;
    struct guest_event ev;
    int rc;
    while ((rc = vtrace_next(r, &ev)) == 1) {
        count++;
        per_kind[ev.kind]++;
        on_cpu1 += ev.cpu == 1;
        va_sum += ev.va;
    }
    if (rc < 0)
        fprintf(stderr, "streaming: %s\n", vtrace_reader_error(r));
    CHECK_EQ(rc, 0);
    CHECK_EQ(count, STREAM_LINES);
    CHECK_EQ(vtrace_line(r), STREAM_LINES + 1);
    CHECK_EQ(vtrace_vcpus(r), 2);
    /* 1,000,000 = 8 * 125,000: each line of the cycle appears 125,000 times */
    CHECK_EQ(per_kind[GE_LOAD], 125000);
    CHECK_EQ(per_kind[GE_STORE], 125000);
    CHECK_EQ(per_kind[GE_IFETCH], 125000);
    CHECK_EQ(per_kind[GE_ITC_D], 125000);
    CHECK_EQ(per_kind[GE_PTC_L], 125000);
    CHECK_EQ(per_kind[GE_MOV_RR], 125000);
    CHECK_EQ(per_kind[GE_LFETCH], 125000);
    CHECK_EQ(per_kind[GE_MARK], 125000);
    CHECK_EQ(on_cpu1, 125000);
    /* one cycle's va sum (mod 2^64), times 125,000 */
    const uint64_t cycle = UINT64_C(0x6000000000004010) + UINT64_C(0x6000000000004018) +
                           UINT64_C(0x4000000000000010) + UINT64_C(0x6000000000004000) +
                           UINT64_C(0x6000000000004000) + UINT64_C(0x6000000000000000) +
                           UINT64_C(0x6000000000004040);
    CHECK_EQ(va_sum, cycle * 125000u);
    vtrace_close(r);
    fclose(f);
}

int main(void)
{
    test_references();
    test_numbers();
    test_inserts();
    test_purges();
    test_registers();
    test_other_events();
    test_lexical();
    test_vcpus();
    test_errors();
    test_round_trip();
    test_writer_text();
    test_streaming();
    return check_report("test_vtrace");
}

/*
 * test_ia64_decode CASES.s TRACE.trc... - trace/ia64_decode.c against GNU objdump.
 *
 * The bundles checked: every distinct BUNDLE record of the given Ski traces (the two system
 * traces of ../shared/traces/ski-system), and CASES.s assembled with ia64-linux-gnu-as (every
 * form the decoder knows, and neighbours that must stay "other"). For each bundle
 * ia64-linux-gnu-objdump (-b binary -m ia64) gives the reference: the template must match, every
 * slot the decoder decodes must print exactly as objdump prints it (mnemonic, registers,
 * immediates, predicate), and no slot the decoder leaves as "other" may be one of the decoded
 * instructions. Debian's binutils-ia64-linux-gnu provides the tools (scripts/setup installs
 * it); without them the test is skipped (exit 77) outside CI and fails under CI (CI set).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../trace/ia64_decode.h"
#include "../../trace/ski_format.h"
#include "../unit/check.h"

#define OBJDUMP "ia64-linux-gnu-objdump"
#define AS "ia64-linux-gnu-as"
#define OBJCOPY "ia64-linux-gnu-objcopy"

struct bundles {
    uint8_t (*b)[16];
    size_t n, cap;
};

static void add_bundle(struct bundles *s, const uint8_t bytes[16], bool distinct)
{
    if (distinct)
        for (size_t i = 0; i < s->n; i++)
            if (memcmp(s->b[i], bytes, 16) == 0)
                return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->b = realloc(s->b, s->cap * sizeof *s->b);
        if (!s->b) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    memcpy(s->b[s->n++], bytes, 16);
}

/* The BUNDLE records of a Ski trace, walked with the file's own length table (its own small
 * walker: the reader under test elsewhere is not needed to find the bytes). */
static int trace_bundles(const char *path, struct bundles *s)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "FAIL: cannot open %s\n", path);
        return -1;
    }
    static unsigned char buf[1 << 22];
    const size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n < SKI_HEADER_SIZE || n == sizeof buf) {
        fprintf(stderr, "FAIL: %s: not a small Ski trace\n", path);
        return -1;
    }
    size_t pos = ski_get_u32(buf + SKI_H_FIRST_RECORD);
    while (pos < n) {
        const unsigned type = buf[pos], len = ski_get_u16(buf + SKI_H_RECORD_LENGTHS + 2 * type);
        if (len == 0 || pos + len > n) {
            fprintf(stderr, "FAIL: %s: bad record at offset %zu\n", path, pos);
            return -1;
        }
        if (type == SKI_REC_BUNDLE) {
            /* four LE u32 A, B, C, D: the bundle is the LE u64 (A<<32)|B, then (C<<32)|D */
            const uint64_t lo = (uint64_t)ski_get_u32(buf + pos + 4) << 32 | ski_get_u32(buf + pos + 8);
            const uint64_t hi = (uint64_t)ski_get_u32(buf + pos + 12) << 32 | ski_get_u32(buf + pos + 16);
            uint8_t bytes[16];
            ia64_bundle_bytes(lo, hi, bytes);
            add_bundle(s, bytes, true);
        }
        if (type == SKI_REC_END)
            break;
        pos += len;
    }
    return 0;
}

/* ---- objdump's view -------------------------------------------------------------------------- */

struct dis {
    char tmpl[4];
    char text[3][128];
    unsigned n;
};

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (n >= 2 && strcmp(s + n - 2, ";;") == 0)
        s[n - 2] = '\0';
    size_t lead = strspn(s, " \t");
    memmove(s, s + lead, strlen(s + lead) + 1);
}

/* Disassembles a file of bundles; returns the bundle count or -1. */
static long disassemble(const char *bin, struct dis **out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, OBJDUMP " -D -b binary -m ia64 '%s'", bin);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t cap = 256, n = 0;
    struct dis *d = calloc(cap, sizeof *d);
    char line[512];
    while (d && fgets(line, sizeof line, p)) {
        /* "   0:\t09 10 34 10 80 05 \t[MMI]       alloc r2=ar.pfs,13,8,0" */
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2)
            continue; /* headers, and the lines carrying a bundle's last bytes */
        char *text = t2 + 1;
        if (text[0] == '[') {
            if (n == cap) {
                cap *= 2;
                struct dis *g = realloc(d, cap * sizeof *d);
                if (!g) {
                    free(d);
                    d = NULL;
                    break;
                }
                d = g;
            }
            memset(&d[n], 0, sizeof d[n]);
            memcpy(d[n].tmpl, text + 1, 3);
            text += 5;
            n++;
        }
        if (n == 0 || d[n - 1].n == 3)
            continue;
        snprintf(d[n - 1].text[d[n - 1].n], sizeof d[n - 1].text[0], "%s", text);
        trim(d[n - 1].text[d[n - 1].n]);
        d[n - 1].n++;
    }
    const int rc = pclose(p);
    if (!d || rc != 0) {
        free(d);
        return -1;
    }
    *out = d;
    return (long)n;
}

/* Does objdump's text name one of the instructions the decoder decodes? */
static bool looks_decoded(const char *text)
{
    if (text[0] == '(')
        text = strchr(text, ' ') ? strchr(text, ' ') + 1 : text;
    static const char *const prefixes[] = {"itc.", "itr.", "ptc.", "ptr.", "mov rr[", "mov cr.", "mov psr.l=",
                                           "rsm ", "ssm ", "rfi", "mov.m ar", "mov.i ar", "movl ", "adds ",
                                           "addl ", "break.", "bsw."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(text, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    /* the A-unit forms objdump prints as "mov rN=IMM" and "mov rN=rM" */
    unsigned r1;
    int used = 0;
    if (sscanf(text, "mov r%u=%n", &r1, &used) == 1 && used > 0) {
        const char *v = text + used;
        if (v[0] == 'r' && strspn(v + 1, "0123456789") == strlen(v + 1) && v[1])
            return true;
        if (v[0] == '-')
            v++;
        if (v[0] && strspn(v, "0123456789") == strlen(v))
            return true;
    }
    return false;
}

/* Checks the decoder on every bundle of `bin`; counts decoded slots per op into seen[]. */
static void compare(const char *what, const char *bin, const struct bundles *s, unsigned seen[IA64_OP_COUNT])
{
    struct dis *d = NULL;
    const long n = disassemble(bin, &d);
    if (n < 0) {
        fprintf(stderr, "FAIL: %s: %s failed\n", what, OBJDUMP);
        CHECK(n >= 0);
        return;
    }
    CHECK_EQ(n, s->n);
    unsigned decoded = 0, other = 0;
    for (size_t k = 0; k < (size_t)n && k < s->n; k++) {
        struct ia64_bundle b;
        const int rc = ia64_decode_bundle(s->b[k], &b);
        if (rc != 0 || strcmp(ia64_template_name(b.tmpl), d[k].tmpl) != 0) {
            fprintf(stderr, "FAIL: %s bundle %zu: template %s, objdump [%s]\n", what, k,
                    rc ? "reserved" : ia64_template_name(b.tmpl), d[k].tmpl);
            CHECK(0);
            continue;
        }
        const bool mlx = b.slot[1].unit == IA64_UNIT_L;
        CHECK_EQ(d[k].n, mlx ? 2 : 3);
        for (unsigned i = 0; i < 3; i++) {
            if (mlx && i == 1)
                continue;
            const unsigned line = mlx && i == 2 ? 1 : i;
            if (line >= d[k].n)
                continue;
            const char *ref = d[k].text[line];
            const struct ia64_insn *in = &b.slot[i];
            if (in->op == IA64_OTHER) {
                other++;
                if (looks_decoded(ref)) {
                    fprintf(stderr, "FAIL: %s bundle %zu slot %u: objdump '%s', the decoder says other\n", what, k,
                            i, ref);
                    CHECK(0);
                }
                continue;
            }
            char mine[128];
            ia64_insn_format(in, mine, sizeof mine);
            decoded++;
            seen[in->op]++;
            if (strcmp(mine, ref) != 0) {
                fprintf(stderr, "FAIL: %s bundle %zu slot %u: decoder '%s', objdump '%s'\n", what, k, i, mine, ref);
                CHECK(0);
            }
        }
    }
    printf("%s: %ld bundles compared with objdump, %u slots decoded, %u other\n", what, n, decoded, other);
    free(d);
}

static int write_bundles(const struct bundles *s, char *path)
{
    const int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        return -1;
    }
    const size_t w = s->n ? fwrite(s->b, 16, s->n, f) : 0;
    return fclose(f) == 0 && w == s->n ? 0 : -1;
}

static bool tool_present(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s --version >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_ia64_decode CASES.s TRACE.trc...\n");
        return 2;
    }
    if (!tool_present(OBJDUMP) || !tool_present(AS) || !tool_present(OBJCOPY)) {
        const char *ci = getenv("CI");
        fprintf(stderr, "%s: %s, %s or %s missing (Debian package binutils-ia64-linux-gnu; scripts/setup installs it)\n",
                ci && ci[0] ? "FAIL" : "SKIPPED", OBJDUMP, AS, OBJCOPY);
        return ci && ci[0] ? EXIT_FAILURE : 77;
    }
    const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

    /* 1. every distinct bundle of the traces */
    struct bundles traces = {0};
    for (int i = 2; i < argc; i++)
        CHECK(trace_bundles(argv[i], &traces) == 0);
    unsigned seen_traces[IA64_OP_COUNT] = {0};
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/ia64dec.XXXXXX", tmpdir);
    if (write_bundles(&traces, bin) != 0) {
        fprintf(stderr, "FAIL: cannot write %s\n", bin);
        return EXIT_FAILURE;
    }
    compare("traces", bin, &traces, seen_traces);
    remove(bin);
    /* The README's table of privileged instructions, and the constants of the guest's code. */
    static const enum ia64_op in_traces[] = {IA64_ITC_I,     IA64_ITC_D, IA64_ITR_I, IA64_ITR_D,    IA64_PTC_L,
                                             IA64_PTC_GA,    IA64_PTC_E, IA64_PTR_D, IA64_MOV_TO_RR, IA64_MOV_TO_CR,
                                             IA64_RSM,       IA64_SSM,   IA64_RFI,   IA64_MOV_TO_AR, IA64_MOV_TO_AR_IMM,
                                             IA64_MOVL,      IA64_ADDL,  IA64_ADDS,  IA64_BREAK};
    for (size_t i = 0; i < sizeof in_traces / sizeof in_traces[0]; i++)
        if (!seen_traces[in_traces[i]]) {
            fprintf(stderr, "FAIL: the traces' bundles decode no instance of op %d\n", (int)in_traces[i]);
            CHECK(0);
        }

    /* 2. the assembled cases: every decoded form */
    char obj[4096], cbin[4200], cmd[16384];
    snprintf(obj, sizeof obj, "%s/ia64cases.XXXXXX", tmpdir);
    const int fd = mkstemp(obj);
    if (fd < 0)
        return EXIT_FAILURE;
    close(fd);
    snprintf(cbin, sizeof cbin, "%s.bin", obj);
    snprintf(cmd, sizeof cmd, AS " -x -o '%s' '%s' 2>/dev/null && " OBJCOPY " -O binary -j .text '%s' '%s'", obj,
             argv[1], obj, cbin);
    const int rc = system(cmd);
    CHECK(rc == 0);
    struct bundles cases = {0};
    FILE *f = rc == 0 ? fopen(cbin, "rb") : NULL;
    if (f) {
        uint8_t b[16];
        while (fread(b, 1, 16, f) == 16)
            add_bundle(&cases, b, false);
        fclose(f);
    }
    CHECK(cases.n > 50);
    unsigned seen_cases[IA64_OP_COUNT] = {0};
    compare("cases", cbin, &cases, seen_cases);
    remove(obj);
    remove(cbin);
    for (unsigned op = IA64_OTHER + 1; op < IA64_OP_COUNT; op++)
        if (op != IA64_LONG && !seen_cases[op]) {
            fprintf(stderr, "FAIL: %s has no instance of op %u\n", argv[1], op);
            CHECK(0);
        }
    free(traces.b);
    free(cases.b);
    return check_report("test_ia64_decode");
}

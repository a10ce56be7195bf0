/* vtrace_reader.c - streaming parser of the vtrace format (docs/vtrace.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../model/ia64/ia64_arch.h"
#include "../model/util/input_file.h"
#include "../model/util/num_parse.h"
#include "vtrace.h"

#define MAX_TOKENS 16
#define ERR_LEN 512
/* The longest line, without its newline: an event line is under 200 bytes, so this leaves room
 * for any comment while a file without newlines (/dev/zero, a binary) cannot grow memory. */
#define LINE_MAX_BYTES (64 * 1024)

struct token {
    const char *text; /* NUL-terminated inside the line buffer */
    unsigned col;     /* 1-based column */
    const char *value; /* for name=value: points after '=', else NULL */
};

struct vtrace_reader {
    FILE *f;
    bool owns_file;
    char *name;
    char *line; /* LINE_MAX_BYTES + 1 */
    unsigned long lineno;
    unsigned vcpus;
    unsigned long vcpus_line; /* of the 'vcpus N' directive; 0 if none */
    unsigned default_cpu;
    bool seen_event;
    bool seen_vcpus;
    bool seen_insns;
    unsigned insns_per_ifetch; /* 0: the trace does not count instructions */
    char err[ERR_LEN];
};

/* ---- errors --------------------------------------------------------------------------------- */

static int fail(struct vtrace_reader *r, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct vtrace_reader *r, unsigned col, const char *fmt, ...)
{
    char msg[ERR_LEN / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->err, sizeof r->err, "%s:%lu:%u: error: %s", r->name, r->lineno, col, msg);
    return -1;
}

const char *vtrace_reader_error(const struct vtrace_reader *r) { return r->err; }
unsigned vtrace_vcpus(const struct vtrace_reader *r) { return r->vcpus; }
unsigned long vtrace_vcpus_line(const struct vtrace_reader *r) { return r->vcpus_line; }
unsigned vtrace_insns_per_ifetch(const struct vtrace_reader *r) { return r->insns_per_ifetch; }
unsigned long vtrace_line(const struct vtrace_reader *r) { return r->lineno; }

/* ---- open / close --------------------------------------------------------------------------- */

struct vtrace_reader *vtrace_open_stream(FILE *f, const char *name, char *err, size_t errlen)
{
    struct vtrace_reader *r = calloc(1, sizeof *r);
    if (r) {
        r->name = strdup(name);
        r->line = malloc(LINE_MAX_BYTES + 1);
    }
    if (!r || !r->name || !r->line) {
        snprintf(err, errlen, "%s: out of memory", name);
        if (r) {
            free(r->name);
            free(r->line);
        }
        free(r);
        return NULL;
    }
    r->f = f;
    r->vcpus = 1;
    return r;
}

struct vtrace_reader *vtrace_open(const char *path, char *err, size_t errlen)
{
    const bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = input_file_open(path, "r", true, err, errlen);
    if (!f)
        return NULL;
    struct vtrace_reader *r = vtrace_open_stream(f, is_stdin ? "<stdin>" : path, err, errlen);
    if (!r) {
        if (!is_stdin)
            fclose(f);
        return NULL;
    }
    r->owns_file = !is_stdin;
    return r;
}

void vtrace_close(struct vtrace_reader *r)
{
    if (!r)
        return;
    if (r->owns_file)
        fclose(r->f);
    free(r->line);
    free(r->name);
    free(r);
}

/* ---- lexing --------------------------------------------------------------------------------- */

/* Splits the line into tokens in place; strips the comment. Returns the count or -1. */
static int tokenize(struct vtrace_reader *r, char *line, struct token *tok)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p == '\0')
            return n;
        if (n == MAX_TOKENS)
            return fail(r, (unsigned)(p - line) + 1, "too many fields on one line (at most %d)", MAX_TOKENS);
        tok[n].text = p;
        tok[n].col = (unsigned)(p - line) + 1;
        tok[n].value = NULL;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
                return fail(r, (unsigned)(p - line) + 1, "unexpected character 0x%02x", (unsigned char)*p);
            p++;
        }
        if (*p)
            *p++ = '\0';
        char *eq = strchr(tok[n].text, '=');
        if (eq) {
            *eq = '\0';
            tok[n].value = eq + 1;
        }
        n++;
    }
}

static bool parse_u64(const char *s, uint64_t *out) { return num_parse_u64(s, NUM_PLAIN, out) == NUM_OK; }

/* Reports a token that should have been a number: overflow and syntax get their own words. */
static int bad_number(struct vtrace_reader *r, unsigned col, const char *text, const char *expected)
{
    uint64_t ignored;
    if (num_parse_u64(text, NUM_PLAIN, &ignored) == NUM_OVERFLOW)
        return fail(r, col, "number '%s' does not fit in 64 bits", text);
    return fail(r, col, "%s, got '%s'", expected, text);
}

/* ---- the argument list of one event ----------------------------------------------------------- */

struct args {
    struct vtrace_reader *r;
    const struct token *tok; /* the tokens after the keyword */
    int n;
    const struct token *keyword;
    bool used[MAX_TOKENS];
};

/* Positional argument i (not a field); -1 with an error if missing or not a number. */
static int pos_u64(struct args *a, int i, const char *what, uint64_t *out)
{
    int seen = 0;
    for (int k = 0; k < a->n; k++) {
        if (a->tok[k].value)
            continue;
        if (seen++ == i) {
            a->used[k] = true;
            if (!parse_u64(a->tok[k].text, out)) {
                char expected[96];
                snprintf(expected, sizeof expected, "expected %s (a number)", what);
                return bad_number(a->r, a->tok[k].col, a->tok[k].text, expected);
            }
            return 1;
        }
    }
    return 0;
}

static int need_pos(struct args *a, int i, const char *what, uint64_t *out)
{
    const int rc = pos_u64(a, i, what, out);
    if (rc == 0)
        return fail(a->r, a->keyword->col, "'%s' needs %s", a->keyword->text, what);
    return rc;
}

/* Named field: 1 found, 0 absent, -1 error. */
static int field_u64(struct args *a, const char *name, uint64_t *out)
{
    int found = 0;
    for (int k = 0; k < a->n; k++) {
        if (!a->tok[k].value || strcmp(a->tok[k].text, name) != 0)
            continue;
        if (found)
            return fail(a->r, a->tok[k].col, "field '%s' given twice", name);
        a->used[k] = true;
        if (!parse_u64(a->tok[k].value, out)) {
            char expected[96];
            snprintf(expected, sizeof expected, "expected a number after '%s='", name);
            return bad_number(a->r, a->tok[k].col, a->tok[k].value, expected);
        }
        found = 1;
    }
    return found;
}

/* A 0/1 field (default 0). */
static int field_bit(struct args *a, const char *name, uint64_t *out)
{
    *out = 0;
    const int rc = field_u64(a, name, out);
    if (rc == 1 && *out > 1) {
        for (int k = 0; k < a->n; k++)
            if (a->tok[k].value && strcmp(a->tok[k].text, name) == 0)
                return fail(a->r, a->tok[k].col, "'%s' must be 0 or 1", name);
    }
    return rc;
}

static unsigned field_col(const struct args *a, const char *name)
{
    for (int k = 0; k < a->n; k++)
        if (a->tok[k].value && strcmp(a->tok[k].text, name) == 0)
            return a->tok[k].col;
    return a->keyword->col;
}

/* Column of positional argument i (for messages about its value). */
static unsigned pos_col(const struct args *a, int i)
{
    int seen = 0;
    for (int k = 0; k < a->n; k++)
        if (!a->tok[k].value && seen++ == i)
            return a->tok[k].col;
    return a->keyword->col;
}

/* Every token must have been consumed. */
static int no_leftovers(struct args *a)
{
    for (int k = 0; k < a->n; k++) {
        if (a->used[k])
            continue;
        if (a->tok[k].value)
            return fail(a->r, a->tok[k].col, "'%s' has no field '%s'", a->keyword->text, a->tok[k].text);
        return fail(a->r, a->tok[k].col, "unexpected '%s' after '%s'", a->tok[k].text, a->keyword->text);
    }
    return 0;
}

static int check_ps(struct vtrace_reader *r, unsigned col, uint64_t ps)
{
    if (!ia64_page_size_valid(ps))
        return fail(r, col, "page size %llu is not an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)",
                    (unsigned long long)ps);
    return 0;
}

static int check_access_size(struct vtrace_reader *r, unsigned col, uint64_t size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8 && size != 10 && size != 16)
        return fail(r, col, "access size %llu is not one of 1, 2, 4, 8, 10, 16", (unsigned long long)size);
    return 0;
}

/* ---- events --------------------------------------------------------------------------------- */

static int parse_reference(struct args *a, struct guest_event *ev, uint64_t default_size, bool value_allowed)
{
    uint64_t size = default_size;
    if (need_pos(a, 0, "an address", &ev->va) < 0 || pos_u64(a, 1, "an access size", &size) < 0)
        return -1;
    if (check_access_size(a->r, pos_col(a, 1), size) < 0)
        return -1;
    ev->size = (uint8_t)size;
    if (value_allowed) {
        const int rc = field_u64(a, "val", &ev->op0);
        if (rc < 0)
            return -1;
        if (rc == 1)
            ev->flags |= GE_F_HAS_VALUE;
    }
    return 0;
}

/* pte= plus ps=[key=] or itir=, for itc and itr. */
static int parse_insert_fields(struct args *a, struct guest_event *ev)
{
    uint64_t ps = 0, key = 0, itir = 0;
    int rc_pte = field_u64(a, "pte", &ev->op0);
    int rc_ps = rc_pte < 0 ? -1 : field_u64(a, "ps", &ps);
    int rc_key = rc_ps < 0 ? -1 : field_u64(a, "key", &key);
    int rc_itir = rc_key < 0 ? -1 : field_u64(a, "itir", &itir);
    if (rc_itir < 0)
        return -1;
    if (rc_pte == 0)
        return fail(a->r, a->keyword->col, "'%s' needs pte=", a->keyword->text);
    if (rc_ps == rc_itir)
        return fail(a->r, a->keyword->col, "'%s' needs exactly one of ps= and itir=", a->keyword->text);
    if (rc_itir == 1) {
        if (rc_key == 1)
            return fail(a->r, field_col(a, "key"), "key= goes with ps=, not with itir=");
        if (check_ps(a->r, field_col(a, "itir"), ia64_itir_ps(itir)) < 0)
            return -1;
        ev->op1 = itir;
        return 0;
    }
    if (check_ps(a->r, field_col(a, "ps"), ps) < 0)
        return -1;
    if (key > 0xffffff)
        return fail(a->r, field_col(a, "key"), "key 0x%llx is wider than 24 bits", (unsigned long long)key);
    ev->op1 = ia64_itir_make((unsigned)ps, key);
    return 0;
}

static int parse_purge(struct args *a, struct guest_event *ev)
{
    if (need_pos(a, 0, "an address", &ev->va) < 0 || need_pos(a, 1, "a page size", &ev->op0) < 0)
        return -1;
    return check_ps(a->r, pos_col(a, 1), ev->op0);
}

#define RR_RESERVED_MASK IA64_RR_RESERVED_MASK
#define PTA_RESERVED_MASK IA64_PTA_RESERVED_MASK
#define PSR_UNSUPPORTED IA64_PSR_KVM_UNSUPPORTED

static int parse_rr(struct args *a, struct guest_event *ev)
{
    uint64_t reg;
    if (need_pos(a, 0, "a region number", &reg) < 0)
        return -1;
    if (reg > 7)
        return fail(a->r, pos_col(a, 0), "region number %llu is not 0..7", (unsigned long long)reg);
    ev->va = ia64_region_base((unsigned)reg);
    uint64_t value;
    const int rc = pos_u64(a, 1, "an rr value", &value);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        if (value & RR_RESERVED_MASK)
            return fail(a->r, pos_col(a, 1), "rr value 0x%llx sets reserved bits (1 or 32..63)",
                        (unsigned long long)value);
        if (check_ps(a->r, pos_col(a, 1), ia64_rr_ps(value)) < 0)
            return -1;
        ev->op0 = value;
        return 0;
    }
    uint64_t ps = 0, rid = 0, ve = 0;
    const int rc_ps = field_u64(a, "ps", &ps);
    if (rc_ps < 0 || field_u64(a, "rid", &rid) < 0 || field_bit(a, "ve", &ve) < 0)
        return -1;
    if (rc_ps == 0)
        return fail(a->r, a->keyword->col, "'rr' needs a value or ps= (and optionally rid=, ve=)");
    if (check_ps(a->r, field_col(a, "ps"), ps) < 0)
        return -1;
    if (rid > 0xffffff)
        return fail(a->r, field_col(a, "rid"), "rid 0x%llx is wider than 24 bits", (unsigned long long)rid);
    ev->op0 = ia64_rr_make(rid, (unsigned)ps, (unsigned)ve);
    return 0;
}

static int check_pta(struct args *a, unsigned size_col, unsigned base_col, uint64_t pta)
{
    const unsigned size = ia64_pta_size(pta);
    if (size < 15 || size > 61)
        return fail(a->r, size_col, "PTA size %u is not 15..61", size);
    if (ia64_pta_base_addr(pta) & ((UINT64_C(1) << size) - 1))
        return fail(a->r, base_col, "PTA base 0x%llx is not aligned to the table size 2^%u",
                    (unsigned long long)ia64_pta_base_addr(pta), size);
    return 0;
}

static int parse_pta(struct args *a, struct guest_event *ev)
{
    uint64_t value;
    const int rc = pos_u64(a, 0, "a PTA value", &value);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        if (value & PTA_RESERVED_MASK)
            return fail(a->r, pos_col(a, 0), "PTA value 0x%llx sets reserved bits (1 or 9..14)",
                        (unsigned long long)value);
        if (ia64_pta_ve(value) && check_pta(a, pos_col(a, 0), pos_col(a, 0), value) < 0)
            return -1;
        ev->op0 = value;
        return 0;
    }
    uint64_t base = 0, size = 0, vf = 0, ve = 0;
    const int rc_base = field_u64(a, "base", &base);
    const int rc_size = rc_base < 0 ? -1 : field_u64(a, "size", &size);
    if (rc_size < 0 || field_bit(a, "vf", &vf) < 0 || field_bit(a, "ve", &ve) < 0)
        return -1;
    if (rc_base == 0 || rc_size == 0)
        return fail(a->r, a->keyword->col, "'pta' needs a value or base= and size=");
    if (size > 63)
        return fail(a->r, field_col(a, "size"), "PTA size %llu is not 15..61", (unsigned long long)size);
    if (base & ((UINT64_C(1) << IA64_PTA_BASE_SHIFT) - 1))
        return fail(a->r, field_col(a, "base"), "PTA base 0x%llx is not a multiple of 32 KiB",
                    (unsigned long long)base);
    ev->op0 = ia64_pta_make(base, (unsigned)size, (unsigned)vf, (unsigned)ve);
    return check_pta(a, field_col(a, "size"), field_col(a, "base"), ev->op0);
}

static int parse_psr(struct args *a, struct guest_event *ev)
{
    uint64_t value;
    const int rc = pos_u64(a, 0, "a PSR value", &value);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        if (value & PSR_UNSUPPORTED)
            return fail(a->r, pos_col(a, 0),
                        "PSR 0x%llx sets pk, is or vm: KVM/ia64 runs only guests with those clear",
                        (unsigned long long)value);
        ev->op0 = value;
        return 0;
    }
    uint64_t dt, it, rt, ic, cpl = 0;
    if (field_bit(a, "dt", &dt) < 0 || field_bit(a, "it", &it) < 0 || field_bit(a, "rt", &rt) < 0 ||
        field_bit(a, "ic", &ic) < 0 || field_u64(a, "cpl", &cpl) < 0)
        return -1;
    if (cpl > 3)
        return fail(a->r, field_col(a, "cpl"), "cpl must be 0..3");
    ev->op0 = (dt << IA64_PSR_DT_BIT) | (it << IA64_PSR_IT_BIT) | (rt << IA64_PSR_RT_BIT) |
              (ic << IA64_PSR_IC_BIT) | (cpl << IA64_PSR_CPL_SHIFT);
    return 0;
}

static int parse_event(struct vtrace_reader *r, const struct token *kw, const struct token *rest, int n,
                       struct guest_event *ev)
{
    struct args a = {.r = r, .tok = rest, .n = n, .keyword = kw};
    const char *k = kw->text;
    int rc;
    memset(ev, 0, sizeof *ev);

    if (strcmp(k, "ifetch") == 0) {
        ev->kind = GE_IFETCH;
        rc = parse_reference(&a, ev, 16, false);
    } else if (strcmp(k, "ld") == 0) {
        ev->kind = GE_LOAD;
        rc = parse_reference(&a, ev, 8, false);
    } else if (strcmp(k, "st") == 0) {
        ev->kind = GE_STORE;
        rc = parse_reference(&a, ev, 8, true);
    } else if (strcmp(k, "rse.ld") == 0) {
        ev->kind = GE_RSE_LOAD;
        rc = parse_reference(&a, ev, 8, false);
    } else if (strcmp(k, "rse.st") == 0) {
        ev->kind = GE_RSE_STORE;
        rc = parse_reference(&a, ev, 8, false);
    } else if (strcmp(k, "lfetch") == 0) {
        ev->kind = GE_LFETCH;
        rc = parse_reference(&a, ev, 1, false);
    } else if (strcmp(k, "itc.i") == 0 || strcmp(k, "itc.d") == 0) {
        ev->kind = k[4] == 'i' ? GE_ITC_I : GE_ITC_D;
        rc = need_pos(&a, 0, "an address", &ev->va) < 0 ? -1 : parse_insert_fields(&a, ev);
    } else if (strcmp(k, "itr.i") == 0 || strcmp(k, "itr.d") == 0) {
        uint64_t slot = 0;
        ev->kind = k[4] == 'i' ? GE_ITR_I : GE_ITR_D;
        rc = need_pos(&a, 0, "a TR slot", &slot);
        if (rc >= 0 && slot > 7)
            rc = fail(r, pos_col(&a, 0), "TR slot %llu is not 0..7", (unsigned long long)slot);
        ev->slot = (uint8_t)slot;
        if (rc >= 0)
            rc = need_pos(&a, 1, "an address", &ev->va) < 0 ? -1 : parse_insert_fields(&a, ev);
    } else if (strcmp(k, "ptc.l") == 0 || strcmp(k, "ptc.g") == 0 || strcmp(k, "ptc.ga") == 0) {
        ev->kind = k[4] == 'l' ? GE_PTC_L : (k[5] == 'a' ? GE_PTC_GA : GE_PTC_G);
        rc = parse_purge(&a, ev);
    } else if (strcmp(k, "ptr.i") == 0 || strcmp(k, "ptr.d") == 0) {
        ev->kind = k[4] == 'i' ? GE_PTR_I : GE_PTR_D;
        rc = parse_purge(&a, ev);
    } else if (strcmp(k, "ptc.e") == 0) {
        ev->kind = GE_PTC_E;
        rc = pos_u64(&a, 0, "an address", &ev->va);
    } else if (strcmp(k, "rr") == 0) {
        ev->kind = GE_MOV_RR;
        rc = parse_rr(&a, ev);
    } else if (strcmp(k, "pta") == 0) {
        ev->kind = GE_MOV_PTA;
        rc = parse_pta(&a, ev);
    } else if (strcmp(k, "psr") == 0) {
        ev->kind = GE_SET_PSR;
        rc = parse_psr(&a, ev);
    } else if (strcmp(k, "ctx") == 0) {
        ev->kind = GE_CTX_SWITCH;
        rc = need_pos(&a, 0, "a context id", &ev->op0);
    } else if (strcmp(k, "mark") == 0) {
        ev->kind = GE_MARK;
        ev->op0 = GE_MARK_USER;
        rc = pos_u64(&a, 0, "a mark value", &ev->op1);
        if (rc >= 0)
            rc = field_u64(&a, "code", &ev->op0);
        if (rc >= 0)
            rc = field_u64(&a, "addr", &ev->va);
    } else {
        return fail(r, kw->col, "unknown event '%s'", k);
    }
    if (rc < 0)
        return -1;
    return no_leftovers(&a);
}

static int parse_cpu_number(struct vtrace_reader *r, const struct token *t, unsigned *cpu)
{
    uint64_t v;
    if (t->value || !parse_u64(t->text, &v))
        return fail(r, t->col, "expected a vCPU number after 'cpu', got '%s'", t->text);
    if (v >= r->vcpus)
        return fail(r, t->col, "vCPU %llu is out of range: the trace has %u vCPU%s (see 'vcpus N')",
                    (unsigned long long)v, r->vcpus, r->vcpus == 1 ? "" : "s");
    *cpu = (unsigned)v;
    return 0;
}

/* A header directive "NAME N" (tok[0] is NAME): before the first event, at most once, N in 1..max. */
static int directive(struct vtrace_reader *r, const struct token *tok, int n, unsigned max, bool *seen, unsigned *out)
{
    uint64_t v;
    if (r->seen_event)
        return fail(r, tok[0].col, "'%s' must come before the first event", tok[0].text);
    if (*seen)
        return fail(r, tok[0].col, "'%s' given twice", tok[0].text);
    if (n != 2 || tok[1].value || !parse_u64(tok[1].text, &v) || v < 1 || v > max)
        return fail(r, n > 1 ? tok[1].col : tok[0].col, "'%s' needs a count from 1 to %u", tok[0].text, max);
    *out = (unsigned)v;
    *seen = true;
    return 0;
}

/* The next line into r->line, NUL-terminated: 1, 0 at the end, -1 on an error. Reads at most
 * LINE_MAX_BYTES and stops at a NUL byte, so no input makes it hold more. */
static int read_line(struct vtrace_reader *r)
{
    size_t n = 0;
    int ch = EOF;
    errno = 0;
    while (n < LINE_MAX_BYTES && (ch = getc_unlocked(r->f)) != EOF) {
        if (ch == '\0') {
            r->lineno++;
            return fail(r, 1, "NUL byte in a text trace (is this a binary file?)");
        }
        r->line[n++] = (char)ch;
        if (ch == '\n')
            break;
    }
    if (ch == EOF && ferror(r->f))
        return r->lineno++, fail(r, 1, "read error: %s", strerror(errno ? errno : EIO));
    if (n == 0)
        return 0;
    r->lineno++;
    if (r->line[n - 1] != '\n' && n == LINE_MAX_BYTES && (ch = getc_unlocked(r->f)) != EOF && ch != '\n')
        return fail(r, 1, "line longer than %d bytes (is this a text trace?)", LINE_MAX_BYTES);
    /* every line ends with a newline: a last line without one is most likely a file cut short,
     * whose last event would be read with a cut address */
    if (r->line[n - 1] != '\n' && n < LINE_MAX_BYTES)
        return fail(r, (unsigned)n + 1, "the last line has no newline: is the file cut short? (every vtrace line "
                                        "ends with one, docs/vtrace.md)");
    r->line[n] = '\0';
    return 1;
}

int vtrace_next(struct vtrace_reader *r, struct guest_event *ev)
{
    struct token tok[MAX_TOKENS];
    for (;;) {
        const int got = read_line(r);
        if (got <= 0)
            return got;
        const int n = tokenize(r, r->line, tok);
        if (n < 0)
            return -1;
        if (n == 0)
            continue;

        const struct token *kw = &tok[0];
        if (kw->value)
            return fail(r, kw->col, "expected an event, got the field '%s='", kw->text);
        if (strcmp(kw->text, "vcpus") == 0) {
            if (directive(r, tok, n, VTRACE_MAX_VCPUS, &r->seen_vcpus, &r->vcpus) < 0)
                return -1;
            r->vcpus_line = r->lineno;
            continue;
        }
        if (strcmp(kw->text, "insns_per_ifetch") == 0) {
            if (directive(r, tok, n, VTRACE_MAX_INSNS_PER_IFETCH, &r->seen_insns, &r->insns_per_ifetch) < 0)
                return -1;
            continue;
        }
        unsigned cpu = r->default_cpu;
        int first = 0;
        if (strcmp(kw->text, "cpu") == 0) {
            if (n < 2)
                return fail(r, kw->col, "'cpu' needs a vCPU number");
            if (parse_cpu_number(r, &tok[1], &cpu) < 0)
                return -1;
            if (n == 2) {
                r->default_cpu = cpu;
                continue;
            }
            first = 2;
        }
        if (parse_event(r, &tok[first], &tok[first + 1], n - first - 1, ev) < 0)
            return -1;
        ev->cpu = (uint16_t)cpu;
        if (ev->kind == GE_IFETCH)
            ev->insns = (uint16_t)r->insns_per_ifetch;
        r->seen_event = true;
        return 1;
    }
}

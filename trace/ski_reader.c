/* ski_reader.c - streaming reader of Ski trace files; see ski_reader.h and docs/ski-traces.md. */
#include "ski_reader.h"

#include "ski_system.h"

#include "../model/util/input_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ERR_LEN 512
/* one record yields at most 3 events (pending IFETCH, pending MARK, its own), added to the one
 * event ski_next holds back (see there) */
#define QUEUE_LEN 4

/* ---- format tables ------------------------------------------------------------------------- */

const uint8_t ski_sizes[SKI_NSIZES] = {1, 2, 4, 8, 10, 16};

const char *ski_record_name(unsigned type)
{
    switch (type) {
    case SKI_REC_CANONICAL: return "canonical";
    case SKI_REC_STALL_LATENCY: return "stall-latency";
    case SKI_REC_STALL: return "stall";
    case SKI_REC_CAPSULE: return "capsule";
    case SKI_REC_CONTEXT_SWITCH: return "context-switch";
    case SKI_REC_INTERRUPTION: return "interruption";
    case SKI_REC_DISCONTINUITY: return "discontinuity";
    case SKI_REC_VIRT_CYCLE: return "virt-cycle";
    case SKI_REC_IOFFSET: return "ioffset";
    case SKI_REC_BUNDLE: return "bundle";
    case SKI_REC_BRANCH: return "branch";
    case SKI_REC_DOFFSET: return "doffset";
    case SKI_REC_REGION_CHANGE: return "region-change";
    case SKI_REC_PREV_PFS: return "prev-pfs";
    case SKI_REC_BR_VALUE: return "br-value";
    case SKI_REC_AR_VALUE: return "ar-value";
    case SKI_REC_END: return "end";
    default: return NULL;
    }
}

unsigned ski_record_min_len(unsigned type)
{
    switch (type) {
    case SKI_REC_CANONICAL: return SKI_LEN_CANONICAL;
    case SKI_REC_STALL_LATENCY: return SKI_LEN_STALL_LATENCY;
    case SKI_REC_STALL: return SKI_LEN_STALL;
    case SKI_REC_CAPSULE: return SKI_LEN_CAPSULE;
    case SKI_REC_CONTEXT_SWITCH: return SKI_LEN_CONTEXT_SWITCH;
    case SKI_REC_INTERRUPTION: return SKI_LEN_INTERRUPTION;
    case SKI_REC_DISCONTINUITY: return SKI_LEN_DISCONTINUITY;
    case SKI_REC_VIRT_CYCLE: return SKI_LEN_VIRT_CYCLE;
    case SKI_REC_IOFFSET: return SKI_LEN_IOFFSET;
    case SKI_REC_BUNDLE: return SKI_LEN_BUNDLE;
    case SKI_REC_BRANCH: return SKI_LEN_BRANCH;
    case SKI_REC_DOFFSET: return SKI_LEN_DOFFSET;
    case SKI_REC_REGION_CHANGE: return SKI_LEN_REGION_CHANGE;
    case SKI_REC_PREV_PFS: return SKI_LEN_PREV_PFS;
    case SKI_REC_BR_VALUE: return SKI_LEN_BR_VALUE;
    case SKI_REC_AR_VALUE: return SKI_LEN_AR_VALUE;
    case SKI_REC_END: return SKI_LEN_END;
    default: return 0;
    }
}

unsigned ski_record_std_len(unsigned type)
{
    switch (type) {
    case SKI_REC_CANONICAL:
    case SKI_REC_CONTEXT_SWITCH:
    case SKI_REC_REGION_CHANGE:
        return 0; /* defined, but the real files' table has 0: Ski never writes them */
    default:
        return ski_record_min_len(type);
    }
}

const char *ski_dkind_name(unsigned kind)
{
    switch (kind) {
    case SKI_D_READ: return "read";
    case SKI_D_WRITE: return "write";
    case SKI_D_SEMAPHORE: return "semaphore";
    case SKI_D_LFETCH: return "lfetch";
    case SKI_D_RSE_READ: return "rse_fill";
    case SKI_D_RSE_WRITE: return "rse_spill";
    case SKI_D_FLUSH: return "flush";
    case SKI_D_UNKNOWN: return "unknown";
    default: return NULL;
    }
}

/* ---- reader state ---------------------------------------------------------------------------- */

struct ski_reader {
    /* input: a stream or a memory block */
    FILE *f;
    bool owns_file;
    const unsigned char *mem;
    size_t mem_len, mem_pos, max_chunk;
    long long size_hint; /* -1 if unknown */
    char *name;
    bool io_error;

    /* the fixed buffer: buf[pos, len) holds file bytes [buf_off + pos, buf_off + len) */
    unsigned char *buf;
    size_t pos, len;
    uint64_t buf_off;
    bool eof;

    struct ski_header h;
    char strings[SKI_STRING_BLOCK_MAX + 1];
    size_t strings_len;
    struct ski_stats st;
    enum ski_ifetch_mode mode;

    /* instruction address reconstruction */
    uint64_t bundle;   /* current bundle address */
    bool have_addr;    /* an IOFFSET has been seen */
    int prev_slot;     /* slot of the previous CAPSULE, -1 before the first */
    uint16_t cpu;      /* processor of the last CAPSULE */
    bool pend_insn;    /* a CAPSULE whose IFETCH waits for a possible BUNDLE/IOFFSET */
    bool pend_new;     /* ... it starts a new bundle */
    bool pend_redirect; /* ... an IOFFSET gave its address */
    bool pend_cpu_change; /* ... its processor differs from the previous CAPSULE's */
    uint16_t pend_cpu;
    uint64_t pend_off;
    bool pend_disc;    /* a DISCONTINUITY waiting for its VIRT_CYCLE */
    uint64_t disc_off;

    struct ski_sys *sys; /* a system-mode trace (ski_system.h); NULL for user mode */

    struct guest_event q[QUEUE_LEN];
    uint64_t q_off[QUEUE_LEN];
    unsigned qhead, qcount;
    uint64_t last_off;

    int state; /* 0 reading, 1 end reached, -1 error */
    char err[ERR_LEN];
};

static int fail(struct ski_reader *r, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct ski_reader *r, uint64_t off, const char *fmt, ...)
{
    char msg[ERR_LEN - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->err, sizeof r->err, "%s: offset %" PRIu64 ": error: %s", r->name, off, msg);
    r->state = -1;
    return -1;
}

const char *ski_reader_error(const struct ski_reader *r) { return r->err; }
int ski_reader_io_error(const struct ski_reader *r) { return r->io_error; }
const struct ski_header *ski_reader_header(const struct ski_reader *r) { return &r->h; }
const struct ski_stats *ski_reader_stats(const struct ski_reader *r) { return &r->st; }
int ski_reader_system(const struct ski_reader *r) { return r->sys != NULL; }
const struct ski_sys_stats *ski_reader_system_stats(const struct ski_reader *r)
{
    return r->sys ? ski_sys_stats(r->sys) : NULL;
}
uint64_t ski_reader_offset(const struct ski_reader *r) { return r->last_off; }

const char *ski_header_string(const struct ski_reader *r, enum ski_header_string which)
{
    if ((unsigned)which >= SKI_STR_COUNT)
        return NULL;
    const uint32_t off = r->h.string_offset[which];
    if (off < SKI_HEADER_SIZE || off - SKI_HEADER_SIZE >= r->strings_len)
        return NULL;
    return r->strings + (off - SKI_HEADER_SIZE); /* strings[strings_len] is a NUL sentinel */
}

/* ---- buffered input -------------------------------------------------------------------------- */

static size_t raw_read(struct ski_reader *r, unsigned char *dst, size_t n)
{
    if (r->mem) {
        size_t left = r->mem_len - r->mem_pos;
        if (n > left)
            n = left;
        if (r->max_chunk && n > r->max_chunk)
            n = r->max_chunk;
        memcpy(dst, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        return n;
    }
    const size_t got = fread(dst, 1, n, r->f);
    if (got == 0 && ferror(r->f))
        r->io_error = true;
    return got;
}

/* Makes at least n bytes available at buf + pos unless the input ends first; returns how many are. */
static size_t fill(struct ski_reader *r, size_t n)
{
    size_t avail = r->len - r->pos;
    while (avail < n && !r->eof) {
        if (r->pos > 0) {
            memmove(r->buf, r->buf + r->pos, avail);
            r->buf_off += r->pos;
            r->pos = 0;
            r->len = avail;
        }
        const size_t got = raw_read(r, r->buf + r->len, SKI_READER_BUFFER - r->len);
        if (got == 0)
            r->eof = true;
        r->len += got;
        avail += got;
    }
    return avail;
}

static uint64_t cur_off(const struct ski_reader *r) { return r->buf_off + r->pos; }

static int io_fail(struct ski_reader *r)
{
    return fail(r, cur_off(r), "read error: %s", strerror(errno ? errno : EIO));
}

/* ---- header ---------------------------------------------------------------------------------- */

static int read_header(struct ski_reader *r)
{
    const size_t avail = fill(r, SKI_HEADER_SIZE);
    if (r->io_error)
        return io_fail(r);
    if (avail < SKI_HEADER_SIZE)
        return fail(r, avail, "header too short: the file has %zu bytes, a Ski trace header has %u", avail,
                    SKI_HEADER_SIZE);
    const unsigned char *p = r->buf + r->pos;
    struct ski_header *h = &r->h;
    h->header_major = ski_get_u16(p + SKI_H_HEADER_MAJOR);
    h->header_minor = ski_get_u16(p + SKI_H_HEADER_MINOR);
    h->record_major = ski_get_u16(p + SKI_H_RECORD_MAJOR);
    h->record_minor = ski_get_u16(p + SKI_H_RECORD_MINOR);
    h->first_record = ski_get_u32(p + SKI_H_FIRST_RECORD);
    h->record_count = ski_get_u32(p + SKI_H_RECORD_COUNT);
    const uint64_t vc = ski_get_u64(p + SKI_H_VIRTUAL_CYCLE);
    memcpy(&h->virtual_cycle, &vc, sizeof vc);
    h->compression = ski_get_u32(p + SKI_H_COMPRESSION);
    h->valid_header_fields = ski_get_u32(p + SKI_H_VALID_HEADER_FIELDS);
    h->valid_record_fields = ski_get_u32(p + SKI_H_VALID_RECORD_FIELDS);
    h->valid_record_flags = ski_get_u32(p + SKI_H_VALID_RECORD_FLAGS);
    h->valid_slot_flags = ski_get_u32(p + SKI_H_VALID_SLOT_FLAGS);
    h->doffset_usage = ski_get_u32(p + SKI_H_DOFFSET_USAGE);
    h->e_machine = ski_get_u16(p + SKI_H_E_MACHINE);
    h->e_flags = ski_get_u32(p + SKI_H_E_FLAGS);
    h->sim_time = ski_get_u32(p + SKI_H_SIM_TIME);
    for (unsigned i = 0; i < SKI_STR_COUNT; i++)
        h->string_offset[i] = ski_get_u32(p + SKI_H_STRINGS + 4 * i);
    for (unsigned t = 0; t < 256; t++)
        h->record_len[t] = ski_get_u16(p + SKI_H_RECORD_LENGTHS + 2 * t);

    if (h->header_major != SKI_HEADER_MAJOR)
        return fail(r, SKI_H_HEADER_MAJOR, "bad version: header format %u.%u, this reader reads Ski header format %u.x",
                    h->header_major, h->header_minor, SKI_HEADER_MAJOR);
    if (h->record_major != SKI_RECORD_MAJOR)
        return fail(r, SKI_H_RECORD_MAJOR, "bad version: record format %u.%u, this reader reads Ski record format %u.x",
                    h->record_major, h->record_minor, SKI_RECORD_MAJOR);
    if (h->first_record < SKI_HEADER_SIZE)
        return fail(r, SKI_H_FIRST_RECORD, "first-record offset %" PRIu32 " is inside the %u-byte header",
                    h->first_record, SKI_HEADER_SIZE);
    if (r->size_hint >= 0 && h->first_record > (uint64_t)r->size_hint)
        return fail(r, SKI_H_FIRST_RECORD, "first-record offset %" PRIu32 " is outside the file (%lld bytes)",
                    h->first_record, r->size_hint);
    r->pos += SKI_HEADER_SIZE;

    /* the string block: keep its start, skip the rest */
    uint64_t left = h->first_record - SKI_HEADER_SIZE;
    while (left > 0) {
        const size_t want = left < SKI_READER_BUFFER ? (size_t)left : SKI_READER_BUFFER;
        const size_t got = fill(r, want);
        if (r->io_error)
            return io_fail(r);
        if (got == 0)
            return fail(r, SKI_H_FIRST_RECORD, "first-record offset %" PRIu32 " is outside the file (%" PRIu64 " bytes)",
                        h->first_record, cur_off(r));
        const size_t take = got < want ? got : want;
        if (r->strings_len < SKI_STRING_BLOCK_MAX) {
            size_t keep = SKI_STRING_BLOCK_MAX - r->strings_len;
            if (keep > take)
                keep = take;
            memcpy(r->strings + r->strings_len, r->buf + r->pos, keep);
            r->strings_len += keep;
        }
        r->pos += take;
        left -= take;
    }
    r->strings[r->strings_len] = '\0';
    r->st.bytes = cur_off(r);
    return 0;
}

/* ---- open / close ---------------------------------------------------------------------------- */

static struct ski_reader *new_reader(const char *name, enum ski_ifetch_mode mode, char *err, size_t errlen)
{
    struct ski_reader *r = calloc(1, sizeof *r);
    if (r) {
        r->name = strdup(name);
        r->buf = malloc(SKI_READER_BUFFER);
    }
    if (!r || !r->name || !r->buf) {
        snprintf(err, errlen, "%s: out of memory", name);
        if (r) {
            free(r->name);
            free(r->buf);
        }
        free(r);
        return NULL;
    }
    r->mode = mode;
    r->prev_slot = -1;
    r->size_hint = -1;
    return r;
}

/*
 * System mode or user mode? Only a system-mode Ski writes an IOFFSET after a CAPSULE that continues
 * its bundle (a slot greater than the previous capsule's, no branch, interruption or
 * discontinuity between them): user mode writes one only for the first instruction, after a
 * taken branch and after a discontinuity (README). The first SKI_DETECT_WINDOW bytes of records
 * are looked at without being consumed; anything malformed ends the look (the reading reports it).
 */
#define SKI_DETECT_WINDOW (64u * 1024u)

static bool looks_system(struct ski_reader *r)
{
    const size_t avail = fill(r, SKI_DETECT_WINDOW);
    const unsigned char *p = r->buf + r->pos;
    int prev_slot = -1;
    bool continues = false, fresh = false, disrupted = false;
    for (size_t i = 0; i < avail;) {
        const unsigned type = p[i], len = r->h.record_len[type];
        if (!ski_record_name(type) || len == 0 || len < ski_record_min_len(type) || len > avail - i)
            return false;
        switch (type) {
        case SKI_REC_CAPSULE: {
            const int slot = p[i + SKI_CAPSULE_SLOT];
            continues = prev_slot >= 0 && slot > prev_slot && !disrupted;
            prev_slot = slot;
            fresh = true;
            disrupted = false;
            break;
        }
        case SKI_REC_BUNDLE: break;
        case SKI_REC_IOFFSET:
            if (fresh && continues)
                return true;
            break;
        case SKI_REC_BRANCH:
        case SKI_REC_INTERRUPTION:
        case SKI_REC_DISCONTINUITY:
        case SKI_REC_VIRT_CYCLE:
            disrupted = true;
            fresh = false;
            break;
        case SKI_REC_END: return false;
        default: fresh = false; break;
        }
        i += len;
    }
    return false;
}

static struct ski_reader *finish_open(struct ski_reader *r, char *err, size_t errlen)
{
    if (read_header(r) != 0) {
        snprintf(err, errlen, "%s", r->err);
        ski_close(r);
        return NULL;
    }
    if (looks_system(r)) {
        /* tracing from the first instruction: Ski's loader set psr = 0 */
        r->sys = ski_sys_new(r->mode == SKI_IFETCH_INSN, r->h.virtual_cycle == 0.0, r->h.first_record);
        if (!r->sys) {
            snprintf(err, errlen, "%s: out of memory", r->name);
            ski_close(r);
            return NULL;
        }
    }
    return r;
}

struct ski_reader *ski_open_stream(FILE *f, const char *name, long long size_hint, enum ski_ifetch_mode mode,
                                   char *err, size_t errlen)
{
    struct ski_reader *r = new_reader(name, mode, err, errlen);
    if (!r)
        return NULL;
    r->f = f;
    r->size_hint = size_hint;
    return finish_open(r, err, errlen);
}

struct ski_reader *ski_open(const char *path, enum ski_ifetch_mode mode, char *err, size_t errlen)
{
    const bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = input_file_open(path, "rb", true, err, errlen);
    if (!f)
        return NULL;
    long long size = -1;
    struct stat sb;
    if (!is_stdin && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
        size = (long long)sb.st_size;
    struct ski_reader *r = new_reader(is_stdin ? "<stdin>" : path, mode, err, errlen);
    if (!r) {
        if (!is_stdin)
            fclose(f);
        return NULL;
    }
    r->f = f;
    r->owns_file = !is_stdin;
    r->size_hint = size;
    return finish_open(r, err, errlen);
}

struct ski_reader *ski_open_memory(const void *data, size_t len, const char *name, enum ski_ifetch_mode mode,
                                   size_t max_chunk, char *err, size_t errlen)
{
    struct ski_reader *r = new_reader(name, mode, err, errlen);
    if (!r)
        return NULL;
    static const unsigned char empty[1];
    r->mem = data ? data : empty;
    r->mem_len = len;
    r->max_chunk = max_chunk;
    r->size_hint = (long long)len;
    return finish_open(r, err, errlen);
}

void ski_close(struct ski_reader *r)
{
    if (!r)
        return;
    if (r->owns_file)
        fclose(r->f);
    ski_sys_free(r->sys);
    free(r->name);
    free(r->buf);
    free(r);
}

/* ---- records -> events ----------------------------------------------------------------------- */

static void push(struct ski_reader *r, uint64_t off, enum guest_event_kind kind, uint16_t cpu, uint64_t va,
                 uint64_t op0, uint64_t op1, uint8_t size)
{
    const unsigned i = (r->qhead + r->qcount) % QUEUE_LEN;
    struct guest_event *ev = &r->q[i];
    memset(ev, 0, sizeof *ev);
    ev->kind = (uint8_t)kind;
    ev->cpu = cpu;
    ev->va = va;
    ev->op0 = op0;
    ev->op1 = op1;
    ev->size = size;
    r->q_off[i] = off;
    r->qcount++;
}

/* Counts one CAPSULE at the newest event: the one it emitted, or the event before it (an
 * instruction inside a bundle already entered emits nothing). ski_next always holds the newest
 * event back until the next one or the end is known, so there is one while events remain. */
static void count_insn(struct ski_reader *r)
{
    if (r->qcount == 0)
        return; /* cannot happen: the first CAPSULE always emits its IFETCH */
    struct guest_event *newest = &r->q[(r->qhead + r->qcount - 1) % QUEUE_LEN];
    if (newest->insns < UINT16_MAX) /* at most 3 per event: a bundle holds three slots */
        newest->insns++;
}

/* The CAPSULE before this record is complete (its BUNDLE/IOFFSET, if any, came): emit its IFETCH. */
static int flush_insn(struct ski_reader *r)
{
    if (!r->pend_insn)
        return 0;
    r->pend_insn = false;
    if (!r->have_addr)
        return fail(r, r->pend_off,
                    "instruction without an address: this CAPSULE starts a bundle, but no IOFFSET record follows it "
                    "or came before it");
    const bool entered = r->pend_new || r->pend_redirect || r->pend_cpu_change;
    r->st.bundles_entered += entered;
    if (r->mode == SKI_IFETCH_INSN || entered)
        push(r, r->pend_off, GE_IFETCH, r->pend_cpu, r->bundle, 0, 0, 16);
    count_insn(r);
    return 0;
}

/* A DISCONTINUITY not followed by its VIRT_CYCLE: a MARK with an unknown (0) untraced count. */
static void flush_disc(struct ski_reader *r)
{
    if (!r->pend_disc)
        return;
    r->pend_disc = false;
    push(r, r->disc_off, GE_MARK, r->cpu, 0, GE_MARK_DISCONTINUITY, 0, 0);
}

static int flush_all(struct ski_reader *r)
{
    if (flush_insn(r) != 0)
        return -1;
    flush_disc(r);
    return 0;
}

/* What both modes check and count of a CAPSULE; 1 = it starts a bundle by the slot rule. */
static int capsule_common(struct ski_reader *r, const unsigned char *p, uint64_t off)
{
    const unsigned slot = p[SKI_CAPSULE_SLOT];
    if (slot > 2)
        return fail(r, off, "CAPSULE slot %u is not 0, 1 or 2", slot);
    const bool new_bundle = r->prev_slot < 0 || (int)slot <= r->prev_slot;
    r->prev_slot = (int)slot;
    r->st.instructions++;
    if (!(p[SKI_CAPSULE_FLAGS] & SKI_CAPSULE_F_PRED))
        r->st.pred_false++;
    r->st.bundle_starts += new_bundle;
    return new_bundle;
}

static int do_capsule(struct ski_reader *r, const unsigned char *p, uint64_t off)
{
    if (flush_all(r) != 0)
        return -1;
    /* another processor's instruction: its fetch is visible even inside the "same" bundle */
    r->pend_cpu_change = r->st.instructions > 0 && p[SKI_CAPSULE_PROC] != r->cpu;
    const int new_bundle = capsule_common(r, p, off);
    if (new_bundle < 0)
        return -1;
    r->cpu = p[SKI_CAPSULE_PROC];
    if (new_bundle)
        r->bundle += 16;
    r->pend_insn = true;
    r->pend_new = new_bundle;
    r->pend_redirect = false;
    r->pend_cpu = r->cpu;
    r->pend_off = off;
    return 0;
}

/* A DOFFSET's event (checked and counted, the same in both modes). */
static int dref_event(struct ski_reader *r, const unsigned char *p, uint64_t off, struct guest_event *ev)
{
    const unsigned kind = p[SKI_DOFFSET_KIND], size = p[SKI_DOFFSET_SIZE];
    enum guest_event_kind ek;
    switch (kind) {
    case SKI_D_READ: ek = GE_LOAD; break;
    case SKI_D_WRITE: ek = GE_STORE; break;
    case SKI_D_SEMAPHORE: ek = GE_STORE; break; /* read-modify-write: needs write access */
    case SKI_D_LFETCH: ek = GE_LFETCH; break;
    case SKI_D_RSE_READ: ek = GE_RSE_LOAD; break;
    case SKI_D_RSE_WRITE: ek = GE_RSE_STORE; break;
    case SKI_D_FLUSH: ek = GE_LOAD; break;   /* fc: translated like a read */
    case SKI_D_UNKNOWN: ek = GE_LOAD; break;
    default:
        return fail(r, off, "DOFFSET reference kind %u is not a Ski kind (0..6 or 255)", kind);
    }
    int si = ski_size_index(size);
    uint8_t esize = (uint8_t)size;
    if (si < 0) {
        if (size != SKI_SIZE_UNKNOWN)
            return fail(r, off, "DOFFSET size %u is not 1, 2, 4, 8, 10, 16 or 255 (unknown)", size);
        si = SKI_NSIZES; /* counted under "unknown" below */
        esize = 1;       /* unknown size: at least one byte */
    }
    const unsigned ki = ski_dkind_index(kind);
    r->st.dref_kind[ki]++;
    r->st.dref_size[ki][si]++;
    memset(ev, 0, sizeof *ev);
    ev->kind = (uint8_t)ek;
    ev->cpu = r->cpu;
    ev->va = ski_get_u64(p + SKI_DOFFSET_ADDR);
    ev->size = esize;
    return 0;
}

static int do_doffset(struct ski_reader *r, const unsigned char *p, uint64_t off)
{
    if (flush_all(r) != 0)
        return -1;
    struct guest_event ev;
    if (dref_event(r, p, off, &ev) != 0)
        return -1;
    push(r, off, (enum guest_event_kind)ev.kind, ev.cpu, ev.va, 0, 0, ev.size);
    return 0;
}

static int check_trailing(struct ski_reader *r, uint64_t end_rec_off, uint64_t end_off)
{
    const size_t avail = fill(r, 1);
    if (r->io_error)
        return io_fail(r);
    if (avail == 0)
        return 0;
    uint64_t extra;
    if (r->size_hint >= 0 && (uint64_t)r->size_hint > end_off) {
        extra = (uint64_t)r->size_hint - end_off;
    } else {
        extra = avail;
        r->pos = r->len;
        while (fill(r, 1) > 0) {
            extra += r->len - r->pos;
            r->pos = r->len;
        }
    }
    return fail(r, end_off, "%" PRIu64 " byte%s after the end-of-trace record (type 0xf0) at offset %" PRIu64, extra,
                extra == 1 ? "" : "s", end_rec_off);
}

static int sys_fail(struct ski_reader *r)
{
    return fail(r, ski_sys_error_offset(r->sys), "%s", ski_sys_error(r->sys));
}

/* One record of a system-mode trace, checked as in user mode, handed to ski_system.c. */
static int sys_record(struct ski_reader *r, unsigned type, const unsigned char *p, uint64_t off)
{
    struct ski_sys *s = r->sys;
    if (r->pend_disc && type != SKI_REC_VIRT_CYCLE) { /* a DISCONTINUITY without its VIRT_CYCLE */
        r->pend_disc = false;
        if (ski_sys_discontinuity(s, 0, r->disc_off) != 0)
            return sys_fail(r);
    }
    int rc = 0;
    switch (type) {
    case SKI_REC_CAPSULE: {
        const int new_bundle = capsule_common(r, p, off);
        if (new_bundle < 0)
            return -1;
        r->cpu = p[SKI_CAPSULE_PROC];
        rc = ski_sys_capsule(s, p[SKI_CAPSULE_PROC], (p[SKI_CAPSULE_FLAGS] & SKI_CAPSULE_F_PRED) != 0,
                             p[SKI_CAPSULE_SLOT], off);
        break;
    }
    case SKI_REC_BUNDLE: {
        /* four LE u32 A, B, C, D: the bundle is the LE u64 (A<<32)|B, then (C<<32)|D */
        uint8_t bytes[16];
        ia64_bundle_bytes((uint64_t)ski_get_u32(p + 4) << 32 | ski_get_u32(p + 8),
                          (uint64_t)ski_get_u32(p + 12) << 32 | ski_get_u32(p + 16), bytes);
        rc = ski_sys_bundle(s, bytes, off);
        break;
    }
    case SKI_REC_IOFFSET:
        r->st.redirects++;
        rc = ski_sys_ioffset(s, ski_get_u64(p + SKI_IOFFSET_ADDR), off);
        break;
    case SKI_REC_DOFFSET: {
        struct guest_event ev;
        if (dref_event(r, p, off, &ev) != 0)
            return -1;
        rc = ski_sys_dref(s, &ev, off);
        break;
    }
    case SKI_REC_INTERRUPTION: {
        uint64_t v[5];
        for (unsigned i = 0; i < 5; i++)
            v[i] = ski_get_u64(p + SKI_INTR_PSR + 8 * i);
        rc = ski_sys_interruption(s, v, off);
        break;
    }
    case SKI_REC_DISCONTINUITY:
        r->pend_disc = true;
        r->disc_off = off;
        rc = ski_sys_other(s, off);
        break;
    case SKI_REC_VIRT_CYCLE: {
        const uint32_t n = ski_get_u32(p + SKI_VIRT_CYCLE_COUNT);
        r->st.untraced += n;
        if (r->pend_disc) {
            r->pend_disc = false;
            rc = ski_sys_discontinuity(s, n, r->disc_off);
        } else {
            rc = ski_sys_other(s, off);
        }
        break;
    }
    case SKI_REC_BRANCH: rc = ski_sys_branch(s, ski_get_u64(p + SKI_BRANCH_TARGET), off); break;
    case SKI_REC_AR_VALUE: rc = ski_sys_ar_value(s, ski_get_u64(p + SKI_VALUE), off); break;
    case SKI_REC_CANONICAL:
        return fail(r, off, "record type 0x20 (canonical) is not supported: Ski writes atomic records only");
    case SKI_REC_END:
        if (ski_sys_end(s, off) != 0)
            return sys_fail(r);
        if (check_trailing(r, off, cur_off(r)) != 0)
            return -1;
        r->state = 1;
        break;
    default: rc = ski_sys_other(s, off); break;
    }
    r->st.bundles_entered = ski_sys_stats(s)->bundles;
    return rc != 0 ? sys_fail(r) : 0;
}

/* Reads one record; queues the events it completes. 0 ok (state may now be 1), -1 error. */
static int step(struct ski_reader *r)
{
    const uint64_t off = cur_off(r);
    size_t avail = fill(r, 1);
    if (r->io_error)
        return io_fail(r);
    if (avail == 0)
        return fail(r, off, "missing end-of-trace record (type 0xf0): the file ends after %" PRIu64 " records",
                    r->st.records);
    const unsigned type = r->buf[r->pos];
    const char *name = ski_record_name(type);
    if (!name)
        return fail(r, off, "unknown record type 0x%02x", type);
    const unsigned len = r->h.record_len[type];
    if (len == 0)
        return fail(r, off, "record type 0x%02x (%s) has no length in the header's table", type, name);
    const unsigned min = ski_record_min_len(type);
    if (len < min)
        return fail(r, off,
                    "record length table inconsistent with a record: the header's table gives type 0x%02x (%s) "
                    "%u bytes (table entry at offset %u), but a %s record has at least %u",
                    type, name, len, SKI_H_RECORD_LENGTHS + 2 * type, name, min);
    if (avail < len) {
        avail = fill(r, len);
        if (r->io_error)
            return io_fail(r);
        if (avail < len)
            return fail(r, off, "truncated record: type 0x%02x (%s) needs %u bytes, the file ends after %zu", type,
                        name, len, avail);
    }
    const unsigned char *p = r->buf + r->pos;
    r->pos += len;
    r->st.records++;
    r->st.by_type[type]++;
    r->st.bytes = cur_off(r);
    if (r->sys)
        return sys_record(r, type, p, off);

    switch (type) {
    case SKI_REC_CAPSULE:
        return do_capsule(r, p, off);
    case SKI_REC_BUNDLE:
        return 0; /* part of the instruction's preamble: the IFETCH still waits for an IOFFSET */
    case SKI_REC_IOFFSET:
        r->bundle = ski_get_u64(p + SKI_IOFFSET_ADDR) & ~UINT64_C(0xf);
        r->have_addr = true;
        if (r->pend_insn) {
            r->pend_redirect = true;
            r->st.redirects++;
        }
        return 0;
    case SKI_REC_DOFFSET:
        return do_doffset(r, p, off);
    case SKI_REC_INTERRUPTION:
        if (flush_all(r) != 0)
            return -1;
        push(r, off, GE_MARK, r->cpu, ski_get_u64(p + SKI_INTR_IIP), GE_MARK_INTERRUPTION,
             ski_get_u64(p + SKI_INTR_ISR), 0);
        return 0;
    case SKI_REC_DISCONTINUITY:
        if (flush_all(r) != 0)
            return -1;
        r->pend_disc = true;
        r->disc_off = off;
        return 0;
    case SKI_REC_VIRT_CYCLE: {
        if (flush_insn(r) != 0)
            return -1;
        const uint32_t n = ski_get_u32(p + SKI_VIRT_CYCLE_COUNT);
        r->st.untraced += n;
        if (r->pend_disc) {
            r->pend_disc = false;
            push(r, r->disc_off, GE_MARK, r->cpu, 0, GE_MARK_DISCONTINUITY, n, 0);
        }
        return 0;
    }
    case SKI_REC_CANONICAL:
        return fail(r, off, "record type 0x20 (canonical) is not supported: Ski writes atomic records only");
    case SKI_REC_END:
        if (flush_all(r) != 0)
            return -1;
        if (check_trailing(r, off, cur_off(r)) != 0)
            return -1;
        r->state = 1;
        return 0;
    default: /* branch, prev-pfs, br/ar values, stalls, context switch, region change: counted only */
        return flush_all(r);
    }
}

int ski_next(struct ski_reader *r, struct guest_event *ev)
{
    for (;;) {
        /* the newest event waits for the record after it: instructions that emit no event
         * are counted at it (count_insn here, in ski_system.c for a system-mode trace) */
        if (r->sys && ski_sys_pop(r->sys, ev, &r->last_off, r->state != 0)) {
            r->st.events++;
            return 1;
        }
        if (r->qcount > 1 || (r->qcount && r->state != 0)) {
            *ev = r->q[r->qhead];
            r->last_off = r->q_off[r->qhead];
            r->qhead = (r->qhead + 1) % QUEUE_LEN;
            r->qcount--;
            r->st.events++;
            return 1;
        }
        if (r->state != 0)
            return r->state > 0 ? 0 : -1;
        step(r);
    }
}

int ski_skip_to_end(struct ski_reader *r)
{
    struct guest_event ev;
    int rc;
    while ((rc = ski_next(r, &ev)) > 0)
        ;
    return rc;
}

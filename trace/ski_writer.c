/* ski_writer.c - guest events -> Ski trace file; see ski_writer.h. */
#include "ski_writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ski_format.h"

#define ERR_LEN 256
#define WBUF (64u * 1024u)

struct ski_writer {
    FILE *out;
    unsigned char buf[WBUF];
    size_t len;
    uint16_t cpu; /* processor of the last CAPSULE written */
    int failed;
    char err[ERR_LEN];
};

static int werr(struct ski_writer *w, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int werr(struct ski_writer *w, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ski_writer_error(const struct ski_writer *w) { return w->err; }

static int flush_buf(struct ski_writer *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len) {
        w->failed = 1;
        return werr(w, -1, "write error: %s", strerror(errno ? errno : EIO));
    }
    w->len = 0;
    return 0;
}

/* Space for one record of n bytes, zeroed, type byte set. NULL after a write error. */
static unsigned char *rec(struct ski_writer *w, unsigned type, unsigned n)
{
    if (w->len + n > WBUF && flush_buf(w) != 0)
        return NULL;
    unsigned char *p = w->buf + w->len;
    memset(p, 0, n);
    p[0] = (unsigned char)type;
    w->len += n;
    return p;
}

struct ski_writer *ski_writer_open(FILE *out, const char *tool, char *err, size_t errlen)
{
    struct ski_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->out = out;
    const size_t tool_len = strlen(tool) + 1;
    if (tool_len > 1024) {
        snprintf(err, errlen, "tool name too long");
        free(w);
        return NULL;
    }
    unsigned char *h = w->buf;
    const uint32_t first = SKI_HEADER_SIZE + (uint32_t)tool_len;
    memset(h, 0, first);
    ski_put_u16(h + SKI_H_HEADER_MAJOR, 1);
    ski_put_u16(h + SKI_H_HEADER_MINOR, 1);
    ski_put_u16(h + SKI_H_RECORD_MAJOR, 1);
    ski_put_u16(h + SKI_H_RECORD_MINOR, 0);
    ski_put_u32(h + SKI_H_FIRST_RECORD, first);
    /* record count 0 (Ski never fills it in), virtual cycle 0.0, no compression */
    ski_put_u32(h + SKI_H_VALID_RECORD_FIELDS, SKI_VALID_RECORD_FIELDS);
    ski_put_u32(h + SKI_H_VALID_RECORD_FLAGS, SKI_VALID_RECORD_FLAGS);
    ski_put_u32(h + SKI_H_VALID_SLOT_FLAGS, SKI_VALID_SLOT_FLAGS);
    ski_put_u32(h + SKI_H_DOFFSET_USAGE, SKI_DOFFSET_USAGE);
    /* sim_time 0 keeps the output reproducible; no host or user string */
    ski_put_u32(h + SKI_H_STRINGS + 4 * SKI_STR_TOOL, SKI_HEADER_SIZE);
    for (unsigned t = 0; t < 256; t++)
        ski_put_u16(h + SKI_H_RECORD_LENGTHS + 2 * t, (uint16_t)ski_record_std_len(t));
    memcpy(h + SKI_HEADER_SIZE, tool, tool_len);
    w->len = first;
    if (flush_buf(w) != 0) {
        snprintf(err, errlen, "%s", w->err);
        free(w);
        return NULL;
    }
    return w;
}

static int write_doffset(struct ski_writer *w, const struct guest_event *ev, unsigned kind)
{
    if (ev->cpu != w->cpu)
        return werr(w, 1,
                    "a data reference on cpu %u after an instruction of cpu %u cannot be written to a Ski trace "
                    "(DOFFSET records carry no processor number)",
                    (unsigned)ev->cpu, (unsigned)w->cpu);
    if (ski_size_index(ev->size) < 0)
        return werr(w, 1, "access size %u cannot be written to a Ski trace (1, 2, 4, 8, 10 or 16)", (unsigned)ev->size);
    unsigned char *p = rec(w, SKI_REC_DOFFSET, SKI_LEN_DOFFSET);
    if (!p)
        return -1;
    p[SKI_DOFFSET_KIND] = (unsigned char)kind;
    p[SKI_DOFFSET_SIZE] = ev->size;
    ski_put_u64(p + SKI_DOFFSET_ADDR, ev->va);
    return 0;
}

int ski_writer_put(struct ski_writer *w, const struct guest_event *ev)
{
    if (w->failed)
        return -1;
    unsigned char *p;
    switch ((enum guest_event_kind)ev->kind) {
    case GE_IFETCH:
        if (ev->va & 0xf)
            return werr(w, 1, "ifetch address 0x%" PRIx64 " is not a bundle address (16-byte aligned)", ev->va);
        if (ev->size != 16)
            return werr(w, 1, "ifetch size %u cannot be written to a Ski trace (bundles are 16 bytes)",
                        (unsigned)ev->size);
        if (ev->cpu > 255)
            return werr(w, 1, "cpu %u does not fit the CAPSULE's processor byte", (unsigned)ev->cpu);
        if (!(p = rec(w, SKI_REC_CAPSULE, SKI_LEN_CAPSULE)))
            return -1;
        p[SKI_CAPSULE_PROC] = (unsigned char)ev->cpu;
        p[SKI_CAPSULE_FLAGS] = SKI_CAPSULE_F_PRED;
        p[SKI_CAPSULE_SLOT] = 0;
        w->cpu = ev->cpu;
        if (!rec(w, SKI_REC_BUNDLE, SKI_LEN_BUNDLE)) /* the bundle's bytes are unknown: zeros */
            return -1;
        if (!(p = rec(w, SKI_REC_IOFFSET, SKI_LEN_IOFFSET)))
            return -1;
        ski_put_u64(p + SKI_IOFFSET_ADDR, ev->va);
        return 0;
    case GE_LOAD:
        return write_doffset(w, ev, SKI_D_READ);
    case GE_STORE:
        if (ev->flags & GE_F_HAS_VALUE)
            return werr(w, 1, "a Ski trace cannot carry the value of a store (val=)");
        return write_doffset(w, ev, SKI_D_WRITE);
    case GE_LFETCH:
        return write_doffset(w, ev, SKI_D_LFETCH);
    case GE_RSE_LOAD:
        return write_doffset(w, ev, SKI_D_RSE_READ);
    case GE_RSE_STORE:
        return write_doffset(w, ev, SKI_D_RSE_WRITE);
    case GE_MARK:
        if (ev->cpu != w->cpu)
            return werr(w, 1, "a mark on cpu %u after an instruction of cpu %u cannot be written to a Ski trace",
                        (unsigned)ev->cpu, (unsigned)w->cpu);
        if (ev->op0 == GE_MARK_INTERRUPTION) {
            if (!(p = rec(w, SKI_REC_INTERRUPTION, SKI_LEN_INTERRUPTION)))
                return -1;
            ski_put_u64(p + SKI_INTR_ISR, ev->op1);
            ski_put_u64(p + SKI_INTR_IIP, ev->va);
            return 0;
        }
        if (ev->op0 == GE_MARK_DISCONTINUITY) {
            if (ev->op1 > UINT32_MAX)
                return werr(w, 1, "a discontinuity of %" PRIu64 " untraced instructions does not fit VIRT_CYCLE's 32 bits",
                            ev->op1);
            if (ev->va != 0)
                return werr(w, 1, "a Ski DISCONTINUITY cannot carry an address (addr=0x%" PRIx64 ")", ev->va);
            if (!rec(w, SKI_REC_DISCONTINUITY, SKI_LEN_DISCONTINUITY) ||
                !(p = rec(w, SKI_REC_VIRT_CYCLE, SKI_LEN_VIRT_CYCLE)))
                return -1;
            ski_put_u32(p + SKI_VIRT_CYCLE_COUNT, (uint32_t)ev->op1);
            return 0;
        }
        return werr(w, 1, "a Ski trace cannot carry a mark with code %" PRIu64 " (only 1 = interruption, 2 = "
                          "discontinuity)", ev->op0);
    case GE_KIND_COUNT:
        break;
    default:
        return werr(w, 1, "a Ski trace cannot carry '%s' events: it has no TLB, region register, PTA or PSR "
                          "operations and no context switches", guest_event_kind_name((enum guest_event_kind)ev->kind));
    }
    return werr(w, 1, "event kind %u is not a guest event kind", (unsigned)ev->kind);
}

int ski_writer_finish(struct ski_writer *w)
{
    if (w->failed)
        return -1;
    if (!rec(w, SKI_REC_END, SKI_LEN_END) || flush_buf(w) != 0)
        return -1;
    if (fflush(w->out) != 0) {
        w->failed = 1;
        return werr(w, -1, "write error: %s", strerror(errno ? errno : EIO));
    }
    return 0;
}

void ski_writer_free(struct ski_writer *w) { free(w); }

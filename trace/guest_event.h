/*
 * guest_event.h - the one record every event source produces (DESIGN.md section 3).
 *
 * Fixed width (32 bytes). Field use by kind:
 *
 *   kind                      va                 op0              op1     size  slot
 *   IFETCH                    bundle address     -                -       bytes -
 *   LOAD STORE RSE_x LFETCH  data address       store value      -       bytes -
 *   ITC_I / ITC_D             ifa                pte              itir    -     -
 *   ITR_I / ITR_D             ifa                pte              itir    -     TR slot
 *   PTC_L/PTC_G/PTC_GA/PTR_*  address            ps               -       -     -
 *   PTC_E                     ptc.e address      -                -       -     -
 *   MOV_RR                    region base r<<61  rr value         -       -     -
 *   MOV_PTA                   -                  pta value        -       -     -
 *   SET_PSR                   -                  psr value        -       -     -
 *   CTX_SWITCH                -                  context id       -       -     -
 *   MARK                      address if any     mark code        value   -     -
 *
 * flags: GE_F_HAS_VALUE on a STORE that carries the stored value (op0).
 *        GE_F_TRACED on a reference whose outcome the trace shows (a Ski system-mode trace: the
 *        guest's own TLB took the reference or raised an interruption), GE_F_TRACE_FAULT when
 *        the trace shows an interruption on it (the attempt before the guest's handler ran);
 *        op1 is then the vector's IVT offset (0x0800 = Data TLB) or GE_VECTOR_UNKNOWN.
 * insns: instructions the source counts at this event (any kind; 0 = none). Only a source that
 *        counts instructions sets it (docs/stats.md, "Instructions"): a Ski trace (every
 *        CAPSULE is counted once, at its IFETCH or at the event before it), a vtrace or a
 *        workload with insns_per_ifetch N (N on each IFETCH).
 */
#ifndef VHPTSIM_GUEST_EVENT_H
#define VHPTSIM_GUEST_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum guest_event_kind {
    GE_IFETCH = 0,
    GE_LOAD,
    GE_STORE,
    GE_RSE_LOAD,
    GE_RSE_STORE,
    GE_LFETCH,
    GE_ITC_I,
    GE_ITC_D,
    GE_ITR_I,
    GE_ITR_D,
    GE_PTC_L,
    GE_PTC_G,
    GE_PTC_GA,
    GE_PTC_E,
    GE_PTR_I,
    GE_PTR_D,
    GE_MOV_RR,
    GE_MOV_PTA,
    GE_SET_PSR,
    GE_CTX_SWITCH,
    GE_MARK,
    GE_KIND_COUNT
};

/* MARK codes */
enum guest_mark {
    GE_MARK_USER = 0,         /* a label from the trace (op1 = value) */
    GE_MARK_INTERRUPTION = 1, /* Ski INTERRUPTION record (va = IIP) */
    GE_MARK_DISCONTINUITY = 2, /* Ski DISCONTINUITY (op1 = instructions not traced) */
    GE_MARK_UNRECOVERED = 3    /* a guest TLB/psr operation the trace shows, but whose operands it
                                  does not determine (va = its bundle, op1 = GE_UNRECOVERED_*) */
};

/* op1 of GE_MARK_UNRECOVERED: the event kind it would have been | what was missing << 8 */
#define GE_UNRECOVERED_ADDR 0x1u  /* ifa / purge address / region / ptc.e address */
#define GE_UNRECOVERED_VALUE 0x2u /* pte / rr value / pta / psr */
#define GE_UNRECOVERED_ITIR 0x4u
#define GE_UNRECOVERED_SLOT 0x8u
#define GE_UNRECOVERED_PS 0x10u
#define GE_UNRECOVERED_INVALID 0x20u /* all known, but not a valid operand (reserved bits, page size) */

#define GE_F_HAS_VALUE 0x1u
#define GE_F_TRACED 0x2u
#define GE_F_TRACE_FAULT 0x4u
#define GE_VECTOR_UNKNOWN UINT64_MAX

struct guest_event {
    uint64_t va;
    uint64_t op0;
    uint64_t op1;
    uint16_t cpu;
    uint8_t kind;  /* enum guest_event_kind */
    uint8_t size;  /* access size in bytes for references */
    uint8_t slot;  /* TR slot for ITR_* */
    uint8_t flags; /* GE_F_* */
    uint16_t insns; /* instructions counted at this event */
};

/* No padding: the fields fill 32 bytes exactly (insns last, at 30), so events compare with memcmp
 * (the refill and round-trip checks) and every byte is a field the sources set. */
#ifdef __cplusplus
static_assert(sizeof(struct guest_event) == 32, "guest_event is a fixed 32-byte record");
static_assert(offsetof(struct guest_event, insns) == 30, "guest_event has no padding");
#else
_Static_assert(sizeof(struct guest_event) == 32, "guest_event is a fixed 32-byte record");
_Static_assert(offsetof(struct guest_event, insns) == 30, "guest_event has no padding");
#endif

static inline int guest_event_is_reference(enum guest_event_kind k) { return k <= GE_LFETCH; }

/* The vtrace keyword of a kind ("ld", "itc.d", ...). */
const char *guest_event_kind_name(enum guest_event_kind k);

#endif

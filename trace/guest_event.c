/* guest_event.c - names of the event kinds (the vtrace keywords). */
#include "guest_event.h"

static const char *const kind_names[GE_KIND_COUNT] = {
    "ifetch", "ld",     "st",    "rse.ld", "rse.st", "lfetch", "itc.i",
    "itc.d",  "itr.i",  "itr.d", "ptc.l",  "ptc.g",  "ptc.ga", "ptc.e",
    "ptr.i",  "ptr.d",  "rr",    "pta",    "psr",    "ctx",    "mark",
};

const char *guest_event_kind_name(enum guest_event_kind k)
{
    return (unsigned)k < GE_KIND_COUNT ? kind_names[k] : "?";
}

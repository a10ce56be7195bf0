/* vtrace_writer.c - one vtrace line per event, in the raw forms, so reading it back is exact. */
#include <inttypes.h>

#include "../model/ia64/ia64_arch.h"
#include "vtrace.h"

int vtrace_write_header(FILE *out, unsigned vcpus)
{
    if (vcpus <= 1)
        return 0;
    return fprintf(out, "vcpus %u\n", vcpus) < 0 ? -1 : 0;
}

int vtrace_write_insns_per_ifetch(FILE *out, unsigned n)
{
    if (n == 0)
        return 0;
    return fprintf(out, "insns_per_ifetch %u\n", n) < 0 ? -1 : 0;
}

int vtrace_write_event(FILE *out, const struct guest_event *ev)
{
    const enum guest_event_kind kind = (enum guest_event_kind)ev->kind;
    const char *name = guest_event_kind_name(kind);
    int rc = 0;
    if (ev->cpu != 0)
        rc = fprintf(out, "cpu %u ", (unsigned)ev->cpu);
    if (rc < 0)
        return -1;
    switch (kind) {
    case GE_IFETCH:
    case GE_LOAD:
    case GE_RSE_LOAD:
    case GE_RSE_STORE:
    case GE_LFETCH:
        rc = fprintf(out, "%s 0x%" PRIx64 " %u\n", name, ev->va, (unsigned)ev->size);
        break;
    case GE_STORE:
        if (ev->flags & GE_F_HAS_VALUE)
            rc = fprintf(out, "%s 0x%" PRIx64 " %u val=0x%" PRIx64 "\n", name, ev->va, (unsigned)ev->size, ev->op0);
        else
            rc = fprintf(out, "%s 0x%" PRIx64 " %u\n", name, ev->va, (unsigned)ev->size);
        break;
    case GE_ITC_I:
    case GE_ITC_D:
        rc = fprintf(out, "%s 0x%" PRIx64 " pte=0x%" PRIx64 " itir=0x%" PRIx64 "\n", name, ev->va, ev->op0, ev->op1);
        break;
    case GE_ITR_I:
    case GE_ITR_D:
        rc = fprintf(out, "%s %u 0x%" PRIx64 " pte=0x%" PRIx64 " itir=0x%" PRIx64 "\n", name, (unsigned)ev->slot,
                     ev->va, ev->op0, ev->op1);
        break;
    case GE_PTC_L:
    case GE_PTC_G:
    case GE_PTC_GA:
    case GE_PTR_I:
    case GE_PTR_D:
        rc = fprintf(out, "%s 0x%" PRIx64 " %" PRIu64 "\n", name, ev->va, ev->op0);
        break;
    case GE_PTC_E:
        rc = fprintf(out, "%s 0x%" PRIx64 "\n", name, ev->va);
        break;
    case GE_MOV_RR:
        rc = fprintf(out, "%s %u 0x%" PRIx64 "\n", name, ia64_region(ev->va), ev->op0);
        break;
    case GE_MOV_PTA:
    case GE_SET_PSR:
        rc = fprintf(out, "%s 0x%" PRIx64 "\n", name, ev->op0);
        break;
    case GE_CTX_SWITCH:
        rc = fprintf(out, "%s %" PRIu64 "\n", name, ev->op0);
        break;
    case GE_MARK:
        rc = fprintf(out, "%s %" PRIu64 " code=%" PRIu64 " addr=0x%" PRIx64 "\n", name, ev->op1, ev->op0, ev->va);
        break;
    case GE_KIND_COUNT:
    default:
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

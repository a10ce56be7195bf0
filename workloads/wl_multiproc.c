/*
 * wl_multiproc.c - N processes run round-robin, a context switch every K references.
 *
 * Process p (0-based) has id p + 1 (id 0 is left to whatever the guest OS model boots with)
 * plus idx * nr_procs in per_vcpu mode, so every vCPU runs processes of its own. Each process
 * runs its own instance of the inner pattern (own generator, own position, own instruction
 * stream) over the same virtual range: the processes are separate address spaces, told apart
 * by the RIDs the guest OS model gives them.
 *
 * Before the references k = 0, K, 2K, ... of an instance comes a CTX_SWITCH to process
 * (k / K) mod N: "ctx 1", K references, "ctx 2", K references, ... In interleave mode with
 * several vCPUs the switch is a gang switch: one CTX_SWITCH per vCPU (vCPU 0 first), all to
 * the same process, since the references that follow are dealt to every vCPU.
 *
 * exit_at_end: after the last reference every process that ran exits: the current one with
 * a MARK_EXIT, then each other one in round-robin order with a CTX_SWITCH to it (gang switch
 * as above) and a MARK_EXIT. In interleave mode the MARK_EXIT is issued on vCPU 0 only.
 */
#include <string.h>

#include "workload_internal.h"

int wl_multiproc_check(const struct workload_params *p, char *err, size_t errlen)
{
    if (p->nr_procs == 0)
        return wl_fail(err, errlen, "multiproc needs nr_procs >= 1");
    if (p->switch_interval == 0)
        return wl_fail(err, errlen, "multiproc needs switch_interval >= 1 reference");
    return 0;
}

static unsigned proc_id(const struct wl_instance *in, unsigned p)
{
    return in->idx * in->w->p.nr_procs + p + 1;
}

/* CTX_SWITCH to process p on the instance's vCPU, or on every vCPU for a gang switch. */
static void push_switch(struct wl_instance *in, unsigned p)
{
    const struct workload_params *wp = &in->w->p;
    const unsigned gang = wp->vcpu_mode == WL_VCPU_INTERLEAVE ? wp->nr_vcpus : 1;
    for (unsigned c = 0; c < gang; c++) {
        struct guest_event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = GE_CTX_SWITCH;
        ev.op0 = proc_id(in, p);
        ev.cpu = (uint16_t)(wp->vcpu_mode == WL_VCPU_INTERLEAVE ? c : in->idx);
        wl_push(in, &ev);
    }
    in->cur = p;
}

void wl_multiproc_before_ref(struct wl_instance *in)
{
    const uint64_t k = in->w->p.switch_interval;
    if (in->refs % k == 0)
        push_switch(in, (unsigned)((in->refs / k) % in->npat));
}

int wl_multiproc_end_step(struct wl_instance *in)
{
    const struct workload_params *wp = &in->w->p;
    if (!wp->exit_at_end || in->refs == 0)
        return 0;
    /* processes that ran: the first ceil(refs / K), at most N */
    const uint64_t slices = (in->refs + wp->switch_interval - 1) / wp->switch_interval;
    const unsigned ran = slices < in->npat ? (unsigned)slices : in->npat;
    if (in->exits_done == 0)
        in->exit_first = in->cur;
    /* step j exits process (exit_first + j) mod N, skipping those that never ran */
    while (in->exits_done < in->npat) {
        const unsigned j = in->exits_done++;
        const unsigned p = (in->exit_first + j) % in->npat;
        if (p >= ran)
            continue;
        if (j > 0)
            push_switch(in, p);
        struct guest_event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = GE_MARK;
        ev.op0 = WL_MARK_EXIT;
        ev.cpu = (uint16_t)(wp->vcpu_mode == WL_VCPU_INTERLEAVE ? 0 : in->idx);
        wl_push(in, &ev);
        return 1;
    }
    return 0;
}

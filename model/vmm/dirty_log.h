/*
 * dirty_log.h - the VM's dirty-page bitmap that mark_pages_dirty writes.
 *
 * One bit per guest frame of host PAGE_SHIFT over the guest's memory. KVM's bitmap has a fixed
 * size and mark_pages_dirty does not check bounds; vhptsim counts a frame beyond the bitmap
 * instead of writing outside it (`out_of_range`), so a trace cannot corrupt the simulator.
 */
#ifndef VHPTSIM_DIRTY_LOG_H
#define VHPTSIM_DIRTY_LOG_H

#include <stdint.h>

struct dirty_log {
    uint64_t *bits;
    uint64_t nbits;        /* frames covered */
    uint64_t set_count;    /* bits set so far (the "if (!test_bit) set_bit" branch taken) */
    uint64_t out_of_range; /* frames marked beyond nbits */
};

/* 0 on success, -1 when the bitmap cannot be allocated. */
int dirty_log_init(struct dirty_log *log, uint64_t nframes);
void dirty_log_free(struct dirty_log *log);
/* Marks one frame; returns 1 if it was newly set. */
int dirty_log_mark(struct dirty_log *log, uint64_t gfn);
int dirty_log_test(const struct dirty_log *log, uint64_t gfn);

#endif

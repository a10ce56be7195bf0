/*
 * guest_frames.h - the guest kernel's page-frame allocator (what the guest OS model hands out
 * on a first touch).
 *
 * Guest-physical memory [0, limit) is handed out by a bump pointer, one naturally aligned frame
 * of 2^ps bytes at a time, skipping every frame that overlaps an I/O range of the p2m
 * (p2m_gpfn_is_io on any host page of the frame). Freed frames go to a free list per page
 * size and pool and are reused last-in first-out before the bump pointer advances.
 *
 * Two pools keep page-table (guest VHPT) pages apart from data pages: a VHPT page must read as
 * zeros where no pte was written (Linux zeroes page-table pages when it allocates them), and
 * the model keeps that true by clearing every entry it wrote before freeing the page, so a
 * VHPT page is never recycled from a data page whose memory a `st ... val=` may have written.
 * Internal to model/guest.
 */
#ifndef VHPTSIM_GUEST_FRAMES_H
#define VHPTSIM_GUEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "../vmm/p2m.h"

enum guest_frame_pool { GUEST_FRAME_DATA = 0, GUEST_FRAME_PT, GUEST_FRAME_POOLS };

struct guest_frame_list {
    uint64_t *gpa;
    size_t n, cap;
};

struct guest_frames {
    const struct p2m *p2m;
    uint64_t next;  /* bump pointer: lowest guest-physical address never handed out */
    uint64_t limit; /* guest memory size in bytes */
    struct guest_frame_list free[GUEST_FRAME_POOLS][64]; /* per pool, per ps */
};

void guest_frames_init(struct guest_frames *f, const struct p2m *p2m, uint64_t limit);
void guest_frames_free_all(struct guest_frames *f);
/* A free frame of 2^ps bytes: 0 and *gpa set, or -1 when guest memory is exhausted. */
int guest_frames_alloc(struct guest_frames *f, enum guest_frame_pool pool, unsigned ps, uint64_t *gpa);
/* Returns a frame to its free list; 0 or -1 (out of host memory: the frame is lost). */
int guest_frames_release(struct guest_frames *f, enum guest_frame_pool pool, unsigned ps, uint64_t gpa);
/* True when some host page of [gpa, gpa + 2^ps) is an I/O frame of the p2m. */
int guest_frames_overlaps_io(const struct p2m *p2m, uint64_t gpa, unsigned ps, uint64_t *next_ok);

#endif

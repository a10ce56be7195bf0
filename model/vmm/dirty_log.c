/* dirty_log.c - see dirty_log.h. */
#include "dirty_log.h"

#include <stdlib.h>

int dirty_log_init(struct dirty_log *log, uint64_t nframes)
{
    log->nbits = nframes;
    log->set_count = 0;
    log->out_of_range = 0;
    log->bits = calloc((size_t)((nframes + 63) / 64) + 1, sizeof *log->bits);
    return log->bits ? 0 : -1;
}

void dirty_log_free(struct dirty_log *log)
{
    free(log->bits);
    log->bits = NULL;
}

int dirty_log_test(const struct dirty_log *log, uint64_t gfn)
{
    return gfn < log->nbits && ((log->bits[gfn / 64] >> (gfn % 64)) & 1u);
}

int dirty_log_mark(struct dirty_log *log, uint64_t gfn)
{
    if (gfn >= log->nbits) {
        log->out_of_range++;
        return 0;
    }
    uint64_t *word = &log->bits[gfn / 64];
    const uint64_t bit = UINT64_C(1) << (gfn % 64);
    if (*word & bit) /* "avoid RMW": test first, as mark_pages_dirty does */
        return 0;
    *word |= bit;
    log->set_count++;
    return 1;
}

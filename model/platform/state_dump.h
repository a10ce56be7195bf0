/* state_dump.h - the conformance dump of DESIGN.md section 7 (docs/state-dump.md). */
#ifndef VHPTSIM_STATE_DUMP_H
#define VHPTSIM_STATE_DUMP_H

#include <stdio.h>

#include "platform.h"

/* Writes every vCPU's state; 0, or -1 on an output error or out of memory. */
int platform_dump_state(const struct platform *p, FILE *out);

#endif

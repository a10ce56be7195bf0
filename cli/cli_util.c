/* cli_util.c - see cli_util.h. */
#include "cli_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/util/num_parse.h"

int cli_parse_u64(const char *s, uint64_t *out)
{
    return num_parse_u64(s, NUM_PLAIN, out) == NUM_OK ? 0 : -1;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("vhptsim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* cli_util.h - argument parsing shared by the vhptsim subcommands. */
#ifndef VHPTSIM_CLI_UTIL_H
#define VHPTSIM_CLI_UTIL_H

#include <stdint.h>

/* Exit statuses of every subcommand. */
#define EXIT_OK 0
#define EXIT_RUNTIME 1 /* I/O failure, out of memory */
#define EXIT_USAGE 2   /* bad input: arguments, trace, config */

/* A plain number (decimal or 0x-hex). 0 on success, -1 if malformed. */
int cli_parse_u64(const char *s, uint64_t *out);

/* Prints "vhptsim: <message>" to stderr (printf-style). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

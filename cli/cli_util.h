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

/* Prints "vhptsim: <message>" to stderr (printf-style). The rule of every message on stderr
 * (README, "Exit status"): one about an input names its place first and says "error:" or
 * "warning:" -- FILE:LINE:COLUMN (text), FILE: offset N (a Ski trace), FILE (a whole file), or
 * the option and its value (--set KEY=VALUE, -j 0) -- and is printed as it is; any other (about
 * the command, its output, a run) is "vhptsim: COMMAND: ..." through cli_error. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

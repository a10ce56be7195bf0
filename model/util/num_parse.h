/*
 * num_parse.h - the one parser of numbers in text the project reads (vtrace lines, experiment
 * files, command-line options): decimal or 0x-hex, the whole string, 64 bits, and optionally a
 * binary size suffix K, M, G, T, P or E (x 2^10 .. 2^60). Overflow is told apart from bad
 * syntax. And its inverse for sizes: the largest suffix that divides the value exactly.
 */
#ifndef VHPTSIM_NUM_PARSE_H
#define VHPTSIM_NUM_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum num_status { NUM_OK = 0, NUM_SYNTAX, NUM_OVERFLOW };

#define NUM_PLAIN 0
/* accept K, M, G, T, P, E (either case) after the digits. After hex digits an 'E' or 'e' is a
 * digit, not a suffix: 0x1E is 30 (write 0x1 E-sized values in decimal, e.g. 1E). */
#define NUM_SIZE_SUFFIX 1

enum num_status num_parse_u64(const char *s, int flags, uint64_t *out);

/* Writes v with the largest suffix (K .. E) that divides it exactly ("1048576G" -> "1P"), or
 * plain decimal when none does (0 and sizes below 1 KiB); what num_parse_u64 reads back as v.
 * buf needs 24 bytes. */
void num_format_size(uint64_t v, char *buf, size_t len);

#endif

/*
 * num_parse.h - the one parser of numbers in text the project reads (vtrace lines, experiment
 * files, command-line options): decimal or 0x-hex, the whole string, 64 bits, and optionally a
 * K, M or G (binary) suffix for sizes. Overflow is told apart from bad syntax.
 */
#ifndef VHPTSIM_NUM_PARSE_H
#define VHPTSIM_NUM_PARSE_H

#include <stdint.h>

enum num_status { NUM_OK = 0, NUM_SYNTAX, NUM_OVERFLOW };

#define NUM_PLAIN 0
#define NUM_SIZE_SUFFIX 1 /* accept K, M, G (x 2^10, 2^20, 2^30) after the digits */

enum num_status num_parse_u64(const char *s, int flags, uint64_t *out);

#endif

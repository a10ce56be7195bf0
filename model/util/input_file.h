/*
 * input_file.h - opening a file a user named as input, with the one message every reader gives.
 *
 * fopen succeeds on a directory on Linux and the first read then fails with EISDIR far from the
 * cause; every input (experiment files, vtrace and Ski traces) refuses one here instead, as
 * "PATH: cannot open: is a directory". "-" is standard input when allow_stdin is set.
 */
#ifndef VHPTSIM_INPUT_FILE_H
#define VHPTSIM_INPUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

/* The open stream, or NULL with "PATH: cannot open: REASON" in err. */
FILE *input_file_open(const char *path, const char *mode, bool allow_stdin, char *err, size_t errlen);

/* The whole of a file of at most max bytes, NUL-terminated, in a malloc'ed buffer (its length in
 * *len unless len is NULL). NULL with "PATH: ..." in err when it cannot be read or is larger. */
char *input_file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);

#endif

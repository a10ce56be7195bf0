/*
 * result_dir.h - write a run's output files so that a killed run never leaves a half-written
 * result: everything goes into DIR.tmp-<pid>, which replaces DIR in one rename at the end.
 */
#ifndef VHPTSIM_RESULT_DIR_H
#define VHPTSIM_RESULT_DIR_H

#include <stddef.h>
#include <stdio.h>

#define RESULT_PATH_MAX 1024

struct result_dir {
    char final[RESULT_PATH_MAX];
    char tmp[RESULT_PATH_MAX + 32];
};

/* Creates DIR's parents and the temporary directory. 0 or -1 with the reason in err. */
int result_dir_begin(struct result_dir *d, const char *dir, char *err, size_t errlen);
/* Opens a new file of the result for writing (NULL with errno set on failure). */
FILE *result_dir_open(struct result_dir *d, const char *name);
/* Replaces DIR by the finished result (an existing DIR is removed). 0 or -1 with err. */
int result_dir_commit(struct result_dir *d, char *err, size_t errlen);
/* Removes the temporary directory and what it holds. */
void result_dir_abort(struct result_dir *d);

#endif

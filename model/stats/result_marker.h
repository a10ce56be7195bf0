/*
 * result_marker.h - internal to model/stats (result_dir.c, result_study.c): the marker file
 * DIR/.vhptsim-result and the directory trees it vouches for (docs/results.md).
 *
 * The marker is a header line, then lines in the order things were written:
 *   study        DIR is a study's directory or a part of one, written in place
 *   file NAME    a file vhptsim wrote (listed before it was created)
 *   dir NAME     a directory vhptsim writes inside DIR: a result (a study's point, a report) or
 *                a part of a study (inputs/), each carrying its own marker
 *   complete     the result is whole (what was listed before this line must be there)
 * Besides what it lists, a directory may hold the temporaries of a listed name while it is being
 * written: NAME.tmp-<pid> (and NAME.tmp-<pid>.prev) of the same type, and NAME.lock (the lock
 * of a listed directory). Anything else makes the directory "foreign": never touched.
 */
#ifndef VHPTSIM_RESULT_MARKER_H
#define VHPTSIM_RESULT_MARKER_H

#include <stddef.h>

#include "../util/u64_map.h"

#define MARKER_HEADER "# vhptsim result directory (docs/results.md)"
#define MARKER_DEPTH_MAX 6 /* a study holds points, which hold a report: 3 levels are used */

struct marker {
    char *text;          /* the marker's bytes; names point into it */
    char **names;        /* what it lists, in order */
    unsigned char *dirs; /* dirs[i]: names[i] was listed as "dir" */
    int n, cap;
    int complete;
    int sealed; /* names[0 .. sealed) were listed before "complete": the run's own */
    int study;
    struct u64_map index; /* hash of a name -> its latest index: a study lists 100000 points */
};

/* A plain file name a result may hold: no '/', not hidden, printable, short. */
int marker_plain_name(const char *name);
/* dir/name into buf: 0, or -1 if it does not fit. */
int marker_join(char *buf, size_t len, const char *dir, const char *name);
/* The whole of a small file (at most cap bytes) into buf: 0, or -1 with errno (EFBIG: larger). */
int marker_read_file(const char *path, char *buf, size_t cap, size_t *len);

/* 1 if dir holds nothing, 0 if it holds something, -1 if it cannot be read. */
int marker_dir_is_empty(const char *dir);

/* Reads dir's marker. 0, or -1 if it is missing or not one vhptsim wrote. marker_free either way. */
int marker_read(const char *dir, struct marker *m);
void marker_free(struct marker *m);
/* The index of name in m, or -1. */
int marker_find(const struct marker *m, const char *name);
/* Appends "what[ name]\n" to the open marker fd. 0 or -1. */
int marker_append(int fd, const char *what, const char *name);

/* Whether dir holds nothing but its marker (m), what it lists and their temporaries, each
 * listed directory again so: 1, or 0 with the first other entry's path (relative to dir) in
 * first; -1 if a directory cannot be read. */
int marker_only_listed(const char *dir, const struct marker *m, char *first, size_t first_len, int depth);

/* Removes a tree of vhptsim's: everything its markers list, their temporaries, the markers and
 * the directories. 0, or -1 (and nothing removed) if it holds anything else. */
int marker_remove_tree(const char *dir);

/* "BASE.tmp-<pid>[.prev]" or "BASE.lock": the length of BASE, the pid (0 for a lock); -1 if the
 * name is neither. */
long marker_temporary(const char *name, long *pid);
/* Whether the process pid is gone (or is this one, reusing an old pid). */
int marker_pid_gone(long pid);

#endif

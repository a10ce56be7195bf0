/*
 * result_dir.h - result directories: written aside and renamed into place complete, and never
 * allowed to destroy what vhptsim did not write (docs/results.md).
 *
 * A result directory DIR holds the files one run wrote and a marker, DIR/.vhptsim-result, that
 * lists them ("file NAME" lines) and, once the result is whole, says "complete". vhptsim writes
 * into DIR only if it does not exist, is empty, or is such a result holding nothing its marker
 * does not list; anything else is "foreign" and is never touched, whatever the flags.
 *
 * Writing one result (`vhptsim run`; a study does the same for each point):
 *
 *     struct result_dir *d = malloc(sizeof *d);         // large: not on a small stack
 *     int rc = result_dir_begin(d, "results/x", config, config_len, flags, err, sizeof err);
 *     RESULT_OK          DIR is locked and DIR.tmp-<pid>/ holds the marker and config.yaml:
 *                        FILE *f = result_dir_open(d, "stats.yaml"); ... fclose(f);
 *                        then result_dir_commit(d, ...) or, on any failure, result_dir_abort(d)
 *     RESULT_UP_TO_DATE  DIR is a complete result of this very configuration: nothing to do
 *     RESULT_BUSY        (flags without RESULT_WAIT) another process is writing DIR; err says so
 *     RESULT_REFUSED     bad input (exit 2): DIR is foreign, not a directory, or holds another
 *                        configuration's result and RESULT_REPLACE_CHANGED was not given;
 *                        err names DIR, why, and the first differing key
 *     RESULT_FAILED      an I/O error (exit 1), in err
 *
 * The lock: DIR.lock beside DIR (flock) is held from result_dir_begin to result_dir_commit /
 * result_dir_abort, so two writers of one DIR take turns (the second, after waiting, usually
 * finds the first one's result up to date). Under the lock, begin removes the DIR.tmp-<pid>
 * directories of processes that no longer exist (a run killed with SIGKILL), but only those
 * that carry the marker and hold nothing it does not list.
 *
 * Commit replaces an earlier result only once the new one is complete: the two directories are
 * exchanged in one rename (renameat2 RENAME_EXCHANGE; two renames where the file system cannot)
 * and the old one is then removed, file by listed file. Signals SIGINT, SIGTERM and SIGHUP are
 * held off during the commit.
 *
 * Deciding without writing (a study's resume, a status listing): result_dir_inspect().
 *
 * Directories inside a result: a report drawn into a complete result later is a result of its
 * own (result_dir_begin with no configuration) that the outer marker lists as "dir report"
 * (result_dir_add_part), so the outer result can still be replaced whole. A study's directory
 * is written in place, under its lock, by one study at a time (result_study_begin): its marker
 * says "study" and lists study.yaml, summary.csv, its parts (inputs/, logs/) and the results
 * inside it (each point, report/). See result_marker.h for the marker's lines.
 */
#ifndef VHPTSIM_RESULT_DIR_H
#define VHPTSIM_RESULT_DIR_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#define RESULT_PATH_MAX 1024
#define RESULT_NAME_MAX 256  /* a name inside a result, NUL included */
#define RESULT_MAX_FILES 1024 /* files one result may hold (a report: 3 per figure) */
#define RESULT_MARKER ".vhptsim-result"
#define RESULT_CONFIG "config.yaml"
#define RESULT_CONFIG_MAX (1u << 20) /* a config.yaml larger than this is not compared: "changed" */

/* result_dir_begin flags */
#define RESULT_WAIT 1u            /* wait for another writer of DIR instead of RESULT_BUSY */
#define RESULT_REPLACE_CHANGED 2u /* replace a result of a different configuration (run --force) */
#define RESULT_REDO 4u            /* redo a result even if it is up to date (run --force) */
/* (a study's point: RESULT_REPLACE_CHANGED, and RESULT_REDO with --force) */

enum result_status { RESULT_OK = 0, RESULT_UP_TO_DATE, RESULT_BUSY, RESULT_REFUSED, RESULT_FAILED };

/* What a directory is (result_dir_inspect). */
enum result_kind {
    RESULT_ABSENT,     /* no such directory */
    RESULT_EMPTY,      /* an empty directory */
    RESULT_COMPLETE,   /* a whole vhptsim result */
    RESULT_INCOMPLETE, /* vhptsim's marker and only its files, but not whole (files missing) */
    RESULT_FOREIGN,    /* anything else: never written into or removed */
    RESULT_NOT_DIR,    /* exists, but is not a directory (or is a symbolic link) */
    RESULT_STUDY       /* a study's directory or a part of one (inputs/), vhptsim's alone */
};

struct result_info {
    enum result_kind kind;
    int same_config;  /* COMPLETE/INCOMPLETE: config.yaml holds the configuration compared with */
    char why[384];    /* FOREIGN/NOT_DIR/INCOMPLETE: what makes it so; else "" */
    char diff[384];   /* !same_config: the first differing key (result_config_compare) */
};

/*
 * Classifies dir and compares its config.yaml with config (config_len bytes; NULL compares
 * nothing and leaves same_config 0). Reads only; takes no lock. 0, or -1 if dir cannot be
 * read (info->why says why).
 */
int result_dir_inspect(const char *dir, const char *config, size_t config_len, struct result_info *info);

/* DIR.lock, beside DIR: held while DIR is written. */
struct result_lock {
    char path[RESULT_PATH_MAX + 8];
    int fd; /* -1: not held */
};

/* Locks dir (its DIR.lock; with wait, waiting for another holder). 0; 1 when another process
 * holds it and !wait; -1 with errno. */
int result_lock_take(struct result_lock *l, const char *dir, int wait);
/* Unlocks (and removes the lock file). Nothing if not held. Async-signal-safe (fstat, unlink,
 * close): a signal handler may release a lock the process holds. */
void result_lock_release(struct result_lock *l);

struct result_dir {
    char final[RESULT_PATH_MAX];        /* DIR */
    char tmp[RESULT_PATH_MAX + 32];     /* DIR.tmp-<pid> */
    char marker[RESULT_PATH_MAX + 64];  /* DIR.tmp-<pid>/.vhptsim-result */
    struct result_lock lock;
    char files[RESULT_MAX_FILES][RESULT_NAME_MAX]; /* names of the files written so far */
    volatile sig_atomic_t nfiles;
    volatile sig_atomic_t state; /* internal: what a signal must undo */
    enum result_kind prior;      /* what DIR was when begun */
    int marker_fd;
};

/*
 * Locks DIR, decides (see above) and, for RESULT_OK, creates DIR's parents and DIR.tmp-<pid>
 * holding the marker and config.yaml (= config, the resolved configuration; config NULL: a
 * result without one, e.g. a report, which is never up to date). err gets the reason for every
 * status but RESULT_OK.
 */
int result_dir_begin(struct result_dir *d, const char *dir, const char *config, size_t config_len, unsigned flags,
                     char *err, size_t errlen);
/* Opens a new file of the result for writing, recorded in the marker first (NULL with errno
 * set on failure; EINVAL for a name that is not a plain file name or is taken). */
FILE *result_dir_open(struct result_dir *d, const char *name);
/* Records a file of the result that another program writes (gnuplot's figures): the caller
 * then creates d->tmp/name. 0, or -1 with errno (EINVAL as above, ENOSPC: too many files). */
int result_dir_add(struct result_dir *d, const char *name);
/* Moves the finished result into place (replacing the earlier one) and unlocks. 0, or -1 with
 * err; on failure the temporary directory is removed and DIR is as it was. */
int result_dir_commit(struct result_dir *d, char *err, size_t errlen);
/* Removes the temporary directory and unlocks. */
void result_dir_abort(struct result_dir *d);
/* result_dir_abort for a signal handler: async-signal-safe (unlink and rmdir of paths known
 * beforehand), leaves d unusable. Does nothing before begin or after commit/abort. */
void result_dir_abort_now(struct result_dir *d);

/*
 * Records name as vhptsim's in the complete result dir (a report written into it afterwards,
 * e.g. scripts/plot's index.md), so that a later run may replace the directory. Call before
 * creating the file. 0, or -1 if dir is not a complete result or name is not a plain file name.
 */
int result_dir_adopt(const char *dir, const char *name);

/* What result_dir_add_part lists. */
enum result_part {
    RESULT_PART_FILE,   /* a file written in place (or aside and renamed over it) */
    RESULT_PART_RESULT, /* a result directory written by result_dir_begin (a point, report/) */
    RESULT_PART_DIR     /* a directory written in place (a study's inputs/): made now */
};

/*
 * Lists name in the marker of dir, a directory of vhptsim's whose lock the caller holds (a
 * study's directory or a part of one, or a complete result a report is added to), before it is
 * written; RESULT_PART_DIR also makes the directory, with its own marker. Already listed: 0.
 * 0, or -1 with err: dir is not vhptsim's, name is not a plain name, or something vhptsim did
 * not list is already there under that name (it is not touched).
 */
int result_dir_add_part(const char *dir, const char *name, enum result_part kind, char *err, size_t errlen);
/* The same for n names of one kind (a study's points, their logs and inputs): the marker is read
 * once, so listing a study's points takes time linear in their number. */
int result_dir_add_parts(const char *dir, const char *const *names, size_t n, enum result_part kind, char *err,
                         size_t errlen);

/* Removes the files of dir (a directory written in place, whose lock the caller holds) named
 * in names that its marker lists as files: what a study no longer needs (inputs of points gone
 * from its sweep). Anything not listed is left alone. 0, or -1 with err if dir is not vhptsim's. */
int result_dir_remove_files(const char *dir, const char *const *names, size_t n, char *err, size_t errlen);

/*
 * A study's directory (docs/results.md, "Studies"), written in place: locks it (its DIR.lock:
 * RESULT_BUSY while another study or run holds it, unless RESULT_WAIT) and makes it a study's
 * directory if it is absent or empty. A study's directory is reused; a run's result there is
 * replaced only with RESULT_REPLACE_CHANGED; anything else is refused (RESULT_REFUSED, nothing
 * touched). Removes the temporaries dead processes left in it. On RESULT_OK the lock is held in
 * l until result_lock_release.
 */
int result_study_begin(struct result_lock *l, const char *dir, unsigned flags, char *err, size_t errlen);

#endif

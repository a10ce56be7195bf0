/*
 * signal_cleanup.h - an interrupted run leaves nothing behind: SIGINT, SIGTERM and SIGHUP remove
 * the temporary directories of the results being written (result_dir_abort_now) and the
 * temporary files of the outputs being written (out_file.h), and end the
 * process with status 128 + the signal (130, 143, 129), as a shell reports a killed command.
 */
#ifndef VHPTSIM_SIGNAL_CLEANUP_H
#define VHPTSIM_SIGNAL_CLEANUP_H

#include "../model/stats/result_dir.h"

/* Installs the handlers (once) and watches d until signal_cleanup_forget(d). At most 64 at a
 * time; 0, or -1 if all are taken. */
int signal_cleanup_watch(struct result_dir *d);
void signal_cleanup_forget(struct result_dir *d);
/* The same for a temporary file (out_file.h): unlinked on a signal. path must stay valid (the
 * caller's buffer) until signal_cleanup_forget_file(path). 0, or -1 if all 64 are taken. */
int signal_cleanup_watch_file(const char *path);
void signal_cleanup_forget_file(const char *path);
/* The lock a study holds on its directory (one at a time): released on a signal, so that a
 * study stopped while it prepares its points or draws its report leaves no DIR.lock. */
void signal_cleanup_watch_lock(struct result_lock *l);
void signal_cleanup_forget_lock(void);

#endif

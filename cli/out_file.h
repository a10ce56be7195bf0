/*
 * out_file.h - an output file a command writes (trace convert OUT, workload -o OUT): whole or not
 * at all, and never over a file the user did not ask to replace.
 *
 * out_file_open checks OUT before anything is converted or generated: an existing file is
 * replaced only with --force, and never a directory, a device, a FIFO or a symbolic link (exit 2,
 * naming it); then it creates OUT.tmp-<pid> beside OUT (exclusively: nothing of the user's is
 * truncated), which also proves the directory writable (exit 2 when it is not). The command
 * writes into o->f; out_file_commit flushes it to disk and renames it over OUT (without --force,
 * refusing a file that appeared meanwhile); out_file_abort, or a SIGINT, SIGTERM or SIGHUP
 * (signal_cleanup.h), removes the temporary.
 */
#ifndef VHPTSIM_OUT_FILE_H
#define VHPTSIM_OUT_FILE_H

#include <stdio.h>

struct out_file {
    char path[4096];
    char tmp[4096 + 32];
    FILE *f;
    int force;
};

/* EXIT_OK with o->f open, or the exit status after printing why ("vhptsim: CMD: ..."). */
int out_file_open(struct out_file *o, const char *cmd, const char *path, int force);
/* EXIT_OK once OUT is in place, or EXIT_RUNTIME/EXIT_USAGE after printing why (the temporary
 * removed). */
int out_file_commit(struct out_file *o, const char *cmd);
/* Removes the temporary (nothing once committed or never opened). */
void out_file_abort(struct out_file *o);

#endif

/* subprocess.h - running a helper program (gnuplot, sbatch, squeue, scancel) and collecting
 * what it says: the one fork/exec-with-pipes of the command. */
#ifndef VHPTSIM_SUBPROCESS_H
#define VHPTSIM_SUBPROCESS_H

#include <stddef.h>

/* Runs argv (argv[0] searched in PATH) in directory dir (NULL: here), with input on its stdin
 * (NULL: /dev/null; keep it under 64 KiB: it is written before the output is read), its stdout
 * into out (NULL: discarded) and its stderr into err, both truncated and NUL-terminated.
 * Returns its exit status (128 + the signal that killed it), or -1 when it could not run (the
 * reason in err). */
int subprocess_run(const char *const argv[], const char *dir, const char *input, char *out, size_t outlen, char *err,
                   size_t errlen);

#endif

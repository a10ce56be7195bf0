/* out_file.c - see out_file.h. */
#define _GNU_SOURCE /* renameat2 */
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_util.h"
#include "signal_cleanup.h"

int out_file_open(struct out_file *o, const char *cmd, const char *path, int force)
{
    memset(o, 0, sizeof *o);
    o->force = force;
    if (strlen(path) >= sizeof o->path) {
        cli_error("%s: output file name too long", cmd);
        return EXIT_USAGE;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        const char *kind = S_ISDIR(st.st_mode)   ? "a directory"
                           : S_ISLNK(st.st_mode) ? "a symbolic link (name the file itself)"
                           : !S_ISREG(st.st_mode) ? "not a regular file"
                                                  : NULL;
        if (kind) {
            cli_error("%s: %s is %s: not writing there", cmd, path, kind);
            return EXIT_USAGE;
        }
        if (!force) {
            cli_error("%s: %s exists; nothing was written (--force replaces it)", cmd, path);
            return EXIT_USAGE;
        }
    } else if (errno != ENOENT) {
        cli_error("%s: %s: %s", cmd, path, strerror(errno));
        return EXIT_USAGE;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp-%ld", path, (long)getpid());
    const int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int e = errno;
        /* a missing or read-only directory, or no permission: the output named is bad (2) */
        const int bad = e == ENOENT || e == ENOTDIR || e == EACCES || e == EPERM || e == EROFS || e == EEXIST;
        cli_error("%s: cannot write %s (creating %s beside it): %s", cmd, path, o->tmp, strerror(e));
        o->tmp[0] = '\0';
        return bad ? EXIT_USAGE : EXIT_RUNTIME;
    }
    signal_cleanup_watch_file(o->tmp);
    if (!(o->f = fdopen(fd, "wb"))) {
        close(fd);
        out_file_abort(o);
        cli_error("%s: out of memory", cmd);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* tmp -> path; without --force never over a file that appeared since out_file_open (EEXIST):
 * renameat2(RENAME_NOREPLACE), or where the file system lacks it a hard link (which fails on an
 * existing name too), or at last a rename after looking. 0 or -1 with errno. */
static int move_into_place(const struct out_file *o)
{
    if (o->force)
        return rename(o->tmp, o->path);
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (link(o->tmp, o->path) == 0)
        return unlink(o->tmp) == 0 || errno == ENOENT ? 0 : -1;
    if (errno == EEXIST)
        return -1;
    struct stat st;
    if (lstat(o->path, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(o->tmp, o->path);
}

int out_file_commit(struct out_file *o, const char *cmd)
{
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
        e = errno ? errno : EIO;
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    o->f = NULL;
    if (e) {
        cli_error("%s: cannot write %s: %s", cmd, o->tmp, strerror(e));
        out_file_abort(o);
        return EXIT_RUNTIME;
    }
    if (move_into_place(o) != 0) {
        e = errno;
        cli_error("%s: cannot move %s to %s: %s", cmd, o->tmp, o->path,
                  e == EEXIST ? "it appeared meanwhile; nothing was replaced (--force replaces it)" : strerror(e));
        out_file_abort(o);
        return e == EEXIST ? EXIT_USAGE : EXIT_RUNTIME;
    }
    signal_cleanup_forget_file(o->tmp);
    o->tmp[0] = '\0';
    return EXIT_OK;
}

void out_file_abort(struct out_file *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0]) {
        unlink(o->tmp);
        signal_cleanup_forget_file(o->tmp);
        o->tmp[0] = '\0';
    }
}

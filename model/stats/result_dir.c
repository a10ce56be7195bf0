/* result_dir.c - see result_dir.h. A result holds plain files and the directories its marker lists. */
#define _GNU_SOURCE /* renameat2, flock */
#include "result_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "result_config.h"
#include "result_marker.h"

enum { ST_IDLE, ST_LOCKED, ST_WRITING, ST_DONE }; /* result_dir.state */

/* mkdir -p of every parent of path (not path itself) */
static int make_parents(const char *path)
{
    char buf[RESULT_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

/* ---- what a directory is ---------------------------------------------------------------------- */

static void compare_config(const char *dir, const char *config, size_t config_len, struct result_info *info)
{
    char path[RESULT_PATH_MAX + 32];
    char *old = malloc(RESULT_CONFIG_MAX);
    size_t len;
    info->same_config = 0;
    if (!old || marker_join(path, sizeof path, dir, RESULT_CONFIG) != 0 ||
        marker_read_file(path, old, RESULT_CONFIG_MAX, &len) != 0)
        snprintf(info->diff, sizeof info->diff, "its %s cannot be read", RESULT_CONFIG);
    else
        info->same_config = result_config_compare(old, len, config, config_len, info->diff, sizeof info->diff) == 0;
    free(old);
}

int result_dir_inspect(const char *dir, const char *config, size_t config_len, struct result_info *info)
{
    memset(info, 0, sizeof *info);
    struct stat st;
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT)
            return info->kind = RESULT_ABSENT, 0;
        snprintf(info->why, sizeof info->why, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        info->kind = RESULT_NOT_DIR;
        snprintf(info->why, sizeof info->why, "%s", S_ISLNK(st.st_mode) ? "it is a symbolic link" : "it is not a directory");
        return 0;
    }
    const int empty = marker_dir_is_empty(dir);
    if (empty != 0) {
        if (empty < 0)
            snprintf(info->why, sizeof info->why, "%s", strerror(errno));
        info->kind = RESULT_EMPTY;
        return empty < 0 ? -1 : 0;
    }
    struct marker m;
    char entry[RESULT_NAME_MAX + 384] = "";
    int rc = 0;
    if (marker_read(dir, &m) != 0) {
        info->kind = RESULT_FOREIGN;
        snprintf(info->why, sizeof info->why, "it is not empty and has no vhptsim marker (%s)", RESULT_MARKER);
    } else {
        const int only = marker_only_listed(dir, &m, entry, sizeof entry, 0);
        if (only < 0) {
            snprintf(info->why, sizeof info->why, "%s", strerror(errno));
            rc = -1;
        } else if (!only) {
            info->kind = RESULT_FOREIGN;
            snprintf(info->why, sizeof info->why, "it holds '%.300s', which vhptsim did not write there", entry);
        } else if (m.study) {
            info->kind = RESULT_STUDY;
        } else {
            info->kind = m.complete ? RESULT_COMPLETE : RESULT_INCOMPLETE;
            for (int i = 0; i < (m.complete ? m.sealed : m.n); i++) { /* the run's files must be there */
                char path[RESULT_PATH_MAX + RESULT_NAME_MAX + 8];
                if (marker_join(path, sizeof path, dir, m.names[i]) != 0 || access(path, F_OK) != 0) {
                    info->kind = RESULT_INCOMPLETE;
                    snprintf(info->why, sizeof info->why, "'%.300s' is missing", m.names[i]);
                    break;
                }
            }
            if (info->kind == RESULT_INCOMPLETE && !info->why[0])
                snprintf(info->why, sizeof info->why, "the run that wrote it did not finish");
            if (config)
                compare_config(dir, config, config_len, info);
        }
    }
    marker_free(&m);
    return rc;
}

/* ---- the lock ----------------------------------------------------------------------------------- */

/* DIR.lock for dir (trailing '/' dropped): 0, or -1 if the name is too long. */
static int lock_path(struct result_lock *l, const char *dir)
{
    l->fd = -1;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return n + 6 <= sizeof l->path && snprintf(l->path, sizeof l->path, "%.*s.lock", (int)n, dir) > 0 ? 0 : -1;
}

/* flock on the lock file; the path must still name the locked file afterwards (a holder unlinks
 * it when done, and a waiter may have locked the unlinked file). */
static int lock_take(struct result_lock *l, int wait)
{
    for (;;) {
        const int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0)
            return -1;
        int rc;
        while ((rc = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) != 0 && errno == EINTR)
            ;
        if (rc != 0) {
            const int e = errno;
            close(fd);
            errno = e;
            return e == EWOULDBLOCK ? 1 : -1;
        }
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(l->path, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            l->fd = fd;
            return 0;
        }
        close(fd);
    }
}

int result_lock_take(struct result_lock *l, const char *dir, int wait)
{
    if (lock_path(l, dir) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return lock_take(l, wait);
}

void result_lock_release(struct result_lock *l)
{
    if (l->fd < 0)
        return;
    struct stat st;
    if (fstat(l->fd, &st) == 0 && st.st_size == 0) /* ours: we never write into it */
        unlink(l->path);
    close(l->fd);
    l->fd = -1;
}

/* ---- stale temporary directories ---------------------------------------------------------------- */

/* Removes the NAME.tmp-<pid>[.prev] directories of processes that are gone from parent, NAME
 * base (NULL: any listed in parent's marker m), if they are vhptsim's alone. */
static void remove_stale_in(const char *parent, const char *base, const struct marker *m)
{
    DIR *dir = opendir(parent);
    if (!dir)
        return;
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        long pid;
        const long blen = marker_temporary(ent->d_name, &pid);
        char path[2 * RESULT_PATH_MAX + 8], name[RESULT_NAME_MAX];
        if (blen <= 0 || pid == 0 || blen >= (long)sizeof name || !marker_pid_gone(pid))
            continue;
        memcpy(name, ent->d_name, (size_t)blen);
        name[blen] = '\0';
        const int i = m ? marker_find(m, name) : -1;
        if (base ? strcmp(name, base) != 0 : i < 0)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", parent, ent->d_name) >= sizeof path)
            continue;
        struct stat st;
        if (m && !m->dirs[i]) { /* a file written aside: a regular file, or nothing to do */
            if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
                unlink(path);
        } else {
            marker_remove_tree(path); /* leaves alone anything without the marker or with other files */
        }
    }
    closedir(dir);
}

static void parent_of(const char *path, char *parent, size_t plen, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!slash)
        snprintf(parent, plen, ".");
    else
        snprintf(parent, plen, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

static void remove_stale(const struct result_dir *d)
{
    char parent[RESULT_PATH_MAX];
    const char *base;
    parent_of(d->final, parent, sizeof parent, &base);
    remove_stale_in(parent, base, NULL);
}

/* ---- writing a result --------------------------------------------------------------------------- */

/* dir without trailing '/' into final (RESULT_PATH_MAX bytes): 0, or -1 with err when it is
 * empty, too long, or names no directory of its own ('/', '.', '..'). */
static int output_name(const char *dir, char *final, char *err, size_t errlen)
{
    const size_t len = strlen(dir);
    if (len == 0 || len + 64 >= RESULT_PATH_MAX) {
        snprintf(err, errlen, "output directory name is empty or too long");
        return -1;
    }
    snprintf(final, RESULT_PATH_MAX, "%s", dir);
    size_t n = len;
    while (n > 1 && final[n - 1] == '/')
        final[--n] = '\0';
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        snprintf(err, errlen, "output directory '%s': name the directory itself (not '/', '.' or '..')", dir);
        return -1;
    }
    return 0;
}

/* Whether errno says the place itself is unusable (a read-only file system, no permission, a
 * missing or non-directory parent): bad output (exit 2), not an I/O failure. */
static int bad_place(int e) { return e == EROFS || e == EACCES || e == EPERM || e == ENOENT || e == ENOTDIR; }

/* Whether dir (an existing directory) is a mount point (the root of a mounted file system, bind
 * mounts included): nothing can be renamed into its place. */
static int mount_point(const char *dir)
{
#ifdef STATX_ATTR_MOUNT_ROOT
    struct statx sx;
    if (statx(AT_FDCWD, dir, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) == 0 &&
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
#endif
    char parent[RESULT_PATH_MAX + 4]; /* older kernels: another device than its parent's */
    snprintf(parent, sizeof parent, "%s/..", dir);
    struct stat a, b;
    return stat(dir, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

static int set_paths(struct result_dir *d, const char *dir, char *err, size_t errlen)
{
    if (output_name(dir, d->final, err, errlen) != 0)
        return -1;
    snprintf(d->tmp, sizeof d->tmp, "%s.tmp-%ld", d->final, (long)getpid());
    snprintf(d->marker, sizeof d->marker, "%s/%s", d->tmp, RESULT_MARKER);
    return lock_path(&d->lock, d->final);
}

static int refuse(struct result_dir *d, int status, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* unlocks and returns status, with the message in err */
static int refuse(struct result_dir *d, int status, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    result_lock_release(&d->lock);
    d->state = ST_IDLE;
    return status;
}

static int refuse_foreign(char *err, size_t errlen, const char *dir, const char *why)
{
    snprintf(err, errlen,
             "%s is not a vhptsim result: %s. vhptsim writes only into a new or empty directory or an earlier result, "
             "so nothing was touched",
             dir, why);
    return RESULT_REFUSED;
}

int result_dir_begin(struct result_dir *d, const char *dir, const char *config, size_t config_len, unsigned flags,
                     char *err, size_t errlen)
{
    d->nfiles = 0;
    d->state = ST_IDLE;
    d->lock.fd = d->marker_fd = -1;
    if (set_paths(d, dir, err, errlen) != 0)
        return RESULT_REFUSED;
    if (make_parents(d->final) != 0) {
        snprintf(err, errlen, "cannot create the parent directories of %s: %s", d->final, strerror(errno));
        return bad_place(errno) ? RESULT_REFUSED : RESULT_FAILED;
    }
    const int locked = lock_take(&d->lock, (flags & RESULT_WAIT) != 0);
    if (locked != 0) {
        const int e = errno;
        if (locked > 0)
            snprintf(err, errlen, "%s is being written by another process (it holds %s)", d->final, d->lock.path);
        else
            snprintf(err, errlen, "cannot write beside %s (its lock %s): %s", d->final, d->lock.path, strerror(e));
        return locked > 0 ? RESULT_BUSY : bad_place(e) ? RESULT_REFUSED : RESULT_FAILED;
    }
    d->state = ST_LOCKED;
    struct result_info info;
    if (result_dir_inspect(d->final, config, config_len, &info) != 0)
        return refuse(d, RESULT_FAILED, err, errlen, "cannot read %s: %s", d->final, info.why);
    switch (info.kind) {
    case RESULT_NOT_DIR:
        return refuse(d, RESULT_REFUSED, err, errlen, "%s: %s; results go into a directory", d->final, info.why);
    case RESULT_FOREIGN:
        result_lock_release(&d->lock);
        d->state = ST_IDLE;
        return refuse_foreign(err, errlen, d->final, info.why);
    case RESULT_STUDY:
        if (!(flags & RESULT_REPLACE_CHANGED))
            return refuse(d, RESULT_REFUSED, err, errlen,
                          "%s holds a study (docs/studies.md), not one run's result; --force replaces it", d->final);
        break;
    case RESULT_COMPLETE:
    case RESULT_INCOMPLETE:
        if (info.same_config && info.kind == RESULT_COMPLETE && !(flags & RESULT_REDO))
            return refuse(d, RESULT_UP_TO_DATE, err, errlen, "%s is a complete result of the same configuration",
                          d->final);
        if (!info.same_config && !(flags & RESULT_REPLACE_CHANGED))
            return refuse(d, RESULT_REFUSED, err, errlen,
                          "%s holds the result of another configuration (%s); --force replaces it", d->final,
                          info.diff);
        break;
    case RESULT_ABSENT:
    case RESULT_EMPTY:
        break;
    }
    /* a result is written beside DIR and renamed into its place: a mount point cannot be
     * replaced (EBUSY), so say so now rather than after the whole run */
    if (info.kind != RESULT_ABSENT && mount_point(d->final))
        return refuse(d, RESULT_REFUSED, err, errlen,
                      "%s is a mount point: a result is written beside its directory and renamed into its place, "
                      "which a mount point cannot take; name a directory inside it (-o %s/NAME)",
                      d->final, d->final);
    d->prior = info.kind;
    remove_stale(d);
    if (mkdir(d->tmp, 0777) != 0) {
        const int e = errno;
        snprintf(err, errlen, "cannot write beside %s (creating %s): %s", d->final, d->tmp, strerror(e));
        result_lock_release(&d->lock);
        d->state = ST_IDLE;
        return bad_place(e) ? RESULT_REFUSED : RESULT_FAILED;
    }
    d->marker_fd = open(d->marker, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
    d->state = ST_WRITING;
    FILE *cfg = NULL;
    errno = 0;
    if (d->marker_fd < 0 || marker_append(d->marker_fd, MARKER_HEADER, NULL) != 0 ||
        (config && (!(cfg = result_dir_open(d, RESULT_CONFIG)) || fwrite(config, 1, config_len, cfg) != config_len ||
                    fclose(cfg) != 0))) {
        snprintf(err, errlen, "cannot write into %s: %s", d->tmp, strerror(errno ? errno : EIO));
        result_dir_abort(d);
        return RESULT_FAILED;
    }
    return RESULT_OK;
}

int result_dir_add(struct result_dir *d, const char *name)
{
    if (d->state != ST_WRITING || !marker_plain_name(name)) {
        errno = EINVAL;
        return -1;
    }
    if (d->nfiles >= RESULT_MAX_FILES) {
        errno = ENOSPC;
        return -1;
    }
    for (int i = 0; i < d->nfiles; i++) {
        if (strcmp(d->files[i], name) == 0) {
            errno = EINVAL;
            return -1;
        }
    }
    if (marker_append(d->marker_fd, "file", name) != 0)
        return -1;
    snprintf(d->files[d->nfiles], sizeof d->files[0], "%s", name);
    d->nfiles++; /* listed first, then created: a signal removes what the marker lists */
    return 0;
}

FILE *result_dir_open(struct result_dir *d, const char *name)
{
    char path[sizeof d->tmp + RESULT_NAME_MAX + 1];
    if (result_dir_add(d, name) != 0 || marker_join(path, sizeof path, d->tmp, name) != 0)
        return NULL;
    return fopen(path, "wx");
}

static int sync_path(const char *path)
{
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const int rc = fsync(fd);
    close(fd);
    return rc;
}

int result_dir_commit(struct result_dir *d, char *err, size_t errlen)
{
    sigset_t hold, saved;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigaddset(&hold, SIGHUP);
    sigprocmask(SIG_BLOCK, &hold, &saved);
    int rc = -1;
    /* the files, then the marker that says they are whole, reach the disk before the rename */
    char path[sizeof d->tmp + RESULT_NAME_MAX + 1];
    for (int i = 0; i < d->nfiles; i++)
        if (marker_join(path, sizeof path, d->tmp, d->files[i]) != 0 || sync_path(path) != 0)
            goto out;
    if (marker_append(d->marker_fd, "complete", NULL) != 0 || fsync(d->marker_fd) != 0 || close(d->marker_fd) != 0) {
        d->marker_fd = -1;
        goto out;
    }
    d->marker_fd = -1;
    if (sync_path(d->tmp) != 0)
        goto out;
    struct result_info now;
    if (result_dir_inspect(d->final, NULL, 0, &now) != 0 || now.kind == RESULT_FOREIGN || now.kind == RESULT_NOT_DIR) {
        snprintf(err, errlen, "%s changed during the run (%s); the new result was not moved there", d->final,
                 now.why[0] ? now.why : "it is no longer vhptsim's");
        goto out_quiet;
    }
    if (now.kind == RESULT_ABSENT || now.kind == RESULT_EMPTY) {
        if (rename(d->tmp, d->final) != 0)
            goto out;
    } else if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->final, RENAME_EXCHANGE) == 0) {
        marker_remove_tree(d->tmp); /* now the earlier result, with any report drawn into it */
    } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
        char prev[RESULT_PATH_MAX + 48];
        snprintf(prev, sizeof prev, "%s.prev", d->tmp);
        if (rename(d->final, prev) != 0)
            goto out;
        if (rename(d->tmp, d->final) != 0) {
            const int e = errno;
            rename(prev, d->final);
            errno = e;
            goto out;
        }
        marker_remove_tree(prev);
    } else {
        goto out;
    }
    d->state = ST_DONE;
    rc = 0;
out:
    if (rc != 0)
        snprintf(err, errlen, "cannot move the result into %s: %s", d->final, strerror(errno ? errno : EIO));
out_quiet:
    if (rc != 0)
        result_dir_abort(d);
    else
        result_lock_release(&d->lock);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

void result_dir_abort(struct result_dir *d)
{
    if (d->state == ST_WRITING) {
        if (d->marker_fd >= 0)
            close(d->marker_fd);
        d->marker_fd = -1;
        char path[sizeof d->tmp + RESULT_NAME_MAX + 1];
        for (int i = 0; i < d->nfiles; i++)
            if (marker_join(path, sizeof path, d->tmp, d->files[i]) == 0)
                unlink(path);
        unlink(d->marker);
        rmdir(d->tmp);
    }
    result_lock_release(&d->lock);
    d->state = ST_IDLE;
}

void result_dir_abort_now(struct result_dir *d)
{
    const int state = d->state;
    d->state = ST_IDLE;
    if (state == ST_WRITING) {
        /* tmp/name by hand: strlen and memcpy are async-signal-safe, snprintf is not */
        char path[sizeof d->tmp + RESULT_NAME_MAX + 1];
        const size_t tlen = strlen(d->tmp);
        memcpy(path, d->tmp, tlen);
        path[tlen] = '/';
        for (int i = 0; i < d->nfiles; i++) {
            const size_t nlen = strlen(d->files[i]);
            memcpy(path + tlen + 1, d->files[i], nlen + 1);
            unlink(path);
        }
        unlink(d->marker);
        rmdir(d->tmp);
    }
    struct stat st; /* the process is about to exit: its lock goes with it (fstat is async-signal-safe) */
    if ((state == ST_WRITING || state == ST_LOCKED) && d->lock.fd >= 0 && fstat(d->lock.fd, &st) == 0 &&
        st.st_size == 0)
        unlink(d->lock.path);
}

/* ---- directories written in place: a report added to a result, a study --------------------------- */

int result_dir_add_parts(const char *dir, const char *const *names, size_t n, enum result_part kind, char *err,
                         size_t errlen)
{
    struct marker m;
    char path[RESULT_PATH_MAX + RESULT_NAME_MAX + 8];
    int rc = -1, fd = -1;
    if (marker_read(dir, &m) != 0) {
        snprintf(err, errlen, "%s is not vhptsim's (no %s): not writing '%s' into it", dir, RESULT_MARKER,
                 n ? names[0] : "");
        goto out;
    }
    /* the marker read once and appended to once per new name: a study lists 100000 points */
    const int want_dir = kind != RESULT_PART_FILE;
    for (size_t k = 0; k < n; k++) {
        const char *name = names[k];
        if (!marker_plain_name(name) || marker_join(path, sizeof path, dir, name) != 0) {
            snprintf(err, errlen, "'%s' is not a plain name for something inside %s", name, dir);
            goto out;
        }
        const int i = marker_find(&m, name);
        struct stat st;
        const int there = lstat(path, &st) == 0;
        if (i >= 0 && m.dirs[i] != want_dir) {
            snprintf(err, errlen, "%s lists '%s' as a %s", dir, name, m.dirs[i] ? "directory" : "file");
            goto out;
        }
        if (i < 0 && there) {
            snprintf(err, errlen, "%s holds '%s', which vhptsim did not write there: not touching it", dir, name);
            goto out;
        }
        if (i < 0) {
            if (fd < 0 && (marker_join(path, sizeof path, dir, RESULT_MARKER) != 0 ||
                           (fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)) < 0)) {
                snprintf(err, errlen, "cannot write %s/%s: %s", dir, RESULT_MARKER, strerror(errno));
                goto out;
            }
            if (marker_append(fd, want_dir ? "dir" : "file", name) != 0) {
                snprintf(err, errlen, "cannot write %s/%s: %s", dir, RESULT_MARKER, strerror(errno));
                goto out;
            }
        }
        if (kind == RESULT_PART_DIR && !there) {
            char marker[sizeof path + 32];
            marker_join(path, sizeof path, dir, name);
            snprintf(marker, sizeof marker, "%s/%s", path, RESULT_MARKER);
            FILE *f = NULL;
            if (mkdir(path, 0777) != 0 || !(f = fopen(marker, "wx")) || fputs(MARKER_HEADER "\nstudy\n", f) < 0 ||
                fclose(f) != 0) {
                snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
                goto out;
            }
        }
    }
    rc = 0;
out:
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s/%s: %s", dir, RESULT_MARKER, strerror(errno));
        rc = -1;
    }
    marker_free(&m);
    return rc;
}

int result_dir_remove_files(const char *dir, const char *const *names, size_t n, char *err, size_t errlen)
{
    struct marker m;
    if (marker_read(dir, &m) != 0) {
        snprintf(err, errlen, "%s is not vhptsim's (no %s): removing nothing from it", dir, RESULT_MARKER);
        marker_free(&m);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        char path[RESULT_PATH_MAX + RESULT_NAME_MAX + 8];
        struct stat st;
        const int i = marker_find(&m, names[k]);
        if (i >= 0 && !m.dirs[i] && marker_join(path, sizeof path, dir, names[k]) == 0 && lstat(path, &st) == 0 &&
            S_ISREG(st.st_mode))
            unlink(path);
    }
    marker_free(&m);
    return 0;
}

int result_dir_add_part(const char *dir, const char *name, enum result_part kind, char *err, size_t errlen)
{
    return result_dir_add_parts(dir, &name, 1, kind, err, errlen);
}

int result_dir_adopt(const char *dir, const char *name)
{
    struct result_lock l;
    struct result_info info;
    char err[64];
    if (!marker_plain_name(name) || result_lock_take(&l, dir, 1) != 0)
        return -1;
    const int rc = result_dir_inspect(dir, NULL, 0, &info) == 0 && info.kind == RESULT_COMPLETE
                       ? result_dir_add_part(dir, name, RESULT_PART_FILE, err, sizeof err)
                       : -1;
    result_lock_release(&l);
    return rc;
}

/* Removes the temporaries of listed names that dead processes left in a study's directory and
 * its parts (summary.csv.tmp-<pid>, a point's <point>.tmp-<pid>/). */
static void remove_stale_parts(const char *dir, int depth)
{
    struct marker m;
    if (depth < MARKER_DEPTH_MAX && marker_read(dir, &m) == 0 && m.study) {
        remove_stale_in(dir, NULL, &m);
        for (int i = 0; i < m.n; i++) {
            char path[RESULT_PATH_MAX + RESULT_NAME_MAX + 8];
            if (m.dirs[i] && marker_join(path, sizeof path, dir, m.names[i]) == 0)
                remove_stale_parts(path, depth + 1);
        }
    }
    marker_free(&m);
}

int result_study_begin(struct result_lock *l, const char *dir, unsigned flags, char *err, size_t errlen)
{
    struct {
        char final[RESULT_PATH_MAX];
    } names;
    if (output_name(dir, names.final, err, errlen) != 0)
        return RESULT_REFUSED;
    if (make_parents(names.final) != 0) {
        snprintf(err, errlen, "cannot create the parent directories of %s: %s", names.final, strerror(errno));
        return bad_place(errno) ? RESULT_REFUSED : RESULT_FAILED;
    }
    const int locked = result_lock_take(l, names.final, (flags & RESULT_WAIT) != 0);
    if (locked != 0) {
        const int e = errno;
        if (locked > 0)
            snprintf(err, errlen, "%s is being written by another vhptsim (it holds %s)", names.final, l->path);
        else
            snprintf(err, errlen, "cannot write beside %s (its lock %s): %s", names.final, l->path, strerror(e));
        return locked > 0 ? RESULT_BUSY : bad_place(e) ? RESULT_REFUSED : RESULT_FAILED;
    }
    struct result_info info;
    int status = RESULT_OK;
    if (result_dir_inspect(names.final, NULL, 0, &info) != 0) {
        snprintf(err, errlen, "cannot read %s: %s", names.final, info.why);
        status = RESULT_FAILED;
    } else if (info.kind == RESULT_FOREIGN) {
        status = refuse_foreign(err, errlen, names.final, info.why);
    } else if (info.kind == RESULT_NOT_DIR) {
        snprintf(err, errlen, "%s: %s; a study goes into a directory", names.final, info.why);
        status = RESULT_REFUSED;
    } else if ((info.kind == RESULT_COMPLETE || info.kind == RESULT_INCOMPLETE) && !(flags & RESULT_REPLACE_CHANGED)) {
        snprintf(err, errlen, "%s holds one run's result, not a study; --force replaces it", names.final);
        status = RESULT_REFUSED;
    } else if ((info.kind == RESULT_COMPLETE || info.kind == RESULT_INCOMPLETE) && marker_remove_tree(names.final) != 0) {
        snprintf(err, errlen, "cannot remove the earlier result in %s: %s", names.final, strerror(errno));
        status = RESULT_FAILED;
    }
    if (status == RESULT_OK && info.kind != RESULT_STUDY) {
        char marker[RESULT_PATH_MAX + 32];
        snprintf(marker, sizeof marker, "%s/%s", names.final, RESULT_MARKER);
        FILE *f = NULL;
        if ((mkdir(names.final, 0777) != 0 && errno != EEXIST) || !(f = fopen(marker, "wx")) ||
            fputs(MARKER_HEADER "\nstudy\n", f) < 0 || fclose(f) != 0) {
            snprintf(err, errlen, "cannot create %s: %s", marker, strerror(errno));
            status = bad_place(errno) ? RESULT_REFUSED : RESULT_FAILED;
        }
    }
    if (status == RESULT_OK)
        remove_stale_parts(names.final, 0);
    else
        result_lock_release(l);
    return status;
}

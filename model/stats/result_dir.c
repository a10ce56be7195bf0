/* result_dir.c - see result_dir.h. A result holds plain files only. */
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

#define MARKER_HEADER "# vhptsim result directory (docs/results.md)"
#define MARKER_MAX_NAMES 256 /* names a marker may list (a result's own files, then adopted ones) */
#define MARKER_MAX_BYTES (MARKER_MAX_NAMES * (RESULT_NAME_MAX + 8) + 512)

enum { ST_IDLE, ST_LOCKED, ST_WRITING, ST_DONE }; /* result_dir.state */

struct marker {
    char names[MARKER_MAX_NAMES][RESULT_NAME_MAX];
    int n;
    int complete;
    int sealed; /* names[0 .. sealed) were listed before "complete": the run's own files, which a
                 * complete result must hold; later ones were adopted (result_dir_adopt) */
};

/* ---- names and paths ------------------------------------------------------------------------ */

/* a plain file name a result may hold: no '/', not hidden, printable, short */
static int plain_name(const char *name)
{
    const size_t len = strlen(name);
    if (len == 0 || len >= RESULT_NAME_MAX || name[0] == '.')
        return 0;
    for (const char *p = name; *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static int join(char *buf, size_t len, const char *dir, const char *name)
{
    return (size_t)snprintf(buf, len, "%s/%s", dir, name) < len ? 0 : -1;
}

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

/* ---- the marker ------------------------------------------------------------------------------ */

static int read_all(const char *path, char *buf, size_t cap, size_t *len)
{
    const int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    size_t n = 0;
    for (;;) {
        const ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap) { /* larger than any file we write: not ours */
            close(fd);
            errno = EFBIG;
            return -1;
        }
    }
    close(fd);
    *len = n;
    return 0;
}

/* Reads dir's marker. 0, or -1 if it is missing or is not one vhptsim wrote. */
static int marker_read(const char *dir, struct marker *m)
{
    char path[RESULT_PATH_MAX + 64];
    static const size_t cap = MARKER_MAX_BYTES;
    char *text = malloc(cap + 1);
    size_t len;
    m->n = m->sealed = 0;
    m->complete = 0;
    if (!text || join(path, sizeof path, dir, RESULT_MARKER) != 0 || read_all(path, text, cap, &len) != 0) {
        free(text);
        return -1;
    }
    text[len] = '\0';
    int rc = strncmp(text, MARKER_HEADER "\n", strlen(MARKER_HEADER) + 1) == 0 ? 0 : -1;
    for (char *line = text, *next; rc == 0 && line < text + len; line = next) {
        char *nl = strchr(line, '\n');
        if (!nl) { /* a marker is written line by line: a cut line is not ours */
            rc = -1;
            break;
        }
        *nl = '\0';
        next = nl + 1;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strcmp(line, "complete") == 0) {
            if (!m->complete)
                m->sealed = m->n;
            m->complete = 1;
        } else if (strncmp(line, "file ", 5) == 0 && plain_name(line + 5) && m->n < MARKER_MAX_NAMES) {
            snprintf(m->names[m->n++], RESULT_NAME_MAX, "%s", line + 5);
        } else {
            rc = -1;
        }
    }
    free(text);
    return rc;
}

static int marker_lists(const struct marker *m, const char *name)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0)
            return 1;
    return 0;
}

static int write_full(int fd, const char *s, size_t len)
{
    while (len) {
        const ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

static int marker_append(int fd, const char *what, const char *name)
{
    char line[RESULT_NAME_MAX + 16];
    const int n = snprintf(line, sizeof line, "%s%s%s\n", what, name ? " " : "", name ? name : "");
    return write_full(fd, line, (size_t)n);
}

/* ---- what a directory is ---------------------------------------------------------------------- */

/* Checks that dir holds nothing but its marker and (regular) files the marker lists; *first
 * gets the first other entry. 1 if so, 0 if not, -1 if dir cannot be read. */
static int only_listed(const char *dir, const struct marker *m, char *first, size_t first_len)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int ok = 1;
    struct dirent *ent;
    while (ok && (ent = readdir(d)) != NULL) {
        const char *n = ent->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, RESULT_MARKER) == 0)
            continue;
        struct stat st;
        char path[RESULT_PATH_MAX + 300];
        if (!marker_lists(m, n) || join(path, sizeof path, dir, n) != 0 || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(first, first_len, "%s", n);
            ok = 0;
        }
    }
    closedir(d);
    return ok;
}

static int dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *ent;
    int empty = 1;
    while (empty && (ent = readdir(d)) != NULL)
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

static void compare_config(const char *dir, const char *config, size_t config_len, struct result_info *info)
{
    char path[RESULT_PATH_MAX + 32];
    char *old = malloc(RESULT_CONFIG_MAX);
    size_t len;
    info->same_config = 0;
    if (!old || join(path, sizeof path, dir, RESULT_CONFIG) != 0 || read_all(path, old, RESULT_CONFIG_MAX, &len) != 0)
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
    const int empty = dir_is_empty(dir);
    if (empty != 0) {
        if (empty < 0)
            snprintf(info->why, sizeof info->why, "%s", strerror(errno));
        info->kind = RESULT_EMPTY;
        return empty < 0 ? -1 : 0;
    }
    struct marker *m = malloc(sizeof *m);
    if (!m) {
        snprintf(info->why, sizeof info->why, "out of memory");
        return -1;
    }
    char entry[300] = "";
    int rc = 0;
    if (marker_read(dir, m) != 0) {
        info->kind = RESULT_FOREIGN;
        snprintf(info->why, sizeof info->why, "it is not empty and has no vhptsim marker (%s)", RESULT_MARKER);
    } else {
        const int only = only_listed(dir, m, entry, sizeof entry);
        if (only < 0) {
            snprintf(info->why, sizeof info->why, "%s", strerror(errno));
            rc = -1;
        } else if (!only) {
            info->kind = RESULT_FOREIGN;
            snprintf(info->why, sizeof info->why, "it holds '%s', which vhptsim did not write there", entry);
        } else {
            info->kind = m->complete && marker_lists(m, RESULT_CONFIG) ? RESULT_COMPLETE : RESULT_INCOMPLETE;
            for (int i = 0; i < (m->complete ? m->sealed : m->n); i++) { /* the run's files must be there */
                char path[RESULT_PATH_MAX + 80];
                if (join(path, sizeof path, dir, m->names[i]) != 0 || access(path, F_OK) != 0) {
                    info->kind = RESULT_INCOMPLETE;
                    snprintf(info->why, sizeof info->why, "'%s' is missing", m->names[i]);
                    break;
                }
            }
            if (info->kind == RESULT_INCOMPLETE && !info->why[0])
                snprintf(info->why, sizeof info->why, "the run that wrote it did not finish");
            if (config)
                compare_config(dir, config, config_len, info);
        }
    }
    free(m);
    return rc;
}

/* Removes a directory of vhptsim's: its listed files, its marker, itself. 0, or -1 (and
 * nothing removed) if it holds anything else. */
static int remove_result(const char *dir)
{
    struct marker *m = malloc(sizeof *m);
    char other[300];
    int rc = -1;
    if (m && marker_read(dir, m) == 0 && only_listed(dir, m, other, sizeof other) == 1) {
        char path[RESULT_PATH_MAX + 80];
        for (int i = 0; i < m->n; i++)
            if (join(path, sizeof path, dir, m->names[i]) == 0)
                unlink(path);
        if (join(path, sizeof path, dir, RESULT_MARKER) == 0)
            unlink(path);
        rc = rmdir(dir);
    }
    free(m);
    return rc;
}

/* ---- the lock ----------------------------------------------------------------------------------- */

/* flock on DIR.lock; the path must still name the locked file afterwards (a holder unlinks it
 * when done, and a waiter may have locked the unlinked file). */
static int lock_take(struct result_dir *d, int wait)
{
    for (;;) {
        const int fd = open(d->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
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
        if (fstat(fd, &held) == 0 && stat(d->lock, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            d->lock_fd = fd;
            d->state = ST_LOCKED;
            return 0;
        }
        close(fd);
    }
}

static void lock_release(struct result_dir *d)
{
    if (d->lock_fd < 0)
        return;
    struct stat st;
    if (fstat(d->lock_fd, &st) == 0 && st.st_size == 0) /* ours: we never write into it */
        unlink(d->lock);
    close(d->lock_fd);
    d->lock_fd = -1;
}

/* ---- stale temporary directories ---------------------------------------------------------------- */

/* "NAME.tmp-<pid>" or "NAME.tmp-<pid>.prev" of a process that is gone (or of this pid, from an
 * earlier process): the pid, else 0 */
static long stale_pid(const char *entry, const char *base)
{
    const size_t blen = strlen(base);
    if (strncmp(entry, base, blen) != 0 || strncmp(entry + blen, ".tmp-", 5) != 0)
        return 0;
    const char *p = entry + blen + 5;
    char *end;
    if (*p < '1' || *p > '9')
        return 0;
    const long pid = strtol(p, &end, 10);
    if (*end && strcmp(end, ".prev") != 0)
        return 0;
    if (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
        return 0;
    return pid;
}

static void remove_stale(const struct result_dir *d)
{
    char parent[RESULT_PATH_MAX], base[RESULT_PATH_MAX];
    const char *slash = strrchr(d->final, '/');
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : d->final);
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s", slash == d->final ? 1 : (int)(slash - d->final), d->final);
    DIR *dir = opendir(parent);
    if (!dir)
        return;
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        char path[2 * RESULT_PATH_MAX + 8];
        if (stale_pid(ent->d_name, base) && (size_t)snprintf(path, sizeof path, "%s/%s", parent, ent->d_name) < sizeof path)
            remove_result(path); /* leaves alone anything without the marker or with other files */
    }
    closedir(dir);
}

/* ---- writing a result --------------------------------------------------------------------------- */

static int set_paths(struct result_dir *d, const char *dir, char *err, size_t errlen)
{
    const size_t len = strlen(dir);
    if (len == 0 || len + 64 >= RESULT_PATH_MAX) {
        snprintf(err, errlen, "output directory name is empty or too long");
        return -1;
    }
    snprintf(d->final, sizeof d->final, "%s", dir);
    size_t n = len;
    while (n > 1 && d->final[n - 1] == '/')
        d->final[--n] = '\0';
    const char *slash = strrchr(d->final, '/');
    const char *base = slash ? slash + 1 : d->final;
    if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        snprintf(err, errlen, "output directory '%s': name the directory itself (not '/', '.' or '..')", dir);
        return -1;
    }
    snprintf(d->tmp, sizeof d->tmp, "%s.tmp-%ld", d->final, (long)getpid());
    snprintf(d->lock, sizeof d->lock, "%s.lock", d->final);
    snprintf(d->marker, sizeof d->marker, "%s/%s", d->tmp, RESULT_MARKER);
    return 0;
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
    lock_release(d);
    d->state = ST_IDLE;
    return status;
}

int result_dir_begin(struct result_dir *d, const char *dir, const char *config, size_t config_len, unsigned flags,
                     char *err, size_t errlen)
{
    d->nfiles = 0;
    d->state = ST_IDLE;
    d->lock_fd = d->marker_fd = -1;
    if (set_paths(d, dir, err, errlen) != 0)
        return RESULT_REFUSED;
    if (make_parents(d->final) != 0) {
        snprintf(err, errlen, "cannot create the parent directories of %s: %s", d->final, strerror(errno));
        return RESULT_FAILED;
    }
    const int locked = lock_take(d, (flags & RESULT_WAIT) != 0);
    if (locked != 0) {
        if (locked > 0)
            snprintf(err, errlen, "%s is being written by another process (it holds %s)", d->final, d->lock);
        else
            snprintf(err, errlen, "cannot lock %s: %s", d->lock, strerror(errno));
        return locked > 0 ? RESULT_BUSY : RESULT_FAILED;
    }
    struct result_info info;
    if (result_dir_inspect(d->final, config, config_len, &info) != 0)
        return refuse(d, RESULT_FAILED, err, errlen, "cannot read %s: %s", d->final, info.why);
    switch (info.kind) {
    case RESULT_NOT_DIR:
        return refuse(d, RESULT_REFUSED, err, errlen, "%s: %s; results go into a directory", d->final, info.why);
    case RESULT_FOREIGN:
        return refuse(d, RESULT_REFUSED, err, errlen,
                      "%s is not a vhptsim result: %s. vhptsim writes only into a new or empty directory or an "
                      "earlier result, so nothing was touched",
                      d->final, info.why);
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
    d->prior = info.kind;
    remove_stale(d);
    if (mkdir(d->tmp, 0777) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", d->tmp, strerror(errno));
        lock_release(d);
        d->state = ST_IDLE;
        return RESULT_FAILED;
    }
    d->marker_fd = open(d->marker, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
    d->state = ST_WRITING;
    FILE *cfg = NULL;
    if (d->marker_fd < 0 || write_full(d->marker_fd, MARKER_HEADER "\n", strlen(MARKER_HEADER) + 1) != 0 ||
        !(cfg = result_dir_open(d, RESULT_CONFIG)) || fwrite(config, 1, config_len, cfg) != config_len ||
        fclose(cfg) != 0) {
        snprintf(err, errlen, "cannot write into %s: %s", d->tmp, strerror(errno ? errno : EIO));
        result_dir_abort(d);
        return RESULT_FAILED;
    }
    return RESULT_OK;
}

FILE *result_dir_open(struct result_dir *d, const char *name)
{
    if (d->state != ST_WRITING || !plain_name(name) || d->nfiles >= RESULT_MAX_FILES) {
        errno = EINVAL;
        return NULL;
    }
    for (int i = 0; i < d->nfiles; i++) {
        const char *done = strrchr(d->files[i], '/') + 1;
        if (strcmp(done, name) == 0) {
            errno = EINVAL;
            return NULL;
        }
    }
    char *path = d->files[d->nfiles];
    if (join(path, sizeof d->files[0], d->tmp, name) != 0 || marker_append(d->marker_fd, "file", name) != 0)
        return NULL;
    d->nfiles++; /* listed first, then created: a signal removes what the marker lists */
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
    for (int i = 0; i < d->nfiles; i++)
        if (sync_path(d->files[i]) != 0)
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
        remove_result(d->tmp); /* now the earlier result */
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
        remove_result(prev);
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
        lock_release(d);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

void result_dir_abort(struct result_dir *d)
{
    if (d->state == ST_WRITING) {
        if (d->marker_fd >= 0)
            close(d->marker_fd);
        d->marker_fd = -1;
        for (int i = 0; i < d->nfiles; i++)
            unlink(d->files[i]);
        unlink(d->marker);
        rmdir(d->tmp);
    }
    lock_release(d);
    d->state = ST_IDLE;
}

void result_dir_abort_now(struct result_dir *d)
{
    const int state = d->state;
    d->state = ST_IDLE;
    if (state == ST_WRITING) {
        for (int i = 0; i < d->nfiles; i++)
            unlink(d->files[i]);
        unlink(d->marker);
        rmdir(d->tmp);
    }
    struct stat st; /* the process is about to exit: its lock goes with it (fstat is async-signal-safe) */
    if ((state == ST_WRITING || state == ST_LOCKED) && fstat(d->lock_fd, &st) == 0 && st.st_size == 0)
        unlink(d->lock);
}

int result_dir_adopt(const char *dir, const char *name)
{
    struct result_dir *d = malloc(sizeof *d);
    struct result_info info;
    char err[64];
    int rc = -1;
    if (d)
        d->lock_fd = -1;
    if (d && plain_name(name) && set_paths(d, dir, err, sizeof err) == 0 && lock_take(d, 1) == 0) {
        char path[RESULT_PATH_MAX + 32];
        struct marker *m = malloc(sizeof *m);
        if (m && result_dir_inspect(d->final, NULL, 0, &info) == 0 && info.kind == RESULT_COMPLETE &&
            marker_read(d->final, m) == 0 && join(path, sizeof path, d->final, RESULT_MARKER) == 0) {
            const int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
            rc = fd >= 0 && (marker_lists(m, name) || marker_append(fd, "file", name) == 0) ? 0 : -1;
            if (fd >= 0 && close(fd) != 0)
                rc = -1;
        }
        free(m);
        lock_release(d);
    }
    free(d);
    return rc;
}

/* result_marker.c - see result_marker.h. */
#include "result_marker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "result_dir.h"

#define MARKER_MAX_BYTES (32u << 20) /* a study of SWEEP_MAX_POINTS points lists them all */

/* ---- names and files ------------------------------------------------------------------------- */

int marker_plain_name(const char *name)
{
    const size_t len = strlen(name);
    if (len == 0 || len >= RESULT_NAME_MAX || name[0] == '.')
        return 0;
    for (const char *p = name; *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

int marker_join(char *buf, size_t len, const char *dir, const char *name)
{
    return (size_t)snprintf(buf, len, "%s/%s", dir, name) < len ? 0 : -1;
}

int marker_read_file(const char *path, char *buf, size_t cap, size_t *len)
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

/* The whole marker file into a malloc'ed, NUL-terminated buffer (NULL if unreadable or huge). */
static char *read_marker_text(const char *path, size_t *len)
{
    size_t cap = 4096;
    char *buf = NULL;
    for (;;) {
        char *grown = realloc(buf, cap + 1);
        if (!grown)
            break;
        buf = grown;
        if (marker_read_file(path, buf, cap, len) == 0) {
            buf[*len] = '\0';
            return buf;
        }
        if (errno != EFBIG || cap >= MARKER_MAX_BYTES)
            break;
        cap *= 4;
    }
    free(buf);
    return NULL;
}

/* ---- the marker -------------------------------------------------------------------------------- */

void marker_free(struct marker *m)
{
    free(m->text);
    free(m->names);
    free(m->dirs);
    if (m->index.keys)
        u64_map_free(&m->index);
    memset(m, 0, sizeof *m);
}

static uint64_t name_hash(const char *name) { return u64_hash_bytes(name, strlen(name)); }

static int add_name(struct marker *m, char *name, int is_dir)
{
    if (!m->index.keys && u64_map_init(&m->index) != 0)
        return -1;
    if (m->n == m->cap) {
        const int cap = m->cap ? 2 * m->cap : 32;
        char **names = realloc(m->names, (size_t)cap * sizeof *names);
        if (names)
            m->names = names;
        unsigned char *dirs = names ? realloc(m->dirs, (size_t)cap) : NULL;
        if (!dirs)
            return -1;
        m->dirs = dirs;
        m->cap = cap;
    }
    if (u64_map_put(&m->index, name_hash(name), (uint64_t)m->n) != 0) /* the latest listing counts */
        return -1;
    m->names[m->n] = name;
    m->dirs[m->n++] = (unsigned char)is_dir;
    return 0;
}

int marker_read(const char *dir, struct marker *m)
{
    char path[RESULT_PATH_MAX + 64];
    size_t len = 0;
    memset(m, 0, sizeof *m);
    if (marker_join(path, sizeof path, dir, RESULT_MARKER) != 0 || !(m->text = read_marker_text(path, &len)))
        return -1;
    char *text = m->text;
    if (strncmp(text, MARKER_HEADER "\n", strlen(MARKER_HEADER) + 1) != 0)
        return -1;
    for (char *line = text, *next; line < text + len; line = next) {
        char *nl = strchr(line, '\n');
        if (!nl) /* a marker is written line by line: a cut line is not ours */
            return -1;
        *nl = '\0';
        next = nl + 1;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strcmp(line, "complete") == 0) {
            if (!m->complete)
                m->sealed = m->n;
            m->complete = 1;
        } else if (strcmp(line, "study") == 0) {
            m->study = 1;
        } else if (strncmp(line, "file ", 5) == 0 && marker_plain_name(line + 5)) {
            if (add_name(m, line + 5, 0) != 0)
                return -1;
        } else if (strncmp(line, "dir ", 4) == 0 && marker_plain_name(line + 4)) {
            if (add_name(m, line + 4, 1) != 0)
                return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

int marker_find(const struct marker *m, const char *name)
{
    const uint64_t *at = m->index.keys ? u64_map_get(&m->index, name_hash(name)) : NULL;
    if (!at)
        return -1;
    if (strcmp(m->names[*at], name) == 0)
        return (int)*at;
    for (int i = m->n - 1; i >= 0; i--) /* two names of one hash: the latest listing of name */
        if (strcmp(m->names[i], name) == 0)
            return i;
    return -1;
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

int marker_append(int fd, const char *what, const char *name)
{
    char line[RESULT_NAME_MAX + 16];
    const int n = snprintf(line, sizeof line, "%s%s%s\n", what, name ? " " : "", name ? name : "");
    return n > 0 && (size_t)n < sizeof line ? write_full(fd, line, (size_t)n) : -1;
}

/* ---- temporaries ------------------------------------------------------------------------------ */

long marker_temporary(const char *name, long *pid)
{
    const size_t len = strlen(name);
    *pid = 0;
    if (len > 5 && strcmp(name + len - 5, ".lock") == 0)
        return (long)(len - 5);
    for (const char *t = strstr(name, ".tmp-"); t; t = strstr(t + 1, ".tmp-")) {
        const char *p = t + 5;
        if (t == name || *p < '1' || *p > '9')
            continue;
        char *end;
        errno = 0;
        const long v = strtol(p, &end, 10);
        if (errno == 0 && (*end == '\0' || strcmp(end, ".prev") == 0)) {
            *pid = v;
            return (long)(t - name);
        }
    }
    return -1;
}

int marker_pid_gone(long pid)
{
    return pid == (long)getpid() || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* ---- trees ---------------------------------------------------------------------------------------- */

enum entry { ENTRY_ERROR = -1, ENTRY_FOREIGN, ENTRY_FILE, ENTRY_TREE, ENTRY_EMPTY_DIR };

int marker_dir_is_empty(const char *dir)
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

/* What the entry name of dir (marker m) is; for ENTRY_FOREIGN, its path relative to dir in
 * first. */
static enum entry classify(const char *dir, const struct marker *m, const char *name, char *first, size_t first_len,
                           int depth)
{
    char path[RESULT_PATH_MAX + RESULT_NAME_MAX + 8];
    struct stat st;
    snprintf(first, first_len, "%s", name);
    if (marker_join(path, sizeof path, dir, name) != 0 || lstat(path, &st) != 0)
        return ENTRY_FOREIGN;
    int i = marker_find(m, name);
    if (i < 0) { /* a temporary of a listed name? */
        long pid;
        const long base_len = marker_temporary(name, &pid);
        char base[RESULT_NAME_MAX];
        if (base_len <= 0 || base_len >= (long)sizeof base)
            return ENTRY_FOREIGN;
        memcpy(base, name, (size_t)base_len);
        base[base_len] = '\0';
        if ((i = marker_find(m, base)) < 0)
            return ENTRY_FOREIGN;
        if (pid == 0) /* NAME.lock: the lock of a listed directory */
            return m->dirs[i] && S_ISREG(st.st_mode) ? ENTRY_FILE : ENTRY_FOREIGN;
    }
    if (!m->dirs[i])
        return S_ISREG(st.st_mode) ? ENTRY_FILE : ENTRY_FOREIGN;
    if (!S_ISDIR(st.st_mode))
        return ENTRY_FOREIGN;
    const int empty = marker_dir_is_empty(path); /* being made: created, its marker not yet */
    if (empty != 0)
        return empty > 0 ? ENTRY_EMPTY_DIR : ENTRY_ERROR;
    struct marker sub;
    char inner[RESULT_NAME_MAX + 384];
    int ok = depth < MARKER_DEPTH_MAX && marker_read(path, &sub) == 0 ? 1 : 0;
    if (ok)
        ok = marker_only_listed(path, &sub, inner, sizeof inner, depth + 1);
    else
        snprintf(inner, sizeof inner, "%s", RESULT_MARKER);
    marker_free(&sub);
    if (ok < 0)
        return ENTRY_ERROR;
    if (!ok)
        snprintf(first, first_len, "%s/%s", name, inner);
    return ok ? ENTRY_TREE : ENTRY_FOREIGN;
}

/* The names in dir but ".", ".." and the marker, as one malloc'ed block of strings (NULL and
 * *n = 0 when empty), so that removing entries does not disturb the listing. */
static char **list_dir(const char *dir, size_t *n, int *failed)
{
    *n = 0;
    *failed = 0;
    DIR *d = opendir(dir);
    if (!d) {
        *failed = 1;
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        const char *nm = ent->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || strcmp(nm, RESULT_MARKER) == 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                *failed = 1;
                break;
            }
            names = grown;
        }
        if (!(names[*n] = strdup(nm))) {
            *failed = 1;
            break;
        }
        (*n)++;
    }
    closedir(d);
    return names;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int marker_only_listed(const char *dir, const struct marker *m, char *first, size_t first_len, int depth)
{
    size_t n;
    int failed;
    char **names = list_dir(dir, &n, &failed);
    int ok = failed ? -1 : 1;
    for (size_t i = 0; ok == 1 && i < n; i++) {
        const enum entry e = classify(dir, m, names[i], first, first_len, depth);
        ok = e == ENTRY_ERROR ? -1 : e == ENTRY_FOREIGN ? 0 : 1;
    }
    free_list(names, n);
    return ok;
}

/* Removes what marker_only_listed accepted, then the marker and dir. */
static int remove_checked(const char *dir, int depth)
{
    struct marker m;
    if (marker_read(dir, &m) != 0) {
        marker_free(&m);
        return -1;
    }
    size_t n;
    int failed;
    char **names = list_dir(dir, &n, &failed);
    char first[RESULT_NAME_MAX + 384], path[RESULT_PATH_MAX + RESULT_NAME_MAX + 8];
    for (size_t i = 0; !failed && i < n; i++) {
        if (marker_join(path, sizeof path, dir, names[i]) != 0)
            continue;
        switch (classify(dir, &m, names[i], first, sizeof first, depth)) {
        case ENTRY_FILE:
            unlink(path);
            break;
        case ENTRY_TREE:
            remove_checked(path, depth + 1);
            break;
        case ENTRY_EMPTY_DIR:
            rmdir(path);
            break;
        default:
            break;
        }
    }
    free_list(names, n);
    marker_free(&m);
    if (marker_join(path, sizeof path, dir, RESULT_MARKER) == 0)
        unlink(path);
    return rmdir(dir);
}

int marker_remove_tree(const char *dir)
{
    struct marker m;
    char first[RESULT_NAME_MAX + 384];
    const int ours = marker_read(dir, &m) == 0 && marker_only_listed(dir, &m, first, sizeof first, 0) == 1;
    marker_free(&m);
    return ours ? remove_checked(dir, 0) : -1;
}

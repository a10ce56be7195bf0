/* result_dir.c - see result_dir.h. Output directories hold plain files only. */
#include "result_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of every parent of path (not path itself) */
static int make_parents(const char *path)
{
    char buf[RESULT_PATH_MAX + 32];
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

/* removes a directory of plain files */
static int remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *ent;
    char path[RESULT_PATH_MAX + 256];
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(dir);
}

int result_dir_begin(struct result_dir *d, const char *dir, char *err, size_t errlen)
{
    const size_t len = strlen(dir);
    if (len == 0 || len + 32 >= RESULT_PATH_MAX) {
        snprintf(err, errlen, "output directory name is empty or too long");
        return -1;
    }
    snprintf(d->final, sizeof d->final, "%s", dir);
    while (strlen(d->final) > 1 && d->final[strlen(d->final) - 1] == '/')
        d->final[strlen(d->final) - 1] = '\0';
    snprintf(d->tmp, sizeof d->tmp, "%s.tmp-%ld", d->final, (long)getpid());
    if (make_parents(d->tmp) != 0 || (remove_flat_dir(d->tmp), mkdir(d->tmp, 0777) != 0)) {
        snprintf(err, errlen, "cannot create %s: %s", d->tmp, strerror(errno));
        return -1;
    }
    return 0;
}

FILE *result_dir_open(struct result_dir *d, const char *name)
{
    char path[RESULT_PATH_MAX + 128];
    snprintf(path, sizeof path, "%s/%s", d->tmp, name);
    return fopen(path, "w");
}

int result_dir_commit(struct result_dir *d, char *err, size_t errlen)
{
    char old[RESULT_PATH_MAX + 64];
    snprintf(old, sizeof old, "%s.old-%ld", d->final, (long)getpid());
    struct stat st;
    const int existed = stat(d->final, &st) == 0;
    if (existed && (!S_ISDIR(st.st_mode) || rename(d->final, old) != 0)) {
        snprintf(err, errlen, "cannot replace %s: %s", d->final, S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
        return -1;
    }
    if (rename(d->tmp, d->final) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", d->tmp, d->final, strerror(errno));
        if (existed)
            rename(old, d->final);
        return -1;
    }
    if (existed)
        remove_flat_dir(old);
    return 0;
}

void result_dir_abort(struct result_dir *d) { remove_flat_dir(d->tmp); }

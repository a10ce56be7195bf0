/* input_file.c - see input_file.h. */
#include "input_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

FILE *input_file_open(const char *path, const char *mode, bool allow_stdin, char *err, size_t errlen)
{
    if (allow_stdin && strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, mode);
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: cannot open: is a directory", path);
        fclose(f);
        return NULL;
    }
    return f;
}

char *input_file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = input_file_open(path, "rb", false, err, errlen);
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        if (cap >= max) {
            snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
            free(buf);
            buf = NULL;
            break;
        }
        cap = cap * 2 < max ? cap * 2 : max;
        char *grown = realloc(buf, cap + 1);
        if (!grown) {
            snprintf(err, errlen, "%s: out of memory", path);
            free(buf);
            buf = NULL;
        }
        buf = grown;
    }
    if (buf && ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

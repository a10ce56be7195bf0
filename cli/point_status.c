/* point_status.c - see point_status.h. */
#include "point_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *point_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    const int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Advances *p past comment lines; returns the length of the next line (with its newline). */
static size_t next_line(const char **p, const char *end)
{
    while (*p < end && **p == '#') {
        const char *nl = memchr(*p, '\n', (size_t)(end - *p));
        *p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    return nl ? (size_t)(nl + 1 - *p) : (size_t)(end - *p);
}

static int same_settings(const char *a, size_t alen, const char *b, size_t blen)
{
    const char *pa = a, *pb = b, *ea = a + alen, *eb = b + blen;
    for (;;) {
        const size_t la = next_line(&pa, ea), lb = next_line(&pb, eb);
        if (la != lb || memcmp(pa, pb, la) != 0)
            return 0;
        if (la == 0)
            return 1;
        pa += la;
        pb += lb;
    }
}

enum point_status point_status(const char *dir, const char *config, size_t config_len)
{
    /* a result directory appears whole (result_dir.h): these files exist only in a complete one */
    static const char *const files[] = {"stats.yaml", "stats.csv"};
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (access(path, R_OK) != 0)
            return POINT_ABSENT;
    }
    snprintf(path, sizeof path, "%s/config.yaml", dir);
    size_t len;
    char *have = point_read_file(path, &len);
    if (!have)
        return POINT_ABSENT;
    const int same = same_settings(have, len, config, config_len);
    free(have);
    return same ? POINT_CURRENT : POINT_STALE;
}

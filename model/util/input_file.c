/* input_file.c - see input_file.h. */
#include "input_file.h"

#include <errno.h>
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

/* report_gnuplot.c - see report_gnuplot.h. */
#include "report_gnuplot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subprocess.h"

const char *gnuplot_script(const char *name); /* generated from scripts/gnuplot/ (cmake/embed_text.cmake) */

void gnuplot_var(char *buf, size_t len, const char *name, const char *value)
{
    size_t at = strlen(buf);
    at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s='", at ? "; " : "", name);
    for (; *value && at + 3 < len; value++) {
        if (*value == '\'')
            buf[at++] = '\''; /* '' inside a single-quoted gnuplot string */
        buf[at++] = *value == '\n' ? ' ' : *value;
    }
    if (at + 1 < len)
        buf[at++] = '\'';
    buf[at < len ? at : len - 1] = '\0';
}

void gnuplot_var_num(char *buf, size_t len, const char *name, double value)
{
    const size_t at = strlen(buf);
    snprintf(buf + at, at < len ? len - at : 0, "%s%s=%.17g", at ? "; " : "", name, value);
}

int gnuplot_draw(const char *dir, const char *base, const char *script, const char *vars, unsigned width,
                 unsigned height, char *err, size_t errlen)
{
    const char *palette = gnuplot_script("palette"), *body = gnuplot_script(script);
    if (!palette || !body) {
        snprintf(err, errlen, "internal: no gnuplot template '%s'", script);
        return -1;
    }
    /* the palette, the figure's variables, then its template once per terminal */
    char *program = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&program, &len);
    if (!mem) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fprintf(mem,
            "%s\n%s\ndo for [fmt in \"png svg\"] {\n"
            "if (fmt eq \"png\") { set terminal pngcairo size %u,%u font 'sans,10' noenhanced } "
            "else { set terminal svg size %u,%u dynamic font 'sans,10' noenhanced background rgb 'white' }\n"
            "set output '%s.'.fmt\n%s\nunset output\n}\n",
            palette, vars, width, height, width, height, base, body);
    if (fclose(mem) != 0) {
        free(program);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    static const char *const argv[] = {"gnuplot", NULL};
    static char msg[65536];
    /* reading a script, gnuplot stops with a non-zero status at its first error (its warnings,
     * e.g. about a range it widened, are not failures) */
    const int rc = subprocess_run(argv, dir, program, NULL, 0, msg, sizeof msg);
    free(program);
    if (rc != 0) {
        /* gnuplot echoes the failing command, then ends with '"<file>" line N: what went wrong' */
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        const char *last = strrchr(msg, '\n');
        last = last ? last + 1 : msg;
        snprintf(err, errlen, "gnuplot (%s): %s%s", base, last[0] ? last : "failed",
                 rc < 0 ? " (scripts/setup installs gnuplot-nox)" : "");
        return -1;
    }
    return 0;
}

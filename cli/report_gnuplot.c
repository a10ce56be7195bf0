/* report_gnuplot.c - see report_gnuplot.h. */
#include "report_gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static int write_all(int fd, const char *s)
{
    for (size_t left = strlen(s); left;) {
        const ssize_t n = write(fd, s, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        s += n;
        left -= (size_t)n;
    }
    return 0;
}

int gnuplot_draw(const char *dir, const char *base, const char *script, const char *vars, unsigned width,
                 unsigned height, char *err, size_t errlen)
{
    const char *palette = gnuplot_script("palette"), *body = gnuplot_script(script);
    if (!palette || !body) {
        snprintf(err, errlen, "internal: no gnuplot template '%s'", script);
        return -1;
    }
    int in[2], out[2];
    if (pipe(in) != 0)
        return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        if (chdir(dir) != 0 || null < 0 || dup2(in[0], STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
            dup2(out[1], STDERR_FILENO) < 0)
            _exit(126);
        close(in[1]);
        close(out[0]);
        execlp("gnuplot", "gnuplot", (char *)NULL);
        dprintf(STDERR_FILENO, "cannot run gnuplot: %s (scripts/setup installs gnuplot-nox)\n", strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return snprintf(err, errlen, "fork: %s", strerror(errno)), -1;
    }
    char head[512];
    snprintf(head, sizeof head,
             "\ndo for [fmt in \"png svg\"] {\n"
             "if (fmt eq \"png\") { set terminal pngcairo size %u,%u font 'sans,10' noenhanced } "
             "else { set terminal svg size %u,%u dynamic font 'sans,10' noenhanced background rgb 'white' }\n"
             "set output '%s.'.fmt\n",
             width, height, width, height, base);
    void (*old)(int) = signal(SIGPIPE, SIG_IGN); /* a gnuplot that died early must not kill us */
    const int wrote = write_all(in[1], palette) == 0 && write_all(in[1], vars) == 0 && write_all(in[1], head) == 0 &&
                      write_all(in[1], body) == 0 && write_all(in[1], "\nunset output\n}\n") == 0;
    close(in[1]);
    signal(SIGPIPE, old);
    char msg[1024];
    size_t n = 0;
    for (ssize_t got; n + 1 < sizeof msg && (got = read(out[0], msg + n, sizeof msg - 1 - n)) != 0;) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break;
        n += (size_t)got;
    }
    msg[n] = '\0';
    char sink[256];
    while (read(out[0], sink, sizeof sink) > 0)
        ;
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    /* reading a script, gnuplot stops with a non-zero status at its first error (its warnings,
     * e.g. about a range it widened, are not failures) */
    if (!wrote || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        for (char *p = msg; *p; p++)
            if (*p == '\n')
                *p = ' ';
        snprintf(err, errlen, "gnuplot (%s): %s", base, n ? msg : "failed");
        return -1;
    }
    return 0;
}

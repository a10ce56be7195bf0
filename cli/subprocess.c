/* subprocess.c - see subprocess.h. */
#include "subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads fd to its end into buf (what does not fit is dropped; buf may be NULL) and closes it. */
static void read_all(int fd, char *buf, size_t len)
{
    size_t n = 0;
    char sink[256];
    for (;;) {
        const int room = buf && n + 1 < len;
        const ssize_t got = read(fd, room ? buf + n : sink, room ? len - 1 - n : sizeof sink);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += room ? (size_t)got : 0;
    }
    if (buf && len)
        buf[n] = '\0';
    close(fd);
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

int subprocess_run(const char *const argv[], const char *dir, const char *input, char *out, size_t outlen, char *err,
                   size_t errlen)
{
    int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
    if ((input && pipe(pin) != 0) || pipe(pout) != 0 || pipe(perr) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (pin[i] >= 0)
                close(pin[i]);
            if (pout[i] >= 0)
                close(pout[i]);
        }
        return -1;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        const int in = input ? pin[0] : open("/dev/null", O_RDONLY);
        if ((dir && chdir(dir) != 0) || in < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(pout[1], STDOUT_FILENO) < 0 ||
            dup2(perr[1], STDERR_FILENO) < 0)
            _exit(126);
        if (input)
            close(pin[1]);
        close(pout[0]);
        close(perr[0]);
        execvp(argv[0], (char *const *)argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    if (input)
        close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    if (pid < 0) {
        if (input)
            close(pin[1]);
        close(pout[0]);
        close(perr[0]);
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    int wrote = 1;
    if (input) {
        void (*old)(int) = signal(SIGPIPE, SIG_IGN); /* a child that stops reading must not kill us */
        wrote = write_all(pin[1], input) == 0;
        close(pin[1]);
        signal(SIGPIPE, old);
    }
    read_all(pout[0], out, outlen);
    read_all(perr[0], err, errlen);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && strncmp(err, "cannot run", 10) == 0)
        return -1;
    const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return rc == 0 && !wrote ? 1 : rc;
}

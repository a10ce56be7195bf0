/* cli_util.c - see cli_util.h. */
#include "cli_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return -1;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return -1;
        if (v > (UINT64_MAX - d) / (uint64_t)base)
            return -1;
        v = v * (uint64_t)base + d;
    }
    *out = v;
    return 0;
}

int cli_parse_bytes(const char *s, uint64_t *out)
{
    char num[32];
    const size_t len = strlen(s);
    if (len == 0 || len >= sizeof num)
        return -1;
    memcpy(num, s, len + 1);
    unsigned shift = 0;
    switch (num[len - 1]) {
    case 'K': case 'k': shift = 10; break;
    case 'M': case 'm': shift = 20; break;
    case 'G': case 'g': shift = 30; break;
    default: break;
    }
    if (shift)
        num[len - 1] = '\0';
    uint64_t v;
    if (cli_parse_u64(num, &v) != 0 || (shift && v > (UINT64_MAX >> shift)))
        return -1;
    *out = v << shift;
    return 0;
}

int cli_log2_exact(uint64_t v)
{
    if (v == 0 || (v & (v - 1)) != 0)
        return -1;
    return __builtin_ctzll(v);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("vhptsim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

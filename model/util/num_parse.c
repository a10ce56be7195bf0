/* num_parse.c - see num_parse.h. */
#include "num_parse.h"

#include <string.h>

static int digit_value(char c, int hex)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (hex && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum num_status num_parse_u64(const char *s, int flags, uint64_t *out)
{
    size_t len = strlen(s);
    unsigned shift = 0;
    if ((flags & NUM_SIZE_SUFFIX) && len > 1) {
        switch (s[len - 1]) {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        default: break;
        }
        if (shift)
            len--;
    }
    const int hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const unsigned base = hex ? 16 : 10;
    size_t i = hex ? 2 : 0;
    if (i == len)
        return NUM_SYNTAX; /* empty, or "0x" alone */
    uint64_t v = 0;
    int overflow = 0;
    for (; i < len; i++) {
        const int d = digit_value(s[i], hex);
        if (d < 0)
            return NUM_SYNTAX;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            overflow = 1;
        v = v * base + (uint64_t)d;
    }
    if (overflow || (shift && v > (UINT64_MAX >> shift)))
        return NUM_OVERFLOW;
    *out = v << shift;
    return NUM_OK;
}

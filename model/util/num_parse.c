/* num_parse.c - see num_parse.h. */
#include "num_parse.h"

#include <stdio.h>
#include <string.h>

static const char size_suffixes[] = "KMGTPE"; /* x 2^10, 2^20, ... 2^60 */

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

/* the shift a size suffix stands for, 0 if c is none */
static unsigned suffix_shift(char c)
{
    const char upper = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    const char *at = upper ? strchr(size_suffixes, upper) : NULL;
    return at ? 10u * (unsigned)(at - size_suffixes + 1) : 0;
}

enum num_status num_parse_u64(const char *s, int flags, uint64_t *out)
{
    size_t len = strlen(s);
    const int hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    unsigned shift = 0;
    if ((flags & NUM_SIZE_SUFFIX) && len > 1) {
        const char last = s[len - 1];
        if (!(hex && (last == 'e' || last == 'E'))) /* a hex digit, not the exa suffix */
            shift = suffix_shift(last);
        if (shift)
            len--;
    }
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

void num_format_size(uint64_t v, char *buf, size_t len)
{
    for (unsigned k = sizeof size_suffixes - 1; k > 0; k--) {
        const unsigned shift = 10 * k;
        if (v && (v & ((UINT64_C(1) << shift) - 1)) == 0) {
            snprintf(buf, len, "%llu%c", (unsigned long long)(v >> shift), size_suffixes[k - 1]);
            return;
        }
    }
    snprintf(buf, len, "%llu", (unsigned long long)v);
}

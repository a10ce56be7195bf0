/*
 * ski_cut.c - cuts a small valid Ski trace out of a big one (fuzzing seeds; scripts/fuzz-ski).
 *
 *   ski_cut IN OUT MAXBYTES [TYPE [FROM]]
 *
 * Copies IN's header and string block, then whole records, starting at the first record of type
 * TYPE (hex or decimal) at or after byte offset FROM (default: the first record), for at most
 * MAXBYTES bytes of records, and ends the file with an END record. Record lengths come from IN's
 * table. Exit status 0 on success, 1 on a bad input or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned get16(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8; }
static unsigned long get32(const unsigned char *p)
{
    return p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 6) {
        fprintf(stderr, "usage: ski_cut IN OUT MAXBYTES [TYPE [FROM]]\n");
        return 1;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    fseek(in, 0, SEEK_END);
    const long size = ftell(in);
    rewind(in);
    unsigned char *d = malloc(size > 0 ? (size_t)size : 1);
    if (!d || fread(d, 1, (size_t)size, in) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", argv[1]);
        return 1;
    }
    fclose(in);
    const unsigned long max = strtoul(argv[3], NULL, 0);
    const int want_type = argc > 4 ? (int)strtol(argv[4], NULL, 0) : -1;
    const unsigned long from = argc > 5 ? strtoul(argv[5], NULL, 0) : 0;
    if (size < 600 || get32(d + 8) < 600 || get32(d + 8) > (unsigned long)size) {
        fprintf(stderr, "%s: not a Ski trace\n", argv[1]);
        return 1;
    }
    const unsigned long first = get32(d + 8);
    unsigned long o = first, start = 0;
    int found = 0;
    while (o < (unsigned long)size) {
        const unsigned t = d[o], len = get16(d + 88 + 2 * t);
        if (len == 0 || o + len > (unsigned long)size) {
            fprintf(stderr, "%s: bad record at offset %lu\n", argv[1], o);
            return 1;
        }
        if (t == 0xf0)
            break;
        if (!found && o >= from && (want_type < 0 || (int)t == want_type)) {
            found = 1;
            start = o;
        }
        if (found && o + len - start > max)
            break;
        o += len;
    }
    if (!found) {
        fprintf(stderr, "%s: no record of type 0x%x after offset %lu\n", argv[1], (unsigned)want_type, from);
        return 1;
    }
    FILE *out = fopen(argv[2], "wb");
    const unsigned char end[4] = {0xf0, 0, 0, 0};
    if (!out || fwrite(d, 1, first, out) != first || fwrite(d + start, 1, o - start, out) != o - start ||
        fwrite(end, 1, 4, out) != 4 || fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    free(d);
    return 0;
}

/*
 * check.h - the assertions of the unit tests. A failed check prints where and what, and the
 * test exits non-zero at the end (all checks run, so one run shows every failure).
 */
#ifndef VHPTSIM_CHECK_H
#define VHPTSIM_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

#define CHECK_EQ(actual, expected)                                                             \
    do {                                                                                       \
        const uint64_t check_a_ = (uint64_t)(actual), check_e_ = (uint64_t)(expected);         \
        check_count++;                                                                         \
        if (check_a_ != check_e_) {                                                            \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == 0x%" PRIx64 ", expected %s == 0x%" PRIx64 "\n", \
                    __FILE__, __LINE__, #actual, check_a_, #expected, check_e_);               \
        }                                                                                      \
    } while (0)

#define CHECK_STREQ(actual, expected)                                                          \
    do {                                                                                       \
        const char *check_a_ = (actual), *check_e_ = (expected);                               \
        check_count++;                                                                         \
        if (!check_a_ || strcmp(check_a_, check_e_) != 0) {                                    \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK_STREQ failed: %s == \"%s\", expected \"%s\"\n",      \
                    __FILE__, __LINE__, #actual, check_a_ ? check_a_ : "(null)", check_e_);    \
        }                                                                                      \
    } while (0)

/* The test's exit status: a failure if any check failed, or if none ran at all (a test whose
 * checks were skipped, e.g. by a loop that never iterated, asserts nothing). */
static inline int check_report(const char *name)
{
    if (check_count == 0) {
        fprintf(stderr, "%s: no checks ran\n", name);
        return EXIT_FAILURE;
    }
    if (check_failures)
        fprintf(stderr, "%s: %d of %d checks failed\n", name, check_failures, check_count);
    else
        printf("%s: all %d checks passed\n", name, check_count);
    return check_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif

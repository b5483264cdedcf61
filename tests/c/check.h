/* Test support shared by the C tests: a counting CHECK, the thread's last cxm error, reading
 * a file, and lines of exact bits for the cross-surface comparison. */
#ifndef CXM_TEST_CHECK_H
#define CXM_TEST_CHECK_H

#include <stdio.h>

extern int passed, failed, skipped;

#define CHECK(cond, ...)                                         \
    do {                                                         \
        if (cond) {                                              \
            passed++;                                            \
        } else {                                                 \
            failed++;                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                        \
            fputc('\n', stderr);                                 \
        }                                                        \
    } while (0)

/* This thread's last cxm error message (static buffer). */
const char *last_error(void);
/* The whole file, NUL-terminated; exits on failure. */
char *read_file(const char *path);
/* Opens DIR/SUITE.c.txt for writing (or /dev/null when dir is NULL). */
FILE *open_bits(const char *dir, const char *suite);
/* Writes "LABEL HEX HEX ..." for `count` doubles. */
void bits_line(FILE *out, const char *label, const double *values, int count);
/* |got - want| <= tolerance * max(|want|, 1). */
int close_enough(double got, double want, double tolerance);

#endif

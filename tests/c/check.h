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
/* close_enough, and non-finite expectations matched exactly (NaN with NaN). */
int same_number(double got, double want, double tolerance);

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
/* Option names, each at the index of its code in cxm.h. */
extern const char *const NPS_METHODS[3];        /* cxm_nps_method */
extern const char *const PROPORTION_METHODS[5]; /* cxm_proportion_method */
extern const char *const RATE_METHODS[6];       /* cxm_rate_method */
/* The index of `name` among `n` names (its code), or -1. */
int name_code(const char *const *names, size_t n, const char *name);

#endif

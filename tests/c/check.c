#include "check.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxm.h"

int passed, failed, skipped;

const char *last_error(void) {
    static char buf[512];
    size_t written = 0;
    cxm_status status = cxm_last_error_message(buf, sizeof buf, &written);
    CHECK(status == CXM_STATUS_OK, "cxm_last_error_message: status %u", (unsigned)status);
    return buf;
}

char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(2); }
    text[size] = '\0';
    fclose(f);
    return text;
}

FILE *open_bits(const char *dir, const char *suite) {
    char path[4096];
    if (!dir) return fopen("/dev/null", "w");
    snprintf(path, sizeof path, "%s/%s.c.txt", dir, suite);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    return f;
}

void bits_line(FILE *out, const char *label, const double *values, int count) {
    fputs(label, out);
    for (int i = 0; i < count; i++) {
        uint64_t b;
        memcpy(&b, &values[i], sizeof b);
        fprintf(out, " %016" PRIx64, b);
    }
    fputc('\n', out);
}

int close_enough(double got, double want, double tolerance) {
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    return fabs(got - want) <= tolerance * scale;
}

int same_number(double got, double want, double tolerance) {
    if (isfinite(want)) return close_enough(got, want, tolerance);
    return (isnan(got) && isnan(want)) || got == want;
}

const char *const NPS_METHODS[3] = {"wald", "adjusted_wald", "score"};
const char *const PROPORTION_METHODS[5] = {"wilson", "agresti_coull", "clopper_pearson", "jeffreys", "wald"};
const char *const RATE_METHODS[6] = {"exact", "jeffreys", "score", "wald", "wald_ccv", "sqrt_anscombe"};

int name_code(const char *const *names, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return (int)i;
    return -1;
}

/* Runs the shared NPS vectors (testdata/nps.json) through the C ABI.
 *
 *   test_nps VECTORS.json [OUT_DIR]
 *
 * Checks every value against the reference within the file's tolerance, every error's status
 * and message, and writes each computed number's exact bits to OUT.txt in the format the Rust
 * and Python tests use (OUT_DIR/nps.c.txt), so the test script can prove the three surfaces
 * agree bit for bit. */
#include "check.h"
#include "cxm.h"
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIPPED ((cxm_status)0xFFFFFFFFu)
static FILE *out;

static uint32_t method_code(const char *name) {
    if (strcmp(name, "wald") == 0) return CXM_NPS_METHOD_WALD;
    if (strcmp(name, "adjusted_wald") == 0) return CXM_NPS_METHOD_ADJUSTED_WALD;
    if (strcmp(name, "score") == 0) return CXM_NPS_METHOD_SCORE;
    return 999;
}

/* Runs one input; on success *result is set. Whole scores also go through the integer entry
 * points, which must agree exactly (status, message and every bit of the result). */
static cxm_status run(const char *name, const json_value *input, cxm_nps *result, char *message) {
    const json_value *counts = json_get(input, "counts");
    cxm_status status;
    if (counts) {
        status = cxm_nps_from_counts((uint64_t)json_get(counts, "promoters")->number,
                                     (uint64_t)json_get(counts, "passives")->number,
                                     (uint64_t)json_get(counts, "detractors")->number, result);
        strcpy(message, last_error());
        return status;
    }
    const json_value *scores = json_get(input, "scores");
    const json_value *weights_json = json_get(input, "weights");
    size_t n = scores->len;
    double *values = malloc((n ? n : 1) * sizeof *values);
    int64_t *wide = malloc((n ? n : 1) * sizeof *wide);
    int32_t *narrow = malloc((n ? n : 1) * sizeof *narrow);
    uint8_t *bytes = malloc((n ? n : 1) * sizeof *bytes);
    double *weights = NULL;
    int whole = 1, small = 1;
    for (size_t i = 0; i < n; i++) {
        const json_value *s = &scores->items[i];
        values[i] = s->type == JSON_NULL ? NAN : s->number;
        if (s->type == JSON_NULL || values[i] != floor(values[i])) { whole = 0; continue; }
        wide[i] = (int64_t)values[i];
        narrow[i] = (int32_t)values[i];
        if (values[i] < 0 || values[i] > 255) small = 0; else bytes[i] = (uint8_t)values[i];
    }
    if (weights_json && weights_json->type == JSON_ARRAY) {
        weights = malloc((weights_json->len ? weights_json->len : 1) * sizeof *weights);
        for (size_t i = 0; i < weights_json->len; i++) weights[i] = weights_json->items[i].number;
        /* The C ABI takes one length for scores and weights, so a length mismatch cannot be
         * expressed through it: such a case is skipped (and reported as skipped). */
        if (weights_json->len != n) {
            free(values); free(wide); free(narrow); free(bytes); free(weights);
            return SKIPPED;
        }
    }
    uint32_t missing = strcmp(json_get(input, "missing")->string, "skip") == 0 ? CXM_MISSING_SKIP
                                                                               : CXM_MISSING_REJECT;
    status = cxm_nps_f64(n ? values : NULL, n, weights, missing, result);
    strcpy(message, last_error());
    if (whole) {
        cxm_nps other;
        cxm_status s1 = cxm_nps_i64(n ? wide : NULL, n, weights, missing, &other);
        CHECK(s1 == status && strcmp(last_error(), message) == 0, "%s: i64 differs", name);
        if (s1 == CXM_STATUS_OK) CHECK(memcmp(&other, result, sizeof other) == 0, "%s: i64 bits", name);
        cxm_status s2 = cxm_nps_i32(n ? narrow : NULL, n, weights, missing, &other);
        CHECK(s2 == status && strcmp(last_error(), message) == 0, "%s: i32 differs", name);
        if (s2 == CXM_STATUS_OK) CHECK(memcmp(&other, result, sizeof other) == 0, "%s: i32 bits", name);
        if (small) {
            cxm_status s3 = cxm_nps_u8(n ? bytes : NULL, n, weights, missing, &other);
            CHECK(s3 == status && strcmp(last_error(), message) == 0, "%s: u8 differs", name);
            if (s3 == CXM_STATUS_OK) CHECK(memcmp(&other, result, sizeof other) == 0, "%s: u8 bits", name);
        }
    }
    free(values); free(wide); free(narrow); free(bytes); free(weights);
    return status;
}

static void check_case(const json_value *c, double tolerance) {
    const char *name = json_get(c, "name")->string;
    const json_value *error = json_get(c, "error");
    cxm_nps r;
    char message[512] = "";
    cxm_status status = run(name, json_get(c, "input"), &r, message);
    if (status == SKIPPED) {
        skipped++;
        return;
    }
    if (error) {
        const char *kind = json_get(error, "kind")->string;
        const char *got = cxm_status_name(status);
        CHECK(got != NULL && strcmp(got, kind) == 0, "%s: status %u (%s) for %s", name, (unsigned)status,
              got ? got : "no status", kind);
        CHECK(strcmp(message, json_get(error, "message")->string) == 0, "%s: message '%s'", name, message);
        return;
    }
    CHECK(status == CXM_STATUS_OK, "%s: status %u (%s)", name, (unsigned)status, message);
    if (status != CXM_STATUS_OK) return;
    const json_value *want = json_get(c, "expected");
    CHECK(r.n == (uint64_t)json_get(want, "n")->number, "%s: n", name);
    CHECK(r.promoters == (uint64_t)json_get(want, "promoters")->number, "%s: promoters", name);
    CHECK(r.passives == (uint64_t)json_get(want, "passives")->number, "%s: passives", name);
    CHECK(r.detractors == (uint64_t)json_get(want, "detractors")->number, "%s: detractors", name);
    const struct { const char *field; double got; } fields[] = {
        {"promoter_share", r.promoter_share}, {"passive_share", r.passive_share},
        {"detractor_share", r.detractor_share}, {"score", r.score},
        {"standard_error", r.standard_error}, {"effective_n", r.effective_n},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        double expected = json_get(want, fields[i].field)->number;
        CHECK(close_enough(fields[i].got, expected, tolerance), "%s %s: %.17g vs %.17g", name,
              fields[i].field, fields[i].got, expected);
        char label[256];
        snprintf(label, sizeof label, "%s %s", name, fields[i].field);
        bits_line(out, label, &fields[i].got, 1);
    }
    const json_value *intervals = json_get(want, "intervals");
    for (size_t i = 0; i < intervals->len; i++) {
        const json_value *iv = &intervals->items[i];
        const char *method = json_get(iv, "method")->string;
        double level = json_get(iv, "level")->number;
        cxm_interval ci;
        status = cxm_nps_confidence_interval(&r, level, method_code(method), &ci);
        CHECK(status == CXM_STATUS_OK, "%s %s@%g: status %u", name, method, level, (unsigned)status);
        CHECK(close_enough(ci.lower, json_get(iv, "lower")->number, tolerance), "%s %s@%g lower %.17g", name,
              method, level, ci.lower);
        CHECK(close_enough(ci.upper, json_get(iv, "upper")->number, tolerance), "%s %s@%g upper %.17g", name,
              method, level, ci.upper);
        char label[256];
        double limits[2] = {ci.lower, ci.upper};
        snprintf(label, sizeof label, "%s %s@%g", name, method, level);
        bits_line(out, label, limits, 2);
    }
}

static void check_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", CXM_VERSION_MAJOR, CXM_VERSION_MINOR, CXM_VERSION_PATCH);
    CHECK(strcmp(cxm_version(), expected) == 0, "cxm_version() %s vs header %s", cxm_version(), expected);
    CHECK(cxm_abi_version() == CXM_ABI_VERSION, "ABI %u vs header %u", cxm_abi_version(), CXM_ABI_VERSION);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s VECTORS.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    out = open_bits(argc > 2 ? argv[2] : NULL, "nps");
    json_value doc;
    char *text = read_json(argv[1], &doc);
    double tolerance = json_get(&doc, "tolerance")->number;
    const json_value *cases = json_get(&doc, "cases");
    for (size_t i = 0; i < cases->len; i++) check_case(&cases->items[i], tolerance);

    const json_value *boot = json_get(&doc, "bootstrap");
    for (size_t i = 0; i < boot->len; i++) {
        const json_value *b = &boot->items[i], *counts = json_get(b, "counts");
        cxm_nps r;
        cxm_interval ci;
        cxm_nps_from_counts((uint64_t)json_get(counts, "promoters")->number, (uint64_t)json_get(counts, "passives")->number,
                            (uint64_t)json_get(counts, "detractors")->number, &r);
        cxm_status status = cxm_nps_bootstrap_interval(&r, json_get(b, "level")->number,
                                                       (uint32_t)json_get(b, "resamples")->number,
                                                       (uint64_t)json_get(b, "seed")->number, &ci);
        CHECK(status == CXM_STATUS_OK, "bootstrap %zu: %s", i, last_error());
        CHECK(close_enough(ci.lower, json_get(b, "lower")->number, tolerance) &&
                  close_enough(ci.upper, json_get(b, "upper")->number, tolerance),
              "bootstrap %zu: %.17g %.17g", i, ci.lower, ci.upper);
        char label[64];
        double limits[2] = {ci.lower, ci.upper};
        snprintf(label, sizeof label, "bootstrap %zu", i);
        bits_line(out, label, limits, 2);
    }

    /* Bayesian: seeded Monte Carlo, within the vectors' allowance of the exact limits. */
    const json_value *bayes = json_get(&doc, "bayesian");
    for (size_t i = 0; i < bayes->len; i++) {
        const json_value *b = &bayes->items[i], *counts = json_get(b, "counts"), *p = json_get(b, "prior");
        cxm_nps r;
        cxm_interval ci;
        cxm_nps_from_counts((uint64_t)json_get(counts, "promoters")->number, (uint64_t)json_get(counts, "passives")->number,
                            (uint64_t)json_get(counts, "detractors")->number, &r);
        cxm_dirichlet_prior prior = {json_get(p, "promoters")->number, json_get(p, "passives")->number,
                                     json_get(p, "detractors")->number};
        cxm_status status = cxm_nps_bayesian_interval(&r, json_get(b, "level")->number, prior,
                                                      (uint32_t)json_get(b, "draws")->number,
                                                      (uint64_t)json_get(b, "seed")->number, &ci);
        CHECK(status == CXM_STATUS_OK, "bayesian %zu: %s", i, last_error());
        double allowance = json_get(b, "allowance")->number;
        CHECK(fabs(ci.lower - json_get(b, "lower")->number) <= allowance &&
                  fabs(ci.upper - json_get(b, "upper")->number) <= allowance,
              "bayesian %zu: %.17g %.17g", i, ci.lower, ci.upper);
        char label[64];
        double limits[2] = {ci.lower, ci.upper};
        snprintf(label, sizeof label, "bayesian %zu", i);
        bits_line(out, label, limits, 2);
    }

    cxm_nps some;
    CHECK(cxm_nps_from_counts(1, 1, 1, &some) == CXM_STATUS_OK, "from_counts");
    {
        cxm_interval ci;
        cxm_dirichlet_prior bad = {1.0, -1.0, 1.0};
        CHECK(cxm_nps_bayesian_interval(NULL, 0.95, bad, 1000, 0, &ci) == CXM_STATUS_NULL_POINTER, "NULL nps");
        CHECK(cxm_nps_bootstrap_interval(&some, 0.95, 1000, 0, NULL) == CXM_STATUS_NULL_POINTER, "NULL out");
        CHECK(cxm_nps_bayesian_interval(&some, 0.95, bad, 1000, 0, &ci) == CXM_STATUS_INVALID_PRIOR, "bad prior");
        CHECK(strcmp(last_error(), "Dirichlet prior weight -1 for passives must be positive and finite") == 0,
              "prior message '%s'", last_error());
        CHECK(cxm_nps_bootstrap_interval(&some, 0.95, 1, 0, &ci) == CXM_STATUS_INVALID_SIMULATION_SIZE, "1 resample");
    }
    const json_value *levels = json_get(&doc, "invalid_levels");
    for (size_t i = 0; i < levels->len; i++) {
        cxm_interval ci;
        cxm_status status = cxm_nps_confidence_interval(&some, json_get(&levels->items[i], "level")->number,
                                                        CXM_NPS_METHOD_WALD, &ci);
        const char *message = last_error();
        CHECK(status == CXM_STATUS_INVALID_LEVEL, "invalid level status %u", (unsigned)status);
        CHECK(strcmp(message, json_get(&levels->items[i], "message")->string) == 0, "level message '%s'", message);
    }
    check_version();

    json_free(&doc);
    free(text);
    fclose(out);
    printf("c: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}

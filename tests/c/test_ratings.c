/* Runs the shared CSAT/CES and proportion vectors (testdata/ratings.json,
 * testdata/proportions.json) through the C ABI.
 *
 *   test_ratings TESTDATA_DIR [OUT_DIR]
 *
 * Checks values against the references and writes the exact bits of every computed number to
 * OUT_DIR/ratings.c.txt and OUT_DIR/proportions.c.txt, in the Rust and Python tests' format. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

static uint32_t proportion_method(const char *name) {
    static const char *NAMES[] = {"wilson", "agresti_coull", "clopper_pearson", "jeffreys", "wald"};
    for (uint32_t i = 0; i < 5; i++)
        if (strcmp(NAMES[i], name) == 0) return i;
    return 999;
}

static cxm_status run(const json_value *input, cxm_rating *result) {
    const json_value *s = json_get(input, "scale");
    cxm_scale scale = {(int64_t)json_get(s, "min")->number, (int64_t)json_get(s, "max")->number,
                       (int64_t)json_get(s, "threshold")->number,
                       (uint32_t)json_get(s, "higher_is_better")->number};
    const json_value *scores = json_get(input, "scores");
    const json_value *weights_json = json_get(input, "weights");
    size_t n = scores->len;
    double *values = malloc((n ? n : 1) * sizeof *values);
    double *weights = NULL;
    for (size_t i = 0; i < n; i++)
        values[i] = scores->items[i].type == JSON_NULL ? NAN : scores->items[i].number;
    if (weights_json && weights_json->type == JSON_ARRAY) {
        weights = malloc((n ? n : 1) * sizeof *weights);
        for (size_t i = 0; i < n; i++) weights[i] = weights_json->items[i].number;
    }
    uint32_t missing = strcmp(json_get(input, "missing")->string, "skip") == 0 ? CXM_MISSING_SKIP
                                                                               : CXM_MISSING_REJECT;
    cxm_status status = cxm_rating_f64(values, n, weights, &scale, missing, result);
    free(values);
    free(weights);
    return status;
}

static void ratings(const char *dir, const char *out_dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/ratings.json", dir);
    json_value doc;
    char *text = read_json(path, &doc);
    FILE *out = open_bits(out_dir, "ratings");
    double tolerance = json_get(&doc, "tolerance")->number;
    const json_value *cases = json_get(&doc, "cases");
    char label[256];
    for (size_t c = 0; c < cases->len; c++) {
        const json_value *kase = &cases->items[c];
        const char *name = json_get(kase, "name")->string;
        cxm_rating r;
        cxm_status status = run(json_get(kase, "input"), &r);
        const json_value *error = json_get(kase, "error");
        if (error) {
            const char *message = last_error();
            CHECK(status != CXM_STATUS_OK, "%s: expected an error", name);
            CHECK(strcmp(message, json_get(error, "message")->string) == 0, "%s: '%s'", name, message);
            continue;
        }
        CHECK(status == CXM_STATUS_OK, "%s: status %u (%s)", name, (unsigned)status, last_error());
        if (status != CXM_STATUS_OK) continue;
        const json_value *want = json_get(kase, "expected");
        CHECK(r.n == (uint64_t)json_get(want, "n")->number, "%s n", name);
        CHECK(r.favourable == (uint64_t)json_get(want, "favourable")->number, "%s favourable", name);
        const struct { const char *field; double got; } fields[] = {
            {"share", r.share}, {"mean", r.mean}, {"effective_n", r.effective_n}};
        for (int i = 0; i < 3; i++) {
            CHECK(close_enough(fields[i].got, json_get(want, fields[i].field)->number, tolerance), "%s %s",
                  name, fields[i].field);
            snprintf(label, sizeof label, "%s %s", name, fields[i].field);
            bits_line(out, label, &fields[i].got, 1);
        }
        const json_value *sd = json_get(want, "standard_deviation");
        if (sd->type == JSON_NULL) {
            CHECK(isnan(r.standard_deviation), "%s sd should be NaN", name);
        } else {
            CHECK(close_enough(r.standard_deviation, sd->number, tolerance), "%s sd", name);
        }
        snprintf(label, sizeof label, "%s standard_deviation", name);
        bits_line(out, label, &r.standard_deviation, 1);
        const json_value *shares = json_get(want, "share_intervals");
        for (size_t i = 0; i < shares->len; i++) {
            const json_value *iv = &shares->items[i];
            const char *method = json_get(iv, "method")->string;
            double level = json_get(iv, "level")->number;
            cxm_interval ci;
            status = cxm_rating_share_interval(&r, level, proportion_method(method), &ci);
            CHECK(status == CXM_STATUS_OK, "%s share %s: status %u", name, method, (unsigned)status);
            CHECK(close_enough(ci.lower, json_get(iv, "lower")->number, tolerance) &&
                      close_enough(ci.upper, json_get(iv, "upper")->number, tolerance),
                  "%s share %s@%g", name, method, level);
            double limits[2] = {ci.lower, ci.upper};
            snprintf(label, sizeof label, "%s share %s@%g", name, method, level);
            bits_line(out, label, limits, 2);
        }
        const json_value *means = json_get(want, "mean_intervals");
        for (size_t i = 0; i < means->len; i++) {
            const json_value *iv = &means->items[i];
            double level = json_get(iv, "level")->number;
            cxm_interval ci;
            status = cxm_rating_mean_interval(&r, level, &ci);
            if (json_get(iv, "error")) {
                CHECK(status == CXM_STATUS_TOO_FEW_RESPONSES, "%s mean: status %u", name, (unsigned)status);
                continue;
            }
            CHECK(status == CXM_STATUS_OK, "%s mean: status %u", name, (unsigned)status);
            CHECK(close_enough(ci.lower, json_get(iv, "lower")->number, tolerance) &&
                      close_enough(ci.upper, json_get(iv, "upper")->number, tolerance),
                  "%s mean@%g", name, level);
            double limits[2] = {ci.lower, ci.upper};
            snprintf(label, sizeof label, "%s mean@%g", name, level);
            bits_line(out, label, limits, 2);
        }
    }
    fclose(out);
    json_free(&doc);
    free(text);
}

static void proportions(const char *dir, const char *out_dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/proportions.json", dir);
    json_value doc;
    char *text = read_json(path, &doc);
    FILE *out = open_bits(out_dir, "proportions");
    double tolerance = json_get(&doc, "tolerance")->number;
    const json_value *cases = json_get(&doc, "cases");
    for (size_t c = 0; c < cases->len; c++) {
        const json_value *kase = &cases->items[c];
        double x = json_get(kase, "successes")->number, n = json_get(kase, "n")->number;
        double level = json_get(kase, "level")->number;
        const char *method = json_get(kase, "method")->string;
        cxm_interval ci;
        cxm_status status = cxm_proportion_interval(x, n, level, proportion_method(method), &ci);
        CHECK(status == CXM_STATUS_OK, "%s %g/%g: status %u", method, x, n, (unsigned)status);
        double want[2] = {json_get(kase, "lower")->number, json_get(kase, "upper")->number};
        double got[2] = {ci.lower, ci.upper};
        for (int i = 0; i < 2; i++)
            CHECK(fabs(got[i] - want[i]) <= tolerance * fabs(want[i]) + 1e-20, "%s %g/%g@%g: %.17g vs %.17g",
                  method, x, n, level, got[i], want[i]);
        /* Labels as Rust prints the numbers: integral values without a decimal point. */
        char label[256];
        snprintf(label, sizeof label, "%s %.17g/%.17g@%g", method, x, n, level);
        bits_line(out, label, got, 2);
    }
    fclose(out);
    json_free(&doc);
    free(text);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTDATA_DIR [OUT_DIR]\n", argv[0]);
        return 2;
    }
    const char *out_dir = argc > 2 ? argv[2] : NULL;
    ratings(argv[1], out_dir);
    proportions(argv[1], out_dir);

    cxm_interval ci;
    cxm_scale bad = {1, 5, 4, 7};
    cxm_rating r;
    const double one[1] = {5.0};
    CHECK(cxm_rating_f64(one, 1, NULL, &bad, CXM_MISSING_REJECT, &r) == CXM_STATUS_INVALID_ARGUMENT,
          "higher_is_better must be 0 or 1");
    CHECK(cxm_rating_f64(one, 1, NULL, NULL, CXM_MISSING_REJECT, &r) == CXM_STATUS_NULL_POINTER, "NULL scale");
    CHECK(cxm_proportion_interval(3, 10, 0.95, 17, &ci) == CXM_STATUS_INVALID_ARGUMENT, "bad method");
    CHECK(cxm_proportion_interval(11, 10, 0.95, CXM_PROPORTION_METHOD_WILSON, &ci) == CXM_STATUS_INVALID_COUNT,
          "11 of 10");

    /* Issue 15, item 1: the scale's bounds were rounded to doubles, so 2^53 was placed one below
     * a scale starting at 2^53 + 1: a panic caught at the boundary (900). */
    const int64_t two53 = INT64_C(9007199254740992);
    cxm_scale wide = {two53 + 1, two53 + 3, two53 + 2, 1};
    const double at_two53[1] = {9007199254740992.0};
    CHECK(cxm_rating_f64(at_two53, 1, NULL, &wide, CXM_MISSING_REJECT, &r) == CXM_STATUS_SCORE_OUT_OF_RANGE,
          "2^53 on 2^53+1..=2^53+3: %s", last_error());

    printf("c ratings: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

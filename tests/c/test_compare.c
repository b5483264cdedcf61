/* Runs the shared two-sample comparison vectors (testdata/comparisons.json) through the C ABI.
 *
 *   test_compare COMPARISONS.json [OUT_DIR]
 *
 * Checks against the references and writes the exact bits of every computed number to
 * OUT_DIR/comparisons.c.txt, labelled by case index as the Rust and Python tests label them. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

static double tolerance;
static FILE *out;

static int same(double got, double want) { return same_number(got, want, tolerance); }

static void check(const char *label, const cxm_comparison *c, const json_value *want) {
    const struct { const char *field; double got; } fields[] = {
        {"estimate", c->estimate}, {"lower", c->lower}, {"upper", c->upper}, {"p_value", c->p_value}};
    for (int i = 0; i < 4; i++)
        CHECK(close_enough(fields[i].got, json_get(want, fields[i].field)->number, tolerance), "%s %s: %.17g",
              label, fields[i].field, fields[i].got);
    CHECK(same(c->statistic, json_number(json_get(want, "statistic"))), "%s statistic %.17g", label, c->statistic);
    const json_value *df = json_get(want, "degrees_of_freedom");
    if (df) CHECK(close_enough(c->degrees_of_freedom, df->number, tolerance), "%s df", label);
    double values[6] = {c->estimate, c->lower, c->upper, c->statistic, c->p_value, c->degrees_of_freedom};
    bits_line(out, label, values, 6);
}

/* A benchmark test against its expected fields, then its bits. */
static void check_benchmark(const char *label, cxm_status status, const cxm_benchmark *t, const json_value *w) {
    CHECK(status == CXM_STATUS_OK, "%s: %s", label, last_error());
    CHECK(same(t->estimate, json_number(json_get(w, "estimate"))) && same(t->lower, json_number(json_get(w, "lower"))) &&
              same(t->upper, json_number(json_get(w, "upper"))) && same(t->statistic, json_number(json_get(w, "statistic"))) &&
              same(t->p_value, json_number(json_get(w, "p_value"))),
          "%s: p %.17g", label, t->p_value);
    double values[5] = {t->estimate, t->lower, t->upper, t->statistic, t->p_value};
    bits_line(out, label, values, 5);
}

/* The cxm_alternative of an input's "alternative". */
static uint32_t alternative_of(const json_value *in) {
    return strcmp(json_get(in, "alternative")->string, "greater") == 0 ? CXM_ALTERNATIVE_GREATER
                                                                        : CXM_ALTERNATIVE_LESS;
}

/* The C code of a method the vectors name (all are in the header). */
static uint32_t code_of(const char *const *names, size_t n, const char *name) {
    int code = name_code(names, n, name);
    CHECK(code >= 0, "unknown method %s", name);
    return code < 0 ? 0 : (uint32_t)code;
}

static cxm_nps nps_of(const json_value *g) {
    cxm_nps nps;
    cxm_status status = cxm_nps_from_counts((uint64_t)json_get(g, "promoters")->number,
                                            (uint64_t)json_get(g, "passives")->number,
                                            (uint64_t)json_get(g, "detractors")->number, &nps);
    CHECK(status == CXM_STATUS_OK, "from_counts");
    return nps;
}

static cxm_rating rating_of(const json_value *scores, int64_t lo, int64_t hi) {
    cxm_scale scale = {lo, hi, lo, 1};
    cxm_rating r;
    double *values = malloc(scores->len * sizeof *values);
    for (size_t i = 0; i < scores->len; i++) values[i] = scores->items[i].number;
    cxm_status status = cxm_rating_f64(values, scores->len, NULL, &scale, CXM_MISSING_REJECT, &r);
    CHECK(status == CXM_STATUS_OK, "rating: %s", last_error());
    free(values);
    return r;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s COMPARISONS.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    out = open_bits(argc > 2 ? argv[2] : NULL, "comparisons");
    tolerance = json_get(&doc, "tolerance")->number;
    char label[128];
    cxm_comparison c;

    const json_value *props = json_get(&doc, "proportions");
    for (size_t i = 0; i < props->len; i++) {
        const json_value *in = json_get(&props->items[i], "input"), *exp = json_get(&props->items[i], "expected");
        for (size_t k = 0; k < exp->len; k++) {
            double level = json_get(&exp->items[k], "level")->number;
            cxm_status status = cxm_compare_proportions(
                json_get(in, "successes1")->number, json_get(in, "n1")->number, json_get(in, "successes2")->number,
                json_get(in, "n2")->number, level, &c);
            snprintf(label, sizeof label, "proportions %zu@%g", i, level);
            CHECK(status == CXM_STATUS_OK && c.method == CXM_COMPARISON_METHOD_NEWCOMBE_SCORE, "%s", label);
            check(label, &c, &exp->items[k]);
        }
    }
    const json_value *npss = json_get(&doc, "nps");
    for (size_t i = 0; i < npss->len; i++) {
        const json_value *in = json_get(&npss->items[i], "input"), *exp = json_get(&npss->items[i], "expected");
        cxm_nps a = nps_of(json_get(in, "a")), b = nps_of(json_get(in, "b"));
        for (size_t k = 0; k < exp->len; k++) {
            const char *method = json_get(&exp->items[k], "method")->string;
            double level = json_get(&exp->items[k], "level")->number;
            uint32_t code = strcmp(method, "wald") == 0 ? CXM_NPS_METHOD_WALD : CXM_NPS_METHOD_ADJUSTED_WALD;
            cxm_status status = cxm_compare_nps(&a, &b, level, code, &c);
            snprintf(label, sizeof label, "nps %zu %s@%g", i, method, level);
            CHECK(status == CXM_STATUS_OK, "%s: %s", label, last_error());
            check(label, &c, &exp->items[k]);
        }
    }
    const json_value *means = json_get(&doc, "means");
    for (size_t i = 0; i < means->len; i++) {
        const json_value *in = json_get(&means->items[i], "input"), *exp = json_get(&means->items[i], "expected");
        const json_value *scale = json_get(in, "scale");
        int64_t lo = (int64_t)scale->items[0].number, hi = (int64_t)scale->items[1].number;
        cxm_rating a = rating_of(json_get(in, "a"), lo, hi), b = rating_of(json_get(in, "b"), lo, hi);
        for (size_t k = 0; k < exp->len; k++) {
            double level = json_get(&exp->items[k], "level")->number;
            cxm_status status = cxm_compare_means(&a, &b, level, &c);
            snprintf(label, sizeof label, "means %zu@%g", i, level);
            CHECK(status == CXM_STATUS_OK && c.method == CXM_COMPARISON_METHOD_WELCH, "%s", label);
            check(label, &c, &exp->items[k]);
        }
    }

    const json_value *pb = json_get(&doc, "proportion_benchmarks");
    for (size_t i = 0; i < pb->len; i++) {
        const json_value *in = json_get(&pb->items[i], "input"), *exp = json_get(&pb->items[i], "expected");
        for (size_t k = 0; k < exp->len; k++) {
            const char *method = json_get(&exp->items[k], "method")->string;
            cxm_benchmark t;
            cxm_status status = cxm_proportion_vs_benchmark(json_get(in, "successes")->number, json_get(in, "n")->number,
                                                            json_get(in, "benchmark")->number, alternative_of(in), 0.95,
                                                            code_of(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), method), &t);
            snprintf(label, sizeof label, "proportion_benchmark %zu %s", i, method);
            check_benchmark(label, status, &t, &exp->items[k]);
        }
    }
    const json_value *nb = json_get(&doc, "nps_benchmarks");
    for (size_t i = 0; i < nb->len; i++) {
        const json_value *in = json_get(&nb->items[i], "input"), *exp = json_get(&nb->items[i], "expected");
        cxm_nps nps = nps_of(json_get(in, "counts"));
        for (size_t k = 0; k < exp->len; k++) {
            const char *method = json_get(&exp->items[k], "method")->string;
            cxm_benchmark t;
            cxm_status status = cxm_nps_vs_benchmark(&nps, json_get(in, "benchmark")->number, alternative_of(in), 0.95,
                                                     code_of(NPS_METHODS, COUNT(NPS_METHODS), method), &t);
            snprintf(label, sizeof label, "nps_benchmark %zu %s", i, method);
            check_benchmark(label, status, &t, &exp->items[k]);
        }
    }

    cxm_nps one;
    cxm_nps_from_counts(5, 3, 2, &one);
    cxm_benchmark t;
    CHECK(cxm_nps_vs_benchmark(&one, 100.0, CXM_ALTERNATIVE_GREATER, 0.95, CXM_NPS_METHOD_SCORE, &t) ==
              CXM_STATUS_INVALID_BENCHMARK,
          "benchmark 100 is outside (-100, 100)");
    CHECK(cxm_nps_vs_benchmark(&one, 10.0, 7, 0.95, CXM_NPS_METHOD_SCORE, &t) == CXM_STATUS_INVALID_ARGUMENT,
          "unknown alternative");
    CHECK(cxm_compare_nps(&one, NULL, 0.95, CXM_NPS_METHOD_WALD, &c) == CXM_STATUS_NULL_POINTER, "NULL b");
    CHECK(cxm_compare_nps(&one, &one, 0.95, CXM_NPS_METHOD_SCORE, &c) == CXM_STATUS_UNSUPPORTED_METHOD,
          "score is not a comparison method");

    /* Regressions from a hostile test. A hand-built rating with sd 1e-85 (or 1e150 against 1)
       crashed the process: the Welch df was 0/0 and the t quantile recursed on NaN. 1e-85 is a
       valid spread (the df tends to n1 - 1 = 3); 1e150 cannot be on a 1-5 scale. */
    cxm_scale csat = {1, 5, 4, 1};
    double base_scores[] = {1, 5, 3, 4};
    cxm_rating base, narrow;
    CHECK(cxm_rating_f64(base_scores, 4, NULL, &csat, CXM_MISSING_REJECT, &base) == CXM_STATUS_OK, "base rating");
    narrow = base;
    narrow.standard_deviation = 1e-85;
    CHECK(cxm_compare_means(&narrow, &base, 0.95, &c) == CXM_STATUS_OK && c.degrees_of_freedom > 2.999999 &&
              c.degrees_of_freedom < 3.000001 && c.p_value >= 0.0 && c.p_value <= 1.0,
          "sd 1e-85: %s", last_error());
    narrow.standard_deviation = 1e150;
    CHECK(cxm_compare_means(&narrow, &base, 0.95, &c) == CXM_STATUS_INVALID_ESTIMATE, "sd 1e150 is refused");
    /* An all-passive NPS against 0 had p = NaN (0/0) for score and wald. */
    cxm_nps passives;
    cxm_nps_from_counts(0, 4, 0, &passives);
    for (uint32_t method = CXM_NPS_METHOD_WALD; method <= CXM_NPS_METHOD_SCORE; method++) {
        CHECK(cxm_nps_vs_benchmark(&passives, 0.0, CXM_ALTERNATIVE_GREATER, 0.95, method, &t) == CXM_STATUS_OK &&
                  t.p_value == 0.5,
              "all passives against 0, method %u: p = %g", method, t.p_value);
    }

    /* Found by fuzzing (docs/fuzzing.md, F1): a Jeffreys interval reversed at level DBL_MIN. */
    cxm_interval ci;
    CHECK(cxm_proportion_interval(0.0, 304.0, DBL_MIN, CXM_PROPORTION_METHOD_JEFFREYS, &ci) == CXM_STATUS_OK &&
              ci.lower <= ci.upper,
          "Jeffreys at DBL_MIN: [%.17g, %.17g]", ci.lower, ci.upper);

    fclose(out);
    json_free(&doc);
    free(text);
    printf("c comparisons: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* Runs the shared raking vectors (testdata/raking.json, from R survey) through the C ABI.
 *
 *   test_raking RAKING.json [OUT_DIR]
 *
 * Rakes each case (bounded and trimmed as it says), checks the weights and the standard errors
 * against R's, and writes the exact bits to OUT_DIR/raking.c.txt, labelled as the Rust and
 * Python tests label them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

static double *numbers(const json_value *array) {
    double *values = malloc((array->len ? array->len : 1) * sizeof *values);
    for (size_t i = 0; i < array->len; i++)
        values[i] = array->items[i].type == JSON_NULL ? NAN : array->items[i].number;
    return values;
}

static void estimate_line(FILE *out, const char *name, const char *what, const cxm_calibrated_estimate *e) {
    double values[] = {e->estimate,     e->standard_error,           e->lower,
                       e->upper,        e->fixed_weights_standard_error, e->kish_standard_error,
                       e->effective_n,  (double)e->n};
    char label[96];
    snprintf(label, sizeof label, "%s %s", name, what);
    bits_line(out, label, values, (int)COUNT(values));
}

static void check_estimate(const json_value *want, const cxm_calibrated_estimate *e, double tolerance,
                           const char *name, const char *what) {
    const struct { const char *field; double got; } fields[] = {
        {"estimate", e->estimate},
        {"standard_error", e->standard_error},
        {"fixed_weights_standard_error", e->fixed_weights_standard_error},
    };
    for (size_t f = 0; f < COUNT(fields); f++)
        CHECK(close_enough(fields[f].got, json_get(want, fields[f].field)->number, tolerance), "%s %s %s: %.17g",
              name, what, fields[f].field, fields[f].got);
}

static void cases(const json_value *doc, FILE *out) {
    const json_value *all = json_get(doc, "cases");
    double weight_tolerance = json_get(doc, "weight_tolerance")->number;
    double se_tolerance = json_get(doc, "se_tolerance")->number;
    for (size_t c = 0; c < all->len; c++) {
        const json_value *item = &all->items[c], *given = json_get(item, "margins");
        const char *name = json_get(item, "name")->string;
        size_t k = given->len, n = json_get(&given->items[0], "codes")->len;
        cxm_margin *margins = malloc(k * sizeof *margins);
        for (size_t m = 0; m < k; m++) {
            const json_value *codes = json_get(&given->items[m], "codes");
            uint32_t *column = malloc(n * sizeof *column);
            for (size_t i = 0; i < n; i++) column[i] = (uint32_t)codes->items[i].number;
            const json_value *targets = json_get(&given->items[m], "targets");
            margins[m] = (cxm_margin){json_get(&given->items[m], "name")->string, column, numbers(targets),
                                      targets->len, NULL};
        }
        const json_value *base = json_get(item, "base_weights"), *bounds = json_get(item, "bounds"),
                         *trim = json_get(item, "trim");
        double *base_weights = base ? numbers(base) : NULL;
        cxm_rake_options options;
        CHECK(cxm_rake_options_default(&options) == CXM_STATUS_OK, "defaults");
        if (bounds) {
            options.bounded = 1;
            options.lower = bounds->items[0].number;
            options.upper = bounds->items[1].number;
        }
        cxm_raking *raking = NULL;
        CHECK(cxm_rake(margins, k, n, base_weights, &options, &raking) == CXM_STATUS_OK, "%s: %s", name, last_error());
        if (trim) {
            cxm_raking *trimmed = NULL;
            CHECK(cxm_raking_trim(raking, trim->items[0].number, trim->items[1].number, &trimmed) == CXM_STATUS_OK,
                  "%s: trim: %s", name, last_error());
            cxm_raking_free(raking);
            raking = trimmed;
        }
        double *weights = malloc(n * sizeof *weights);
        CHECK(cxm_raking_weights(raking, weights, n) == CXM_STATUS_OK, "%s: weights", name);
        const json_value *want = json_get(json_get(item, "expected"), "weights");
        for (size_t i = 0; i < n; i++)
            CHECK(close_enough(weights[i], want->items[i].number, weight_tolerance), "%s weight %zu: %.17g", name,
                  i, weights[i]);
        cxm_raking_result fit;
        CHECK(cxm_raking_summary(raking, &fit) == CXM_STATUS_OK && fit.converged == 1, "%s: summary", name);
        double *achieved = malloc(margins[0].categories * sizeof *achieved);
        CHECK(cxm_raking_achieved(raking, 0, achieved, margins[0].categories) == CXM_STATUS_OK, "%s: achieved", name);
        if (!trim)
            for (size_t j = 0; j < margins[0].categories; j++)
                CHECK(close_enough(achieved[j], margins[0].targets[j], 1e-9), "%s: margin met", name);
        double *scores = numbers(json_get(item, "scores")), *answers = numbers(json_get(item, "answers"));
        int gaps = 0;
        for (size_t i = 0; i < n; i++) gaps |= isnan(scores[i]);
        cxm_calibrated_estimate nps, share;
        CHECK(cxm_calibrated_nps(raking, scores, n, gaps ? CXM_MISSING_SKIP : CXM_MISSING_REJECT, 0.95, &nps) ==
                  CXM_STATUS_OK,
              "%s: nps: %s", name, last_error());
        const cxm_scale csat = {1, 5, 4, 1};
        CHECK(cxm_calibrated_share(raking, answers, n, &csat, CXM_MISSING_REJECT, 0.95, &share) == CXM_STATUS_OK,
              "%s: share: %s", name, last_error());
        check_estimate(json_get(json_get(item, "expected"), "nps"), &nps, se_tolerance, name, "nps");
        check_estimate(json_get(json_get(item, "expected"), "share"), &share, se_tolerance, name, "share");
        char label[96];
        snprintf(label, sizeof label, "%s weights", name);
        bits_line(out, label, weights, (int)n);
        double summary[] = {fit.iterations, fit.max_residual, fit.design_effect, fit.effective_n, fit.efficiency,
                            (double)fit.trimmed};
        snprintf(label, sizeof label, "%s fit", name);
        bits_line(out, label, summary, (int)COUNT(summary));
        estimate_line(out, name, "nps", &nps);
        estimate_line(out, name, "share", &share);
        cxm_raking_free(raking);
        for (size_t m = 0; m < k; m++) {
            free((void *)margins[m].codes);
            free((void *)margins[m].targets);
        }
        free(margins);
        free(base_weights);
        free(weights);
        free(achieved);
        free(scores);
        free(answers);
    }
}

static void refusals(void) {
    const uint32_t region[] = {0, 0, 1, 1}, stray[] = {0, 2, 1, 1};
    const double even[] = {5, 5};
    cxm_margin margin = {"region", stray, even, 2, NULL};
    cxm_raking *raking = NULL;
    CHECK(cxm_rake(&margin, 1, 4, NULL, NULL, &raking) == CXM_STATUS_INVALID_CALIBRATION && raking == NULL,
          "a code without a target");
    CHECK(strcmp(last_error(),
                 "margin 'region' has category 2 at index 1, but targets for only 2 categories (0..=1)") == 0,
          "message: %s", last_error());
    margin.codes = region;
    cxm_rake_options options;
    cxm_rake_options_default(&options);
    options.bounded = 1;
    options.lower = 0.9;
    options.upper = 1.1;
    const double uneven[] = {1, 9};
    margin.targets = uneven;
    CHECK(cxm_rake(&margin, 1, 4, NULL, &options, &raking) == CXM_STATUS_CALIBRATION_INFEASIBLE, "infeasible");
    const char *labels[] = {"north", "south"};
    margin.labels = labels;
    CHECK(cxm_rake(&margin, 1, 4, NULL, &options, &raking) == CXM_STATUS_CALIBRATION_INFEASIBLE &&
              strstr(last_error(), "category 'north' of margin 'region'") != NULL,
          "a label in the message: %s", last_error());
    margin.labels = NULL;
    options.bounded = 2;
    CHECK(cxm_rake(&margin, 1, 4, NULL, &options, &raking) == CXM_STATUS_INVALID_ARGUMENT, "a flag of 2");
    CHECK(cxm_rake(&margin, 1, 4, NULL, NULL, NULL) == CXM_STATUS_NULL_POINTER, "NULL out");
    margin.name = NULL;
    CHECK(cxm_rake(&margin, 1, 4, NULL, NULL, &raking) == CXM_STATUS_NULL_POINTER, "NULL name");
    cxm_raking_result fit;
    CHECK(cxm_raking_summary(NULL, &fit) == CXM_STATUS_NULL_POINTER, "NULL raking");
    margin.name = "region";
    margin.targets = even;
    CHECK(cxm_rake(&margin, 1, 4, NULL, NULL, &raking) == CXM_STATUS_OK, "even");
    double two[2];
    CHECK(cxm_raking_weights(raking, two, 2) == CXM_STATUS_BUFFER_TOO_SMALL, "a short buffer");
    const double scores[] = {9, 3, 11, 7};
    cxm_calibrated_estimate e;
    CHECK(cxm_calibrated_nps(raking, scores, 4, CXM_MISSING_REJECT, 0.95, &e) == CXM_STATUS_SCORE_OUT_OF_RANGE,
          "score 11");
    CHECK(cxm_calibrated_nps(raking, scores, 2, CXM_MISSING_REJECT, 0.95, &e) == CXM_STATUS_COLUMN_LENGTH_MISMATCH,
          "two scores for four weights");
    cxm_raking_free(raking);
    cxm_raking_free(NULL);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s RAKING.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    FILE *out = open_bits(argc > 2 ? argv[2] : NULL, "raking");
    cases(&doc, out);
    refusals();
    fclose(out);
    json_free(&doc);
    free(text);
    printf("c raking: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* Churn, Poisson-rate intervals, customer flows and NCVG through the C ABI, against the shared
 * vectors (testdata/churn.json): the same bits as Rust and Python. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

/* The code of a method name; the vectors name only methods the header has. */
static uint32_t code_of(const char *const *names, size_t n, const char *name) {
    int code = name_code(names, n, name);
    if (code < 0) {
        fprintf(stderr, "unknown method %s\n", name);
        exit(2);
    }
    return (uint32_t)code;
}

static uint32_t rate_method(const char *name) { return code_of(RATE_METHODS, COUNT(RATE_METHODS), name); }

static double field(const json_value *object, const char *key) { return json_number(json_get(object, key)); }

static int64_t *int64s(const json_value *array) { return json_integers(array, CXM_OPEN_END); }

static void rates(const json_value *doc, const char *out_dir) {
    FILE *out = open_bits(out_dir, "rates");
    double tolerance = json_get(doc, "tolerance")->number;
    const json_value *cases = json_get(doc, "rate_intervals");
    char label[64];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *c = &cases->items[i];
        double k = field(c, "count"), e = field(c, "exposure"), level = field(c, "level");
        cxm_interval ci;
        cxm_status status = cxm_rate_interval(k, e, level, rate_method(json_get(c, "method")->string), &ci);
        CHECK(status == CXM_STATUS_OK, "rate %zu: status %u", i, (unsigned)status);
        double got[2] = {ci.lower, ci.upper}, want[2] = {field(c, "lower"), field(c, "upper")};
        for (int j = 0; j < 2; j++)
            CHECK(fabs(got[j] - want[j]) <= tolerance * fabs(want[j]) + 1e-300, "rate %zu: %.17g vs %.17g", i, got[j],
                  want[j]);
        snprintf(label, sizeof label, "rate %zu", i);
        bits_line(out, label, got, 2);
    }
    fclose(out);
}

static void churns(const json_value *doc, const char *out_dir) {
    FILE *out = open_bits(out_dir, "churn");
    const json_value *cases = json_get(doc, "churn");
    char label[128];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *c = &cases->items[i];
        const json_value *end = json_get(c, "customers_at_end");
        int64_t end_count = end->type == JSON_NULL ? 0 : (int64_t)end->number;
        int average = strcmp(json_get(c, "basis")->string, "average") == 0;
        cxm_churn r;
        cxm_status status = cxm_churn_from_counts((int64_t)field(c, "lost"), (int64_t)field(c, "customers_at_start"),
                                                  end->type == JSON_NULL ? NULL : &end_count,
                                                  average ? CXM_CHURN_BASIS_AVERAGE : CXM_CHURN_BASIS_START, &r);
        CHECK(status == CXM_STATUS_OK, "churn %zu: status %u", i, (unsigned)status);
        const json_value *growth = json_get(c, "growth");
        CHECK(r.rate == field(c, "rate") && r.retention == field(c, "retention"), "churn %zu: rate", i);
        CHECK(growth->type == JSON_NULL ? isnan(r.growth) && r.customers_at_end == CXM_OPEN_END
                                        : r.growth == growth->number,
              "churn %zu: growth", i);
        double values[3] = {r.rate, r.retention, r.growth};
        snprintf(label, sizeof label, "churn %zu", i);
        bits_line(out, label, values, 3);
        const json_value *intervals = json_get(c, "intervals");
        for (size_t j = 0; j < intervals->len; j++) {
            const json_value *iv = &intervals->items[j];
            const char *method = json_get(iv, "method")->string;
            double level = field(iv, "level");
            uint32_t m = average ? rate_method(method) : code_of(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), method);
            cxm_interval ci;
            status = cxm_churn_interval(&r, level, m, &ci);
            CHECK(status == CXM_STATUS_OK, "churn %zu %s: status %u", i, method, (unsigned)status);
            CHECK(close_enough(ci.lower, field(iv, "lower"), 1e-9) && close_enough(ci.upper, field(iv, "upper"), 1e-9),
                  "churn %zu %s@%g", i, method, level);
            double limits[2] = {ci.lower, ci.upper};
            snprintf(label, sizeof label, "churn %zu %s@%g", i, method, level);
            bits_line(out, label, limits, 2);
        }
    }
    fclose(out);
}

static void flows(const json_value *doc, const char *out_dir) {
    FILE *out = open_bits(out_dir, "flows");
    const json_value *cases = json_get(doc, "flows");
    char label[128];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *c = &cases->items[i];
        const json_value *starts = json_get(c, "starts");
        int64_t *s = int64s(starts), *e = int64s(json_get(c, "ends")), *v = int64s(json_get(c, "values")),
                *ids = int64s(json_get(c, "customers"));
        cxm_customer_flow f;
        cxm_status status = cxm_customer_flow_from_records(s, e, v, ids, starts->len, (int64_t)field(c, "window_start"),
                                                           (int64_t)field(c, "window_end"), &f);
        free(s);
        free(e);
        free(v);
        free(ids);
        CHECK(status == CXM_STATUS_OK, "flow %zu: status %u %s", i, (unsigned)status, last_error());
        const json_value *want = json_get(c, "expected");
        double got[15] = {(double)f.customers_at_start, (double)f.customers_at_end, (double)f.gained,
                          (double)f.lost, f.exposure_months, f.churn_by_exposure, (double)f.value_at_start,
                          (double)f.value_at_end, (double)f.new_value, (double)f.lost_value, (double)f.expansion,
                          (double)f.contraction, f.gross_revenue_churn, f.gross_revenue_retention,
                          f.net_revenue_retention};
        static const char *const names[15] = {
            "customers_at_start", "customers_at_end", "gained", "lost", "exposure_months", "churn_by_exposure",
            "value_at_start", "value_at_end", "new_value", "lost_value", "expansion", "contraction",
            "gross_revenue_churn", "gross_revenue_retention", "net_revenue_retention"};
        for (int k = 0; k < 15; k++)
            CHECK(same_number(got[k], field(want, names[k]), 1e-15), "flow %zu %s: %.17g", i, names[k], got[k]);
        CHECK(f.has_values == (uint32_t)json_get(want, "has_values")->number, "flow %zu has_values", i);
        snprintf(label, sizeof label, "flow %zu", i);
        bits_line(out, label, got, 15);
        const json_value *intervals = json_get(c, "intervals");
        for (size_t j = 0; j < intervals->len; j++) {
            const json_value *iv = &intervals->items[j];
            const char *method = json_get(iv, "method")->string;
            double level = field(iv, "level");
            cxm_interval ci;
            status = cxm_customer_flow_exposure_interval(&f, level, rate_method(method), &ci);
            CHECK(status == CXM_STATUS_OK, "flow %zu %s: status %u", i, method, (unsigned)status);
            CHECK(close_enough(ci.lower, field(iv, "lower"), 1e-9) && close_enough(ci.upper, field(iv, "upper"), 1e-9),
                  "flow %zu %s", i, method);
            double limits[2] = {ci.lower, ci.upper};
            snprintf(label, sizeof label, "flow %zu %s@%g", i, method, level);
            bits_line(out, label, limits, 2);
        }
        cxm_ncvg g;
        CHECK(cxm_customer_flow_ncvg(&f, &g) == CXM_STATUS_OK && g.new_count == f.gained && g.lost_count == f.lost,
              "flow %zu ncvg", i);
        double net[2] = {(double)g.net_count, (double)g.net_value};
        snprintf(label, sizeof label, "flow %zu ncvg", i);
        bits_line(out, label, net, 2);
        cxm_churn churn;
        CHECK(cxm_customer_flow_churn(&f, CXM_CHURN_BASIS_AVERAGE, &churn) == CXM_STATUS_OK &&
                  churn.lost == f.lost && churn.customers_at_end == f.customers_at_end,
              "flow %zu churn", i);
    }
    fclose(out);
}

static void ncvgs(const json_value *doc) {
    const json_value *cases = json_get(doc, "ncvg");
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *c = &cases->items[i];
        /* JSON numbers are doubles here: only the cases a double holds exactly. */
        if (fabs(field(c, "new_value")) >= 9007199254740992.0 || fabs(field(c, "lost_value")) >= 9007199254740992.0)
            continue;
        cxm_ncvg g;
        cxm_status status = cxm_ncvg_from_totals((int64_t)field(c, "new_count"), (int64_t)field(c, "new_value"),
                                                 (int64_t)field(c, "lost_count"), (int64_t)field(c, "lost_value"), &g);
        CHECK(status == CXM_STATUS_OK && g.net_count == (int64_t)field(c, "net_count") &&
                  g.net_value == (int64_t)field(c, "net_value"),
              "ncvg %zu", i);
    }
    /* Exact at the ends of int64, where a double would round. */
    cxm_ncvg g;
    CHECK(cxm_ncvg_from_totals(INT64_MAX, INT64_MAX, 0, 1, &g) == CXM_STATUS_OK && g.net_value == INT64_MAX - 1,
          "ncvg at INT64_MAX");
}

static void conversions_and_refusals(void) {
    double annual = 0, monthly = 0;
    CHECK(cxm_annual_from_monthly(0.02, &annual) == CXM_STATUS_OK && fabs(annual - (1 - pow(0.98, 12))) < 1e-15,
          "annual from monthly: %.17g", annual);
    CHECK(cxm_monthly_from_annual(annual, &monthly) == CXM_STATUS_OK && fabs(monthly - 0.02) < 1e-17,
          "monthly from annual: %.17g", monthly);
    CHECK(cxm_annual_from_monthly(1.5, &annual) == CXM_STATUS_OUTSIDE_SUPPORTED_RANGE, "monthly 1.5");

    cxm_churn churn;
    CHECK(cxm_churn_from_counts(5, 100, NULL, CXM_CHURN_BASIS_START, &churn) == CXM_STATUS_OK, "churn");
    cxm_interval ci;
    CHECK(cxm_churn_interval(&churn, 0.95, 17, &ci) == CXM_STATUS_INVALID_ARGUMENT, "unknown method code");
    CHECK(strstr(last_error(), "interval method of churn on the start basis 17") != NULL, "%s", last_error());
    cxm_churn tampered = churn;
    tampered.rate = 0.5;
    CHECK(cxm_churn_interval(&tampered, 0.95, 0, &ci) == CXM_STATUS_INVALID_ESTIMATE, "tampered churn");
    tampered = churn;
    tampered.basis = 9;
    CHECK(cxm_churn_interval(&tampered, 0.95, 0, &ci) == CXM_STATUS_INVALID_ARGUMENT, "unknown basis");
    CHECK(cxm_churn_interval(NULL, 0.95, 0, &ci) == CXM_STATUS_NULL_POINTER, "NULL churn");
    CHECK(cxm_churn_from_counts(5, 100, NULL, 7, &churn) == CXM_STATUS_INVALID_ARGUMENT, "unknown basis code");
    /* Issue 15, item 8: 2^53 + 1 customers were rounded to 2^53 and given an interval. */
    CHECK(cxm_churn_from_counts(1, INT64_C(9007199254740993), NULL, CXM_CHURN_BASIS_START, &churn) == CXM_STATUS_OK,
          "2^53 + 1 customers");
    CHECK(cxm_churn_interval(&churn, 0.95, 0, &ci) == CXM_STATUS_INVALID_CUSTOMER_COUNT, "interval past 2^53: %s",
          last_error());

    const int64_t starts[2] = {0, 5};
    cxm_customer_flow flow;
    CHECK(cxm_customer_flow_from_records(NULL, NULL, NULL, NULL, 2, 0, 10, &flow) == CXM_STATUS_NULL_POINTER,
          "NULL starts");
    CHECK(cxm_customer_flow_from_records(starts, NULL, NULL, NULL, 2, 0, 10, &flow) == CXM_STATUS_OK, "flow");
    cxm_customer_flow bad = flow;
    bad.has_values = 2;
    CHECK(cxm_customer_flow_ncvg(&bad, &(cxm_ncvg){0}) == CXM_STATUS_INVALID_ARGUMENT, "has_values 2");
    bad = flow;
    bad.lost = 3;
    CHECK(cxm_customer_flow_exposure_interval(&bad, 0.95, 0, &ci) == CXM_STATUS_INVALID_ESTIMATE, "bad flow");
    /* Issue 15, item 5: churn and NCVG of a flow whose end count contradicts start - lost +
     * gained were computed from it. */
    bad = flow;
    bad.customers_at_end += 1;
    cxm_churn from_flow;
    CHECK(cxm_customer_flow_churn(&bad, CXM_CHURN_BASIS_AVERAGE, &from_flow) == CXM_STATUS_INVALID_ESTIMATE,
          "churn of a flow whose end count does not add up: %s", last_error());
    CHECK(cxm_customer_flow_ncvg(&bad, &(cxm_ncvg){0}) == CXM_STATUS_INVALID_ESTIMATE,
          "NCVG of a flow whose end count does not add up: %s", last_error());
    bad = flow;
    bad.window_end = bad.window_start;
    CHECK(cxm_customer_flow_ncvg(&bad, &(cxm_ncvg){0}) == CXM_STATUS_INVALID_WINDOW, "a reversed window");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s CHURN_JSON [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    const char *out_dir = argc > 2 ? argv[2] : NULL;
    rates(&doc, out_dir);
    churns(&doc, out_dir);
    flows(&doc, out_dir);
    ncvgs(&doc);
    conversions_and_refusals();
    json_free(&doc);
    free(text);
    printf("c churn: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

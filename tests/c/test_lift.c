/* Runs the shared lift and named-rate vectors (testdata/lift.json) through the C ABI.
 *
 *   test_lift LIFT.json [OUT_DIR]
 *
 * Checks against the references (statsmodels, checked against mpmath) and writes the exact bits
 * of every computed number to OUT_DIR/lift.c.txt, labelled by case index as the Rust and Python
 * tests label them. Then the refusals: a bad count names itself and leaves `out` untouched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

/* Named rates, each at the index of its code in cxm.h (cxm_named_rate). */
static const char *const NAMED_RATES[] = {"first_contact_resolution", "renewal", "referral", "cart_abandonment",
                                          "post_incident_loss"};

static int64_t integer(const json_value *object, const char *key) { return (int64_t)json_get(object, key)->number; }

static void lifts(const json_value *doc, FILE *out, double tolerance) {
    const json_value *cases = json_get(doc, "lift");
    char label[64];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *in = json_get(&cases->items[i], "input"), *exp = json_get(&cases->items[i], "expected");
        uint32_t corrected = (uint32_t)json_get(&cases->items[i], "zero_cell_correction")->number;
        for (size_t k = 0; k < exp->len; k++) {
            const json_value *want = &exp->items[k];
            double level = json_get(want, "level")->number;
            snprintf(label, sizeof label, "lift %zu@%g", i, level);
            cxm_lift_result l;
            cxm_status status = cxm_lift(integer(in, "events_a"), integer(in, "n_a"), integer(in, "events_b"),
                                         integer(in, "n_b"), level, &l);
            CHECK(status == CXM_STATUS_OK, "%s: %s", label, last_error());
            CHECK(l.ratio_method == CXM_LIFT_METHOD_KATZ_LOG && l.test_method == CXM_LIFT_METHOD_LOG_ADJUSTED &&
                      l.difference_method == CXM_LIFT_METHOD_NEWCOMBE && l.odds_ratio_method == CXM_LIFT_METHOD_WOOLF,
                  "%s: methods", label);
            CHECK(l.zero_cell_correction == corrected, "%s: zero_cell_correction %u", label, l.zero_cell_correction);
            const struct { const char *field; double got; } fields[] = {
                {"ratio", l.ratio},
                {"lower", l.lower},
                {"upper", l.upper},
                {"statistic", l.statistic},
                {"p_value", l.p_value},
                {"difference", l.difference},
                {"difference_lower", l.difference_lower},
                {"difference_upper", l.difference_upper},
                {"odds_ratio", l.odds_ratio},
                {"odds_ratio_lower", l.odds_ratio_lower},
                {"odds_ratio_upper", l.odds_ratio_upper},
            };
            double values[COUNT(fields)];
            for (size_t f = 0; f < COUNT(fields); f++) {
                CHECK(close_enough(fields[f].got, json_number(json_get(want, fields[f].field)), tolerance),
                      "%s %s: %.17g", label, fields[f].field, fields[f].got);
                values[f] = fields[f].got;
            }
            bits_line(out, label, values, (int)COUNT(fields));
        }
    }
}

static void rates(const json_value *doc, FILE *out, double tolerance) {
    const json_value *cases = json_get(doc, "rates");
    char label[96];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *c = &cases->items[i], *exp = json_get(c, "expected");
        int name = name_code(NAMED_RATES, COUNT(NAMED_RATES), json_get(c, "name")->string);
        CHECK(name >= 0, "rate %zu: unknown name", i);
        for (size_t k = 0; k < exp->len; k++) {
            const json_value *want = &exp->items[k];
            const char *method = json_get(want, "method")->string;
            double level = json_get(want, "level")->number;
            int m = name_code(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), method);
            snprintf(label, sizeof label, "rate %zu %s@%g", i, method, level);
            cxm_rate_estimate r;
            cxm_status status = cxm_named_rate_estimate((uint32_t)name, integer(c, "successes"), integer(c, "n"),
                                                        level, (uint32_t)m, &r);
            CHECK(status == CXM_STATUS_OK && r.name == (uint32_t)name && r.method == (uint32_t)m, "%s: %s", label,
                  last_error());
            double values[3] = {r.estimate, r.lower, r.upper};
            CHECK(close_enough(r.estimate, json_get(want, "estimate")->number, tolerance) &&
                      close_enough(r.lower, json_get(want, "lower")->number, tolerance) &&
                      close_enough(r.upper, json_get(want, "upper")->number, tolerance),
                  "%s: [%.17g, %.17g]", label, r.lower, r.upper);
            bits_line(out, label, values, 3);
        }
    }
}

static void refusals(void) {
    cxm_lift_result l, before;
    memset(&l, 0xA5, sizeof l);
    before = l;
    CHECK(cxm_lift(3, 10, 11, 10, 0.95, &l) == CXM_STATUS_INVALID_EVENT_COUNT &&
              strcmp(last_error(), "events_b is 11: it must be between 0 and n_b (10)") == 0 &&
              memcmp(&l, &before, sizeof l) == 0,
          "events_b > n_b: %s", last_error());
    CHECK(cxm_lift(0, 0, 1, 10, 0.95, &l) == CXM_STATUS_INVALID_EVENT_COUNT &&
              strcmp(last_error(), "n_a is 0: it must be at least 1") == 0,
          "n_a = 0: %s", last_error());
    CHECK(cxm_lift(1, 10, 1, 10, 1.0, &l) == CXM_STATUS_INVALID_LEVEL, "level 1");
    CHECK(cxm_lift(1, 10, 1, 10, 0.95, NULL) == CXM_STATUS_NULL_POINTER, "NULL out");
    /* Zero cells: every number finite, and the result says it was corrected. */
    CHECK(cxm_lift(0, 20, 0, 25, 0.95, &l) == CXM_STATUS_OK && l.zero_cell_correction == 1 && isfinite(l.ratio) &&
              isfinite(l.upper) && isfinite(l.odds_ratio_upper) && isfinite(l.statistic),
          "both groups without events");
    cxm_rate_estimate r;
    CHECK(cxm_named_rate_estimate(CXM_NAMED_RATE_RENEWAL, 5, 4, 0.95, CXM_PROPORTION_METHOD_WILSON, &r) ==
                  CXM_STATUS_INVALID_EVENT_COUNT &&
              strcmp(last_error(), "successes is 5: it must be between 0 and n (4)") == 0,
          "5 of 4: %s", last_error());
    CHECK(cxm_named_rate_estimate(999, 1, 4, 0.95, CXM_PROPORTION_METHOD_WILSON, &r) == CXM_STATUS_INVALID_ARGUMENT,
          "unknown named rate");
    CHECK(cxm_named_rate_estimate(CXM_NAMED_RATE_RENEWAL, 1, 4, 0.95, 999, &r) == CXM_STATUS_INVALID_ARGUMENT,
          "unknown method");
}

/* The churn of customers marked at least once against the others' (cxm_churn_lift): 200
 * marked customers of whom 30 leave inside the window, 400 unmarked of whom 24 leave, one who
 * joins inside it (not at risk) and one never marked; each customer holds two records. The
 * lift is then that of the counts, whose interval statsmodels gives. */
static void churn_lifts(void) {
    enum { CUSTOMERS = 600, DAY = 86400 };
    static int64_t starts[2 * CUSTOMERS + 1], ends[2 * CUSTOMERS + 1], ids[2 * CUSTOMERS + 1];
    static int64_t who[CUSTOMERS];
    static uint8_t marked[CUSTOMERS];
    size_t len = 0;
    for (int64_t i = 0; i < CUSTOMERS; i++) {
        int lost = i < 200 ? i < 30 : i < 224;
        starts[len] = -90 * DAY, ends[len] = -30 * DAY, ids[len++] = i;
        starts[len] = -20 * DAY, ends[len] = lost ? 15 * DAY : INT64_MIN, ids[len++] = i;
        who[i] = i, marked[i] = i < 200;
    }
    starts[len] = 5 * DAY, ends[len] = INT64_MIN, ids[len++] = 600;
    cxm_churn_lift_result c;
    cxm_status status = cxm_churn_lift(starts, ends, ids, len, 0, 60 * DAY, who, marked, CUSTOMERS, 0.95, &c);
    CHECK(status == CXM_STATUS_OK, "churn lift: %s", last_error());
    CHECK(c.marked.at_start == 200 && c.marked.lost == 30 && c.unmarked.at_start == 400 && c.unmarked.lost == 24 &&
              c.unknown == 0,
          "the groups' counts");
    /* statsmodels 0.14: confint_proportions_2indep(30, 200, 24, 400, compare="ratio",
     * method="log") = (1.5024200152083094, 4.159955230051593) */
    CHECK(fabs(c.lift.lower - 1.5024200152083094) < 1e-14 && fabs(c.lift.upper - 4.159955230051593) < 1e-14,
          "the lift's interval: %.17g %.17g", c.lift.lower, c.lift.upper);
    /* A failed call leaves `out` as it was (filled first, as the padding Rust writes is not
     * initialised for memcmp). */
    memset(&c, 0xA5, sizeof c);
    cxm_churn_lift_result before = c;
    marked[7] = 2;
    CHECK(cxm_churn_lift(starts, ends, ids, len, 0, 60 * DAY, who, marked, CUSTOMERS, 0.95, &c) ==
                  CXM_STATUS_INVALID_ARGUMENT &&
              strcmp(last_error(), "cxm_churn_lift: marked[7] is 2, not 0 or 1") == 0 &&
              memcmp(&c, &before, sizeof c) == 0,
          "a flag of 2: %s", last_error());
    marked[7] = 1;
    CHECK(cxm_churn_lift(starts, ends, NULL, len, 0, 60 * DAY, who, marked, CUSTOMERS, 0.95, &c) ==
              CXM_STATUS_NULL_POINTER,
          "no customer ids");
    memset(marked, 1, sizeof marked);
    CHECK(cxm_churn_lift(starts, ends, ids, len, 0, 60 * DAY, who, marked, CUSTOMERS, 0.95, &c) ==
                  CXM_STATUS_MISSING_INPUT &&
              strstr(last_error(), "in the unmarked group is needed for the churn lift") != NULL,
          "no unmarked customer: %s", last_error());
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s LIFT.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    FILE *out = open_bits(argc > 2 ? argv[2] : NULL, "lift");
    double tolerance = json_get(&doc, "tolerance")->number;
    lifts(&doc, out, tolerance);
    rates(&doc, out, tolerance);
    refusals();
    churn_lifts();
    fclose(out);
    json_free(&doc);
    free(text);
    printf("c lift: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* Durations and the Kaplan–Meier curve through the C ABI, on the shared vectors
 * (testdata/survival.json from R's survival package, testdata/durations.json from numpy and
 * scipy), and contact-centre figures (testdata/contacts.json, from numpy, scipy and statsmodels).
 *
 *   test_survival SURVIVAL.json DURATIONS.json CONTACTS.json [OUT_DIR]
 *
 * Checks the curve and the percentiles against R, the sample percentiles against numpy and
 * scipy, and writes the exact bits of every number to OUT_DIR/survival.c.txt with the labels
 * the Rust and Python tests use. Then the refusals: a bad record names its index, a bad flag
 * its position, and `out` is left untouched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

static double value_of(const json_value *v) { return v->type == JSON_NULL ? NAN : json_number(v); }

static double *doubles(const json_value *array) {
    double *out = malloc((array->len ? array->len : 1) * sizeof *out);
    for (size_t i = 0; i < array->len; i++) out[i] = value_of(&array->items[i]);
    return out;
}

static void percentile_line(FILE *out, const char *label, const cxm_survival_percentile *p) {
    double values[3] = {p->estimate, p->lower, p->upper};
    CHECK((p->estimate_reached == 1) == !isnan(p->estimate) && (p->lower_reached == 1) == !isnan(p->lower) &&
              (p->upper_reached == 1) == !isnan(p->upper),
          "%s: reached flags", label);
    bits_line(out, label, values, 3);
}

/* The lines of a summary after its curve's: the median, the percentiles, the rest. */
static void summary_lines(FILE *out, const char *prefix, const cxm_duration_summary *d,
                          const cxm_survival_percentile *rows, size_t n) {
    char label[128];
    snprintf(label, sizeof label, "%s median", prefix);
    percentile_line(out, label, &d->median);
    for (size_t m = 0; m < n; m++) {
        snprintf(label, sizeof label, "%s p%zu", prefix, m);
        percentile_line(out, label, &rows[m]);
    }
    CHECK(d->has_mean == !isnan(d->mean) && d->has_within == !isnan(d->within_share), "%s: flags", prefix);
    double summary[9] = {(double)d->records, d->open,        d->mean,         d->standard_deviation, d->mean_lower,
                         d->mean_upper,      d->within_share, d->within_lower, d->within_upper};
    snprintf(label, sizeof label, "%s summary", prefix);
    bits_line(out, label, summary, 9);
}

/* One call of cxm_durations and its bits, as cxm-core/tests/survival.rs writes them; the
 * percentiles are returned for the caller's checks. */
static cxm_survival_percentile *summarise(FILE *out, const char *prefix, const double *seconds, const uint8_t *open,
                                          const double *weights, size_t len, const double *percents, size_t n,
                                          double within, double level, uint32_t conf_type) {
    cxm_duration_summary d;
    cxm_survival_percentile *rows = malloc((n ? n : 1) * sizeof *rows);
    char label[96];
    cxm_status status = cxm_durations(seconds, open, weights, len, percents, n, within, level, conf_type, &d, rows);
    CHECK(status == CXM_STATUS_OK, "%s: %s", prefix, last_error());
    if (d.curve_steps > 0) {
        size_t steps_len = 0;
        CHECK(cxm_kaplan_meier(seconds, open, weights, len, level, conf_type, NULL, 0, &steps_len) == CXM_STATUS_OK &&
                  steps_len == d.curve_steps,
              "%s: size query", prefix);
        cxm_survival_step *steps = malloc(steps_len * sizeof *steps);
        CHECK(cxm_kaplan_meier(seconds, open, weights, len, level, conf_type, steps, steps_len, &steps_len) ==
                  CXM_STATUS_OK,
              "%s: curve %s", prefix, last_error());
        for (size_t j = 0; j < steps_len; j++) {
            const cxm_survival_step *s = &steps[j];
            double row[8] = {s->time, s->at_risk, s->resolved, s->open, s->survival, s->greenwood, s->lower, s->upper};
            snprintf(label, sizeof label, "%s step %zu", prefix, j);
            bits_line(out, label, row, 8);
        }
        free(steps);
    }
    summary_lines(out, prefix, &d, rows, n);
    return rows;
}

static void kaplan_meier_cases(const json_value *doc, FILE *out) {
    const json_value *cases = json_get(doc, "cases");
    char prefix[64];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *input = json_get(&cases->items[i], "input");
        if (json_get(input, "formula")) continue;
        const json_value *times_json = json_get(input, "times"), *open_json = json_get(input, "open");
        size_t len = times_json->len;
        double *times = doubles(times_json);
        uint8_t *open = malloc(len ? len : 1);
        for (size_t j = 0; j < len; j++) open[j] = (uint8_t)open_json->items[j].number;
        const json_value *w = json_get(input, "weights");
        double *weights = w->type == JSON_NULL ? NULL : doubles(w);
        const json_value *refs = json_get(&cases->items[i], "r");
        for (size_t k = 0; k < refs->len; k++) {
            const json_value *r = &refs->items[k];
            uint32_t conf_type =
                strcmp(json_get(r, "transform")->string, "log") == 0 ? CXM_CONF_TYPE_LOG : CXM_CONF_TYPE_LOG_LOG;
            double level = json_get(r, "level")->number;
            const json_value *wanted = json_get(r, "percentiles");
            double *percents = malloc(wanted->len * sizeof *percents);
            for (size_t m = 0; m < wanted->len; m++) percents[m] = json_get(&wanted->items[m], "percent")->number;
            snprintf(prefix, sizeof prefix, "km %zu.%zu", i, k);
            cxm_survival_percentile *rows =
                summarise(out, prefix, times, open, weights, len, percents, wanted->len, times[0], level, conf_type);
            /* The curve's percentiles are R's exactly, where the curve gives them (cases open or
             * weighted); with neither, durations gives the sample's (checked below). */
            int by_curve = weights != NULL;
            for (size_t j = 0; j < len; j++) by_curve |= open[j];
            for (size_t m = 0; by_curve && m < wanted->len; m++) {
                const json_value *want = &wanted->items[m];
                CHECK(same_number(rows[m].estimate, value_of(json_get(want, "estimate")), 0) &&
                          same_number(rows[m].lower, value_of(json_get(want, "lower")), 0) &&
                          same_number(rows[m].upper, value_of(json_get(want, "upper")), 0),
                      "%s p%zu: %.17g [%.17g, %.17g]", prefix, m, rows[m].estimate, rows[m].lower, rows[m].upper);
            }
            free(rows);
            free(percents);
        }
        free(times);
        free(open);
        free(weights);
    }
}

static void duration_cases(const json_value *doc, FILE *out) {
    const json_value *cases = json_get(doc, "cases");
    char prefix[64];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *seconds_json = json_get(json_get(&cases->items[i], "input"), "seconds");
        if (!seconds_json) continue;
        double *seconds = doubles(seconds_json);
        const json_value *expected = json_get(&cases->items[i], "expected");
        for (size_t k = 0; k < expected->len; k++) {
            const json_value *e = &expected->items[k], *wanted = json_get(e, "percentiles");
            double *percents = malloc(wanted->len * sizeof *percents);
            for (size_t m = 0; m < wanted->len; m++) percents[m] = json_get(&wanted->items[m], "percent")->number;
            snprintf(prefix, sizeof prefix, "dur %zu.%zu", i, k);
            cxm_survival_percentile *rows =
                summarise(out, prefix, seconds, NULL, NULL, seconds_json->len, percents, wanted->len,
                          json_get(json_get(e, "within"), "seconds")->number, json_get(e, "level")->number,
                          CXM_CONF_TYPE_LOG_LOG);
            for (size_t m = 0; m < wanted->len; m++) {
                const json_value *want = &wanted->items[m];
                CHECK(rows[m].estimate == json_get(want, "estimate")->number, "%s p%zu: numpy's percentile", prefix, m);
                if (json_get(want, "lower"))
                    CHECK(same_number(rows[m].lower, value_of(json_get(want, "lower")), 0) &&
                              same_number(rows[m].upper, value_of(json_get(want, "upper")), 0),
                          "%s p%zu: scipy's interval", prefix, m);
            }
            free(rows);
            free(percents);
        }
        free(seconds);
    }
}

static void contact_cases(const json_value *doc, FILE *out) {
    const json_value *cases = json_get(doc, "cases");
    char prefix[64];
    for (size_t i = 0; i < cases->len; i++) {
        const json_value *input = json_get(&cases->items[i], "input");
        const json_value *waits_json = json_get(input, "wait_seconds"), *answered_json = json_get(input, "answered");
        size_t len = waits_json->len;
        double *waits = doubles(waits_json);
        uint8_t *answered = malloc(len ? len : 1);
        for (size_t j = 0; j < len; j++) answered[j] = (uint8_t)answered_json->items[j].number;
        double *percents = doubles(json_get(input, "percents"));
        size_t n = json_get(input, "percents")->len;
        const json_value *expected = json_get(&cases->items[i], "expected");
        for (size_t k = 0; k < expected->len; k++) {
            const json_value *e = &expected->items[k];
            double level = json_get(e, "level")->number;
            cxm_contact_centre_result c;
            cxm_survival_percentile *rows = malloc(n * sizeof *rows);
            snprintf(prefix, sizeof prefix, "contacts %zu.%zu", i, k);
            cxm_status status = cxm_contact_centre(waits, answered, len, value_of(json_get(input, "short_abandon_seconds")),
                                                   json_get(input, "service_level_seconds")->number, percents, n,
                                                   level, &c, rows);
            CHECK(status == CXM_STATUS_OK, "%s: %s", prefix, last_error());
            CHECK(c.offered == (uint64_t)json_get(e, "offered")->number &&
                      c.abandoned == (uint64_t)json_get(e, "abandoned")->number &&
                      c.short_abandons == (uint64_t)json_get(e, "short_abandons")->number,
                  "%s: counts", prefix);
            const cxm_contact_share *shares[4] = {&c.abandonment, &c.service_level_offered,
                                                   &c.service_level_answered_and_late_abandons,
                                                   &c.service_level_answered};
            double row[16] = {(double)c.offered, (double)c.answered, (double)c.abandoned, (double)c.short_abandons};
            for (int s = 0; s < 4; s++) {
                row[4 + 3 * s] = shares[s]->share;
                row[5 + 3 * s] = shares[s]->lower;
                row[6 + 3 * s] = shares[s]->upper;
            }
            bits_line(out, prefix, row, 16);
            if (c.has_speed_of_answer) {
                char speed[96];
                snprintf(speed, sizeof speed, "%s speed", prefix);
                summary_lines(out, speed, &c.speed_of_answer, rows, n);
            }
            free(rows);
        }
        free(waits);
        free(answered);
        free(percents);
    }
}

static void refusals(void) {
    cxm_duration_summary d, before;
    memset(&d, 0xA5, sizeof d);
    before = d;
    const double bad[] = {3.0, -1.0};
    const double percents[] = {50.0};
    cxm_survival_percentile row;
    CHECK(cxm_durations(bad, NULL, NULL, 2, percents, 1, NAN, 0.95, CXM_CONF_TYPE_LOG_LOG, &d, &row) ==
                  CXM_STATUS_INVALID_RECORD &&
              strcmp(last_error(),
                     "record at index 1 has the time -1: a duration is a finite number of seconds, 0 or more") == 0 &&
              memcmp(&d, &before, sizeof d) == 0,
          "a negative time: %s", last_error());
    const double good[] = {3.0, 1.0};
    const uint8_t flags[] = {0, 2};
    CHECK(cxm_durations(good, flags, NULL, 2, percents, 1, NAN, 0.95, CXM_CONF_TYPE_LOG_LOG, &d, &row) ==
                  CXM_STATUS_INVALID_ARGUMENT &&
              strstr(last_error(), "open[1] is 2, not 0 or 1") != NULL,
          "a bad open flag: %s", last_error());
    CHECK(cxm_durations(good, NULL, NULL, 2, percents, 1, NAN, 0.95, 7, &d, &row) == CXM_STATUS_INVALID_ARGUMENT,
          "an unknown band");
    CHECK(cxm_durations(good, NULL, NULL, 2, percents, 1, NAN, 0.95, CXM_CONF_TYPE_LOG, NULL, &row) ==
              CXM_STATUS_NULL_POINTER,
          "NULL out");
    CHECK(cxm_durations(good, NULL, NULL, 2, percents, 1, NAN, 0.95, CXM_CONF_TYPE_LOG, &d, NULL) ==
              CXM_STATUS_NULL_POINTER,
          "NULL percentiles_out");
    size_t steps = 0;
    cxm_survival_step step;
    CHECK(cxm_kaplan_meier(good, NULL, NULL, 2, 0.95, CXM_CONF_TYPE_LOG, &step, 1, &steps) ==
              CXM_STATUS_BUFFER_TOO_SMALL,
          "a curve of two steps in room for one");
    CHECK(cxm_kaplan_meier(NULL, NULL, NULL, 0, 0.95, CXM_CONF_TYPE_LOG, NULL, 0, &steps) == CXM_STATUS_MISSING_INPUT,
          "no records: %s", last_error());
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s SURVIVAL.json DURATIONS.json CONTACTS.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value docs[3];
    char *texts[3] = {read_json(argv[1], &docs[0]), read_json(argv[2], &docs[1]), read_json(argv[3], &docs[2])};
    FILE *out = open_bits(argc > 4 ? argv[4] : NULL, "survival");
    kaplan_meier_cases(&docs[0], out);
    duration_cases(&docs[1], out);
    contact_cases(&docs[2], out);
    refusals();
    fclose(out);
    for (int f = 0; f < 3; f++) {
        json_free(&docs[f]);
        free(texts[f]);
    }
    printf("c survival: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* The shared grouped and periodised vectors (testdata/segments.json) through the C ABI: one
 * state per group in one pass, the segment table, the periods; writes every number to
 * OUT_DIR/segments.c.txt in the Rust and Python tests' format.
 *
 *   test_segments testdata/segments.json [OUT_DIR] */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

static uint32_t code_of(const char *const *names, size_t n, const char *name) {
    int c = name_code(names, n, name);
    CHECK(c >= 0, "unknown name %s", name);
    return c < 0 ? 0 : (uint32_t)c;
}

static void group_case(FILE *out, size_t index, const json_value *c) {
    static const char *const ADJUSTMENTS[] = {"none", "holm", "fdr_bh"};
    const json_value *scores = json_get(c, "scores"), *w = json_get(c, "weights");
    const json_value *rows = json_get(c, "groups"), *o = json_get(c, "options");
    size_t n = scores->len, groups = (size_t)json_number(json_get(c, "group_count"));
    double *values = malloc((n ? n : 1) * sizeof *values), *weights = NULL;
    uint32_t *of = malloc((n ? n : 1) * sizeof *of);
    for (size_t i = 0; i < n; i++) {
        values[i] = scores->items[i].type == JSON_NULL ? NAN : scores->items[i].number;
        of[i] = (uint32_t)rows->items[i].number;
    }
    if (w) {
        weights = malloc((n ? n : 1) * sizeof *weights);
        for (size_t i = 0; i < n; i++) weights[i] = json_number(&w->items[i]);
    }
    int nps = strcmp(json_get(c, "metric")->string, "nps") == 0;
    const char *method_name = json_get(c, "method")->string;
    uint32_t method = nps ? code_of(NPS_METHODS, COUNT(NPS_METHODS), method_name)
                          : code_of(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), method_name);
    cxm_state *prototype = NULL;
    if (nps) {
        CHECK(cxm_state_new_nps(&prototype) == CXM_STATUS_OK, "new");
    } else {
        const json_value *s = json_get(c, "scale");
        cxm_scale scale = {(int64_t)s->items[0].number, (int64_t)s->items[1].number,
                           (int64_t)s->items[2].number, (uint32_t)s->items[3].number};
        CHECK(cxm_state_new_rating(&scale, &prototype) == CXM_STATUS_OK, "new rating");
    }
    uint32_t missing = strcmp(json_get(c, "missing")->string, "skip") == 0 ? CXM_MISSING_SKIP
                                                                          : CXM_MISSING_REJECT;
    cxm_state **states = calloc(groups, sizeof *states);
    CHECK(cxm_states_by_group_f64(prototype, values, n, weights, of, groups, missing, states) ==
              CXM_STATUS_OK,
          "by group: %s", last_error());
    const json_value *expected = json_get(c, "expected");
    for (size_t g = 0; g < groups; g++) {
        uint64_t count = 0;
        cxm_state_n(states[g], &count);
        CHECK(count == (uint64_t)json_get(&expected->items[g], "n")->number, "n of group %zu", g);
        double estimate = NAN;
        if (nps) {
            cxm_nps r;
            if (cxm_state_finish_nps(states[g], &r) == CXM_STATUS_OK) estimate = r.score;
        } else {
            cxm_rating r;
            if (cxm_state_finish_rating(states[g], &r) == CXM_STATUS_OK) estimate = r.share;
        }
        CHECK(close_enough(estimate, json_number(json_get(&expected->items[g], "estimate")), 1e-12),
              "estimate of group %zu", g);
    }
    const char *compare = json_get(o, "compare")->string;
    const json_value *baseline = json_get(o, "baseline");
    cxm_segment_options options = {
        json_number(json_get(o, "level")),
        strcmp(compare, "rest") == 0 ? 0u : strcmp(compare, "overall") == 0 ? 1u : 2u,
        baseline ? (uint64_t)baseline->number : 0,
        code_of(ADJUSTMENTS, COUNT(ADJUSTMENTS), json_get(o, "adjustment")->string),
        (uint64_t)json_number(json_get(o, "min_n"))};
    cxm_segment_row *table = calloc(groups, sizeof *table), overall;
    CHECK(cxm_segment_table((const cxm_state *const *)states, groups, &options, method, table,
                            &overall) == CXM_STATUS_OK,
          "segment table: %s", last_error());
    char label[128];
    for (size_t g = 0; g <= groups; g++) {
        const cxm_segment_row *r = g < groups ? &table[g] : &overall;
        if (r->n == 0) continue; /* the other surfaces list groups with responses */
        double v[] = {r->estimate, r->standard_error, r->lower, r->upper, r->difference, r->p_value,
                      r->p_adjusted};
        if (g < groups)
            snprintf(label, sizeof label, "groups[%zu] group %zu n=%" PRIu64 " small=%u", index, g,
                     r->n, r->small);
        else
            snprintf(label, sizeof label, "groups[%zu] overall n=%" PRIu64 " small=%u", index, r->n,
                     r->small);
        bits_line(out, label, v, 7);
    }
    for (size_t g = 0; g < groups; g++) cxm_state_free(states[g]);
    cxm_state_free(prototype);
    free(table);
    free(states);
    free(values);
    free(weights);
    free(of);
}

static void period_case(FILE *out, size_t index, const json_value *c) {
    static const char *const PERIODS[] = {"day", "week", "month", "quarter", "year"};
    int64_t *times = json_integers(json_get(c, "times"), 0);
    const json_value *labels = json_get(c, "labels");
    size_t n = labels->len;
    uint32_t period = code_of(PERIODS, COUNT(PERIODS), json_get(c, "freq")->string);
    uint32_t *codes = malloc((n ? n : 1) * sizeof *codes);
    int64_t first = 0;
    CHECK(cxm_bucket_periods(times, n, period, (int32_t)json_number(json_get(c, "utc_offset")), codes,
                             &first) == CXM_STATUS_OK,
          "bucket: %s", last_error());
    double *values = malloc((n ? n : 1) * sizeof *values);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        size_t written = 0;
        CHECK(cxm_period_label(first + codes[i], period, text, sizeof text, &written) == CXM_STATUS_OK &&
                  strcmp(text, labels->items[i].string) == 0,
              "label %s, expected %s", text, labels->items[i].string);
        values[i] = (double)codes[i];
    }
    char label[64];
    snprintf(label, sizeof label, "periods[%zu] first=%" PRId64, index, first);
    bits_line(out, label, values, (int)n);
    free(values);
    free(codes);
    free(times);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_segments testdata/segments.json [OUT_DIR]\n");
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    FILE *out = open_bits(argc > 2 ? argv[2] : NULL, "segments");
    const json_value *groups = json_get(&doc, "groups"), *periods = json_get(&doc, "periods");
    for (size_t i = 0; i < groups->len; i++) group_case(out, i, &groups->items[i]);
    for (size_t i = 0; i < periods->len; i++) period_case(out, i, &periods->items[i]);
    /* A small buffer for a label is a status, and writes nothing. */
    char tiny[4] = "abc";
    size_t written = 99;
    CHECK(cxm_period_label(0, CXM_PERIOD_DAY, tiny, sizeof tiny, &written) == CXM_STATUS_BUFFER_TOO_SMALL &&
              written == 99 && strcmp(tiny, "abc") == 0,
          "small label buffer");
    fclose(out);
    json_free(&doc);
    free(text);
    printf("test_segments: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* Runs the shared topic-impact vectors (testdata/topics.json) through the C ABI.
 *
 *   test_topics TOPICS.json [OUT_DIR]
 *
 * Checks each topic's impact and its delta-method interval against the references and writes
 * the exact bits to OUT_DIR/topics.c.txt, labelled as the Rust and Python tests label them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

static void cases(const json_value *doc, FILE *out) {
    const json_value *all = json_get(doc, "cases");
    double tolerance = json_get(doc, "tolerance")->number, se_tolerance = json_get(doc, "se_tolerance")->number;
    const cxm_scale csat = {1, 5, 4, 1};
    for (size_t c = 0; c < all->len; c++) {
        const json_value *item = &all->items[c], *scores = json_get(item, "scores"), *names = json_get(item, "names"),
                         *given_weights = json_get(item, "weights");
        int nps = strcmp(json_get(item, "metric")->string, "nps") == 0;
        size_t n = scores->len, t = names->len;
        double *y = malloc(n * sizeof *y), *weights = NULL;
        for (size_t i = 0; i < n; i++) y[i] = scores->items[i].number;
        if (given_weights) {
            weights = malloc(n * sizeof *weights);
            for (size_t i = 0; i < n; i++) weights[i] = given_weights->items[i].number;
        }
        uint8_t **flags = malloc(t * sizeof *flags);
        const char **labels = malloc(t * sizeof *labels);
        for (size_t k = 0; k < t; k++) {
            labels[k] = names->items[k].string;
            const json_value *column = json_get(json_get(item, "topics"), labels[k]);
            flags[k] = malloc(n);
            for (size_t i = 0; i < n; i++) flags[k][i] = column->items[i].number != 0;
        }
        cxm_topic_impact *rows = malloc(t * sizeof *rows);
        uint32_t *index = malloc(t * sizeof *index);
        size_t written = 0;
        CHECK(cxm_topic_impact_table(y, n, weights, NULL, 1, (const uint8_t *const *)flags, labels, t, nps ? NULL : &csat,
                               CXM_MISSING_REJECT, 0.95, CXM_ADJUSTMENT_HOLM, rows, index, &written) == CXM_STATUS_OK &&
                  written == t,
              "case %zu: %s", c, last_error());
        if (nps && !weights) {
            /* cxm_nps_topic_impact is the same call. */
            cxm_topic_impact *plain = malloc(t * sizeof *plain);
            CHECK(cxm_nps_topic_impact(y, n, (const uint8_t *const *)flags, labels, t, CXM_MISSING_REJECT, 0.95,
                                       CXM_ADJUSTMENT_HOLM, plain) == CXM_STATUS_OK,
                  "case %zu: cxm_nps_topic_impact", c);
            for (size_t k = 0; k < t; k++)
                CHECK(plain[k].impact == rows[k].impact && plain[k].standard_error == rows[k].standard_error &&
                          plain[k].p_adjusted == rows[k].p_adjusted,
                      "case %zu %s: the same row", c, labels[k]);
            free(plain);
        }
        const json_value *expected = json_get(item, "expected");
        for (size_t k = 0; k < t && k < written; k++) {
            const json_value *want = &expected->items[k];
            const cxm_topic_impact *r = &rows[k];
            CHECK(index[k] == k && r->group == 0, "case %zu: row %zu is topic %u", c, k, index[k]);
            CHECK(r->n == (uint64_t)json_get(want, "n")->number &&
                      r->mentions == (uint64_t)json_get(want, "mentions")->number,
                  "case %zu %s: counts", c, labels[k]);
            const struct { const char *field; double got, tol; } fields[] = {
                {"share", r->share, tolerance},           {"topic_score", r->topic_score, tolerance},
                {"rest_score", r->rest_score, tolerance}, {"impact", r->impact, tolerance},
                {"standard_error", r->standard_error, se_tolerance},
                {"lower", r->lower, se_tolerance},        {"upper", r->upper, se_tolerance},
            };
            for (size_t f = 0; f < COUNT(fields); f++)
                CHECK(close_enough(fields[f].got, json_get(want, fields[f].field)->number, fields[f].tol),
                      "case %zu %s %s: %.17g", c, labels[k], fields[f].field, fields[f].got);
            double values[] = {r->share, r->topic_score, r->rest_score, r->impact,    r->standard_error,
                               r->lower, r->upper,       r->p_value,    r->p_adjusted};
            char label[96];
            snprintf(label, sizeof label, "case %zu %s", c, labels[k]);
            bits_line(out, label, values, (int)COUNT(values));
        }
        for (size_t k = 0; k < t; k++) free(flags[k]);
        free(flags);
        free(labels);
        free(rows);
        free(index);
        free(weights);
        free(y);
    }
}

/* Two segments of one survey: each segment's row is its own responses' (but the adjusted
 * p-value), and a segment where nobody mentions the topic has no row. */
static void segments(void) {
    const double scores[] = {10, 9, 3, 7, 2, 9, 10, 6, 8, 0};
    const uint8_t price[] = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0};
    const uint32_t groups[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    const uint8_t *topics[] = {price};
    const char *names[] = {"price"};
    cxm_topic_impact rows[2], alone;
    size_t written = 0;
    CHECK(cxm_topic_impact_table(scores, 10, NULL, groups, 2, topics, names, 1, NULL, CXM_MISSING_REJECT, 0.95,
                           CXM_ADJUSTMENT_HOLM, rows, NULL, &written) == CXM_STATUS_OK &&
              written == 1 && rows[0].group == 0,
          "segments: %s (%zu rows)", last_error(), written);
    CHECK(cxm_nps_topic_impact(scores, 5, topics, names, 1, CXM_MISSING_REJECT, 0.95, CXM_ADJUSTMENT_HOLM, &alone) ==
                  CXM_STATUS_OK &&
              alone.impact == rows[0].impact && alone.standard_error == rows[0].standard_error,
          "segment 0 alone");
    const uint32_t stray[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2};
    CHECK(cxm_topic_impact_table(scores, 10, NULL, stray, 2, topics, names, 1, NULL, CXM_MISSING_REJECT, 0.95,
                           CXM_ADJUSTMENT_HOLM, rows, NULL, &written) == CXM_STATUS_INVALID_GROUP,
          "a group number past group_count");
}

static void refusals(void) {
    const double scores[] = {9, 3, 10};
    const uint8_t every[] = {1, 1, 1}, odd[] = {1, 2, 0};
    const uint8_t *topics[] = {every};
    const char *names[] = {"price"};
    cxm_topic_impact row;
    CHECK(cxm_nps_topic_impact(scores, 3, topics, names, 1, CXM_MISSING_REJECT, 0.95, CXM_ADJUSTMENT_HOLM, &row) ==
              CXM_STATUS_MISSING_INPUT,
          "a topic every response mentions");
    CHECK(strcmp(last_error(), "a response that does not mention topic 'price' is needed for its impact") == 0,
          "message: %s", last_error());
    topics[0] = odd;
    CHECK(cxm_nps_topic_impact(scores, 3, topics, names, 1, CXM_MISSING_REJECT, 0.95, CXM_ADJUSTMENT_HOLM, &row) ==
              CXM_STATUS_INVALID_ARGUMENT,
          "a flag of 2");
    topics[0] = every;
    CHECK(cxm_nps_topic_impact(scores, 3, topics, NULL, 1, CXM_MISSING_REJECT, 0.95, CXM_ADJUSTMENT_HOLM, &row) ==
              CXM_STATUS_NULL_POINTER,
          "NULL names");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s TOPICS.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    FILE *out = open_bits(argc > 2 ? argv[2] : NULL, "topics");
    cases(&doc, out);
    refusals();
    segments();
    fclose(out);
    json_free(&doc);
    free(text);
    printf("c topics: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

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
    for (size_t c = 0; c < all->len; c++) {
        const json_value *item = &all->items[c], *scores = json_get(item, "scores"), *names = json_get(item, "names");
        size_t n = scores->len, t = names->len;
        double *y = malloc(n * sizeof *y);
        for (size_t i = 0; i < n; i++) y[i] = scores->items[i].number;
        uint8_t **flags = malloc(t * sizeof *flags);
        const char **labels = malloc(t * sizeof *labels);
        for (size_t k = 0; k < t; k++) {
            labels[k] = names->items[k].string;
            const json_value *column = json_get(json_get(item, "topics"), labels[k]);
            flags[k] = malloc(n);
            for (size_t i = 0; i < n; i++) flags[k][i] = column->items[i].number != 0;
        }
        cxm_topic_impact *rows = malloc(t * sizeof *rows);
        CHECK(cxm_nps_topic_impact(y, n, (const uint8_t *const *)flags, labels, t, CXM_MISSING_REJECT, 0.95,
                                   CXM_ADJUSTMENT_HOLM, rows) == CXM_STATUS_OK,
              "case %zu: %s", c, last_error());
        const json_value *expected = json_get(item, "expected");
        for (size_t k = 0; k < t; k++) {
            const json_value *want = &expected->items[k];
            const cxm_topic_impact *r = &rows[k];
            CHECK(r->n == (uint64_t)json_get(want, "n")->number &&
                      r->mentions == (uint64_t)json_get(want, "mentions")->number,
                  "case %zu %s: counts", c, labels[k]);
            const struct { const char *field; double got, tol; } fields[] = {
                {"share", r->share, tolerance},         {"nps_topic", r->nps_topic, tolerance},
                {"nps_rest", r->nps_rest, tolerance},   {"impact", r->impact, tolerance},
                {"standard_error", r->standard_error, se_tolerance},
                {"lower", r->lower, se_tolerance},      {"upper", r->upper, se_tolerance},
            };
            for (size_t f = 0; f < COUNT(fields); f++)
                CHECK(close_enough(fields[f].got, json_get(want, fields[f].field)->number, fields[f].tol),
                      "case %zu %s %s: %.17g", c, labels[k], fields[f].field, fields[f].got);
            double values[] = {r->share, r->nps_topic, r->nps_rest,  r->impact,    r->standard_error,
                               r->lower, r->upper,     r->p_value, r->p_adjusted};
            char label[96];
            snprintf(label, sizeof label, "case %zu %s", c, labels[k]);
            bits_line(out, label, values, (int)COUNT(values));
        }
        for (size_t k = 0; k < t; k++) free(flags[k]);
        free(flags);
        free(labels);
        free(rows);
        free(y);
    }
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
    char *text = read_file(argv[1]);
    json_value doc;
    if (json_parse(text, &doc) != 0) {
        fprintf(stderr, "%s: bad JSON\n", argv[1]);
        return 2;
    }
    FILE *out = open_bits(argc > 2 ? argv[2] : NULL, "topics");
    cases(&doc, out);
    refusals();
    fclose(out);
    json_free(&doc);
    free(text);
    printf("c topics: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

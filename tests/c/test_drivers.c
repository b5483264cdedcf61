/* Runs the shared key-driver vectors (testdata/drivers.json) through the C ABI.
 *
 *   test_drivers DRIVERS.json [OUT_DIR]
 *
 * Checks LMG, its dominance tables and Johnson's weights against the references (pingouin,
 * relativeImp and brute-force subset fits), and writes the exact bits of each analysis with 200
 * bootstrap resamples (seed 7) to OUT_DIR/drivers.c.txt, labelled as the Rust and Python tests
 * label them. Then the refusals: a constant driver is named, and `out` is untouched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

typedef struct {
    const char *name;
    size_t n, p;
    double *score, *weights, **columns;
    const char **names;
} dataset;

static double *numbers(const json_value *array) {
    double *out = malloc((array->len ? array->len : 1) * sizeof *out);
    for (size_t i = 0; i < array->len; i++) out[i] = array->items[i].number;
    return out;
}

static dataset load(const json_value *c) {
    dataset d = {json_get(c, "name")->string, 0, 0, NULL, NULL, NULL, NULL};
    const json_value *names = json_get(c, "names"), *weights = json_get(c, "weights");
    d.score = numbers(json_get(c, "score"));
    d.n = json_get(c, "score")->len;
    d.p = names->len;
    d.weights = weights->type == JSON_ARRAY ? numbers(weights) : NULL;
    d.columns = malloc(d.p * sizeof *d.columns);
    d.names = malloc(d.p * sizeof *d.names);
    for (size_t j = 0; j < d.p; j++) {
        d.names[j] = names->items[j].string;
        d.columns[j] = numbers(json_get(json_get(c, "drivers"), d.names[j]));
    }
    return d;
}

static void release(dataset *d) {
    for (size_t j = 0; j < d->p; j++) free(d->columns[j]);
    free(d->columns);
    free(d->names);
    free(d->score);
    free(d->weights);
}

static cxm_status analyse(const dataset *d, uint32_t method, uint32_t resamples, cxm_key_drivers_result *out,
                          cxm_driver_share *shares, double *conditional, int8_t *complete) {
    cxm_driver_options options;
    CHECK(cxm_driver_options_default(&options) == CXM_STATUS_OK, "default options");
    options.method = method;
    options.resamples = resamples;
    options.seed = 7;
    return cxm_key_drivers(d->score, (const double *const *)d->columns, d->names, d->p, d->n, d->weights, &options,
                           out, shares, conditional, complete);
}

static void cases(const json_value *doc, FILE *out) {
    const json_value *all = json_get(doc, "cases");
    double agree = json_get(doc, "agree")->number;
    for (size_t i = 0; i < all->len; i++) {
        const json_value *c = &all->items[i];
        dataset d = load(c);
        const char *fields[] = {"lmg", "johnson"};
        const uint32_t methods[] = {CXM_DRIVER_METHOD_LMG, CXM_DRIVER_METHOD_JOHNSON};
        for (int m = 0; m < 2; m++) {
            cxm_key_drivers_result k;
            cxm_driver_share *shares = malloc(d.p * sizeof *shares);
            double *conditional = malloc(d.p * d.p * sizeof *conditional);
            int8_t *complete = malloc(d.p * d.p);
            CHECK(analyse(&d, methods[m], 0, &k, shares, conditional, complete) == CXM_STATUS_OK, "%s %s: %s",
                  d.name, fields[m], last_error());
            CHECK(close_enough(k.r_squared, json_get(c, "r_squared")->number, agree), "%s r2 %.17g", d.name,
                  k.r_squared);
            const json_value *want = json_get(c, fields[m]), *coefficients = json_get(c, "coefficients");
            for (size_t j = 0; j < d.p; j++) {
                CHECK(close_enough(shares[j].contribution, want->items[j].number, agree), "%s %s %s: %.17g", d.name,
                      fields[m], d.names[j], shares[j].contribution);
                CHECK(close_enough(shares[j].coefficient, coefficients->items[j].number, agree) &&
                          shares[j].sign == (coefficients->items[j].number > 0 ? 1 : -1),
                      "%s coefficient %s", d.name, d.names[j]);
            }
            if (methods[m] == CXM_DRIVER_METHOD_LMG) {
                const json_value *cond = json_get(c, "conditional"), *comp = json_get(c, "complete");
                for (size_t j = 0; j < d.p; j++)
                    for (size_t k2 = 0; k2 < d.p; k2++) {
                        CHECK(close_enough(conditional[j * d.p + k2], cond->items[j].items[k2].number, agree),
                              "%s conditional %zu %zu", d.name, j, k2);
                        CHECK(complete[j * d.p + k2] == (int8_t)comp->items[j].items[k2].number,
                              "%s complete %zu %zu", d.name, j, k2);
                    }
            }
            /* With 200 resamples: the bits every surface must write alike. */
            CHECK(analyse(&d, methods[m], 200, &k, shares, NULL, NULL) == CXM_STATUS_OK, "%s booted: %s", d.name,
                  last_error());
            size_t count = 1 + 7 * d.p;
            double *values = malloc(count * sizeof *values);
            values[0] = k.r_squared;
            for (size_t j = 0; j < d.p; j++) {
                const cxm_driver_share *s = &shares[j];
                double row[7] = {s->contribution,       s->share,       s->coefficient, s->contribution_lower,
                                 s->contribution_upper, s->share_lower, s->share_upper};
                memcpy(values + 1 + 7 * j, row, sizeof row);
            }
            char label[128];
            snprintf(label, sizeof label, "%s %s", d.name, fields[m]);
            bits_line(out, label, values, (int)count);
            free(values);
            free(shares);
            free(conditional);
            free(complete);
        }
        release(&d);
    }
}

static void refusals(void) {
    const double score[] = {1, 2, 3, 4, 5}, flat[] = {2, 2, 2, 2, 2}, rising[] = {1, 3, 2, 5, 4};
    const double *columns[] = {rising, flat};
    const char *names[] = {"price", "support"};
    cxm_key_drivers_result out, untouched;
    memset(&untouched, 7, sizeof untouched);
    out = untouched;
    cxm_driver_share shares[2];
    cxm_status status = cxm_key_drivers(score, columns, names, 2, 5, NULL, NULL, &out, shares, NULL, NULL);
    CHECK(status == CXM_STATUS_DEGENERATE_COLUMN, "constant driver: %d", status);
    CHECK(strcmp(last_error(), "driver 'support' is constant: it explains nothing") == 0, "message: %s",
          last_error());
    CHECK(memcmp(&out, &untouched, sizeof out) == 0, "out untouched");
    CHECK(cxm_key_drivers(score, columns, NULL, 2, 5, NULL, NULL, &out, shares, NULL, NULL) ==
              CXM_STATUS_NULL_POINTER,
          "NULL names");
    cxm_driver_options bad;
    cxm_driver_options_default(&bad);
    bad.method = 9;
    CHECK(cxm_key_drivers(score, columns, names, 2, 5, NULL, &bad, &out, shares, NULL, NULL) ==
              CXM_STATUS_INVALID_ARGUMENT,
          "unknown method");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DRIVERS.json [OUT_DIR]\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);
    FILE *out = open_bits(argc > 2 ? argv[2] : NULL, "drivers");
    cases(&doc, out);
    refusals();
    fclose(out);
    json_free(&doc);
    free(text);
    printf("c drivers: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* Runs the catalogue of bad inputs (testdata/bad_inputs.json) through the C ABI.
 *
 *   test_catalogue BAD_INPUTS.json
 *
 * For each case whose "surfaces" name "c": builds its inputs, calls the matching cxm_* function(s)
 * and checks that the call fails, with the status cxm_status_name names by the case's kind, with a last
 * error message containing the case's fragment, and without touching its out-param (filled with
 * a sentinel byte pattern before the call, compared after). Then runs the C-only cases of the
 * file's "surface_specific" list (NULL pointers, unknown codes, misaligned arrays, the message
 * buffer), each by the function its "test" names. One line per case, then
 * "catalogue: N passed, M failed"; exits 1 when M > 0. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "cxm.h"
#include "json.h"

#define SENTINEL 0xA5

/* ---- Names the catalogue uses, and what the C ABI calls them ---- */


/* Method and policy names, each at the index of its code in the header. */
static const char *const MISSING[] = {"reject", "skip"};                    /* cxm_missing */
static const char *const ALTERNATIVES[] = {"greater", "less"}; /* cxm_alternative */
static const char *const CHURN_BASES[] = {"start", "average"}; /* cxm_churn_basis */
static const char *const NAMED_RATES[] = {"first_contact_resolution", "renewal", "referral", "cart_abandonment",
                                          "post_incident_loss"}; /* cxm_named_rate */

/* Cases the C ABI has no way to express (it is a failure when one of these is missing from the
 * catalogue, or when another case cannot be built). Their C counterparts are the C-only cases. */
static const struct { const char *id; const char *why; } NOT_IN_C[] = {
    /* C passes enum codes, not names: an unknown code is c-unknown-missing-code, etc. */
    {"nps-unknown-missing-policy", "C takes a cxm_missing code, not a name (see c-unknown-missing-code)"},
    {"nps-unknown-method", "C takes a cxm_nps_method code, not a name (see c-unknown-nps-method-code)"},
    {"proportion-unknown-method",
     "C takes a cxm_proportion_method code, not a name (see c-unknown-proportion-method-code)"},
    {"unknown-alternative", "C takes a cxm_alternative code, not a name (see c-unknown-alternative-code)"},
    {"named-rate-unknown-name", "C takes a cxm_named_rate code, not a name (see c-unknown-named-rate-code)"},
    /* One len covers scores and weights: weights shorter than the scores would be read past their end. */
    {"nps-length-mismatch", "C takes one len for scores and weights: no way to pass lengths that differ"},
    /* cxm_nps_vs_benchmark's method is a cxm_nps_method, which has no code for bootstrap. */
    {"nps-benchmark-bootstrap", "cxm_nps_method has no bootstrap code for cxm_nps_vs_benchmark"},
};

/* ---- Reading the catalogue ---- */


/* args[key] as a number, or `fallback` when absent. */
static double arg(const json_value *args, const char *key, double fallback) {
    const json_value *v = json_get(args, key);
    return v ? json_number(v) : fallback;
}

/* A count: a JSON number, or a decimal string for the u64s a double cannot hold. */
static uint64_t count(const json_value *v) {
    return v->type == JSON_STRING ? strtoull(v->string, NULL, 10) : (uint64_t)v->number;
}

/* args[key] as an int64: a JSON number, or a decimal string for the counts a double cannot hold. */
static int64_t whole(const json_value *args, const char *key) {
    const json_value *v = json_get(args, key);
    return v->type == JSON_STRING ? strtoll(v->string, NULL, 10) : (int64_t)v->number;
}

static const char *name(const json_value *args, const char *key, const char *fallback) {
    const json_value *v = json_get(args, key);
    return v ? v->string : fallback;
}

/* Why the current case could not be built (empty: it could). */
static char unbuildable[256];

/* The code of `wanted` among `names`, or records that C has none and returns UINT32_MAX. */
static uint32_t code(const char *const *names, size_t n, const char *wanted, const char *what) {
    int found = name_code(names, n, wanted);
    if (found >= 0) return (uint32_t)found;
    snprintf(unbuildable, sizeof unbuildable, "no C code for the %s \"%s\"", what, wanted);
    return UINT32_MAX;
}

/* The doubles of a JSON array, in a fresh allocation (never NULL, even when empty). */
static double *doubles(const json_value *array) {
    double *values = malloc((array->len ? array->len : 1) * sizeof *values);
    for (size_t i = 0; i < array->len; i++) values[i] = json_number(&array->items[i]);
    return values;
}

/* The int64s of a JSON array (null: CXM_OPEN_END), in a fresh allocation, or NULL when absent. */
static int64_t *int64s(const json_value *array) { return json_integers(array, CXM_OPEN_END); }

/* ---- A failed call changes nothing ---- */

/* Whether the out-param of the last failing call was left as the sentinel. */
static int out_untouched;

/* Whether `size` bytes at `out` are all the sentinel. */
static int untouched(const void *out, size_t size) {
    const unsigned char *bytes = out;
    for (size_t i = 0; i < size; i++)
        if (bytes[i] != SENTINEL) return 0;
    return 1;
}

static cxm_status after(cxm_status status, const void *out, size_t size) {
    if (status != CXM_STATUS_OK) out_untouched = untouched(out, size);
    return status;
}

/* Calls `call` with `out` filled with the sentinel first; on a failure, checks `out` after. */
#define GUARDED(out, call) (memset(&(out), SENTINEL, sizeof(out)), after((call), &(out), sizeof(out)))

/* On a failure, returns the status from the calling function. */
#define TRY(call)                                           \
    do {                                                    \
        cxm_status try_status = (call);                     \
        if (try_status != CXM_STATUS_OK) return try_status; \
    } while (0)

/* ---- Building the inputs ---- */

/* CSAT's and CES 2.0's scales, as cxm.h documents them. */
static const cxm_scale CSAT = {1, 5, 4, 1}, CES = {1, 7, 5, 1};

static cxm_scale scale_of(const json_value *s) {
    if (!s || (s->type == JSON_STRING && strcmp(s->string, "csat") == 0)) return CSAT;
    if (s->type == JSON_STRING && strcmp(s->string, "ces") == 0) return CES;
    cxm_scale scale;
    memset(&scale, 0, sizeof scale);
    scale.min = (int64_t)json_get(s, "min")->number;
    scale.max = (int64_t)json_get(s, "max")->number;
    scale.threshold = (int64_t)json_get(s, "threshold")->number;
    scale.higher_is_better = (uint32_t)json_get(s, "higher_is_better")->number;
    return scale;
}

/* An NPS from counts, or built field by field when the object has an "n". */
static cxm_status nps_of(const json_value *v, cxm_nps *out) {
    if (!json_get(v, "n"))
        return GUARDED(*out, cxm_nps_from_counts(count(json_get(v, "promoters")), count(json_get(v, "passives")),
                                                 count(json_get(v, "detractors")), out));
    out->n = count(json_get(v, "n"));
    out->promoters = count(json_get(v, "promoters"));
    out->passives = count(json_get(v, "passives"));
    out->detractors = count(json_get(v, "detractors"));
    out->promoter_share = json_number(json_get(v, "promoter_share"));
    out->passive_share = json_number(json_get(v, "passive_share"));
    out->detractor_share = json_number(json_get(v, "detractor_share"));
    out->score = json_number(json_get(v, "score"));
    out->standard_error = json_number(json_get(v, "standard_error"));
    out->effective_n = json_number(json_get(v, "effective_n"));
    return CXM_STATUS_OK;
}

/* A rating summary from {scores, weights?, scale?}, or built field by field. */
static cxm_status rating_of(const json_value *v, cxm_rating *out) {
    const json_value *scores = json_get(v, "scores");
    cxm_scale scale = scale_of(json_get(v, "scale"));
    if (scores) {
        const json_value *w = json_get(v, "weights");
        double *values = doubles(scores), *weights = w ? doubles(w) : NULL;
        cxm_status status =
            GUARDED(*out, cxm_rating_f64(values, scores->len, weights, &scale, CXM_MISSING_REJECT, out));
        free(values);
        free(weights);
        return status;
    }
    memset(out, 0, sizeof *out);
    out->n = count(json_get(v, "n"));
    out->favourable = count(json_get(v, "favourable"));
    out->share = json_number(json_get(v, "share"));
    out->mean = json_number(json_get(v, "mean"));
    out->standard_deviation = json_number(json_get(v, "standard_deviation"));
    out->effective_n = json_number(json_get(v, "effective_n"));
    out->scale = scale;
    return CXM_STATUS_OK;
}

/* The interval of an NPS by the case's method: a cxm_nps_method code, or the bootstrap and
 * Bayesian functions with the catalogue's defaults (10000 resamples, 100000 draws, seed 0,
 * the uniform prior). */
static cxm_status nps_interval(const json_value *args, const cxm_nps *nps, double level) {
    const char *method = name(args, "method", "adjusted_wald");
    cxm_interval ci;
    if (strcmp(method, "bootstrap") == 0) {
        const json_value *r = json_get(args, "resamples");
        return GUARDED(ci, cxm_nps_bootstrap_interval(nps, level, r ? (uint32_t)count(r) : 10000, 0, &ci));
    }
    if (strcmp(method, "bayesian") == 0) {
        const json_value *p = json_get(args, "prior"), *d = json_get(args, "draws");
        cxm_dirichlet_prior prior = {1.0, 1.0, 1.0};
        if (p) prior = (cxm_dirichlet_prior){json_number(&p->items[0]), json_number(&p->items[1]), json_number(&p->items[2])};
        return GUARDED(ci, cxm_nps_bayesian_interval(nps, level, prior, d ? (uint32_t)count(d) : 100000, 0, &ci));
    }
    uint32_t m = code(NPS_METHODS, COUNT(NPS_METHODS), method, "NPS method");
    if (unbuildable[0]) return CXM_STATUS_OK;
    return GUARDED(ci, cxm_nps_confidence_interval(nps, level, m, &ci));
}

/* Runs one case's call; returns the status of the first call that failed (or CXM_STATUS_OK, and
 * sets `unbuildable` when the case cannot be expressed). */
static cxm_status run(const char *call, const json_value *args) {
    double level = arg(args, "level", 0.95);
    cxm_nps a, b;
    cxm_rating ra, rb;
    cxm_interval ci;
    cxm_comparison c;
    cxm_benchmark t;
    if (strcmp(call, "nps") == 0) {
        const json_value *scores = json_get(args, "scores"), *w = json_get(args, "weights");
        if (w && w->len != scores->len) {
            snprintf(unbuildable, sizeof unbuildable, "%zu scores but %zu weights", scores->len, w->len);
            return CXM_STATUS_OK;
        }
        uint32_t missing = code(MISSING, COUNT(MISSING), name(args, "missing", "reject"), "missing-value policy");
        if (unbuildable[0]) return CXM_STATUS_OK;
        double *values = doubles(scores), *weights = w ? doubles(w) : NULL;
        cxm_status status = GUARDED(a, cxm_nps_f64(values, scores->len, weights, missing, &a));
        free(values);
        free(weights);
        return status;
    }
    if (strcmp(call, "rating") == 0) return rating_of(args, &ra);
    if (strcmp(call, "nps_from_counts") == 0) return nps_of(args, &a);
    if (strcmp(call, "nps_interval") == 0) {
        TRY(nps_of(json_get(args, "nps"), &a));
        return nps_interval(args, &a, level);
    }
    if (strcmp(call, "proportion_interval") == 0) {
        uint32_t m = code(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), name(args, "method", "wilson"),
                          "proportion method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        return GUARDED(ci, cxm_proportion_interval(arg(args, "successes", 0), arg(args, "n", 0), level, m, &ci));
    }
    if (strcmp(call, "compare_proportions") == 0)
        return GUARDED(c, cxm_compare_proportions(arg(args, "successes1", 0), arg(args, "n1", 0),
                                                  arg(args, "successes2", 0), arg(args, "n2", 0), level, &c));
    if (strcmp(call, "contact_centre") == 0) {
        const json_value *waits = json_get(args, "wait_seconds"), *answered = json_get(args, "answered");
        double *w = doubles(waits), fifty[1] = {50.0};
        uint8_t *flags = malloc(answered->len ? answered->len : 1);
        for (size_t i = 0; i < answered->len; i++) flags[i] = (uint8_t)answered->items[i].number;
        const json_value *short_abandon = json_get(args, "short_abandon_seconds");
        cxm_survival_percentile rows[1];
        cxm_contact_centre_result c;
        cxm_status status = GUARDED(c, cxm_contact_centre(w, flags, waits->len,
                                                          short_abandon ? json_number(short_abandon) : NAN,
                                                          arg(args, "service_level_seconds", 20.0), fifty, 1, level,
                                                          &c, rows));
        free(w);
        free(flags);
        return status;
    }
    if (strcmp(call, "durations") == 0) {
        const json_value *seconds = json_get(args, "seconds"), *open = json_get(args, "open");
        const json_value *weights = json_get(args, "weights"), *percents = json_get(args, "percents");
        double *s = doubles(seconds), *w = weights && weights->type != JSON_NULL ? doubles(weights) : NULL;
        double fifty[1] = {50.0}, *p = percents ? doubles(percents) : fifty;
        size_t n_percents = percents ? percents->len : 1;
        uint8_t *flags = NULL;
        if (open && open->type != JSON_NULL) {
            flags = malloc(open->len ? open->len : 1);
            for (size_t i = 0; i < open->len; i++) flags[i] = (uint8_t)open->items[i].number;
        }
        const json_value *within = json_get(args, "within");
        cxm_survival_percentile rows[8];
        cxm_duration_summary d;
        cxm_status status = GUARDED(d, cxm_durations(s, flags, w, seconds->len, p, n_percents,
                                                     within ? json_number(within) : NAN, level,
                                                     CXM_CONF_TYPE_LOG_LOG, &d, rows));
        free(s);
        free(w);
        free(flags);
        if (p != fifty) free(p);
        return status;
    }
    if (strcmp(call, "lift") == 0) {
        cxm_lift_result l;
        return GUARDED(l, cxm_lift(whole(args, "events_a"), whole(args, "n_a"), whole(args, "events_b"),
                                   whole(args, "n_b"), level, &l));
    }
    if (strcmp(call, "named_rate") == 0) {
        uint32_t r = code(NAMED_RATES, COUNT(NAMED_RATES), name(args, "name", ""), "named rate");
        uint32_t m = code(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), name(args, "method", "wilson"),
                          "proportion method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        cxm_rate_estimate e;
        return GUARDED(e, cxm_named_rate_estimate(r, whole(args, "successes"), whole(args, "n"), level, m, &e));
    }
    if (strcmp(call, "compare_nps") == 0) {
        TRY(nps_of(json_get(args, "a"), &a));
        TRY(nps_of(json_get(args, "b"), &b));
        uint32_t m = code(NPS_METHODS, COUNT(NPS_METHODS), name(args, "method", "adjusted_wald"), "NPS method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        return GUARDED(c, cxm_compare_nps(&a, &b, level, m, &c));
    }
    if (strcmp(call, "compare_means") == 0) {
        TRY(rating_of(json_get(args, "a"), &ra));
        TRY(rating_of(json_get(args, "b"), &rb));
        return GUARDED(c, cxm_compare_means(&ra, &rb, level, &c));
    }
    if (strcmp(call, "rating_mean_interval") == 0) {
        TRY(rating_of(json_get(args, "rating"), &ra));
        return GUARDED(ci, cxm_rating_mean_interval(&ra, level, &ci));
    }
    if (strcmp(call, "rating_share_interval") == 0) {
        TRY(rating_of(json_get(args, "rating"), &ra));
        uint32_t m = code(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), name(args, "method", "wilson"),
                          "proportion method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        return GUARDED(ci, cxm_rating_share_interval(&ra, level, m, &ci));
    }
    if (strcmp(call, "nps_vs_benchmark") == 0) {
        TRY(nps_of(json_get(args, "nps"), &a));
        uint32_t alt = code(ALTERNATIVES, COUNT(ALTERNATIVES), name(args, "alternative", "greater"), "alternative");
        uint32_t m = code(NPS_METHODS, COUNT(NPS_METHODS), name(args, "method", "adjusted_wald"), "NPS method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        return GUARDED(t, cxm_nps_vs_benchmark(&a, arg(args, "benchmark", 0), alt, level, m, &t));
    }
    if (strcmp(call, "proportion_vs_benchmark") == 0) {
        uint32_t alt = code(ALTERNATIVES, COUNT(ALTERNATIVES), name(args, "alternative", "greater"), "alternative");
        uint32_t m = code(PROPORTION_METHODS, COUNT(PROPORTION_METHODS), name(args, "method", "wilson"),
                          "proportion method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        return GUARDED(t, cxm_proportion_vs_benchmark(arg(args, "successes", 0), arg(args, "n", 0),
                                                      arg(args, "benchmark", 0.5), alt, level, m, &t));
    }
    if (strcmp(call, "churn") == 0) {
        uint32_t basis = code(CHURN_BASES, COUNT(CHURN_BASES), name(args, "basis", "start"), "churn basis");
        const json_value *end = json_get(args, "customers_at_end");
        int64_t end_count = end ? (int64_t)end->number : 0;
        if (unbuildable[0]) return CXM_STATUS_OK;
        cxm_churn churn;
        return GUARDED(churn, cxm_churn_from_counts((int64_t)arg(args, "lost", 0),
                                                    (int64_t)arg(args, "customers_at_start", 0),
                                                    end ? &end_count : NULL, basis, &churn));
    }
    if (strcmp(call, "rate_interval") == 0) {
        uint32_t m = code(RATE_METHODS, COUNT(RATE_METHODS), name(args, "method", "exact"), "rate method");
        if (unbuildable[0]) return CXM_STATUS_OK;
        return GUARDED(ci, cxm_rate_interval(arg(args, "count", 0), arg(args, "exposure", 1), level, m, &ci));
    }
    if (strcmp(call, "customer_flow") == 0) {
        const json_value *starts = json_get(args, "starts");
        int64_t *s = int64s(starts), *e = int64s(json_get(args, "ends")), *v = int64s(json_get(args, "values")),
                *c = int64s(json_get(args, "customers"));
        cxm_customer_flow flow;
        cxm_status status = GUARDED(flow, cxm_customer_flow_from_records(
                                              s, e, v, c, starts->len, (int64_t)arg(args, "window_start", 0),
                                              (int64_t)arg(args, "window_end", 0), &flow));
        free(s);
        free(e);
        free(v);
        free(c);
        return status;
    }
    if (strcmp(call, "nps_topic_impact") == 0) {
        const json_value *scores = json_get(args, "scores"), *topics = json_get(args, "topics"),
                         *names = json_get(args, "names");
        double *y = doubles(scores);
        uint8_t **flags = calloc(topics->len + 1, sizeof *flags);
        const char **labels = calloc(names->len + 1, sizeof *labels);
        for (size_t t = 0; t < topics->len; t++) {
            flags[t] = calloc(scores->len + 1, 1);
            for (size_t i = 0; i < topics->items[t].len; i++) flags[t][i] = topics->items[t].items[i].number != 0;
        }
        for (size_t t = 0; t < names->len; t++) labels[t] = names->items[t].string;
        cxm_topic_impact *rows = calloc(topics->len + 1, sizeof *rows);
        cxm_status status = GUARDED(rows[0], cxm_nps_topic_impact(y, scores->len, (const uint8_t *const *)flags, labels,
                                                                  topics->len, CXM_MISSING_REJECT, level,
                                                                  CXM_ADJUSTMENT_HOLM, rows));
        for (size_t t = 0; t < topics->len; t++) free(flags[t]);
        free(flags);
        free(labels);
        free(rows);
        free(y);
        return status;
    }
    if (strcmp(call, "rake") == 0) {
        const json_value *given = json_get(args, "margins"), *bounds = json_get(args, "bounds");
        size_t k = given->len, n = json_get(&given->items[0], "codes")->len;
        cxm_margin *margins = calloc(k + 1, sizeof *margins);
        for (size_t m = 0; m < k; m++) {
            const json_value *codes = json_get(&given->items[m], "codes"),
                             *targets = json_get(&given->items[m], "targets");
            uint32_t *column = calloc(n + 1, sizeof *column);
            for (size_t i = 0; i < codes->len; i++) column[i] = (uint32_t)codes->items[i].number;
            margins[m] = (cxm_margin){json_get(&given->items[m], "name")->string, column, doubles(targets),
                                      targets->len, NULL};
        }
        cxm_rake_options options;
        cxm_rake_options_default(&options);
        if (bounds) {
            options.bounded = 1;
            options.lower = bounds->items[0].number;
            options.upper = bounds->items[1].number;
        }
        cxm_raking *raking = NULL;
        cxm_status status = GUARDED(raking, cxm_rake(margins, k, n, NULL, &options, &raking));
        if (status == CXM_STATUS_OK) cxm_raking_free(raking);
        for (size_t m = 0; m < k; m++) {
            free((void *)margins[m].codes);
            free((void *)margins[m].targets);
        }
        free(margins);
        return status;
    }
    if (strcmp(call, "key_drivers") == 0) {
        const json_value *score = json_get(args, "score"), *columns = json_get(args, "columns"),
                         *names = json_get(args, "names");
        double *y = doubles(score), **x = calloc(columns->len + 1, sizeof *x);
        const char **labels = calloc(names->len + 1, sizeof *labels);
        for (size_t j = 0; j < columns->len; j++) x[j] = doubles(&columns->items[j]);
        for (size_t j = 0; j < names->len; j++) labels[j] = names->items[j].string;
        cxm_driver_options options;
        cxm_driver_options_default(&options);
        options.resamples = (uint32_t)arg(args, "resamples", 0);
        cxm_key_drivers_result k;
        cxm_driver_share *shares = calloc(columns->len + 1, sizeof *shares);
        cxm_status status = GUARDED(k, cxm_key_drivers(y, (const double *const *)x, labels, columns->len, score->len,
                                                       NULL, &options, &k, shares, NULL, NULL));
        for (size_t j = 0; j < columns->len; j++) free(x[j]);
        free(x);
        free(labels);
        free(shares);
        free(y);
        return status;
    }
    if (strcmp(call, "churn_lift") == 0) {
        const json_value *starts = json_get(args, "starts"), *flags = json_get(args, "marked");
        int64_t *s = int64s(starts), *e = int64s(json_get(args, "ends")), *c = int64s(json_get(args, "customers")),
                *who = int64s(json_get(args, "marked_customers"));
        uint8_t *marked = calloc(flags->len + 1, 1);
        for (size_t i = 0; i < flags->len; i++) marked[i] = flags->items[i].number != 0;
        cxm_churn_lift_result lift;
        cxm_status status = GUARDED(lift, cxm_churn_lift(s, e, c, starts->len, (int64_t)arg(args, "window_start", 0),
                                                         (int64_t)arg(args, "window_end", 0), who, marked, flags->len,
                                                         level, &lift));
        free(s);
        free(e);
        free(c);
        free(who);
        free(marked);
        return status;
    }
    if (strcmp(call, "ncvg") == 0) {
        cxm_ncvg g;
        return GUARDED(g, cxm_ncvg_from_totals((int64_t)arg(args, "new_count", 0), (int64_t)arg(args, "new_value", 0),
                                               (int64_t)arg(args, "lost_count", 0),
                                               (int64_t)arg(args, "lost_value", 0), &g));
    }
    if (strcmp(call, "adjust_p_values") == 0) {
        static const char *const ADJUSTMENTS[] = {"none", "holm", "fdr_bh"};
        const json_value *p = json_get(args, "p_values");
        uint32_t m = code(ADJUSTMENTS, COUNT(ADJUSTMENTS), name(args, "method", "holm"), "p-value adjustment");
        if (unbuildable[0]) return CXM_STATUS_OK;
        double *values = doubles(p);
        double out[16];
        cxm_status status = GUARDED(out, cxm_adjust_p_values(values, p->len, m, out));
        free(values);
        return status;
    }
    if (strcmp(call, "nps_state_from_bytes") == 0) {
        const char *hex = json_get(args, "bytes_hex")->string;
        size_t len = strlen(hex) / 2;
        uint8_t *bytes = malloc(len ? len : 1);
        for (size_t i = 0; i < len; i++) sscanf(hex + 2 * i, "%2hhx", &bytes[i]);
        cxm_state *state = NULL;
        cxm_status status = GUARDED(state, cxm_state_from_bytes(bytes, len, CXM_METRIC_NPS, &state));
        cxm_state_free(status == CXM_STATUS_OK ? state : NULL);
        free(bytes);
        return status;
    }
    if (strcmp(call, "nps_state_merge") == 0) {
        cxm_state *states[2] = {NULL, NULL};
        const char *keys[2] = {"a", "b"};
        cxm_status status = CXM_STATUS_OK;
        for (int i = 0; i < 2 && status == CXM_STATUS_OK; i++) {
            const json_value *part = json_get(args, keys[i]);
            const json_value *scores = json_get(part, "scores"), *w = json_get(part, "weights");
            double *values = doubles(scores), *weights = w ? doubles(w) : NULL;
            status = cxm_state_new_nps(&states[i]);
            if (status == CXM_STATUS_OK)
                status = cxm_state_add_f64(states[i], values, scores->len, weights, CXM_MISSING_REJECT);
            free(values);
            free(weights);
        }
        if (status == CXM_STATUS_OK) {
            /* A failed merge leaves the state as it was: its bytes are compared. */
            uint8_t before[256], after_merge[256];
            size_t n_before = 0, n_after = 0;
            cxm_state_to_bytes(states[0], before, sizeof before, &n_before);
            status = cxm_state_merge(states[0], states[1]);
            cxm_state_to_bytes(states[0], after_merge, sizeof after_merge, &n_after);
            CHECK(status == CXM_STATUS_OK ||
                      (n_before == n_after && memcmp(before, after_merge, n_before) == 0),
                  "a failed merge changed the state");
            /* The merge's own message is the one to check: read it again after the byte calls. */
            if (status != CXM_STATUS_OK) cxm_state_merge(states[0], states[1]);
            out_untouched = 1; /* checked above, by the state's bytes */
        }
        cxm_state_free(states[0]);
        cxm_state_free(states[1]);
        return status;
    }
    if (strcmp(call, "nps_by_group") == 0) {
        const json_value *scores = json_get(args, "scores"), *groups = json_get(args, "groups");
        size_t count_of_groups = (size_t)arg(args, "group_count", 0);
        double *values = doubles(scores);
        uint32_t *rows = malloc((groups->len ? groups->len : 1) * sizeof *rows);
        for (size_t i = 0; i < groups->len; i++) rows[i] = (uint32_t)json_number(&groups->items[i]);
        cxm_state *prototype = NULL;
        cxm_state **out = calloc(count_of_groups ? count_of_groups : 1, sizeof *out);
        TRY(cxm_state_new_nps(&prototype));
        cxm_status status = cxm_states_by_group_f64(prototype, values, scores->len, NULL, rows,
                                                    count_of_groups, CXM_MISSING_REJECT, out);
        out_untouched = 1;
        for (size_t g = 0; g < count_of_groups; g++) {
            if (status != CXM_STATUS_OK && out[g] != NULL) out_untouched = 0;
            cxm_state_free(out[g]);
        }
        cxm_state_free(prototype);
        free(out);
        free(rows);
        free(values);
        return status;
    }
    snprintf(unbuildable, sizeof unbuildable, "the catalogue names a call this runner does not know: %s", call);
    return CXM_STATUS_OK;
}

/* ---- Checking ---- */

static int cases_passed, cases_failed, cases_skipped;

/* This thread's last error message, read in full (CHECKs nothing: the callers report). */
static const char *message(void) {
    static char buf[1024];
    size_t written = 0;
    if (cxm_last_error_message(buf, sizeof buf, &written) != CXM_STATUS_OK) return "(cxm_last_error_message failed)";
    return buf;
}

/* The header's name of `status` (CXM_STATUS_SCORE_OUT_OF_RANGE), from the library's own
 * cxm_status_name: the statuses are declared once, in the core. Two buffers in turn, so that
 * one message can name two statuses; each is valid until the call after next. */
static const char *status_name(cxm_status status) {
    static char names[2][96];
    static unsigned turn;
    char *name = names[turn++ % 2];
    const char *own = cxm_status_name(status);
    if (!own) return "(not a status)";
    size_t n = (size_t)snprintf(name, sizeof names[0], "CXM_STATUS_%s", own);
    for (size_t i = sizeof "CXM_STATUS_" - 1; i < n && i < sizeof names[0]; i++)
        name[i] = (char)toupper((unsigned char)name[i]);
    return name;
}

/* The status the library names `kind` (score_out_of_range, in any case), or -1. */
static int status_of_kind(const char *kind) {
    for (uint32_t code = 0; code < 1000; code++) {
        const char *name = cxm_status_name(code);
        if (name && strcasecmp(name, kind) == 0) return (int)code;
    }
    return -1;
}

/* The status whose header name is `header_name` (CXM_STATUS_SCORE_OUT_OF_RANGE), or -1. */
static int status_named(const char *header_name) {
    const size_t prefix = sizeof "CXM_STATUS_" - 1;
    if (strncmp(header_name, "CXM_STATUS_", prefix) != 0) return -1;
    return status_of_kind(header_name + prefix);
}

/* Records one case's outcome: `problem` is NULL when it passed. */
static void report(const char *id, const char *problem, cxm_status status) {
    if (problem) {
        cases_failed++;
        printf("FAIL %s: %s\n", id, problem);
    } else {
        cases_passed++;
        printf("ok   %s (%s)\n", id, status_name(status));
    }
}

static void run_case(const json_value *kase) {
    const char *id = json_get(kase, "id")->string, *kind = json_get(kase, "kind")->string;
    const char *fragment = json_get(kase, "message")->string;
    const json_value *surfaces = json_get(kase, "surfaces");
    int in_c = 0;
    for (size_t i = 0; i < surfaces->len; i++) in_c |= strcmp(surfaces->items[i].string, "c") == 0;
    if (!in_c) return;
    for (size_t i = 0; i < COUNT(NOT_IN_C); i++)
        if (strcmp(NOT_IN_C[i].id, id) == 0) {
            cases_skipped++;
            printf("skip %s: %s\n", id, NOT_IN_C[i].why);
            return;
        }
    /* The status the library itself names by the kind: the core declares both. */
    int want = status_of_kind(kind);
    unbuildable[0] = '\0';
    out_untouched = 0;
    cxm_status status = run(json_get(kase, "call")->string, json_get(kase, "args"));
    const char *got = message();
    char problem[1024];
    if (unbuildable[0])
        snprintf(problem, sizeof problem, "cannot be expressed in C: %s", unbuildable);
    else if (want < 0)
        snprintf(problem, sizeof problem, "kind %s is the name of no C status", kind);
    else if (status == CXM_STATUS_OK)
        snprintf(problem, sizeof problem, "succeeded, expected %s (%s)", status_name((cxm_status)want), kind);
    else if (status != (cxm_status)want)
        snprintf(problem, sizeof problem, "got %s \"%s\", expected %s (%s) \"%s\"", status_name(status), got,
                 status_name((cxm_status)want), kind, fragment);
    else if (!strstr(got, fragment))
        snprintf(problem, sizeof problem, "message \"%s\" lacks \"%s\"", got, fragment);
    else if (!out_untouched)
        snprintf(problem, sizeof problem, "the failed call wrote to its out-param");
    else
        problem[0] = '\0';
    report(id, problem[0] ? problem : NULL, status);
}

/* ---- The C-only cases (surface_specific, surface "c") ---- */

/* Each takes the status its entry names and returns a problem (NULL: passed) in `problem`. */
typedef const char *c_case(cxm_status want, char *problem, size_t size);

/* One failing call's checks: status, message fragment, out-param untouched. */
static const char *expect(const char *what, cxm_status status, cxm_status want, const char *fragment, char *problem,
                          size_t size) {
    const char *got = message();
    if (status != want)
        snprintf(problem, size, "%s: got %s \"%s\", expected %s", what, status_name(status), got, status_name(want));
    else if (fragment && !strstr(got, fragment))
        snprintf(problem, size, "%s: message \"%s\" lacks \"%s\"", what, got, fragment);
    else if (status != CXM_STATUS_OK && !out_untouched)
        snprintf(problem, size, "%s: the failed call wrote to its out-param", what);
    else
        return NULL;
    return problem;
}

#define EXPECT(what, call, want, fragment)                                                \
    do {                                                                                  \
        const char *expect_problem = expect(what, (call), want, fragment, problem, size); \
        if (expect_problem) return expect_problem;                                        \
    } while (0)

static const double SCORES[3] = {9, 7, 3};

static const char *null_scores_with_length(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_rating r;
    EXPECT("cxm_nps_f64", GUARDED(nps, cxm_nps_f64(NULL, 3, NULL, CXM_MISSING_REJECT, &nps)), want,
           "cxm_nps_f64: `scores` is NULL");
    EXPECT("cxm_rating_f64", GUARDED(r, cxm_rating_f64(NULL, 3, NULL, &CSAT, CXM_MISSING_REJECT, &r)), want,
           "cxm_rating_f64: `scores` is NULL");
    EXPECT("cxm_nps_i32", GUARDED(nps, cxm_nps_i32(NULL, 1, NULL, CXM_MISSING_REJECT, &nps)), want,
           "cxm_nps_i32: `scores` is NULL");
    return NULL;
}

static const char *null_scores_without_length(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_rating r;
    EXPECT("cxm_nps_f64", GUARDED(nps, cxm_nps_f64(NULL, 0, NULL, CXM_MISSING_REJECT, &nps)), want,
           "no responses to score");
    EXPECT("cxm_rating_u8", GUARDED(r, cxm_rating_u8(NULL, 0, NULL, &CSAT, CXM_MISSING_REJECT, &r)), want,
           "no responses to score");
    return NULL;
}

static const char *null_input_struct(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_rating r;
    cxm_interval ci;
    cxm_comparison c;
    cxm_nps_from_counts(50, 30, 20, &nps);
    cxm_rating_f64((const double[]){4, 5}, 2, NULL, &CSAT, CXM_MISSING_REJECT, &r);
    EXPECT("cxm_nps_confidence_interval",
           GUARDED(ci, cxm_nps_confidence_interval(NULL, 0.95, CXM_NPS_METHOD_WALD, &ci)), want, "`nps` is NULL");
    EXPECT("cxm_rating_f64 scale", GUARDED(r, cxm_rating_f64(SCORES, 3, NULL, NULL, CXM_MISSING_REJECT, &r)), want,
           "`scale` is NULL");
    EXPECT("cxm_rating_mean_interval", GUARDED(ci, cxm_rating_mean_interval(NULL, 0.95, &ci)), want,
           "`rating` is NULL");
    EXPECT("cxm_compare_nps b", GUARDED(c, cxm_compare_nps(&nps, NULL, 0.95, CXM_NPS_METHOD_WALD, &c)), want,
           "cxm_compare_nps: `b` is NULL");
    EXPECT("cxm_compare_means a", GUARDED(c, cxm_compare_means(NULL, &r, 0.95, &c)), want,
           "cxm_compare_means: `a` is NULL");
    return NULL;
}

static const char *null_out_param(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_rating r;
    cxm_nps_from_counts(50, 30, 20, &nps);
    cxm_rating_f64((const double[]){4, 5}, 2, NULL, &CSAT, CXM_MISSING_REJECT, &r);
    char fragment[96];
#define OUT_NULL(what, call)                                            \
    do {                                                                \
        snprintf(fragment, sizeof fragment, "%s: `out` is NULL", what); \
        out_untouched = 1; /* no out-param to check */                  \
        EXPECT(what, call, want, fragment);                             \
    } while (0)
    OUT_NULL("cxm_nps_f64", cxm_nps_f64(SCORES, 3, NULL, CXM_MISSING_REJECT, NULL));
    OUT_NULL("cxm_nps_u8", cxm_nps_u8((const uint8_t[]){9}, 1, NULL, CXM_MISSING_REJECT, NULL));
    OUT_NULL("cxm_nps_from_counts", cxm_nps_from_counts(1, 2, 3, NULL));
    OUT_NULL("cxm_nps_confidence_interval", cxm_nps_confidence_interval(&nps, 0.95, CXM_NPS_METHOD_WALD, NULL));
    OUT_NULL("cxm_nps_bootstrap_interval", cxm_nps_bootstrap_interval(&nps, 0.95, 100, 0, NULL));
    OUT_NULL("cxm_nps_bayesian_interval",
             cxm_nps_bayesian_interval(&nps, 0.95, (cxm_dirichlet_prior){1, 1, 1}, 100, 0, NULL));
    OUT_NULL("cxm_rating_f64", cxm_rating_f64(SCORES, 1, NULL, &CSAT, CXM_MISSING_REJECT, NULL));
    OUT_NULL("cxm_rating_share_interval", cxm_rating_share_interval(&r, 0.95, CXM_PROPORTION_METHOD_WILSON, NULL));
    OUT_NULL("cxm_rating_mean_interval", cxm_rating_mean_interval(&r, 0.95, NULL));
    OUT_NULL("cxm_proportion_interval", cxm_proportion_interval(3, 10, 0.95, CXM_PROPORTION_METHOD_WILSON, NULL));
    OUT_NULL("cxm_compare_proportions", cxm_compare_proportions(3, 10, 4, 10, 0.95, NULL));
    OUT_NULL("cxm_compare_nps", cxm_compare_nps(&nps, &nps, 0.95, CXM_NPS_METHOD_WALD, NULL));
    OUT_NULL("cxm_lift", cxm_lift(3, 10, 4, 10, 0.95, NULL));
    OUT_NULL("cxm_named_rate_estimate",
             cxm_named_rate_estimate(CXM_NAMED_RATE_RENEWAL, 3, 10, 0.95, CXM_PROPORTION_METHOD_WILSON, NULL));
    OUT_NULL("cxm_compare_means", cxm_compare_means(&r, &r, 0.95, NULL));
    OUT_NULL("cxm_nps_vs_benchmark",
             cxm_nps_vs_benchmark(&nps, 20, CXM_ALTERNATIVE_GREATER, 0.95, CXM_NPS_METHOD_WALD, NULL));
    OUT_NULL("cxm_proportion_vs_benchmark", cxm_proportion_vs_benchmark(3, 10, 0.5, CXM_ALTERNATIVE_GREATER, 0.95,
                                                                        CXM_PROPORTION_METHOD_WILSON, NULL));
    cxm_churn churn;
    cxm_customer_flow flow;
    const int64_t start = 0;
    cxm_churn_from_counts(5, 100, NULL, CXM_CHURN_BASIS_START, &churn);
    cxm_customer_flow_from_records(&start, NULL, NULL, NULL, 1, 0, 10, &flow);
    OUT_NULL("cxm_churn_from_counts", cxm_churn_from_counts(5, 100, NULL, CXM_CHURN_BASIS_START, NULL));
    OUT_NULL("cxm_churn_interval", cxm_churn_interval(&churn, 0.95, CXM_PROPORTION_METHOD_WILSON, NULL));
    OUT_NULL("cxm_rate_interval", cxm_rate_interval(3, 10, 0.95, CXM_RATE_METHOD_EXACT, NULL));
    OUT_NULL("cxm_ncvg_from_totals", cxm_ncvg_from_totals(1, 2, 3, 4, NULL));
    OUT_NULL("cxm_customer_flow_from_records", cxm_customer_flow_from_records(&start, NULL, NULL, NULL, 1, 0, 10, NULL));
    OUT_NULL("cxm_customer_flow_churn", cxm_customer_flow_churn(&flow, CXM_CHURN_BASIS_START, NULL));
    OUT_NULL("cxm_customer_flow_ncvg", cxm_customer_flow_ncvg(&flow, NULL));
    OUT_NULL("cxm_customer_flow_exposure_interval",
             cxm_customer_flow_exposure_interval(&flow, 0.95, CXM_RATE_METHOD_EXACT, NULL));
    OUT_NULL("cxm_annual_from_monthly", cxm_annual_from_monthly(0.1, NULL));
    OUT_NULL("cxm_monthly_from_annual", cxm_monthly_from_annual(0.1, NULL));
#undef OUT_NULL
    return NULL;
}

static const char *unknown_missing_code(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_rating r;
    EXPECT("cxm_nps_f64", GUARDED(nps, cxm_nps_f64(SCORES, 3, NULL, 999, &nps)), want,
           "cxm_nps_f64: unknown missing-value policy 999");
    EXPECT("cxm_rating_f64", GUARDED(r, cxm_rating_f64(SCORES, 1, NULL, &CSAT, 999, &r)), want,
           "cxm_rating_f64: unknown missing-value policy 999");
    return NULL;
}

static const char *unknown_nps_method_code(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_interval ci;
    cxm_comparison c;
    cxm_benchmark t;
    cxm_nps_from_counts(50, 30, 20, &nps);
    EXPECT("cxm_nps_confidence_interval", GUARDED(ci, cxm_nps_confidence_interval(&nps, 0.95, 999, &ci)), want,
           "cxm_nps_confidence_interval: unknown NPS interval method 999");
    EXPECT("cxm_compare_nps", GUARDED(c, cxm_compare_nps(&nps, &nps, 0.95, 999, &c)), want,
           "cxm_compare_nps: unknown NPS interval method 999");
    EXPECT("cxm_nps_vs_benchmark",
           GUARDED(t, cxm_nps_vs_benchmark(&nps, 20, CXM_ALTERNATIVE_GREATER, 0.95, 999, &t)), want,
           "cxm_nps_vs_benchmark: unknown NPS interval method 999");
    return NULL;
}

static const char *unknown_proportion_method_code(cxm_status want, char *problem, size_t size) {
    cxm_rating r;
    cxm_interval ci;
    cxm_benchmark t;
    cxm_rating_f64((const double[]){4, 5}, 2, NULL, &CSAT, CXM_MISSING_REJECT, &r);
    EXPECT("cxm_proportion_interval", GUARDED(ci, cxm_proportion_interval(3, 10, 0.95, 999, &ci)), want,
           "cxm_proportion_interval: unknown proportion interval method 999");
    EXPECT("cxm_rating_share_interval", GUARDED(ci, cxm_rating_share_interval(&r, 0.95, 999, &ci)), want,
           "cxm_rating_share_interval: unknown proportion interval method 999");
    EXPECT("cxm_proportion_vs_benchmark",
           GUARDED(t, cxm_proportion_vs_benchmark(3, 10, 0.5, CXM_ALTERNATIVE_GREATER, 0.95, 999, &t)), want,
           "cxm_proportion_vs_benchmark: unknown proportion interval method 999");
    return NULL;
}

static const char *unknown_alternative_code(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_benchmark t;
    cxm_nps_from_counts(50, 30, 20, &nps);
    EXPECT("cxm_nps_vs_benchmark", GUARDED(t, cxm_nps_vs_benchmark(&nps, 20, 999, 0.95, CXM_NPS_METHOD_WALD, &t)),
           want, "cxm_nps_vs_benchmark: unknown alternative 999");
    EXPECT("cxm_proportion_vs_benchmark",
           GUARDED(t, cxm_proportion_vs_benchmark(3, 10, 0.5, 999, 0.95, CXM_PROPORTION_METHOD_WILSON, &t)), want,
           "cxm_proportion_vs_benchmark: unknown alternative 999");
    return NULL;
}

static const char *unknown_named_rate_code(cxm_status want, char *problem, size_t size) {
    cxm_rate_estimate e;
    EXPECT("cxm_named_rate_estimate",
           GUARDED(e, cxm_named_rate_estimate(999, 3, 10, 0.95, CXM_PROPORTION_METHOD_WILSON, &e)), want,
           "cxm_named_rate_estimate: unknown named rate 999");
    return NULL;
}

static const char *higher_is_better_not_a_bool(cxm_status want, char *problem, size_t size) {
    const cxm_scale bad = {1, 5, 4, 2};
    cxm_rating r, built;
    cxm_interval ci;
    EXPECT("cxm_rating_f64", GUARDED(r, cxm_rating_f64(SCORES + 2, 1, NULL, &bad, CXM_MISSING_REJECT, &r)), want,
           "cxm_rating_f64: higher_is_better is 2, not 0 or 1");
    /* The same scale inside a result struct built by hand. */
    cxm_rating_f64((const double[]){4, 5}, 2, NULL, &CSAT, CXM_MISSING_REJECT, &built);
    built.scale = bad;
    EXPECT("cxm_rating_mean_interval", GUARDED(ci, cxm_rating_mean_interval(&built, 0.95, &ci)), want,
           "cxm_rating_mean_interval: higher_is_better is 2, not 0 or 1");
    return NULL;
}

static const char *misaligned_doubles(cxm_status want, char *problem, size_t size) {
    /* Doubles stored one byte past an 8-byte boundary (memcpy: the test never loads them). */
    union { double align; unsigned char bytes[4 * sizeof(double)]; } storage;
    memcpy(storage.bytes + 1, SCORES, sizeof SCORES);
    const double *misaligned = (const double *)(void *)(storage.bytes + 1);
    const double weights[3] = {1, 1, 1};
    cxm_nps nps;
    cxm_rating r;
    EXPECT("cxm_nps_f64 scores", GUARDED(nps, cxm_nps_f64(misaligned, 3, NULL, CXM_MISSING_REJECT, &nps)), want,
           "cxm_nps_f64: `scores` is not aligned for its type");
    EXPECT("cxm_nps_f64 weights", GUARDED(nps, cxm_nps_f64(SCORES, 3, misaligned, CXM_MISSING_REJECT, &nps)), want,
           "cxm_nps_f64: `weights` is not aligned for its type");
    EXPECT("cxm_rating_f64 scores",
           GUARDED(r, cxm_rating_f64(misaligned, 3, weights, &CSAT, CXM_MISSING_REJECT, &r)), want,
           "cxm_rating_f64: `scores` is not aligned for its type");
    return NULL;
}

static const char *length_too_large(cxm_status want, char *problem, size_t size) {
    cxm_nps nps;
    cxm_rating r;
    EXPECT("cxm_nps_f64", GUARDED(nps, cxm_nps_f64(SCORES, SIZE_MAX, NULL, CXM_MISSING_REJECT, &nps)), want,
           "of `scores` is too large");
    EXPECT("cxm_rating_i64",
           GUARDED(r, cxm_rating_i64((const int64_t[]){1}, SIZE_MAX / 4, NULL, &CSAT, CXM_MISSING_REJECT, &r)),
           want, "of `scores` is too large");
    return NULL;
}

/* Leaves a known failure as this thread's message; returns it (from a full read). */
static const char *fail_with_known_message(void) {
    cxm_nps nps;
    cxm_nps_f64((const double[]){9, 8, 7, 10, 11}, 5, NULL, CXM_MISSING_REJECT, &nps);
    return message();
}

static const char *message_null_buffer(cxm_status want, char *problem, size_t size) {
    char expected[256];
    snprintf(expected, sizeof expected, "%s", fail_with_known_message());
    size_t written;
    char buf[32];
    EXPECT("buf NULL", GUARDED(written, cxm_last_error_message(NULL, sizeof buf, &written)), want, NULL);
    memset(buf, SENTINEL, sizeof buf);
    EXPECT("written NULL", after(cxm_last_error_message(buf, sizeof buf, NULL), buf, sizeof buf), want, NULL);
    if (strcmp(message(), expected) != 0) {
        snprintf(problem, size, "the message changed to \"%s\"", message());
        return problem;
    }
    return NULL;
}

static const char *message_zero_length(cxm_status want, char *problem, size_t size) {
    char expected[256];
    snprintf(expected, sizeof expected, "%s", fail_with_known_message());
    size_t written;
    char buf[32];
    memset(buf, SENTINEL, sizeof buf);
    EXPECT("len 0 (written)", GUARDED(written, cxm_last_error_message(buf, 0, &written)), want, NULL);
    if (!untouched(buf, sizeof buf)) {
        snprintf(problem, size, "len 0: the buffer was written to");
        return problem;
    }
    if (strcmp(message(), expected) != 0) {
        snprintf(problem, size, "the message changed to \"%s\"", message());
        return problem;
    }
    return NULL;
}

static const char *message_too_small(cxm_status want, char *problem, size_t size) {
    char expected[256];
    snprintf(expected, sizeof expected, "%s", fail_with_known_message());
    size_t full = strlen(expected);
    for (size_t len = 1; len <= 12; len++) {
        char buf[16];
        size_t written = 12345;
        memset(buf, SENTINEL, sizeof buf);
        cxm_status status = cxm_last_error_message(buf, len, &written);
        if (status != want || written != len - 1 || memcmp(buf, expected, len - 1) != 0 || buf[len - 1] != '\0') {
            snprintf(problem, size, "len %zu: got %s, written %zu, expected %s, %zu bytes of \"%s\" and a NUL", len,
                     status_name(status), written, status_name(want), len - 1, expected);
            return problem;
        }
        for (size_t i = len; i < sizeof buf; i++)
            if ((unsigned char)buf[i] != SENTINEL) {
                snprintf(problem, size, "len %zu: wrote past the buffer, at byte %zu", len, i);
                return problem;
            }
    }
    /* Exactly the message and its NUL fits; one byte less is cut. */
    char buf[256];
    size_t written;
    cxm_status status = cxm_last_error_message(buf, full + 1, &written);
    if (status != CXM_STATUS_OK || written != full || strcmp(buf, expected) != 0) {
        snprintf(problem, size, "len %zu (fits): got %s, written %zu, \"%s\"", full + 1, status_name(status), written,
                 buf);
        return problem;
    }
    status = cxm_last_error_message(buf, full, &written);
    if (status != want || written != full - 1 || strncmp(buf, expected, full - 1) != 0) {
        snprintf(problem, size, "len %zu (one short): got %s, written %zu", full, status_name(status), written);
        return problem;
    }
    return NULL;
}

static const char *message_cleared_by_success(cxm_status want, char *problem, size_t size) {
    fail_with_known_message();
    cxm_nps nps;
    cxm_status status = cxm_nps_f64(SCORES, 3, NULL, CXM_MISSING_REJECT, &nps);
    char buf[32];
    size_t written = 12345;
    memset(buf, SENTINEL, sizeof buf);
    cxm_status read = cxm_last_error_message(buf, sizeof buf, &written);
    if (status != CXM_STATUS_OK || read != want || written != 0 || buf[0] != '\0') {
        snprintf(problem, size, "after a success: call %s, read %s, written %zu, \"%s\"", status_name(status),
                 status_name(read), written, buf);
        return problem;
    }
    return NULL;
}

/* The C-only cases by id; the entry's "test" must name the function. */
#define C_CASE(id, function) {id, #function, function}
static const struct { const char *id; const char *function; c_case *run; } C_CASES[] = {
    C_CASE("c-null-scores", null_scores_with_length),
    C_CASE("c-null-scores-empty", null_scores_without_length),
    C_CASE("c-null-input-struct", null_input_struct),
    C_CASE("c-null-out", null_out_param),
    C_CASE("c-unknown-missing-code", unknown_missing_code),
    C_CASE("c-unknown-nps-method-code", unknown_nps_method_code),
    C_CASE("c-unknown-proportion-method-code", unknown_proportion_method_code),
    C_CASE("c-unknown-alternative-code", unknown_alternative_code),
    C_CASE("c-unknown-named-rate-code", unknown_named_rate_code),
    C_CASE("c-higher-is-better-2", higher_is_better_not_a_bool),
    C_CASE("c-misaligned-doubles", misaligned_doubles),
    C_CASE("c-length-too-large", length_too_large),
    C_CASE("c-message-null-buffer", message_null_buffer),
    C_CASE("c-message-zero-length", message_zero_length),
    C_CASE("c-message-too-small", message_too_small),
    C_CASE("c-message-cleared-by-success", message_cleared_by_success),
};

static void run_c_only(const json_value *entry, int *seen) {
    const char *id = json_get(entry, "id")->string, *test = json_get(entry, "test")->string;
    const char *status = json_get(entry, "kind_or_exception")->string;
    char problem[1024];
    int want = status_named(status);
    for (size_t i = 0; i < COUNT(C_CASES); i++) {
        if (strcmp(C_CASES[i].id, id) != 0) continue;
        seen[i] = 1;
        char named[128];
        snprintf(named, sizeof named, "tests/c/test_catalogue.c::%s", C_CASES[i].function);
        if (strcmp(test, named) != 0) {
            snprintf(problem, sizeof problem, "its test is \"%s\", but the function is %s", test, named);
            report(id, problem, CXM_STATUS_OK);
        } else if (want < 0) {
            snprintf(problem, sizeof problem, "\"%s\" is not a status of cxm.h", status);
            report(id, problem, CXM_STATUS_OK);
        } else {
            report(id, C_CASES[i].run((cxm_status)want, problem, sizeof problem), (cxm_status)want);
        }
        return;
    }
    snprintf(problem, sizeof problem, "no C function runs it");
    report(id, problem, CXM_STATUS_OK);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s BAD_INPUTS.json\n", argv[0]);
        return 2;
    }
    json_value doc;
    char *text = read_json(argv[1], &doc);

    const json_value *cases = json_get(&doc, "cases");
    for (size_t i = 0; i < cases->len; i++) run_case(&cases->items[i]);
    /* A skip that names no case is stale. */
    for (size_t k = 0; k < COUNT(NOT_IN_C); k++) {
        int found = 0;
        for (size_t i = 0; i < cases->len; i++)
            found |= strcmp(json_get(&cases->items[i], "id")->string, NOT_IN_C[k].id) == 0;
        if (!found) report(NOT_IN_C[k].id, "NOT_IN_C names a case the catalogue does not hold", CXM_STATUS_OK);
    }

    int seen[COUNT(C_CASES)] = {0};
    const json_value *specific = json_get(&doc, "surface_specific");
    for (size_t i = 0; specific && i < specific->len; i++)
        if (strcmp(json_get(&specific->items[i], "surface")->string, "c") == 0) run_c_only(&specific->items[i], seen);
    for (size_t i = 0; i < COUNT(C_CASES); i++)
        if (!seen[i]) report(C_CASES[i].id, "a C-only case missing from surface_specific", CXM_STATUS_OK);

    json_free(&doc);
    free(text);
    printf("skipped: %d catalogue cases the C ABI cannot express (listed above)\n", cases_skipped);
    printf("catalogue: %d passed, %d failed\n", cases_passed, cases_failed);
    return cases_failed ? 1 : 0;
}

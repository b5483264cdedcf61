/* Mergeable states through the C ABI: batches, bytes and merges finish to the very bits of the
 * one-shot call; one pass over groups gives each group its own state; bad use is a status.
 *
 *   test_states */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"

/* Every field of two NPS results, bit for bit. */
static int same_nps(const cxm_nps *a, const cxm_nps *b) { return memcmp(a, b, sizeof *a) == 0; }

/* A copy of `state` through its bytes, as another process would receive it. */
static cxm_state *through_bytes(const cxm_state *state) {
    size_t size = 0;
    CHECK(cxm_state_to_bytes(state, NULL, 0, &size) == CXM_STATUS_OK && size > 0, "size query");
    uint8_t *bytes = malloc(size);
    size_t written = 0;
    CHECK(cxm_state_to_bytes(state, bytes, size, &written) == CXM_STATUS_OK && written == size,
          "to_bytes: %s", last_error());
    cxm_state *copy = NULL;
    CHECK(cxm_state_from_bytes(bytes, size, CXM_METRIC_ANY, &copy) == CXM_STATUS_OK, "from_bytes: %s", last_error());
    free(bytes);
    return copy;
}

static void batches_bytes_and_merges(void) {
    enum { N = 1000 };
    double scores[N], weights[N];
    for (int i = 0; i < N; i++) {
        scores[i] = i % 37 == 0 ? NAN : (double)(i * 7 % 11);
        weights[i] = 0.1 + (i % 13) / 7.0;
    }
    for (int weighted = 0; weighted < 2; weighted++) {
        const double *w = weighted ? weights : NULL;
        cxm_nps one_shot, merged;
        CHECK(cxm_nps_f64(scores, N, w, CXM_MISSING_SKIP, &one_shot) == CXM_STATUS_OK, "nps");
        cxm_state *a = NULL, *b = NULL;
        CHECK(cxm_state_new_nps(&a) == CXM_STATUS_OK && cxm_state_new_nps(&b) == CXM_STATUS_OK,
              "new");
        CHECK(cxm_state_add_f64(a, scores, 300, w, CXM_MISSING_SKIP) == CXM_STATUS_OK, "add a");
        CHECK(cxm_state_add_f64(b, scores + 300, N - 300, w ? w + 300 : NULL, CXM_MISSING_SKIP) ==
                  CXM_STATUS_OK,
              "add b");
        cxm_state *b_copy = through_bytes(b);
        CHECK(cxm_state_merge(a, b_copy) == CXM_STATUS_OK, "merge: %s", last_error());
        CHECK(cxm_state_finish_nps(a, &merged) == CXM_STATUS_OK, "finish");
        CHECK(same_nps(&merged, &one_shot), "merged state differs from one call (weighted %d)",
              weighted);
        uint64_t n = 0;
        CHECK(cxm_state_n(a, &n) == CXM_STATUS_OK && n == one_shot.n, "n");
        cxm_state_free(a);
        cxm_state_free(b);
        cxm_state_free(b_copy);
    }
}

static void groups_in_one_pass(void) {
    uint8_t scores[] = {10, 9, 0, 7, 3, 10, 8, 6};
    uint32_t channel[] = {0, 1, 0, 2, 1, 0, 2, 1};
    cxm_state *prototype = NULL, *states[3] = {NULL, NULL, NULL};
    CHECK(cxm_state_new_nps(&prototype) == CXM_STATUS_OK, "new");
    CHECK(cxm_states_by_group_u8(prototype, scores, 8, NULL, channel, 3, CXM_MISSING_REJECT,
                                 states) == CXM_STATUS_OK,
          "by group: %s", last_error());
    for (uint32_t g = 0; g < 3; g++) {
        uint8_t mine[8];
        size_t n = 0;
        for (size_t i = 0; i < 8; i++)
            if (channel[i] == g) mine[n++] = scores[i];
        cxm_nps alone, grouped;
        CHECK(cxm_nps_u8(mine, n, NULL, CXM_MISSING_REJECT, &alone) == CXM_STATUS_OK, "alone");
        CHECK(cxm_state_finish_nps(states[g], &grouped) == CXM_STATUS_OK, "finish group");
        CHECK(same_nps(&alone, &grouped), "group %u differs from its rows alone", g);
        cxm_state_free(states[g]);
    }
    /* A group number past the groups is named, and no handle is written. */
    channel[5] = 3;
    cxm_state *untouched[3] = {NULL, NULL, NULL};
    CHECK(cxm_states_by_group_u8(prototype, scores, 8, NULL, channel, 3, CXM_MISSING_REJECT,
                                 untouched) == CXM_STATUS_INVALID_GROUP,
          "bad group");
    CHECK(strcmp(last_error(), "group 3 at index 5 is not below the number of groups, 3") == 0,
          "%s", last_error());
    CHECK(untouched[0] == NULL, "a failed call writes no handle");
    cxm_state_free(prototype);
}

static void bad_use_is_a_status(void) {
    cxm_state *nps = NULL, *csat = NULL;
    cxm_scale scale = {1, 5, 4, 1};
    CHECK(cxm_state_new_nps(&nps) == CXM_STATUS_OK, "new nps");
    CHECK(cxm_state_new_rating(&scale, &csat) == CXM_STATUS_OK, "new rating");
    uint8_t five[] = {5, 4};
    CHECK(cxm_state_add_u8(csat, five, 2, NULL, CXM_MISSING_REJECT) == CXM_STATUS_OK, "add");
    CHECK(cxm_state_merge(nps, csat) == CXM_STATUS_INCOMPATIBLE_STATES, "nps takes no rating");
    cxm_nps out;
    CHECK(cxm_state_finish_nps(csat, &out) == CXM_STATUS_INVALID_ARGUMENT, "wrong finish");
    CHECK(cxm_state_finish_nps(nps, &out) == CXM_STATUS_EMPTY, "an empty state has no NPS");
    cxm_rating rating;
    CHECK(cxm_state_finish_rating(csat, &rating) == CXM_STATUS_OK && rating.n == 2, "rating");
    uint8_t eleven[] = {11};
    CHECK(cxm_state_add_u8(nps, eleven, 1, NULL, CXM_MISSING_REJECT) ==
              CXM_STATUS_SCORE_OUT_OF_RANGE,
          "bad score");
    /* Bytes: a small buffer, truncated or corrupted bytes. */
    uint8_t small[4];
    size_t written = 12345;
    CHECK(cxm_state_to_bytes(csat, small, sizeof small, &written) == CXM_STATUS_BUFFER_TOO_SMALL &&
              written == 12345,
          "small buffer");
    uint8_t bytes[256];
    CHECK(cxm_state_to_bytes(csat, bytes, sizeof bytes, &written) == CXM_STATUS_OK, "bytes");
    cxm_state *read = NULL;
    CHECK(cxm_state_from_bytes(bytes, written - 1, CXM_METRIC_ANY, &read) == CXM_STATUS_INVALID_STATE && !read,
          "truncated");
    bytes[20] ^= 1;
    CHECK(cxm_state_from_bytes(bytes, written, CXM_METRIC_ANY, &read) == CXM_STATUS_INVALID_STATE && !read,
          "corrupted");
    /* A rating's bytes are not an NPS state. */
    bytes[20] ^= 1;
    CHECK(cxm_state_from_bytes(bytes, written, CXM_METRIC_NPS, &read) == CXM_STATUS_INVALID_STATE,
          "another metric");
    CHECK(strcmp(last_error(), "invalid state: a state of rating, not of nps") == 0, "%s",
          last_error());
    CHECK(cxm_state_from_bytes(bytes, written, 7, &read) == CXM_STATUS_INVALID_ARGUMENT, "metric 7");
    /* NULL handles. */
    CHECK(cxm_state_merge(NULL, csat) == CXM_STATUS_NULL_POINTER, "NULL state");
    CHECK(cxm_state_add_u8(NULL, five, 2, NULL, 0) == CXM_STATUS_NULL_POINTER, "NULL add");
    CHECK(cxm_state_new_nps(NULL) == CXM_STATUS_NULL_POINTER, "NULL out");
    cxm_state_free(NULL);
    /* Merging a state with itself doubles it. */
    CHECK(cxm_state_merge(csat, csat) == CXM_STATUS_OK, "self merge");
    CHECK(cxm_state_finish_rating(csat, &rating) == CXM_STATUS_OK && rating.n == 4, "doubled");
    cxm_state_free(nps);
    cxm_state_free(csat);
}

/* Two durations summaries, bit for bit, field by field (padding is not compared). */
static int same_summary(const cxm_duration_summary *a, const cxm_duration_summary *b,
                        const cxm_survival_percentile *pa, const cxm_survival_percentile *pb, size_t k) {
    int same = a->records == b->records && memcmp(&a->open, &b->open, sizeof a->open) == 0 &&
               a->has_mean == b->has_mean && memcmp(&a->mean, &b->mean, sizeof a->mean) == 0 &&
               memcmp(&a->median.estimate, &b->median.estimate, sizeof(double)) == 0 &&
               memcmp(&a->median.lower, &b->median.lower, sizeof(double)) == 0 &&
               memcmp(&a->median.upper, &b->median.upper, sizeof(double)) == 0 &&
               memcmp(&a->within_share, &b->within_share, sizeof(double)) == 0 &&
               memcmp(&a->within_lower, &b->within_lower, sizeof(double)) == 0 &&
               a->curve_steps == b->curve_steps;
    for (size_t i = 0; i < k; i++)
        same = same && memcmp(&pa[i].estimate, &pb[i].estimate, sizeof(double)) == 0 &&
               memcmp(&pa[i].lower, &pb[i].lower, sizeof(double)) == 0 &&
               memcmp(&pa[i].upper, &pb[i].upper, sizeof(double)) == 0 &&
               pa[i].upper_reached == pb[i].upper_reached;
    return same;
}

/* Adds records from..to to a durations state, weighted when `w` is not NULL. */
static cxm_status add_range(cxm_state *s, const double *t, const uint8_t *o, const double *w, size_t from, size_t to) {
    if (w)
        return cxm_state_add_weighted_durations(s, t + from, o ? o + from : NULL, w + from, to - from);
    return cxm_state_add_durations(s, t + from, o ? o + from : NULL, to - from);
}

/* A durations state from two batches, one sent as bytes, finishes to cxm_durations' bits,
 * unweighted and weighted (weights of many magnitudes, some 0). */
static void durations_states(void) {
    enum { N = 500 };
    double seconds[N], weights[N];
    uint8_t open[N];
    for (int i = 0; i < N; i++) {
        seconds[i] = (double)((i * 7919) % 613) / (i % 3 ? 1.0 : 7.0);
        open[i] = i % 4 == 0;
        weights[i] = i % 11 == 0 ? 0.0 : (double)(i % 13 + 1) * pow(10.0, (double)(i % 5) * 2.0 - 4.0) / 3.0;
    }
    const double percents[] = {50, 90};
    for (int variant = 0; variant < 4; variant++) {
        const uint8_t *o = variant & 1 ? open : NULL;
        const double *w = variant & 2 ? weights : NULL;
        cxm_duration_summary once, merged;
        cxm_survival_percentile p_once[2], p_merged[2];
        CHECK(cxm_durations(seconds, o, w, N, percents, 2, 120.0, 0.95, CXM_CONF_TYPE_LOG_LOG, &once, p_once) ==
                  CXM_STATUS_OK,
              "durations: %s", last_error());
        cxm_state *a = NULL, *b = NULL;
        CHECK(cxm_state_new_durations(&a) == CXM_STATUS_OK && cxm_state_new_durations(&b) == CXM_STATUS_OK, "new");
        CHECK(add_range(a, seconds, o, w, 0, 180) == CXM_STATUS_OK, "add a: %s", last_error());
        CHECK(add_range(b, seconds, o, w, 180, N) == CXM_STATUS_OK, "add b");
        /* A state takes weighted or unweighted records, not both. */
        CHECK(add_range(a, seconds, o, w ? NULL : weights, 0, 3) == CXM_STATUS_INCOMPATIBLE_STATES, "mixed");
        CHECK(cxm_state_add_weighted_durations(a, seconds, o, NULL, 3) == CXM_STATUS_NULL_POINTER, "NULL weights");
        cxm_state *b_copy = through_bytes(b);
        CHECK(cxm_state_merge(a, b_copy) == CXM_STATUS_OK, "merge: %s", last_error());
        CHECK(cxm_state_finish_durations(a, percents, 2, 120.0, 0.95, CXM_CONF_TYPE_LOG_LOG, &merged, p_merged) ==
                  CXM_STATUS_OK,
              "finish: %s", last_error());
        CHECK(same_summary(&merged, &once, p_merged, p_once, 2), "merged durations differ (variant %d)", variant);
        uint32_t metric = 0;
        CHECK(cxm_state_metric(a, &metric) == CXM_STATUS_OK && metric == CXM_METRIC_DURATIONS, "metric");
        /* Scores do not go into a durations state, nor durations into an NPS state. */
        CHECK(cxm_state_add_f64(a, seconds, 3, NULL, CXM_MISSING_REJECT) == CXM_STATUS_INVALID_ARGUMENT,
              "scores into durations");
        cxm_state *nps = NULL;
        CHECK(cxm_state_new_nps(&nps) == CXM_STATUS_OK, "new nps");
        CHECK(cxm_state_add_durations(nps, seconds, NULL, 3) == CXM_STATUS_INVALID_ARGUMENT, "durations into nps");
        CHECK(cxm_state_merge(nps, a) == CXM_STATUS_INCOMPATIBLE_STATES, "merge of two metrics");
        cxm_state_free(nps);
        cxm_state_free(a);
        cxm_state_free(b);
        cxm_state_free(b_copy);
    }
}

/* A contact-centre state from two batches, one sent as bytes, finishes to cxm_contact_centre's
   bits, whatever the thresholds chosen at the end. */
static void contact_centre_states(void) {
    enum { N = 400 };
    double waits[N];
    uint8_t answered[N];
    for (int i = 0; i < N; i++) {
        waits[i] = (double)((i * 7919) % 97) / (i % 5 ? 1.0 : 4.0);
        answered[i] = i % 3 != 0;
    }
    const double percents[] = {50, 90};
    cxm_state *a = NULL, *b = NULL;
    CHECK(cxm_state_new_contact_centre(&a) == CXM_STATUS_OK && cxm_state_new_contact_centre(&b) == CXM_STATUS_OK,
          "new");
    CHECK(cxm_state_add_contacts(a, waits, answered, 150) == CXM_STATUS_OK, "add a: %s", last_error());
    CHECK(cxm_state_add_contacts(b, waits + 150, answered + 150, N - 150) == CXM_STATUS_OK, "add b");
    cxm_state *b_copy = through_bytes(b);
    CHECK(cxm_state_merge(a, b_copy) == CXM_STATUS_OK, "merge: %s", last_error());
    const double shorts[] = {NAN, 5.0};
    for (int k = 0; k < 2; k++) {
        cxm_contact_centre_result once, merged;
        cxm_survival_percentile p_once[2], p_merged[2];
        CHECK(cxm_contact_centre(waits, answered, N, shorts[k], 30.0, percents, 2, 0.9, &once, p_once) ==
                  CXM_STATUS_OK,
              "contact centre: %s", last_error());
        CHECK(cxm_state_finish_contact_centre(a, shorts[k], 30.0, percents, 2, 0.9, &merged, p_merged) ==
                  CXM_STATUS_OK,
              "finish: %s", last_error());
        /* Every field before the flag is 8 bytes wide: no padding to compare. */
        CHECK(memcmp(&once, &merged, offsetof(cxm_contact_centre_result, has_speed_of_answer)) == 0 &&
                  once.has_speed_of_answer && merged.has_speed_of_answer &&
                  same_summary(&merged.speed_of_answer, &once.speed_of_answer, p_merged, p_once, 2),
              "merged contact-centre figures differ (short %d)", k);
    }
    uint32_t metric = 0;
    CHECK(cxm_state_metric(a, &metric) == CXM_STATUS_OK && metric == CXM_METRIC_CONTACT_CENTRE, "metric");
    CHECK(cxm_state_add_durations(a, waits, NULL, 3) == CXM_STATUS_INVALID_ARGUMENT, "durations into contacts");
    CHECK(cxm_state_add_f64(a, waits, 3, NULL, CXM_MISSING_REJECT) == CXM_STATUS_INVALID_ARGUMENT,
          "scores into contacts");
    cxm_state *d = NULL;
    CHECK(cxm_state_new_durations(&d) == CXM_STATUS_OK, "new durations");
    CHECK(cxm_state_add_contacts(d, waits, answered, 3) == CXM_STATUS_INVALID_ARGUMENT, "contacts into durations");
    CHECK(cxm_state_merge(d, a) == CXM_STATUS_INCOMPATIBLE_STATES, "merge of two metrics");
    cxm_state_free(d);
    cxm_state_free(a);
    cxm_state_free(b);
    cxm_state_free(b_copy);
}

int main(void) {
    batches_bytes_and_merges();
    groups_in_one_pass();
    bad_use_is_a_status();
    durations_states();
    contact_centre_states();
    printf("test_states: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

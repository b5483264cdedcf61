/* Eight threads on one library: every entry point, in loops, at the same time.
 *
 *   test_threads [ITERATIONS]
 *
 * The same sequence of calls (the scores of every type with and without weights, counts, every
 * interval method, the seeded bootstrap and Bayesian intervals, ratings and their intervals,
 * comparisons, benchmarks, proportion intervals, and failing calls) is first run on the main
 * thread alone, once per thread number: that is the reference. Then THREADS threads run it
 * ITERATIONS times each (default 20), all together, and every call's status, every bit of its
 * out-param and its last-error message must equal the reference's (memcmp). Failing calls are
 * made to fail differently in each thread (the bad score sits at the thread's index, ...), and
 * each thread yields between the failure and reading the message: the message read must still
 * be the thread's own. The seeds of the simulated intervals depend on the thread number too,
 * so no thread can get another's draws. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cxm.h"

#define THREADS 8
#define MAX_RECORDS 400
#define MAX_WORDS 10
#define N 240
#define SENTINEL 0xA5

/* One call's outcome, in a form that memcmp can compare: out-param fields as bit patterns (a
 * struct's padding bytes are not part of its value), the message read after the call. */
typedef struct {
    uint32_t status;
    uint32_t expected;         /* the status the reference run must see */
    uint32_t message_status;   /* what cxm_last_error_message returned */
    uint32_t thread_specific;  /* 1: the input, and so the message, depends on the thread */
    uint32_t untouched;        /* a failure left the out-param as it was (1), or not (0) */
    uint64_t written;
    uint64_t words[MAX_WORDS];
    char message[200];
} record;

typedef struct {
    int count;
    record items[MAX_RECORDS];
} run;

static record *next(run *r) {
    if (r->count == MAX_RECORDS) {
        fprintf(stderr, "test_threads: more than %d records\n", MAX_RECORDS);
        abort();
    }
    return &r->items[r->count++];
}

static uint64_t bits(double x) {
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static void put_nps(record *rec, const cxm_nps *v) {
    const uint64_t w[] = {v->n,
                          v->promoters,
                          v->passives,
                          v->detractors,
                          bits(v->promoter_share),
                          bits(v->passive_share),
                          bits(v->detractor_share),
                          bits(v->score),
                          bits(v->standard_error),
                          bits(v->effective_n)};
    memcpy(rec->words, w, sizeof w);
}

static void put_rating(record *rec, const cxm_rating *v) {
    const uint64_t w[] = {v->n,
                          v->favourable,
                          bits(v->share),
                          bits(v->mean),
                          bits(v->standard_deviation),
                          bits(v->effective_n),
                          (uint64_t)v->scale.min,
                          (uint64_t)v->scale.max,
                          (uint64_t)v->scale.threshold,
                          v->scale.higher_is_better};
    memcpy(rec->words, w, sizeof w);
}

static void put_comparison(record *rec, const cxm_comparison *v) {
    const uint64_t w[] = {v->method,
                          bits(v->estimate),
                          bits(v->lower),
                          bits(v->upper),
                          bits(v->statistic),
                          bits(v->degrees_of_freedom),
                          bits(v->p_value),
                          bits(v->level),
                          bits(v->n1),
                          bits(v->n2)};
    memcpy(rec->words, w, sizeof w);
}

static void put_benchmark(record *rec, const cxm_benchmark *v) {
    const uint64_t w[] = {v->method,
                          v->alternative,
                          bits(v->estimate),
                          bits(v->benchmark),
                          bits(v->lower),
                          bits(v->upper),
                          bits(v->statistic),
                          bits(v->p_value),
                          bits(v->level),
                          bits(v->n)};
    memcpy(rec->words, w, sizeof w);
}

static void put_interval(record *rec, const cxm_interval *v) {
    rec->words[0] = bits(v->lower);
    rec->words[1] = bits(v->upper);
}

/* Records a call's status and then this thread's message. A failing call yields first, so that
 * the other threads' failures get every chance to land in between. */
static void finish(record *rec, cxm_status status, uint32_t expected, uint32_t thread_specific) {
    rec->status = status;
    rec->expected = expected;
    rec->thread_specific = thread_specific;
    if (status != CXM_STATUS_OK) sched_yield();
    size_t written = 0;
    rec->message_status = cxm_last_error_message(rec->message, sizeof rec->message, &written);
    rec->written = written;
}

/* Calls EXPR with OUT preset to the sentinel, then records it. A failure must leave OUT, its
 * padding included, as it was (on success, padding is not compared: it may be uninitialised). */
#define CALL(r, put, out, expected, specific, expr)                            \
    do {                                                                       \
        record *rec_ = next(r);                                                \
        unsigned char sentinel_[sizeof(out)];                                  \
        memset(sentinel_, SENTINEL, sizeof sentinel_);                         \
        memcpy(&(out), sentinel_, sizeof sentinel_);                           \
        cxm_status status_ = (expr);                                           \
        finish(rec_, status_, (expected), (specific));                         \
        if (status_ != CXM_STATUS_OK)                                          \
            rec_->untouched = memcmp(&(out), sentinel_, sizeof sentinel_) == 0; \
        put(rec_, &(out));                                                     \
    } while (0)

/* The test's data: the same in every thread (a fixed linear congruential sequence). */
static uint8_t u8s[N];
static int32_t i32s[N];
static int64_t i64s[N];
static float f32s[N];
static double f64s[N], weights[N];
static int64_t csat[N], ces[N];
static double csat_f64[N];

static void make_data(void) {
    uint32_t state = 20260101u;
    for (int i = 0; i < N; i++) {
        state = state * 1664525u + 1013904223u;
        int s = (int)((state >> 16) % 11u);
        u8s[i] = (uint8_t)s;
        i32s[i] = s;
        i64s[i] = s;
        f32s[i] = (float)s;
        f64s[i] = s;
        weights[i] = 0.25 + (double)((state >> 8) % 1000u) / 400.0;
        csat[i] = 1 + (int64_t)((state >> 4) % 5u);
        ces[i] = 1 + (int64_t)((state >> 12) % 7u);
        csat_f64[i] = (double)csat[i];
    }
}

/* The whole sequence of calls, for thread number `tid`. */
static void work(int tid, run *r) {
    r->count = 0;
    cxm_nps nps, a, b;
    cxm_rating rating, ra, rb;
    cxm_interval ci;
    cxm_comparison c;
    cxm_benchmark t;
    const uint32_t OK = CXM_STATUS_OK;

    /* NPS of every score type, unweighted and weighted, every missing policy. */
    for (uint32_t missing = CXM_MISSING_REJECT; missing <= CXM_MISSING_SKIP; missing++) {
        for (int weighted = 0; weighted <= 1; weighted++) {
            const double *w = weighted ? weights : NULL;
            CALL(r, put_nps, nps, OK, 0, cxm_nps_u8(u8s, N, w, missing, &nps));
            CALL(r, put_nps, nps, OK, 0, cxm_nps_i32(i32s, N, w, missing, &nps));
            CALL(r, put_nps, nps, OK, 0, cxm_nps_i64(i64s, N, w, missing, &nps));
            CALL(r, put_nps, nps, OK, 0, cxm_nps_f32(f32s, N, w, missing, &nps));
            CALL(r, put_nps, nps, OK, 0, cxm_nps_f64(f64s, N, w, missing, &nps));
        }
    }
    /* Missing scores skipped, and rejected at the thread's own index. */
    float f32_gap[N];
    double f64_gap[N];
    memcpy(f32_gap, f32s, sizeof f32_gap);
    memcpy(f64_gap, f64s, sizeof f64_gap);
    f32_gap[3 + tid] = NAN;
    f64_gap[5 + tid] = NAN;
    CALL(r, put_nps, nps, OK, 0, cxm_nps_f32(f32_gap, N, weights, CXM_MISSING_SKIP, &nps));
    CALL(r, put_nps, nps, OK, 0, cxm_nps_f64(f64_gap, N, NULL, CXM_MISSING_SKIP, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_MISSING_SCORE, 1, cxm_nps_f32(f32_gap, N, NULL, CXM_MISSING_REJECT, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_MISSING_SCORE, 1, cxm_nps_f64(f64_gap, N, weights, CXM_MISSING_REJECT, &nps));

    /* Bad scores and weights, each at an index of the thread's own. */
    int32_t i32_bad[N];
    int64_t i64_bad[N];
    uint8_t u8_bad[N];
    double f64_bad[N], w_bad[N];
    memcpy(i32_bad, i32s, sizeof i32_bad);
    memcpy(i64_bad, i64s, sizeof i64_bad);
    memcpy(u8_bad, u8s, sizeof u8_bad);
    memcpy(f64_bad, f64s, sizeof f64_bad);
    memcpy(w_bad, weights, sizeof w_bad);
    i32_bad[tid] = 11 + tid;
    i64_bad[2 * tid] = -1 - tid;
    u8_bad[3 * tid] = (uint8_t)(200 + tid);
    f64_bad[tid + 1] = 4.5 + tid;
    w_bad[tid + 7] = -1.0 - tid;
    CALL(r, put_nps, nps, CXM_STATUS_SCORE_OUT_OF_RANGE, 1, cxm_nps_i32(i32_bad, N, NULL, 0, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_SCORE_OUT_OF_RANGE, 1, cxm_nps_i64(i64_bad, N, weights, 0, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_SCORE_OUT_OF_RANGE, 1, cxm_nps_u8(u8_bad, N, NULL, 1, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_NOT_WHOLE_SCORE, 1, cxm_nps_f64(f64_bad, N, NULL, 0, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_INVALID_WEIGHT, 1, cxm_nps_u8(u8s, N, w_bad, 0, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_INVALID_ARGUMENT, 1, cxm_nps_u8(u8s, N, NULL, 2 + (uint32_t)tid, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_EMPTY, 0, cxm_nps_f64(NULL, 0, NULL, 0, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_NULL_POINTER, 0, cxm_nps_i32(NULL, 3, NULL, 0, &nps));
    CALL(r, put_nps, nps, CXM_STATUS_NULL_POINTER, 0, cxm_nps_i64(i64s, N, NULL, 0, NULL));

    /* Intervals of the counts, by every method, at two levels; bad levels and methods. */
    CALL(r, put_nps, a, OK, 0, cxm_nps_from_counts(120 + (uint64_t)tid, 45, 60, &a));
    CALL(r, put_nps, b, OK, 0, cxm_nps_from_counts(90, 70, 55 + (uint64_t)tid, &b));
    CALL(r, put_nps, nps, OK, 0, cxm_nps_u8(u8s, N, weights, 0, &nps));
    const cxm_nps *const subjects[] = {&a, &b, &nps};
    for (int s = 0; s < 3; s++) {
        for (uint32_t method = CXM_NPS_METHOD_WALD; method <= CXM_NPS_METHOD_SCORE; method++) {
            CALL(r, put_interval, ci, OK, 0, cxm_nps_confidence_interval(subjects[s], 0.9, method, &ci));
            CALL(r, put_interval, ci, OK, 0, cxm_nps_confidence_interval(subjects[s], 0.95, method, &ci));
        }
    }
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_ARGUMENT, 1,
         cxm_nps_confidence_interval(&a, 0.95, 3 + (uint32_t)tid, &ci));
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_LEVEL, 1,
         cxm_nps_confidence_interval(&a, 1.0 + tid, CXM_NPS_METHOD_WALD, &ci));
    CALL(r, put_interval, ci, CXM_STATUS_NULL_POINTER, 0,
         cxm_nps_confidence_interval(NULL, 0.95, CXM_NPS_METHOD_WALD, &ci));

    /* Seeded simulations: the seed is the thread's, so any shared generator state would show. */
    const uint64_t seed = 1000u + (uint64_t)tid;
    CALL(r, put_interval, ci, OK, 0, cxm_nps_bootstrap_interval(&a, 0.95, 2000, seed, &ci));
    CALL(r, put_interval, ci, OK, 0, cxm_nps_bootstrap_interval(&nps, 0.9, 1000, seed + 1, &ci));
    const cxm_dirichlet_prior uniform = {1.0, 1.0, 1.0}, jeffreys = {0.5, 0.5, 0.5};
    CALL(r, put_interval, ci, OK, 0, cxm_nps_bayesian_interval(&b, 0.95, uniform, 2000, seed, &ci));
    CALL(r, put_interval, ci, OK, 0, cxm_nps_bayesian_interval(&nps, 0.8, jeffreys, 1000, seed + 2, &ci));
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_SIMULATION_SIZE, 1,
         cxm_nps_bootstrap_interval(&a, 0.95, 10000001 + (uint32_t)tid, seed, &ci));
    const cxm_dirichlet_prior bad_prior = {1.0, -1.0 - tid, 1.0};
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_PRIOR, 1,
         cxm_nps_bayesian_interval(&a, 0.95, bad_prior, 1000, seed, &ci));

    /* Ratings of every type on CSAT, CES and an effort scale, unweighted and weighted. */
    const cxm_scale csat_scale = {1, 5, 4, 1}, ces_scale = {1, 7, 5, 1}, effort = {1, 5, 2, 0};
    int32_t csat_i32[N];
    uint8_t csat_u8[N];
    float csat_f32[N];
    for (int i = 0; i < N; i++) {
        csat_i32[i] = (int32_t)csat[i];
        csat_u8[i] = (uint8_t)csat[i];
        csat_f32[i] = (float)csat[i];
    }
    for (int weighted = 0; weighted <= 1; weighted++) {
        const double *w = weighted ? weights : NULL;
        CALL(r, put_rating, rating, OK, 0, cxm_rating_u8(csat_u8, N, w, &csat_scale, 0, &rating));
        CALL(r, put_rating, rating, OK, 0, cxm_rating_i32(csat_i32, N, w, &effort, 0, &rating));
        CALL(r, put_rating, rating, OK, 0, cxm_rating_i64(ces, N, w, &ces_scale, 0, &rating));
        CALL(r, put_rating, rating, OK, 0, cxm_rating_f32(csat_f32, N, w, &csat_scale, 1, &rating));
        CALL(r, put_rating, rating, OK, 0, cxm_rating_f64(csat_f64, N, w, &effort, 1, &rating));
        for (uint32_t method = CXM_PROPORTION_METHOD_WILSON; method <= CXM_PROPORTION_METHOD_WALD; method++)
            CALL(r, put_interval, ci, OK, 0, cxm_rating_share_interval(&rating, 0.95, method, &ci));
        CALL(r, put_interval, ci, OK, 0, cxm_rating_mean_interval(&rating, 0.95, &ci));
        CALL(r, put_interval, ci, OK, 0, cxm_rating_mean_interval(&rating, 0.99, &ci));
    }
    int64_t csat_bad[N];
    memcpy(csat_bad, csat, sizeof csat_bad);
    csat_bad[4 * tid] = 6 + tid;
    const cxm_scale bad_scale = {5, 5 - tid, 5, 1};
    CALL(r, put_rating, rating, CXM_STATUS_SCORE_OUT_OF_RANGE, 1,
         cxm_rating_i64(csat_bad, N, NULL, &csat_scale, 0, &rating));
    CALL(r, put_rating, rating, CXM_STATUS_INVALID_SCALE, 1, cxm_rating_i64(ces, N, NULL, &bad_scale, 0, &rating));
    CALL(r, put_rating, rating, CXM_STATUS_NULL_POINTER, 0, cxm_rating_i64(ces, N, NULL, NULL, 0, &rating));
    CALL(r, put_rating, ra, OK, 0, cxm_rating_i64(csat, N / 2, NULL, &csat_scale, 0, &ra));
    CALL(r, put_rating, rb, OK, 0, cxm_rating_i64(csat + N / 2 - tid, N / 2, weights, &csat_scale, 0, &rb));
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_ARGUMENT, 1, cxm_rating_share_interval(&ra, 0.95, 5 + tid, &ci));
    CALL(r, put_rating, rating, OK, 0, cxm_rating_i64(csat + tid, 1, NULL, &csat_scale, 0, &rating));
    CALL(r, put_interval, ci, CXM_STATUS_TOO_FEW_RESPONSES, 0, cxm_rating_mean_interval(&rating, 0.95, &ci));

    /* Comparisons. */
    CALL(r, put_comparison, c, OK, 0, cxm_compare_proportions(40 + tid, 100, 55, 120, 0.95, &c));
    CALL(r, put_comparison, c, OK, 0, cxm_compare_proportions(0, 30, 30, 30, 0.9, &c));
    CALL(r, put_comparison, c, OK, 0, cxm_compare_nps(&a, &b, 0.95, CXM_NPS_METHOD_WALD, &c));
    CALL(r, put_comparison, c, OK, 0, cxm_compare_nps(&a, &nps, 0.9, CXM_NPS_METHOD_ADJUSTED_WALD, &c));
    CALL(r, put_comparison, c, OK, 0, cxm_compare_means(&ra, &rb, 0.95, &c));
    CALL(r, put_comparison, c, CXM_STATUS_UNSUPPORTED_METHOD, 0,
         cxm_compare_nps(&a, &b, 0.95, CXM_NPS_METHOD_SCORE, &c));
    CALL(r, put_comparison, c, CXM_STATUS_INVALID_COUNT, 1, cxm_compare_proportions(60 + tid, 50, 5, 10, 0.95, &c));
    CALL(r, put_comparison, c, CXM_STATUS_NULL_POINTER, 0, cxm_compare_means(&ra, NULL, 0.95, &c));

    /* Benchmarks, both directions, every method. */
    for (uint32_t alt = CXM_ALTERNATIVE_GREATER; alt <= CXM_ALTERNATIVE_LESS; alt++) {
        for (uint32_t method = CXM_NPS_METHOD_WALD; method <= CXM_NPS_METHOD_SCORE; method++) {
            CALL(r, put_benchmark, t, OK, 0, cxm_nps_vs_benchmark(&a, 10.0 + tid, alt, 0.95, method, &t));
            CALL(r, put_benchmark, t, OK, 0, cxm_nps_vs_benchmark(&nps, -5.0, alt, 0.9, method, &t));
        }
        const uint32_t proportion_methods[] = {CXM_PROPORTION_METHOD_WILSON, CXM_PROPORTION_METHOD_CLOPPER_PEARSON,
                                               CXM_PROPORTION_METHOD_WALD};
        for (int m = 0; m < 3; m++)
            CALL(r, put_benchmark, t, OK, 0,
                 cxm_proportion_vs_benchmark(33 + tid, 80, 0.4, alt, 0.95, proportion_methods[m], &t));
    }
    CALL(r, put_benchmark, t, CXM_STATUS_INVALID_BENCHMARK, 1,
         cxm_nps_vs_benchmark(&a, 100.0 + tid, CXM_ALTERNATIVE_GREATER, 0.95, CXM_NPS_METHOD_WALD, &t));
    CALL(r, put_benchmark, t, CXM_STATUS_INVALID_ARGUMENT, 1,
         cxm_nps_vs_benchmark(&a, 0.0, 2 + (uint32_t)tid, 0.95, CXM_NPS_METHOD_WALD, &t));
    CALL(r, put_benchmark, t, CXM_STATUS_INVALID_BENCHMARK, 1,
         cxm_proportion_vs_benchmark(3, 10, 1.5 + tid, CXM_ALTERNATIVE_LESS, 0.95, 0, &t));

    /* Proportion intervals, every method, ordinary and edge counts. */
    for (uint32_t method = CXM_PROPORTION_METHOD_WILSON; method <= CXM_PROPORTION_METHOD_WALD; method++) {
        CALL(r, put_interval, ci, OK, 0, cxm_proportion_interval(17 + tid, 50, 0.95, method, &ci));
        CALL(r, put_interval, ci, OK, 0, cxm_proportion_interval(0, 12, 0.9, method, &ci));
        CALL(r, put_interval, ci, OK, 0, cxm_proportion_interval(12, 12, 0.99, method, &ci));
    }
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_COUNT, 1, cxm_proportion_interval(10 + tid, 5, 0.95, 0, &ci));
    CALL(r, put_interval, ci, CXM_STATUS_INVALID_LEVEL, 1, cxm_proportion_interval(1, 5, -0.5 - tid, 0, &ci));
    CALL(r, put_interval, ci, CXM_STATUS_NULL_POINTER, 0, cxm_proportion_interval(1, 5, 0.95, 0, NULL));

    /* The message API itself: truncation, and its own refusals (which leave the message be). */
    record *rec = next(r);
    rec->expected = rec->status = cxm_nps_i32(i32_bad, N, NULL, 0, &nps);
    rec->thread_specific = 1;
    sched_yield();
    size_t written = 0;
    rec->message_status = cxm_last_error_message(rec->message, 20, &written);
    rec->written = written;
    rec->words[0] = cxm_last_error_message(NULL, 10, &written);
    rec->words[1] = cxm_last_error_message(rec->message + 100, 0, &written);
    rec->words[2] = cxm_last_error_message(rec->message + 100, 10, NULL);
    rec->words[3] = cxm_abi_version();
    rec->words[4] = (uint64_t)strlen(cxm_version());
    size_t tail_written = 0;
    rec->words[5] = cxm_last_error_message(rec->message + 40, 100, &tail_written);
    rec->words[6] = tail_written;
}

typedef struct {
    int tid;
    int iterations;
    int mismatches;
    const run *reference;
    pthread_barrier_t *start;
} job;

static void *thread_main(void *arg) {
    job *j = arg;
    run *mine = calloc(1, sizeof *mine);
    if (!mine) abort();
    pthread_barrier_wait(j->start);
    for (int it = 0; it < j->iterations; it++) {
        /* Records hold no pointers and are zeroed once: any difference is a real one. */
        work(j->tid, mine);
        if (mine->count == j->reference->count &&
            memcmp(mine->items, j->reference->items, (size_t)mine->count * sizeof(record)) == 0)
            continue;
        j->mismatches++;
        for (int k = 0; k < mine->count && k < j->reference->count; k++) {
            const record *got = &mine->items[k], *want = &j->reference->items[k];
            if (memcmp(got, want, sizeof *got) != 0) {
                fprintf(stderr, "FAIL thread %d iteration %d call %d: status %u (want %u), message '%s' (want '%s')\n",
                        j->tid, it, k, got->status, want->status, got->message, want->message);
                break;
            }
        }
    }
    free(mine);
    return NULL;
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 20;
    make_data();

    /* The reference: each thread's sequence, on the main thread alone. */
    static run reference[THREADS], again;
    for (int tid = 0; tid < THREADS; tid++) work(tid, &reference[tid]);
    work(3, &again);
    CHECK(memcmp(&again, &reference[3], sizeof again) == 0, "the same calls twice give the same records");
    for (int tid = 0; tid < THREADS; tid++) {
        const run *r = &reference[tid];
        CHECK(r->count == reference[0].count, "thread %d: %d calls, not %d", tid, r->count, reference[0].count);
        for (int k = 0; k < r->count; k++) {
            const record *rec = &r->items[k];
            CHECK(rec->status == rec->expected, "thread %d call %d: status %u, want %u (%s)", tid, k, rec->status,
                  rec->expected, rec->message);
            if (rec->status == CXM_STATUS_OK) {
                CHECK(rec->message_status == CXM_STATUS_OK && rec->written == 0 && rec->message[0] == '\0',
                      "thread %d call %d: a success leaves an empty message, not '%s'", tid, k, rec->message);
                continue;
            }
            CHECK(rec->written > 0 && strlen(rec->message) == rec->written,
                  "thread %d call %d: failure %u has a message", tid, k, rec->status);
            if (k != r->count - 1) {
                CHECK(rec->message_status == CXM_STATUS_OK, "thread %d call %d: message fits", tid, k);
                CHECK(rec->untouched, "thread %d call %d: a failure leaves the out-param unwritten", tid, k);
            }
            /* A failure made to depend on the thread must say something no other thread's says. */
            if (rec->thread_specific && tid > 0)
                CHECK(strcmp(rec->message, reference[0].items[k].message) != 0,
                      "thread %d call %d: message '%s' is not the thread's own", tid, k, rec->message);
        }
        const record *last = &r->items[r->count - 1];
        CHECK(last->message_status == CXM_STATUS_BUFFER_TOO_SMALL && last->written == 19 &&
                  last->words[0] == CXM_STATUS_NULL_POINTER && last->words[1] == CXM_STATUS_INVALID_ARGUMENT &&
                  last->words[2] == CXM_STATUS_NULL_POINTER && last->words[3] == CXM_ABI_VERSION &&
                  last->words[5] == CXM_STATUS_OK && last->words[6] > 19 &&
                  strncmp(last->message, last->message + 40, 19) == 0,
              "thread %d: truncated message '%s', statuses %u %u %u", tid, last->message, (unsigned)last->words[0],
              (unsigned)last->words[1], (unsigned)last->words[2]);
    }

    /* Then all threads at once. */
    pthread_t threads[THREADS];
    job jobs[THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS);
    for (int tid = 0; tid < THREADS; tid++) {
        jobs[tid] = (job){tid, iterations, 0, &reference[tid], &start};
        CHECK(pthread_create(&threads[tid], NULL, thread_main, &jobs[tid]) == 0, "pthread_create %d", tid);
    }
    for (int tid = 0; tid < THREADS; tid++) {
        pthread_join(threads[tid], NULL);
        CHECK(jobs[tid].mismatches == 0, "thread %d: %d of %d iterations differ from the reference", tid,
              jobs[tid].mismatches, iterations);
    }
    pthread_barrier_destroy(&start);
    printf("c threads: %d threads x %d iterations x %d calls\n", THREADS, iterations, reference[0].count);
    printf("c threads: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* The distributed pattern without an engine: what a Spark, Dask or Ray job does with cxm, done
 * by plain processes. Each worker scores its own part of the responses into one NPS state per
 * channel and writes the states' bytes; a merger reads every worker's bytes, merges them and
 * finishes. States are sufficient statistics with exact weight sums, so the merged NPS is the
 * NPS of one process over all the responses to the bit, however the rows were split.
 *
 *   partitions worker [-w] PART OUT   PART: lines "channel score weight" (score nan: missing);
 *                                     writes OUT.phone.state, OUT.chat.state, OUT.email.state
 *   partitions merge OUT...           merges the workers' states and prints each channel's NPS
 *                                     and the overall one
 *   partitions whole [-w] ALL         the same lines from one process over all the responses,
 *                                     with the one-shot cxm_nps_f64 and no states
 *
 * -w weighs the responses (without it the weights are ignored). Every double is printed with
 * %a as well, so that equal output is equal bits. examples/c/partitions.sh runs the four
 * processes and compares; scripts/test-c.sh runs that under the sanitizers and valgrind. */
#include <cxm.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANNELS 3
static const char *const CHANNEL[CHANNELS] = {"phone", "chat", "email"};

/* Prints the message of a failed call; true when the call succeeded. */
static bool ok(cxm_status status, const char *call) {
    if (status == CXM_STATUS_OK) return true;
    char message[256];
    size_t written;
    cxm_status got = cxm_last_error_message(message, sizeof message, &written);
    if (got != CXM_STATUS_OK && got != CXM_STATUS_BUFFER_TOO_SMALL) message[0] = '\0';
    const char *name = cxm_status_name(status); /* NULL for a number that is no status */
    fprintf(stderr, "partitions: %s: %s (%s)\n", call, message, name ? name : "unknown status");
    return false;
}

/* One part's responses as columns, the layout cxm's calls take. */
struct rows {
    double *score, *weight;
    uint32_t *channel;
    size_t len;
};

static void free_rows(struct rows *r) {
    free(r->score);
    free(r->weight);
    free(r->channel);
}

static bool read_rows(const char *path, struct rows *r) {
    *r = (struct rows){0};
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return false;
    }
    size_t capacity = 0;
    char name[16];
    double score, weight;
    int fields = 0;
    const char *problem = NULL;
    while ((fields = fscanf(f, "%15s %lf %lf", name, &score, &weight)) == 3) {
        uint32_t c = 0;
        while (c < CHANNELS && strcmp(name, CHANNEL[c]) != 0) c++;
        if (r->len == capacity) {
            capacity = capacity ? 2 * capacity : 1024;
            double *s = realloc(r->score, capacity * sizeof *s);
            if (s) r->score = s;
            double *w = realloc(r->weight, capacity * sizeof *w);
            if (w) r->weight = w;
            uint32_t *g = realloc(r->channel, capacity * sizeof *g);
            if (g) r->channel = g;
            if (!s || !w || !g) problem = "out of memory";
        }
        if (c == CHANNELS) problem = "unknown channel";
        if (problem) break;
        r->score[r->len] = score;
        r->weight[r->len] = weight;
        r->channel[r->len++] = c;
    }
    if (!problem && (fields != EOF || ferror(f))) problem = "not \"phone|chat|email score weight\"";
    fclose(f);
    if (problem) {
        fprintf(stderr, "partitions: %s: line %zu: %s\n", path, r->len + 1, problem);
        free_rows(r);
    }
    return !problem;
}

static void print_nps(const char *name, const cxm_nps *n) {
    printf("%-6s NPS %6.2f  SE %5.2f  n %4llu (%.1f effective)\n", name, n->score,
           n->standard_error, (unsigned long long)n->n, n->effective_n);
    printf("       bits: %llu/%llu/%llu %a %a %a %a %a %a\n", (unsigned long long)n->promoters,
           (unsigned long long)n->passives, (unsigned long long)n->detractors, n->promoter_share,
           n->passive_share, n->detractor_share, n->score, n->standard_error, n->effective_n);
}

/* The file a worker writes a channel's state to. */
static void state_path(char *path, size_t size, const char *out, uint32_t c) {
    snprintf(path, size, "%s.%s.state", out, CHANNEL[c]);
}

/* Writes the state's bytes: its size first (a NULL buffer asks for it), then the bytes. */
static bool write_state(const cxm_state *state, const char *path) {
    size_t size, written;
    if (!ok(cxm_state_to_bytes(state, NULL, 0, &size), "cxm_state_to_bytes")) return false;
    uint8_t *bytes = malloc(size);
    bool done = bytes && ok(cxm_state_to_bytes(state, bytes, size, &written), "cxm_state_to_bytes");
    FILE *f = done ? fopen(path, "wb") : NULL;
    done = f && fwrite(bytes, 1, written, f) == written;
    if (f && fclose(f) != 0) done = false;
    if (!done) fprintf(stderr, "partitions: cannot write %s\n", path);
    free(bytes);
    return done;
}

/* Reads a file's bytes back into a new state; NPS only, so a rating's bytes are refused. */
static cxm_state *read_state(const char *path) {
    FILE *f = fopen(path, "rb");
    uint8_t bytes[4096]; /* an NPS state is at most a few hundred bytes */
    size_t len = f ? fread(bytes, 1, sizeof bytes, f) : 0;
    bool whole_file = f && feof(f) && !ferror(f);
    if (f) fclose(f);
    cxm_state *state = NULL;
    if (!whole_file) fprintf(stderr, "partitions: cannot read %s\n", path);
    else if (!ok(cxm_state_from_bytes(bytes, len, CXM_METRIC_NPS, &state), path)) state = NULL;
    return state;
}

/* A worker: one pass over its rows makes a state per channel (cxm_states_by_group_f64). */
static int worker(bool weighted, const char *part, const char *out) {
    struct rows r;
    if (!read_rows(part, &r)) return 1;
    cxm_state *prototype = NULL, *states[CHANNELS] = {NULL};
    int status = 1;
    if (ok(cxm_state_new_nps(&prototype), "cxm_state_new_nps") &&
        ok(cxm_states_by_group_f64(prototype, r.score, r.len, weighted ? r.weight : NULL,
                                   r.channel, CHANNELS, CXM_MISSING_SKIP, states),
           "cxm_states_by_group_f64")) {
        status = 0;
        for (uint32_t c = 0; c < CHANNELS && status == 0; c++) {
            char path[4096];
            state_path(path, sizeof path, out, c);
            if (!write_state(states[c], path)) status = 1;
        }
    }
    for (uint32_t c = 0; c < CHANNELS; c++) cxm_state_free(states[c]);
    cxm_state_free(prototype);
    free_rows(&r);
    return status;
}

/* The merger: each channel's states from every worker merged, then the channels merged into
 * the overall state. It sees only bytes, never a response. */
static int merge(int workers, char **outs) {
    cxm_state *channel[CHANNELS] = {NULL}, *overall = NULL;
    bool done = ok(cxm_state_new_nps(&overall), "cxm_state_new_nps");
    for (uint32_t c = 0; c < CHANNELS && done; c++) {
        done = ok(cxm_state_new_nps(&channel[c]), "cxm_state_new_nps");
        for (int w = 0; w < workers && done; w++) {
            char path[4096];
            state_path(path, sizeof path, outs[w], c);
            cxm_state *part = read_state(path);
            done = part && ok(cxm_state_merge(channel[c], part), "cxm_state_merge");
            cxm_state_free(part);
        }
        done = done && ok(cxm_state_merge(overall, channel[c]), "cxm_state_merge");
    }
    cxm_nps nps;
    for (uint32_t c = 0; c <= CHANNELS && done; c++) {
        const cxm_state *state = c < CHANNELS ? channel[c] : overall;
        done = ok(cxm_state_finish_nps(state, &nps), "cxm_state_finish_nps");
        if (done) print_nps(c < CHANNELS ? CHANNEL[c] : "all", &nps);
    }
    for (uint32_t c = 0; c < CHANNELS; c++) cxm_state_free(channel[c]);
    cxm_state_free(overall);
    return done ? 0 : 1;
}

/* One process over all the responses: each channel's rows, then all rows, in one call each. */
static int whole(bool weighted, const char *path) {
    struct rows r;
    if (!read_rows(path, &r)) return 1;
    double *score = malloc((r.len + 1) * sizeof *score);
    double *weight = malloc((r.len + 1) * sizeof *weight);
    bool done = score && weight;
    for (uint32_t c = 0; c <= CHANNELS && done; c++) {
        size_t n = 0;
        for (size_t i = 0; i < r.len; i++) {
            if (c < CHANNELS && r.channel[i] != c) continue;
            score[n] = r.score[i];
            weight[n++] = r.weight[i];
        }
        cxm_nps nps;
        done = ok(cxm_nps_f64(score, n, weighted ? weight : NULL, CXM_MISSING_SKIP, &nps),
                  "cxm_nps_f64");
        if (done) print_nps(c < CHANNELS ? CHANNEL[c] : "all", &nps);
    }
    free(score);
    free(weight);
    free_rows(&r);
    return done ? 0 : 1;
}

int main(int argc, char **argv) {
    bool weighted = argc > 2 && strcmp(argv[2], "-w") == 0;
    int first = weighted ? 3 : 2; /* the first argument after the mode and -w */
    if (argc == first + 2 && strcmp(argv[1], "worker") == 0)
        return worker(weighted, argv[first], argv[first + 1]);
    if (argc >= 3 && !weighted && strcmp(argv[1], "merge") == 0) return merge(argc - 2, argv + 2);
    if (argc == first + 1 && strcmp(argv[1], "whole") == 0) return whole(weighted, argv[first]);
    fprintf(stderr,
            "usage: partitions worker [-w] PART OUT | merge OUT... | whole [-w] ALL\n"
            "  (PART, ALL: lines \"phone|chat|email score weight\")\n");
    return 2;
}

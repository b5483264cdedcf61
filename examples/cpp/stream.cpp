// A running NPS per channel from a stream of responses, scored on two worker threads: each
// worker keeps its own states, and the main thread merges them, as a service would merge
// workers' or processes' partial results (the bytes could as well come over the network).
//
//   build/stream        (built by CMakeLists.txt here; the tests build and run it too)
#include <cxm.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// A cxm_state that frees itself.
struct StateDeleter {
    void operator()(cxm_state *s) const { cxm_state_free(s); }
};
using State = std::unique_ptr<cxm_state, StateDeleter>;

void check(cxm_status status) {
    if (status != CXM_STATUS_OK) {
        char message[256];
        size_t written = 0;
        cxm_last_error_message(message, sizeof message, &written);
        throw std::runtime_error(message);
    }
}

State new_nps() {
    cxm_state *s = nullptr;
    check(cxm_state_new_nps(&s));
    return State(s);
}

const std::array<const char *, 3> CHANNELS = {"phone", "chat", "email"};

struct Response {
    uint8_t score;
    uint32_t channel;
};

// What one worker sees: a deterministic stream of responses.
std::vector<Response> stream(unsigned seed, size_t n) {
    // Answers as a survey gets them: mostly 7 to 10, some detractors.
    static const uint8_t ANSWERS[16] = {10, 10, 9, 9, 9, 8, 8, 8, 7, 7, 6, 5, 10, 9, 3, 0};
    std::vector<Response> out;
    uint64_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        out.push_back({ANSWERS[(x >> 20) % 16], static_cast<uint32_t>((x >> 40) % 3)});
    }
    return out;
}

// A worker: one state per channel, fed response by response as they arrive.
std::array<State, 3> work(const std::vector<Response> &responses) {
    std::array<State, 3> states = {new_nps(), new_nps(), new_nps()};
    for (const Response &r : responses)
        check(cxm_state_add_u8(states[r.channel].get(), &r.score, 1, nullptr, CXM_MISSING_REJECT));
    return states;
}

}  // namespace

int main() {
    const auto first = stream(1, 5000), second = stream(2, 7000);
    std::array<State, 3> a, b;
    std::thread one([&] { a = work(first); });
    std::thread two([&] { b = work(second); });
    one.join();
    two.join();
    for (size_t c = 0; c < CHANNELS.size(); c++) {
        check(cxm_state_merge(a[c].get(), b[c].get()));
        cxm_nps nps;
        check(cxm_state_finish_nps(a[c].get(), &nps));
        cxm_interval ci;
        check(cxm_nps_confidence_interval(&nps, 0.95, CXM_NPS_METHOD_ADJUSTED_WALD, &ci));
        // The merged state is the one-shot NPS of the channel's responses, to the bit.
        std::vector<uint8_t> all;
        for (const auto *part : {&first, &second})
            for (const Response &r : *part)
                if (r.channel == c) all.push_back(r.score);
        cxm_nps once;
        check(cxm_nps_u8(all.data(), all.size(), nullptr, CXM_MISSING_REJECT, &once));
        if (std::memcmp(&once, &nps, sizeof nps) != 0) {
            std::fprintf(stderr, "%s: merged states differ from one call\n", CHANNELS[c]);
            return 1;
        }
        std::printf("%-6s NPS %6.2f  95%% CI [%6.2f, %6.2f]  n = %llu\n", CHANNELS[c], nps.score,
                    ci.lower, ci.upper, static_cast<unsigned long long>(nps.n));
    }
    return 0;
}

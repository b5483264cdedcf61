// The header from C++: extern "C" linkage, the enums as scoped-size types, and a round trip
// through the shared library. Expected values: Rocks' R package NPS, counts (20, 30, 50),
// score interval (0.1395514161, 0.4433930663) as fractions (see testdata/nps.json).
#include "cxm.h"

#include <cmath>
#include <cstdio>
#include <string>

int main() {
    int failed = 0, passed = 0;
    auto check = [&](bool ok, const char *what) {
        if (ok) {
            ++passed;
        } else {
            ++failed;
            std::fprintf(stderr, "FAIL: %s\n", what);
        }
    };

    cxm_nps nps{};
    check(cxm_nps_from_counts(50, 30, 20, &nps) == CXM_STATUS_OK, "from_counts");
    check(nps.score == 30.0, "score");
    cxm_interval ci{};
    check(cxm_nps_confidence_interval(&nps, 0.95, CXM_NPS_METHOD_SCORE, &ci) == CXM_STATUS_OK, "interval");
    check(std::fabs(ci.lower - 13.95514161) < 1e-8 && std::fabs(ci.upper - 44.33930663) < 1e-8, "score limits");

    const int scores[] = {9, 10, 11};
    check(cxm_nps_i32(scores, 3, nullptr, CXM_MISSING_REJECT, &nps) == CXM_STATUS_SCORE_OUT_OF_RANGE, "status");
    char buf[128];
    size_t written = 0;
    check(cxm_last_error_message(buf, sizeof buf, &written) == CXM_STATUS_OK, "message status");
    check(std::string(buf, written) == "score 11 at index 2 is outside 0..=10", "message text");
    check(std::string(cxm_version()) == std::to_string(CXM_VERSION_MAJOR) + "." +
                                            std::to_string(CXM_VERSION_MINOR) + "." +
                                            std::to_string(CXM_VERSION_PATCH),
          "version");

    std::printf("c++: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

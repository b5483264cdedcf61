// NPS with its 95% interval, from C++, against the installed cxm (examples/cpp/CMakeLists.txt
// builds it with find_package(cxm); scripts/test-install.sh builds and runs it).
#include <cxm.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace {

// Turns a failed call into an exception that carries cxm's own message.
void check(cxm_status status) {
    if (status != CXM_STATUS_OK) {
        char message[256];
        std::size_t written = 0;
        cxm_last_error_message(message, sizeof message, &written);
        throw std::runtime_error(message);
    }
}

}  // namespace

int main() {
    // The header this program was compiled with must describe the library it runs with.
    if (cxm_abi_version() != CXM_ABI_VERSION) {
        std::fprintf(stderr, "cxm: compiled for ABI %d, but libcxm %s has ABI %u\n", CXM_ABI_VERSION,
                     cxm_version(), static_cast<unsigned>(cxm_abi_version()));
        return 1;
    }
    const std::vector<std::int32_t> scores{10, 9, 9, 8, 7, 6, 3, 10, 9, 5};
    try {
        cxm_nps nps{};
        check(cxm_nps_i32(scores.data(), scores.size(), nullptr, CXM_MISSING_REJECT, &nps));
        cxm_interval ci{};
        check(cxm_nps_confidence_interval(&nps, 0.95, CXM_NPS_METHOD_ADJUSTED_WALD, &ci));
        std::printf("cxm %s: NPS %.1f (95%% CI %.1f to %.1f)\n", cxm_version(), nps.score, ci.lower,
                    ci.upper);
    } catch (const std::exception &error) {
        std::fprintf(stderr, "cxm: %s\n", error.what());
        return 1;
    }
    return 0;
}

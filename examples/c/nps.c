/* NPS with its 95% interval, from C, against the installed cxm (examples/c/Makefile builds it
 * with pkg-config; scripts/test-install.sh builds and runs it). */
#include <cxm.h>
#include <stdio.h>

int main(void) {
    /* The header this program was compiled with must describe the library it runs with. */
    if (cxm_abi_version() != CXM_ABI_VERSION) {
        fprintf(stderr, "cxm: compiled for ABI %d, but libcxm %s has ABI %u\n", CXM_ABI_VERSION,
                cxm_version(), (unsigned)cxm_abi_version());
        return 1;
    }
    const uint8_t scores[] = {10, 9, 9, 8, 7, 6, 3, 10, 9, 5};
    cxm_nps nps;
    cxm_interval ci;
    if (cxm_nps_u8(scores, sizeof scores, NULL, CXM_MISSING_REJECT, &nps) != CXM_STATUS_OK ||
        cxm_nps_confidence_interval(&nps, 0.95, CXM_NPS_METHOD_ADJUSTED_WALD, &ci) != CXM_STATUS_OK) {
        char message[256];
        size_t written;
        cxm_last_error_message(message, sizeof message, &written);
        fprintf(stderr, "cxm: %s\n", message);
        return 1;
    }
    printf("cxm %s: NPS %.1f (95%% CI %.1f to %.1f)\n", cxm_version(), nps.score, ci.lower, ci.upper);
    return 0;
}

// libFuzzer target for everything ble2garmin parses from Garmin or from token files: DI token JSON
// (garmin_tokens.json and the token service's answer), garth's oauth1/oauth2 token files and the
// exchange answer, and JWT payloads. Any bytes must be refused or accepted without a crash, and an
// accepted token must survive the round trip through its own JSON.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "garmin/auth/tokens.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ble2garmin::garmin;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)jwt_payload(text);
    (void)jwt_expiry(text);
    (void)jwt_string_claim(text, "client_id");
    (void)di_tokens_from_response(text, 1'700'000'000, "GARMIN_CONNECT_MOBILE_ANDROID_DI");
    (void)oauth2_from_response(text, 1'700'000'000);
    (void)oauth1_from_json(text);
    (void)oauth2_from_json(text);
    if (auto tokens = di_tokens_from_json(text)) {
        auto again = di_tokens_from_json(di_tokens_to_json(*tokens));
        if (!again || again->access_token != tokens->access_token ||
            again->refresh_token != tokens->refresh_token) {
            std::abort();
        }
    }
    return 0;
}

// The real libcurl client against the Garmin mock, run by tests/integration/garmin_login_test.py
// (which starts the mock, logs in and sets the environment below); skipped otherwise.
// BLE2GARMIN_GARMIN_MOCK = base URL, BLE2GARMIN_GARMIN_MOCK_CA = its CA file,
// BLE2GARMIN_GARMIN_TOKEN_DIR = token_dir holding the account BLE2GARMIN_GARMIN_EMAIL.

#include <cstdlib>

#include <gtest/gtest.h>

#include "garmin/connect_client.hpp"
#include "util/hex.hpp"

namespace ble2garmin::garmin {
namespace {

// The 212-byte weight FIT golden vector of shared/spec/garmin-connect.md §6.2.
constexpr const char* k_weight_fit =
    "0c106c00c60000002e464954"
    "40000000000603048c040486010284020284050284000100"
    "0000000000f8920740ffffffffffff09"
    "410000310002000284010102"
    "01ffffff"
    "42000017000cfd048603048c0704860804860202840402840502840a02840001020101020601020b0102"
    "02f892074000000000ffffffffffffffffffffffffffffffffffffffff"
    "4300001e000dfd04860002840102840202840302840402840502840702840902840801020a01020b01020d0284"
    "03f8920740761b3a079015ffff3601cc0b0019ffff052307e000"
    "6c3d";

const char* env(const char* name)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

TEST(GarminLiveMock, UploadsAFitFileAsMultipartWithRetryAfter401)
{
    const char* base = env("BLE2GARMIN_GARMIN_MOCK");
    if (base == nullptr || env("BLE2GARMIN_GARMIN_MOCK_CA") == nullptr ||
        env("BLE2GARMIN_GARMIN_TOKEN_DIR") == nullptr || env("BLE2GARMIN_GARMIN_EMAIL") == nullptr) {
        GTEST_SKIP() << "run by tests/integration/garmin_login_test.py";
    }
    GarminConfig garmin;
    garmin.api_base_url = base;
    garmin.diauth_base_url = base;
    garmin.sso_base_url = base;
    garmin.ca_file = env("BLE2GARMIN_GARMIN_MOCK_CA");
    auto client = ConnectClient::open(garmin, env("BLE2GARMIN_GARMIN_TOKEN_DIR"),
                                      env("BLE2GARMIN_GARMIN_EMAIL"), nullptr, unix_now);
    ASSERT_TRUE(client.ok()) << client.error().message;
    auto bytes = parse_hex(k_weight_fit);
    ASSERT_TRUE(bytes.ok());
    const std::string fit(bytes->begin(), bytes->end());
    ASSERT_EQ(fit.size(), 212U);
    const ApiRequest upload{
        "POST", "/upload-service/upload", {}, {}, MultipartFile{"file", "body_composition.fit", fit, ""}};
    const auto first = (*client)->call(upload);  // the test armed reject_next_bearer: 401, refresh, retry
    EXPECT_EQ(first.outcome, ApiOutcome::success) << first.message << " " << first.body;
    EXPECT_EQ(first.status, 202);
    EXPECT_NE(first.body.find("detailedImportResult"), std::string::npos);
    const auto again = (*client)->call(upload);
    EXPECT_EQ(again.outcome, ApiOutcome::duplicate) << again.message;
    EXPECT_EQ(again.status, 409);
}

}  // namespace
}  // namespace ble2garmin::garmin

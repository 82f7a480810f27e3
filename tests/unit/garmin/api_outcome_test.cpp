#include "garmin/http/api_outcome.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::garmin {
namespace {

TEST(GarminApiOutcome, ClassifiesStatuses)
{
    EXPECT_EQ(classify_status(200), ApiOutcome::success);
    EXPECT_EQ(classify_status(202), ApiOutcome::success);
    EXPECT_EQ(classify_status(204), ApiOutcome::success);
    EXPECT_EQ(classify_status(409), ApiOutcome::duplicate);
    EXPECT_EQ(classify_status(429), ApiOutcome::rate_limited);
    EXPECT_EQ(classify_status(401), ApiOutcome::auth_failed);
    EXPECT_EQ(classify_status(403), ApiOutcome::auth_failed);
    EXPECT_EQ(classify_status(400), ApiOutcome::rejected);
    EXPECT_EQ(classify_status(404), ApiOutcome::rejected);
    EXPECT_EQ(classify_status(415), ApiOutcome::rejected);
    EXPECT_EQ(classify_status(408), ApiOutcome::transient);
    EXPECT_EQ(classify_status(425), ApiOutcome::transient);
    EXPECT_EQ(classify_status(500), ApiOutcome::transient);
    EXPECT_EQ(classify_status(503), ApiOutcome::transient);
    EXPECT_EQ(classify_status(302), ApiOutcome::transient);
    EXPECT_EQ(api_outcome_name(ApiOutcome::auth_failed), "auth-failed");
}

}  // namespace
}  // namespace ble2garmin::garmin

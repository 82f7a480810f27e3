#include "rowing/tcx_reader.hpp"

#include <string>

#include <gtest/gtest.h>

namespace ble2garmin::rowing {
namespace {

const std::string k_data = std::string(BLE2GARMIN_TEST_DATA_DIR) + "/rowing/";

// A minimal document with the extensions under a prefix Coxswain does not use.
std::string document(const std::string& trackpoints, const std::string& lap_extra = "")
{
    return "<?xml version=\"1.0\"?>\n"
           "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"\n"
           "    xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"
           "<Activities><Activity Sport=\"Other\"><Id>2024-03-10T08:00:00Z</Id>\n"
           "<Lap StartTime=\"2024-03-10T08:00:00Z\"><TotalTimeSeconds>60</TotalTimeSeconds>"
           "<DistanceMeters>250.5</DistanceMeters><Calories>12</Calories>" +
           lap_extra + "<Track>\n" + trackpoints +
           "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n";
}

TEST(TcxReader, CoxswainSession)
{
    auto workout = read_tcx_file(k_data + "coxswain_10k.tcx");
    ASSERT_TRUE(workout.ok()) << workout.error().message;
    EXPECT_EQ(workout->sport, "Other");
    EXPECT_EQ(workout->name, "10,000 m");
    ASSERT_EQ(workout->laps.size(), 1u);
    const Lap& lap = workout->laps[0];
    // Values as the file states them (its Lap element and first/last Trackpoint, read by eye).
    EXPECT_EQ(lap.start_ms, 1'606'225'596'000);
    EXPECT_EQ(lap.total_time_s, 2295.0);
    EXPECT_EQ(lap.distance_m, 9999.0);
    EXPECT_EQ(lap.calories, 639);
    EXPECT_EQ(lap.strokes, 849u);
    ASSERT_EQ(lap.trackpoints.size(), 2295u);
    const Trackpoint& first = lap.trackpoints.front();
    EXPECT_EQ(first.time_ms, 1'606'225'596'000);
    EXPECT_EQ(first.distance_m, 1.0);
    EXPECT_EQ(first.heart_rate, 86);
    EXPECT_EQ(first.cadence, 0);
    EXPECT_EQ(first.speed_mps, 0.0);
    EXPECT_EQ(first.power_w, 0);
    const Trackpoint& last = lap.trackpoints.back();
    EXPECT_EQ(last.time_ms, 1'606'225'596'000 + 2294 * 1000);
    EXPECT_EQ(last.distance_m, 9999.0);
    EXPECT_EQ(last.heart_rate, 191);
    EXPECT_EQ(last.cadence, 26);
    EXPECT_EQ(last.speed_mps, 4.13);
    EXPECT_EQ(last.power_w, 197);
}

TEST(TcxReader, OtherAppOrderPrefixesAndOffsets)
{
    auto workout = read_tcx_file(k_data + "other_app.tcx");
    ASSERT_TRUE(workout.ok()) << workout.error().message;
    ASSERT_EQ(workout->laps.size(), 1u);
    const Lap& lap = workout->laps[0];
    EXPECT_EQ(lap.start_ms, 1'710'057'600'000);  // 09:00+01:00 = 08:00Z
    EXPECT_EQ(lap.total_time_s, 300.0);
    EXPECT_EQ(lap.distance_m, 1200.0);
    EXPECT_FALSE(lap.calories);
    EXPECT_FALSE(lap.strokes);
    ASSERT_EQ(lap.trackpoints.size(), 11u);
    for (std::size_t i = 0; i < 11; ++i) {
        const Trackpoint& point = lap.trackpoints[i];
        EXPECT_EQ(point.time_ms, 1'710'057'600'000 + static_cast<std::int64_t>(i) * 30'000) << i;
        EXPECT_EQ(point.distance_m, 120.0 * static_cast<double>(i)) << i;
        EXPECT_EQ(point.heart_rate, 100 + 10 * static_cast<int>(i)) << i;  // the foreign x:Value is not read
        EXPECT_EQ(point.cadence, i == 0 ? 0 : 24) << i;
        EXPECT_FALSE(point.speed_mps);
        EXPECT_FALSE(point.power_w);
    }
}

TEST(TcxReader, ExtensionsByNamespaceNotPrefixOrPosition)
{
    // Watts before Speed, under the ns3 prefix; an LX Steps; an unknown TPX child in between.
    auto workout = read_tcx_text(document(
        "<Trackpoint><Extensions><ns3:TPX><ns3:Watts>150</ns3:Watts><ns3:RunCadence>3</ns3:RunCadence>"
        "<ns3:Speed>3.5</ns3:Speed></ns3:TPX></Extensions><Time>2024-03-10T08:00:01Z</Time></Trackpoint>\n",
        "<Extensions><LX "
        "xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\"><Steps>42</Steps></LX>"
        "</Extensions>"));
    ASSERT_TRUE(workout.ok()) << workout.error().message;
    const Lap& lap = workout->laps[0];
    EXPECT_EQ(lap.strokes, 42u);
    EXPECT_EQ(lap.distance_m, 250.5);
    ASSERT_EQ(lap.trackpoints.size(), 1u);
    EXPECT_EQ(lap.trackpoints[0].power_w, 150);
    EXPECT_EQ(lap.trackpoints[0].speed_mps, 3.5);
    EXPECT_FALSE(lap.trackpoints[0].distance_m);
}

TEST(TcxReader, ElementsOfAnotherNamespaceAreNotTaken)
{
    // A TPX in a different namespace, and TCX elements under the wrong parent, are ignored.
    auto workout =
        read_tcx_text(document("<Trackpoint><Time>2024-03-10T08:00:01Z</Time>"
                               "<Extensions><TPX xmlns=\"urn:other\"><Watts>999</Watts></TPX></Extensions>"
                               "<Position><DistanceMeters>77</DistanceMeters></Position></Trackpoint>\n"));
    ASSERT_TRUE(workout.ok()) << workout.error().message;
    EXPECT_FALSE(workout->laps[0].trackpoints[0].power_w);
    EXPECT_FALSE(workout->laps[0].trackpoints[0].distance_m);
}

TEST(TcxReader, ZeroHeartRateIsAbsent)
{
    auto workout =
        read_tcx_text(document("<Trackpoint><Time>2024-03-10T08:00:01Z</Time><HeartRateBpm><Value>0</Value></"
                               "HeartRateBpm></Trackpoint>"));
    ASSERT_TRUE(workout.ok()) << workout.error().message;
    EXPECT_FALSE(workout->laps[0].trackpoints[0].heart_rate);
}

struct BadTcx {
    const char* name;
    std::string text;
    const char* message;  // a part of the error, which starts with the line
};

class TcxReaderRejects : public ::testing::TestWithParam<BadTcx> {};

TEST_P(TcxReaderRejects, WithTheLine)
{
    auto workout = read_tcx_text(GetParam().text);
    ASSERT_FALSE(workout.ok());
    EXPECT_NE(workout.error().message.find(GetParam().message), std::string::npos) << workout.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, TcxReaderRejects,
    ::testing::Values(
        BadTcx{"empty", "", "line 1: no element found"},
        BadTcx{"unclosed",
               "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/"
               "TrainingCenterDatabase/v2\">\n<Activities>\n",
               "line 4: unclosed element <Activities>"},
        BadTcx{"mismatched", document("<Trackpoint><Time>2024-03-10T08:00:01Z</Time></Trackpont>\n"),
               "line 6: mismatched tag"},
        BadTcx{
            "not_tcx", "<?xml version=\"1.0\"?>\n<gpx xmlns=\"http://www.topografix.com/GPX/1/1\"/>",
            "line 2: not a TCX file: the root element is gpx in namespace http://www.topografix.com/GPX/1/1"},
        BadTcx{"no_namespace", "<TrainingCenterDatabase/>",
               "line 1: not a TCX file: the root element is TrainingCenterDatabase without a namespace"},
        BadTcx{
            "doctype",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY a \"aaaa\">]>\n"
            "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"/>",
            "line 2: a DOCTYPE is not allowed"},
        BadTcx{
            "no_activity",
            "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"/>",
            "no Activity"},
        BadTcx{"bad_time", document("<Trackpoint><Time>yesterday</Time></Trackpoint>\n"),
               "line 6: Time 'yesterday' is not an xsd:dateTime"},
        BadTcx{"no_time", document("<Trackpoint>\n<DistanceMeters>3</DistanceMeters>\n</Trackpoint>\n"),
               "line 8: Trackpoint without Time"},
        BadTcx{"bad_number",
               document("<Trackpoint><Time>2024-03-10T08:00:01Z</Time>\n<DistanceMeters>12,5</DistanceMeters>"
                        "</Trackpoint>\n"),
               "line 7: DistanceMeters '12,5' is not a number"},
        BadTcx{"negative",
               document("<Trackpoint><Time>2024-03-10T08:00:01Z</Time><Cadence>-1</Cadence></Trackpoint>"),
               "line 6: Cadence -1 is out of range"},
        BadTcx{"huge_hr",
               document("<Trackpoint><Time>2024-03-10T08:00:01Z</Time><HeartRateBpm><Value>300</Value>"
                        "</HeartRateBpm></Trackpoint>"),
               "HeartRateBpm 300 is out of range"},
        BadTcx{
            "no_start_time",
            "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
            "<Activities><Activity "
            "Sport=\"Other\">\n<Lap></Lap></Activity></Activities></TrainingCenterDatabase>",
            "line 3: Lap without StartTime"},
        BadTcx{
            "two_activities",
            "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
            "<Activities><Activity Sport=\"Other\"><Lap StartTime=\"2024-03-10T08:00:00Z\"/></Activity>\n"
            "<Activity Sport=\"Other\"></Activity></Activities></TrainingCenterDatabase>",
            "line 3: more than one Activity"},
        BadTcx{
            "activity_without_lap",
            "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
            "<Activities><Activity Sport=\"Other\"></Activity></Activities></TrainingCenterDatabase>",
            "line 2: Activity without a Lap"},
        BadTcx{"long_value", document("<Trackpoint><Time>" + std::string(2000, '1') + "</Time></Trackpoint>"),
               "a value longer than 1024 characters"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(TcxReader, MissingFile)
{
    auto workout = read_tcx_file(k_data + "no-such-file.tcx");
    ASSERT_FALSE(workout.ok());
    EXPECT_NE(workout.error().message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin::rowing

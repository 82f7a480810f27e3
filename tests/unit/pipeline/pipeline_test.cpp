// The pipeline with its real parts: Mi scale / S400 module, dispatcher, measurement store (journal,
// CSV backups).

#include "pipeline/pipeline.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "ble2garmin/device_module.hpp"

#include "../temp_dir.hpp"
#include "../test_users.hpp"
#include "pipeline/dispatcher.hpp"
#include "pipeline/store_setup.hpp"
#include "store/miscale/miscale_header.hpp"
#include "store/omron/omron_row.hpp"
#include "util/hex.hpp"
#include "util/time.hpp"

namespace ble2garmin::pipeline {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_mac = "C8:47:8C:A1:B2:C3";
// Scale clock 2024-07-15 20:50:54 UTC (1721076654, the export2garmin manual's sample), 55.2 kg
// (raw 11040 = 0x2b20), impedance 508 (0x01fc).
constexpr const char* k_stable = "0224e807070f1432360000202b";
constexpr const char* k_with_impedance = "0226e807070f143236fc01202b";
const SystemTime k_measured = SystemTime{} + 1'721'076'654s;

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A pipeline over a fresh state directory, fed one advertisement at a time through the real
// dispatcher and modules. Derived fixtures fill m_config and call reopen().
class PipelineFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = m_temp.path() / "state";
        m_config.general.state_directory = m_dir;
        m_config.garmin.enabled = true;  // rows of users with an account wait for Garmin
        ASSERT_TRUE(use_time_zone("UTC").ok());
    }

    // A new dispatcher and pipeline, as after a restart.
    void reopen_at(SystemTime now)
    {
        m_pipeline.reset();
        m_store.reset();
        auto dispatcher = Dispatcher::create(m_config.devices, device_modules());
        ASSERT_TRUE(dispatcher.ok()) << dispatcher.error().message;
        m_dispatcher = std::make_unique<Dispatcher>(std::move(*dispatcher));
        auto store = open_store(m_config, device_modules(), now);
        ASSERT_TRUE(store.ok()) << store.error().message;
        m_store = std::move(*store);
        m_pipeline = std::make_unique<Pipeline>(m_config, *m_store);
    }

    // Plays one advertisement; the pipeline outcome when it completed a reading.
    std::optional<RecordResult> play_from(const char* mac, std::uint16_t service, const char* hex,
                                          SystemTime at)
    {
        Advertisement advertisement;
        advertisement.address = mac;
        advertisement.received_at = at;
        advertisement.source = "test";
        advertisement.service_data[uuid_from_16bit(service)] = *parse_hex(hex);
        auto reading = m_dispatcher->on_advertisement(advertisement);
        if (!reading) {
            return std::nullopt;
        }
        return m_pipeline->on_reading(*reading);
    }

    // Every line of the backup, the header first.
    std::vector<std::string> lines() const
    {
        std::vector<std::string> rows;
        std::istringstream in(read_text(m_config.miscale_csv_path()));
        std::string line;
        while (std::getline(in, line)) {
            rows.push_back(line);
        }
        return rows;
    }

    ble2garmin::testing_support::TempDir m_temp;
    std::filesystem::path m_dir;
    Config m_config;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<store::MeasurementStore> m_store;
    std::unique_ptr<Pipeline> m_pipeline;
};

using testing_support::adam;

// A blood-pressure reading of a cuff with a clock, at the export2garmin sample time.
Reading blood_pressure_reading(BloodPressureReading value)
{
    Reading reading;
    reading.module = "test";
    reading.device_address = "00:5F:BF:11:22:33";
    reading.received_at = k_measured;
    reading.device_time = k_measured;
    reading.fingerprint = "bp-1";
    reading.value = value;
    return reading;
}

class PipelineTest : public PipelineFixture {
protected:
    void SetUp() override
    {
        PipelineFixture::SetUp();
        User user = adam();
        user.garmin_email = "adam@example.com";
        m_config.users = {user};
        DeviceConfig device;
        device.module = "mi_scale";
        device.mac = k_mac;
        m_config.devices = {device};
        reopen();
    }

    void reopen() { reopen_at(k_measured); }
    std::optional<RecordResult> play(const char* hex, SystemTime at)
    {
        return play_from(k_mac, 0x181b, hex, at);
    }

    std::vector<std::string> data_rows() const
    {
        auto rows = lines();
        if (!rows.empty()) {
            rows.erase(rows.begin());  // header
        }
        return rows;
    }
};

TEST_F(PipelineTest, OneWeighingGivesOneRowWithUserAndComposition)
{
    EXPECT_FALSE(play(k_stable, k_measured + 1s));
    EXPECT_FALSE(play(k_stable, k_measured + 2s));
    auto first = play(k_with_impedance, k_measured + 4s);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->outcome, Outcome::recorded);
    const Measurement& measurement = *first->measurement;
    EXPECT_TRUE(measurement.device_clock_used);
    EXPECT_EQ(measurement.measured_at, k_measured);
    ASSERT_TRUE(measurement.user);
    EXPECT_EQ(measurement.user->name, "adam");
    ASSERT_TRUE(measurement.composition) << measurement.composition_error;
    // Raw values of body-composition.md §8 vector 1.
    EXPECT_NEAR(measurement.composition->bmi, 18.658734451054627, 1e-6);
    EXPECT_NEAR(*measurement.composition->body_fat, 10.761790840579721, 1e-6);
    EXPECT_NEAR(measurement.composition->basal_metabolism, 1217.2512, 1e-6);
    for (int i = 0; i < 5; ++i) {
        auto again = play(k_with_impedance, k_measured + 5s + std::chrono::seconds(i));
        ASSERT_TRUE(again);
        EXPECT_EQ(again->outcome, Outcome::duplicate);
    }
    EXPECT_EQ(data_rows(), std::vector<std::string>{"to_import;1721076654;55.2;508"});
}

TEST_F(PipelineTest, DuplicatesAreRecognisedAfterARestart)
{
    ASSERT_EQ(play(k_with_impedance, k_measured + 4s)->outcome, Outcome::recorded);
    reopen();
    ASSERT_EQ(play(k_with_impedance, k_measured + 600s)->outcome, Outcome::duplicate);
    EXPECT_EQ(data_rows().size(), 1u);
}

TEST_F(PipelineTest, TheSameFingerprintAfterTheWindowIsANewMeasurement)
{
    m_config.pipeline.duplicate_window_seconds = 60;
    m_config.pipeline.scale_clock = ScaleClockPolicy::receive;
    reopen();
    ASSERT_EQ(play(k_with_impedance, k_measured)->outcome, Outcome::recorded);
    ASSERT_EQ(play(k_with_impedance, k_measured + 60s)->outcome, Outcome::duplicate);
    ASSERT_EQ(play(k_with_impedance, k_measured + 61s)->outcome, Outcome::recorded);
    EXPECT_EQ(data_rows().size(), 2u);
}

TEST_F(PipelineTest, NoMatchingUserKeepsTheRowAsUnassigned)
{
    m_config.users.front().max_weight_kg = 55;
    reopen();
    auto result = play(k_with_impedance, k_measured + 4s);
    ASSERT_EQ(result->outcome, Outcome::recorded);
    EXPECT_FALSE(result->measurement->user);
    EXPECT_FALSE(result->measurement->composition);
    EXPECT_EQ(data_rows(), std::vector<std::string>{"unassigned;1721076654;55.2;508"});
}

TEST_F(PipelineTest, WithGarminOffTheRowCarriesEveryComputedColumn)
{
    m_config.garmin.enabled = false;
    reopen();
    ASSERT_EQ(play(k_with_impedance, k_measured + 4s)->outcome, Outcome::recorded);
    const auto rows = data_rows();
    ASSERT_EQ(rows.size(), 1U);
    // body-composition.md §8 vector 1, rounded to export2garmin's one decimal: BMI 18.66 → 18.7,
    // fat 10.76 → 10.8, BMR 1217.25 → 1217 (an integer column); Email User is the account (not uploaded: no
    // upload time).
    EXPECT_TRUE(rows[0].starts_with("local;1721076654;15.07.2024;20:50;55.2;0.0;18.7;10.8;")) << rows[0];
    EXPECT_NE(rows[0].find(";1217;51.1;64.4;to_gain:6.8;23.4;"), std::string::npos) << rows[0];
    EXPECT_TRUE(rows[0].ends_with(";508;adam@example.com;;;")) << rows[0];
}

TEST_F(PipelineTest, AUserWithoutAnAccountGetsACompleteRowUnderTheirName)
{
    m_config.users.front().garmin_email.clear();
    reopen();
    ASSERT_EQ(play(k_with_impedance, k_measured + 4s)->outcome, Outcome::recorded);
    const auto rows = data_rows();
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_TRUE(rows[0].starts_with("local;1721076654;15.07.2024;20:50;55.2;0.0;18.7;10.8;")) << rows[0];
    EXPECT_TRUE(rows[0].ends_with(";508;adam;;;")) << rows[0];
}

TEST_F(PipelineTest, ABloodPressureReadingLandsInTheOmronBackupWithTheConfiguredCategory)
{
    // One user, so the reading is his; 135/80 is High-Normal under the eu rules (130 ≤ sys ≤ 139,
    // dia < 85) and Grade_1 under the us ones (130 ≤ sys ≤ 139) — device-omron.md §9.2.
    // With Garmin off the row is complete at once (export2garmin's uploaded layout, no upload time);
    // a row for Garmin keeps the pending shape, which has no Category column (it is added at upload).
    m_config.garmin.enabled = false;
    for (const char* standard : {"eu", "us"}) {
        m_config.storage.blood_pressure_category = standard;
        std::filesystem::remove_all(m_dir);
        reopen();
        auto result = m_pipeline->on_reading(blood_pressure_reading({135, 80, 70, false, false}));
        ASSERT_EQ(result.outcome, Outcome::recorded) << result.error;
        const std::string text = read_text(m_config.omron_csv_path());
        const std::string category = std::string(standard) == "eu" ? "High-Normal" : "Grade_1";
        EXPECT_NE(text.find("\nlocal;1721076654;15.07.2024;20:50;135;80;70;" + category +
                            ";0;0;adam@example.com;;;\n"),
                  std::string::npos)
            << standard << ": " << text;
    }
}

TEST_F(PipelineTest, ABloodPressureReadingForGarminKeepsExport2garminsPendingShape)
{
    Reading reading = blood_pressure_reading({135, 80, 70, true, false});
    ASSERT_EQ(m_pipeline->on_reading(reading).outcome, Outcome::recorded);
    reading.received_at += 10s;
    ASSERT_EQ(m_pipeline->on_reading(reading).outcome, Outcome::duplicate);
    EXPECT_EQ(read_text(m_config.omron_csv_path()),
              // A new file ends its lines in "\n"; an existing export2garmin file keeps its own "\r\n".
              std::string(store::omron_header()) +
                  "\nto_import;1721076654;15.07.2024;20:50;135;80;70;1;0;adam@example.com\n");
}

TEST_F(PipelineTest, AWrongScaleClockFallsBackToTheReceiveTime)
{
    const SystemTime received = k_measured + 3h;
    auto result = play(k_with_impedance, received);
    ASSERT_EQ(result->outcome, Outcome::recorded);
    EXPECT_FALSE(result->measurement->device_clock_used);
    EXPECT_EQ(data_rows(), std::vector<std::string>{"to_import;" + std::to_string(to_unix_seconds(received)) +
                                                    ";55.2;508"});
}

TEST_F(PipelineTest, AFailedWriteIsNotRememberedAndIsRecordedOnTheNextAdvertisement)
{
    // Make the backup unwritable after start-up: a directory where the CSV file should be
    // (permissions would not stop root).
    std::filesystem::create_directories(m_config.miscale_csv_path());
    auto failed = play(k_with_impedance, k_measured + 4s);
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->outcome, Outcome::failed);
    EXPECT_FALSE(failed->error.empty());
    std::filesystem::remove_all(m_config.miscale_csv_path());
    auto retried = play(k_with_impedance, k_measured + 5s);
    ASSERT_TRUE(retried);
    EXPECT_EQ(retried->outcome, Outcome::recorded);
    EXPECT_EQ(data_rows().size(), 1u);
}

// --- Xiaomi S400: two encrypted packets per weighing, users by profile id ------------------------

constexpr const char* k_s400_mac = "8C:D0:B2:F6:BE:EF";
constexpr const char* k_s400_key = "0728974d657a4b60964c1b1677f35f7c";
// shared/spec/device-s400.md §7.1 V1 (69.9 kg, 92 bpm, 543.2 Ω at 50 kHz, profile 1) and V2
// (497.6 Ω at 250 kHz) of one weighing.
constexpr const char* k_s400_a = "4859d53b0abc078ff2348c844138e930220000009e538599";
constexpr const char* k_s400_b = "4859d53b0bd6ef0b25db72785e7e2f46d6000000d8642df6";
const SystemTime k_s400_t0 = SystemTime{} + 1'744'250'605s;

class S400PipelineTest : public PipelineFixture {
protected:
    void SetUp() override
    {
        PipelineFixture::SetUp();
        // adam's weight range does not contain 69.9 kg, bea's does: only the profile id makes it adam's.
        User profile_one = adam();
        profile_one.device_user_ids["s400_profile_id"] = 1;
        profile_one.garmin_email = "adam@example.com";
        User bea = adam();
        bea.name = "bea";
        bea.sex = Sex::female;
        bea.min_weight_kg = 60;
        bea.max_weight_kg = 80;
        m_config.users = {bea, profile_one};
        DeviceConfig device;
        device.module = "s400";
        device.mac = k_s400_mac;
        device.options = toml::table{{"mac", k_s400_mac}, {"bindkey", k_s400_key}};
        m_config.devices = {device};
        reopen();
    }

    void reopen() { reopen_at(k_s400_t0); }
    std::optional<RecordResult> play(const char* hex, SystemTime at)
    {
        return play_from(k_s400_mac, 0xfe95, hex, at);
    }
};

TEST_F(S400PipelineTest, TwoPacketsGiveOneRowWithBothImpedancesHeartRateAndTheProfilesUser)
{
    EXPECT_FALSE(play(k_s400_a, k_s400_t0));
    auto result = play(k_s400_b, k_s400_t0 + 2s);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->outcome, Outcome::recorded);
    const Measurement& measurement = *result->measurement;
    ASSERT_TRUE(measurement.user);
    EXPECT_EQ(measurement.user->name, "adam");
    EXPECT_EQ(measurement.measured_at, k_s400_t0);
    ASSERT_TRUE(measurement.composition) << measurement.composition_error;
    EXPECT_TRUE(measurement.composition->body_fat);  // the 50 kHz impedance feeds the formulas
    // A new file gets export2garmin's S400 columns: Z250k under "Impedance Low", then the heart rate.
    EXPECT_EQ(lines(), (std::vector<std::string>{store::make_miscale_header({.battery = false, .s400 = true}),
                                                 "to_import;1744250605;69.9;543;498;92"}));
    // The CSV row cannot say whose it is; the journal keeps the profile id's decision for the upload.
    const std::string journal = read_text(m_dir / "measurements.jsonl");
    EXPECT_NE(journal.find("\"row\":1744250605,"), std::string::npos) << journal;
    EXPECT_NE(journal.find("\"user\":\"adam\""), std::string::npos) << journal;

    // The same frames again: repeats for the module…
    EXPECT_FALSE(play(k_s400_a, k_s400_t0 + 5s));
    EXPECT_FALSE(play(k_s400_b, k_s400_t0 + 7s));
    // …and after a restart the same weighing for the persistent duplicate check.
    reopen();
    EXPECT_FALSE(play(k_s400_a, k_s400_t0 + 60s));
    auto replayed = play(k_s400_b, k_s400_t0 + 62s);
    ASSERT_TRUE(replayed);
    EXPECT_EQ(replayed->outcome, Outcome::duplicate);
    EXPECT_EQ(lines().size(), 2U);
}

TEST_F(S400PipelineTest, AProfileIdOfNobodyFallsBackToTheUsersWithoutOne)
{
    m_config.users[1].device_user_ids["s400_profile_id"] = 2;  // adam is profile 2 now; bea has none
    reopen();
    EXPECT_FALSE(play(k_s400_a, k_s400_t0));
    auto result = play(k_s400_b, k_s400_t0 + 2s);
    ASSERT_TRUE(result && result->measurement);
    ASSERT_TRUE(result->measurement->user);
    EXPECT_EQ(result->measurement->user->name, "bea");
}

TEST_F(S400PipelineTest, AnExistingFileKeepsItsColumns)
{
    std::filesystem::create_directories(m_dir);
    {
        std::ofstream(m_config.miscale_csv_path()) << store::make_miscale_header({}) << "\n";
    }
    reopen();
    EXPECT_FALSE(play(k_s400_a, k_s400_t0));
    ASSERT_EQ(play(k_s400_b, k_s400_t0 + 2s)->outcome, Outcome::recorded);
    EXPECT_EQ(lines().back(), "to_import;1744250605;69.9;543");
}

}  // namespace
}  // namespace ble2garmin::pipeline

// The journald fields of a log line (src/log/journal_fields.hpp): what `journalctl -u ble2garmin
// DEVICE=…` selects on. Messages are the daemon's own lines.

#include "log/journal_fields.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::logging {
namespace {

TEST(JournalFields, AMeasurementLineCarriesDeviceUserAndModule)
{
    const auto fields = journal_fields(
        spdlog::level::info, "pipeline",
        "measurement recorded module=s400 device=8C:D0:B2:F6:BE:EF user=adam weight_kg=69.9 impedance=543");
    const std::vector<std::string> expected{
        "MESSAGE=pipeline: measurement recorded module=s400 device=8C:D0:B2:F6:BE:EF user=adam "
        "weight_kg=69.9 "
        "impedance=543",
        "PRIORITY=6",
        "SYSLOG_IDENTIFIER=ble2garmin",
        "BLE2GARMIN_COMPONENT=pipeline",
        "DEVICE=8C:D0:B2:F6:BE:EF",
        "USER=adam",
        "MODULE=s400",
    };
    EXPECT_EQ(fields, expected);
}

TEST(JournalFields, PrioritiesAreSyslogs)
{
    EXPECT_EQ(journal_priority(spdlog::level::err), 3);
    EXPECT_EQ(journal_priority(spdlog::level::warn), 4);
    EXPECT_EQ(journal_priority(spdlog::level::info), 6);
    EXPECT_EQ(journal_priority(spdlog::level::debug), 7);
    EXPECT_EQ(journal_fields(spdlog::level::warn, "bluez", "adapter hci0 powered off")[1], "PRIORITY=4");
}

TEST(JournalFields, OnlyWholeDetailsAndNoPlaceholders)
{
    // "user=-" is no user; "old_device=" is not "device="; a detail at the very start counts.
    const auto fields = journal_fields(spdlog::level::info, "x", "device=AA user=- old_device=BB module=m");
    const std::vector<std::string> details(fields.begin() + 4, fields.end());
    EXPECT_EQ(details, (std::vector<std::string>{"DEVICE=AA", "MODULE=m"}));
    EXPECT_EQ(journal_fields(spdlog::level::info, "x", "old_device=BB").size(), 4U);
}

}  // namespace
}  // namespace ble2garmin::logging

#pragma once
// mqtt_published.json in the state directory: how far the MQTT sink has got, durably, so that
// nothing is lost while the broker is down and nothing acknowledged is published again — across
// restarts too. The rows themselves stay in the store's backups; this file only says where the
// acknowledged part of each ends:
//
//   {"scale":{"rows":412,"last":1764745200},"blood_pressure":{"rows":37,"last":1764700000},
//    "announced":["alice","bob"]}
//
//   rows       the number of rows of that backup, in file order, whose state message the broker
//              acknowledged (PUBACK) or that have nothing to publish (no user)
//   last       the Unix time T of the last of them: checked against the file at start, so a backup
//              edited by hand (rows removed) is noticed instead of skipping or repeating rows
//   announced  the users whose Home Assistant entities were announced (removed users get their
//              entities deleted)
//
// Written atomically (temp file, fsync, rename), mode 0600, after every acknowledgement. A missing
// file means "start at the end": the first start publishes new measurements, not ten years of history.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::mqtt {

inline constexpr const char* k_cursor_file = "mqtt_published.json";

struct BackupPosition {
    std::uint64_t rows = 0;
    std::int64_t last = 0;  // T of row number `rows` (1-based); 0 when rows is 0

    bool operator==(const BackupPosition&) const = default;
};

struct PublishCursor {
    BackupPosition scale;
    BackupPosition blood_pressure;
    std::vector<std::string> announced;

    bool operator==(const PublishCursor&) const = default;
};

// The cursor in `path`; nullopt when there is none yet; an Error when the file is unreadable, a
// symbolic link or not what this file holds.
Result<std::optional<PublishCursor>> read_publish_cursor(const std::filesystem::path& path);
// Replaces `path` with `cursor` (0600); an Error leaves the old file.
Result<void> write_publish_cursor(const std::filesystem::path& path, const PublishCursor& cursor);

}  // namespace ble2garmin::mqtt

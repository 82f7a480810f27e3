#pragma once
// The broker password: from [mqtt] password_file or a systemd credential (LoadCredential=, read from
// $CREDENTIALS_DIRECTORY/<name>), never from the config itself. The first line counts (a trailing
// newline is not part of the password). A file that others may read is refused: the password is a
// secret (mode 0600 or 0400). The password never appears in a message.

#include <filesystem>
#include <string>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::mqtt {

// The password for `config` (empty when none is configured); an Error naming the file and what to do.
Result<std::string> read_password(const MqttConfig& config, const std::filesystem::path& state_directory);

}  // namespace ble2garmin::mqtt

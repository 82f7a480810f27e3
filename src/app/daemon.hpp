#pragma once
// `ble2garmin run`: the long-running service. One thread, one poll loop over the system bus,
// a signalfd (SIGTERM/SIGINT stop, SIGHUP reload) and the timers (systemd watchdog, the
// scanner's silence check). Advertisements go scanner → dispatcher → pipeline → CSV as they
// arrive; each resource has one owner and is torn down in reverse order.

#include <filesystem>
#include <memory>
#include <string>

#include "ble2garmin/config.hpp"

namespace ble2garmin::app {

struct DaemonOptions {
    std::filesystem::path config_path;  // re-read on SIGHUP
    std::string adapter_override;       // --adapter; empty = bluetooth.adapter from the config
};

// Runs until SIGTERM/SIGINT; returns the process exit code (0 after a clean stop, 4 when the
// bus, the state directory or the device tables cannot be set up).
int run_daemon(Config config, const DaemonOptions& options);

}  // namespace ble2garmin::app

// `ble2garmin scan [--seconds N] [--adapter hciN|MAC]`: lists nearby devices that a module
// recognises — address, payload kind, RSSI and the last decoded frame — so a new user can find
// the scale's address for the config. Needs no configuration.

#include <iostream>
#include <map>

#include <nlohmann/json.hpp>
#include <poll.h>

#include "ble2garmin/device_module.hpp"

#include "bluez/scanner.hpp"
#include "bluez/system_bus.hpp"
#include "cli/commands.hpp"
#include "log/logging.hpp"

namespace ble2garmin::cli {
namespace {

struct ScanOptions {
    int seconds = 30;
    std::string adapter;
};

struct Seen {
    std::string kind;
    std::optional<std::int16_t> rssi;
    std::string value;
    std::string name;
    std::uint64_t count = 0;
};

// Every payload kind of every module whose service UUID is in the advertisement.
void recognise(const Advertisement& advertisement, std::map<std::string, Seen>& seen)
{
    for (const auto* descriptor : device_modules()) {
        for (const auto& kind : descriptor->payload_kinds) {
            // Service data by UUID, or manufacturer data by company id (Omron cuffs).
            const Bytes* payload = nullptr;
            if (const auto data = advertisement.service_data.find(std::string(kind.service_uuid));
                !kind.service_uuid.empty() && data != advertisement.service_data.end()) {
                payload = &data->second;
            } else if (const auto maker = advertisement.manufacturer_data.find(kind.company_id);
                       kind.company_id != 0 && maker != advertisement.manufacturer_data.end()) {
                payload = &maker->second;
            }
            if (payload == nullptr) {
                continue;
            }
            std::string value;
            if (auto module = descriptor->create(toml::table{{"mac", advertisement.address}})) {
                auto fields = (*module)->describe(kind.name, *payload);
                value = fields ? fields->dump() : "undecodable: " + fields.error().message;
            } else if (descriptor->identify != nullptr) {
                value = descriptor->identify(kind.name, *payload);  // e.g. needs a key to decode
                if (value.empty()) {
                    continue;  // another product in the same service data
                }
            } else {
                continue;
            }
            Seen& entry = seen[advertisement.address];
            if (entry.count == 0) {
                std::cout << "found " << advertisement.address << " " << kind.name << " rssi "
                          << (advertisement.rssi_dbm ? std::to_string(*advertisement.rssi_dbm) : "?") << "\n"
                          << std::flush;
            }
            entry.kind = std::string(kind.name);
            entry.rssi = advertisement.rssi_dbm ? advertisement.rssi_dbm : entry.rssi;
            entry.name = advertisement.name.empty() ? entry.name : advertisement.name;
            entry.value = value;
            ++entry.count;
        }
    }
}

int scan(const ScanOptions& options)
{
    (void)logging::init("warn");
    auto bus = bluez::SystemBus::connect();
    if (!bus) {
        std::cerr << "scan: " << bus.error().message << "\n";
        return k_exit_runtime;
    }
    std::map<std::string, Seen> seen;
    bluez::Scanner scanner((*bus)->connection(), {options.adapter, std::chrono::seconds(0)},
                           [&](const Advertisement& advertisement) { recognise(advertisement, seen); }, {});
    scanner.start();
    std::cerr << "scan: " << bluez::scanner_state_text(scanner.state()) << " " << scanner.adapter_name()
              << " for " << options.seconds << " s\n";
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(options.seconds);
    while (std::chrono::steady_clock::now() < end) {
        auto processed = (*bus)->process();
        auto data = (*bus)->poll_data();
        if (!processed || !data) {
            std::cerr << "scan: " << (!processed ? processed.error().message : data.error().message) << "\n";
            return k_exit_runtime;
        }
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
        int timeout = data->timeout_ms;
        timeout = timeout < 0 ? static_cast<int>(left) : std::min(timeout, static_cast<int>(left));
        pollfd fd{data->fd, data->events, 0};
        poll(&fd, 1, std::max(timeout, 0));
    }
    scanner.stop();
    std::cout << "\n"
              << seen.size() << " recognised device" << (seen.size() == 1 ? "" : "s") << " ("
              << scanner.advertisements_seen() << " advertisements heard)\n";
    for (const auto& [address, entry] : seen) {
        std::cout << address << "  " << entry.kind << "  rssi "
                  << (entry.rssi ? std::to_string(*entry.rssi) : "?") << "  "
                  << (entry.name.empty() ? "" : entry.name + "  ") << entry.value << "\n";
    }
    return scanner.state() == bluez::ScannerState::scanning || !seen.empty() ? k_exit_ok : k_exit_failure;
}

}  // namespace

void add_scan_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<ScanOptions>();
    auto* command = app.add_subcommand(
        "scan", "List nearby devices that ble2garmin recognises (find your scale's or cuff's address)");
    command->add_option("--seconds", options->seconds, "How long to listen")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    command->add_option("--adapter", options->adapter,
                        "Bluetooth adapter (hci0 or its address); default: the first");
    command->callback([options, &exit_code] { exit_code = scan(*options); });
}

}  // namespace ble2garmin::cli

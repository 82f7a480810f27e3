// `ble2garmin omron pair|read`: the one-off steps with an Omron cuff.
//
//   omron pair --model M [--adapter hciN] [--seconds N] [--key HEX]
//       Walks the user through pairing: waits for a cuff in pairing mode ("P" flashing), bonds
//       (just-works, through our own agent), programs the key, checks it, prints the config lines.
//   omron read --model M --mac MAC [--all] [--store] [--config FILE] [--adapter hciN] [--key HEX]
//       Waits for the cuff to advertise, downloads its records and prints them. Nothing is written
//       anywhere unless --store (then through the store, like the daemon; refused while it runs).
//       Without --all only records newer than the store's cursors of the cuff are read.

#include <iostream>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <poll.h>

#include "ble2garmin/device_module.hpp"

#include "app/memory_readings.hpp"
#include "app/recorder.hpp"
#include "bluez/gatt_link.hpp"
#include "bluez/pairing_agent.hpp"
#include "bluez/scanner.hpp"
#include "bluez/system_bus.hpp"
#include "cli/commands.hpp"
#include "log/logging.hpp"
#include "modules/omron/gatt_uuids.hpp"
#include "modules/omron/options.hpp"
#include "modules/omron/session.hpp"
#include "modules/omron/transport.hpp"
#include "store/device_cursors.hpp"
#include "store/state_lock.hpp"

namespace ble2garmin::cli {
namespace {

using namespace std::chrono_literals;
namespace omron = modules::omron;

struct OmronOptions {
    std::string model;
    std::string mac;
    std::string adapter;
    std::string key = std::string(omron::k_default_key);
    std::string config = k_default_config_path;
    int seconds = 60;
    bool all = false;
    bool store = false;
};

struct Heard {
    std::string address;
    std::string adapter;
    bool pairing_mode = false;
};

// Listens until an Omron cuff (manufacturer data 0x020E) — `address` when given — advertises, or
// `seconds` pass.
std::optional<Heard> wait_for_cuff(bluez::SystemBus& bus, const OmronOptions& options,
                                   const std::string& address)
{
    std::optional<Heard> heard;
    bluez::Scanner scanner(bus.connection(), {options.adapter, std::chrono::seconds(0)},
                           [&](const Advertisement& advertisement) {
                               const auto data = advertisement.manufacturer_data.find(omron::k_company_id);
                               if (heard || data == advertisement.manufacturer_data.end() ||
                                   (!address.empty() && advertisement.address != address)) {
                                   return;
                               }
                               // Byte 1 bit 3: pairing mode (hass-omron; third-party reverse engineering,
                               // only shown).
                               heard = Heard{advertisement.address, advertisement.source,
                                             data->second.size() >= 2 && (data->second[1] & 0x08) != 0};
                           },
                           {});
    scanner.start();
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(options.seconds);
    while (!heard && std::chrono::steady_clock::now() < end) {
        if (!bus.process()) {
            break;
        }
        auto data = bus.poll_data();
        if (!data) {
            break;
        }
        pollfd fd{data->fd, data->events, 0};
        (void)poll(&fd, 1, 200);
    }
    // Discovery keeps running while we connect: a plain connect to a cuff often times out otherwise
    // (export2garmin's omblepy patch); it ends when the scanner goes.
    return heard;
}

// The agent on a connection of its own, answered on its own thread while the session blocks.
struct AgentThread {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<bluez::PairingAgent> agent;
    ~AgentThread()
    {
        if (connection) {
            connection->leaveEventLoop();  // joins the loop thread; the unregistration then needs no loop
        }
        agent.reset();
    }
};

std::unique_ptr<AgentThread> start_agent(const std::string& address)
{
    try {
        auto thread = std::make_unique<AgentThread>();
        thread->connection = sdbus::createSystemBusConnection();
        thread->agent = std::make_unique<bluez::PairingAgent>(
            *thread->connection, [address](const std::string& device) { return device == address; });
        thread->agent->start();
        thread->connection->enterEventLoopAsync();
        return thread;
    } catch (const sdbus::Error& error) {
        std::cerr << "omron: no pairing agent: " << error.getMessage() << "\n";
        return nullptr;
    }
}

Result<std::unique_ptr<bluez::BluezGattLink>> open_link(const Heard& heard, std::chrono::seconds budget)
{
    bluez::GattLinkOptions link;
    link.address = heard.address;
    link.adapter = heard.adapter;
    link.deadline = std::chrono::steady_clock::now() + budget;
    return bluez::BluezGattLink::open(link);
}

Result<omron::Options> session_options(const OmronOptions& options)
{
    toml::table table{{"model", options.model}, {"key", options.key}};
    return omron::read_options(table);
}

int pair(const OmronOptions& options)
{
    (void)logging::init("warn");
    auto settings = session_options(options);
    if (!settings) {
        std::cerr << "omron pair: " << settings.error().message << "\n";
        return k_exit_usage;
    }
    const omron::Model& model = *settings->model;
    auto bus = bluez::SystemBus::connect();
    if (!bus) {
        std::cerr << "omron pair: " << bus.error().message << "\n";
        return k_exit_runtime;
    }
    std::cout << "Pairing an Omron " << model.name << ".\n"
              << "1. Stop the Omron Connect app's sync on your phone (or switch its Bluetooth off).\n"
              << "2. Hold the cuff's Bluetooth button until \"P\" flashes on its display.\n"
              << "Listening for " << options.seconds << " s…\n"
              << std::flush;
    auto heard = wait_for_cuff(**bus, options, options.mac);
    if (!heard) {
        std::cerr << "omron pair: no Omron cuff advertised within " << options.seconds
                  << " s: hold the Bluetooth button until \"P\" flashes, then run this again\n";
        return k_exit_failure;
    }
    std::cout << "Found " << heard->address << (heard->pairing_mode ? " (in pairing mode)" : "")
              << "; pairing…\n"
              << std::flush;
    auto agent = start_agent(heard->address);
    auto link = open_link(*heard, 90s);
    if (!link) {
        std::cerr << "omron pair: " << link.error().message << "\n";
        return k_exit_failure;
    }
    auto paired = (*link)->paired();
    if (paired && !*paired) {
        if (auto bonded = (*link)->pair(); !bonded) {
            std::cerr << "omron pair: bonding failed: " << bonded.error().message
                      << " (remove an old bond with `bluetoothctl remove " << heard->address
                      << "` and retry)\n";
            return k_exit_failure;
        }
    }
    if (model.stack == omron::Stack::classic) {
        if (auto programmed = omron::program_key(**link, settings->key); !programmed) {
            std::cerr << "omron pair: " << programmed.error().message << "\n";
            return k_exit_failure;
        }
        if (auto unlocked = omron::unlock(**link, settings->key); !unlocked) {
            std::cerr << "omron pair: the key was programmed but does not unlock: "
                      << unlocked.error().message << "\n";
            return k_exit_failure;
        }
    }
    // One start/end of transmission: omblepy finds it necessary after a first pairing.
    omron::Transport transport(**link, model.stack);
    if (auto opened = transport.open(); opened) {
        (void)transport.transact(omron::start_frame(), omron::answer_type(omron::Command::start), 0);
        (void)transport.transact(omron::end_frame(), omron::answer_type(omron::Command::end), 0);
        transport.close();
    }
    (*link)->disconnect();
    std::cout << "\nPaired. The cuff's display shows a small square instead of \"P\".\n"
              << "Add to your configuration (" << options.config << "):\n\n"
              << "[devices.omron]\n"
              << "mac = \"" << heard->address << "\"\n"
              << "model = \"" << model.name << "\"\n";
    if (options.key != omron::k_default_key) {
        std::cout << "key = \"" << options.key << "\"\n";
    }
    std::cout
        << "\nand to the [[users]] entry of each person measuring: omron_slot = 1 (or 2, the cuff's user "
           "button).\n";
    return k_exit_ok;
}

int read(const OmronOptions& options)
{
    (void)logging::init("warn");
    auto settings = session_options(options);
    const std::string mac = normalize_mac(options.mac);
    if (!settings || mac.empty()) {
        std::cerr << "omron read: "
                  << (settings ? "--mac must be a Bluetooth address" : settings.error().message) << "\n";
        return k_exit_usage;
    }
    std::optional<Config> config;
    std::optional<store::StateLock> lock;
    std::unique_ptr<app::Recorder> recorder;
    SessionInput input;
    input.read_all = options.all;
    input.local_now = app::local_date_time(std::chrono::system_clock::now());
    if (options.store || !options.all) {
        Config loaded;
        if (const int code = load_config_for_command(options.config, loaded); code != k_exit_ok) {
            if (options.store) {
                return code;
            }
            input.read_all = true;  // no configuration: nothing known, everything is new
        } else {
            config = std::move(loaded);
        }
    }
    if (options.store) {
        auto acquired = store::StateLock::acquire(config->general.state_directory, "omron read");
        if (!acquired) {
            std::cerr << "omron read: " << acquired.error().message << "\n";
            return k_exit_failure;
        }
        lock.emplace(std::move(*acquired));
        auto opened = app::Recorder::open(*config, std::chrono::system_clock::now());
        if (!opened) {
            std::cerr << "omron read: " << opened.error().message << "\n";
            return k_exit_runtime;
        }
        recorder = std::move(*opened);
        input.cursors = recorder->store().device_cursors(mac);
    } else if (config) {
        input.cursors = store::peek_device_cursors(config->general.state_directory, mac);
    }
    auto bus = bluez::SystemBus::connect();
    if (!bus) {
        std::cerr << "omron read: " << bus.error().message << "\n";
        return k_exit_runtime;
    }
    std::cerr << "Press the cuff's Bluetooth button (or measure); listening for " << options.seconds
              << " s…\n";
    auto heard = wait_for_cuff(**bus, options, mac);
    if (!heard) {
        std::cerr << "omron read: " << mac << " did not advertise within " << options.seconds << " s\n";
        return k_exit_failure;
    }
    auto agent = start_agent(mac);
    omron::OmronSession session(*settings);
    auto link = open_link(*heard, session.deadline());
    if (!link) {
        std::cerr << "omron read: " << link.error().message << "\n";
        return k_exit_failure;
    }
    auto output = session.run(**link, input);
    (*link)->disconnect();
    if (!output) {
        std::cerr << "omron read: " << output.error().message << "\n";
        return k_exit_failure;
    }
    for (const auto& note : output->notes) {
        std::cerr << "omron read: " << note << "\n";
    }
    std::size_t stored = 0;
    for (const auto& record : output->records) {
        const auto& t = record.taken_at;
        const auto& v = record.value;
        std::cout << fmt::format(
            "{}  {:04}-{:02}-{:02} {:02}:{:02}:{:02}  {}/{} mmHg  pulse {}  MOV {}  IHB {}\n", record.stream,
            t.year, t.month, t.day, t.hour, t.minute, t.second, v.systolic_mmhg, v.diastolic_mmhg,
            v.pulse_bpm, v.movement ? 1 : 0, v.irregular_heartbeat ? 1 : 0);
        if (recorder) {
            auto reading =
                app::memory_reading("omron", mac, heard->adapter, record, std::chrono::system_clock::now());
            if (!reading) {
                continue;
            }
            auto result = recorder->record(*reading);
            if (result.outcome == pipeline::Outcome::failed) {
                std::cerr << "omron read: not stored: " << result.error << "\n";
                return k_exit_runtime;
            }
            stored += result.outcome == pipeline::Outcome::recorded ? 1 : 0;
        }
    }
    std::cerr << output->records.size() << " record" << (output->records.size() == 1 ? "" : "s") << " read";
    if (recorder) {
        std::cerr << ", " << stored << " new stored";
    }
    std::cerr << "\n";
    return k_exit_ok;
}

}  // namespace

void add_omron_command(CLI::App& app, int& exit_code)
{
    auto* omron = app.add_subcommand("omron", "Omron blood-pressure cuffs: pair one, read one");
    omron->require_subcommand(1);
    auto options = std::make_shared<OmronOptions>();

    auto* pair_command = omron->add_subcommand("pair",
                                               "Pair a cuff and program its key (hold its Bluetooth "
                                               "button until \"P\" flashes)");
    pair_command->add_option("--model", options->model, "The model on the cuff's label, e.g. hem-7155t")
        ->required();
    pair_command->add_option("--adapter", options->adapter, "Bluetooth adapter (hci0 or its address)");
    pair_command->add_option("--mac", options->mac, "Only this cuff (when several are around)");
    pair_command->add_option("--key", options->key, "32 hex digits to program (default: omblepy's)");
    pair_command->add_option("--seconds", options->seconds, "How long to wait for the cuff")
        ->capture_default_str();
    pair_command->callback([options, &exit_code] { exit_code = pair(*options); });

    auto* read_command = omron->add_subcommand("read", "Download a cuff's records once and print them");
    read_command->add_option("--model", options->model, "The model on the cuff's label, e.g. hem-7155t")
        ->required();
    read_command->add_option("--mac", options->mac, "The cuff's address")->required();
    read_command->add_option("--adapter", options->adapter, "Bluetooth adapter (hci0 or its address)");
    read_command->add_option("--key", options->key, "The key the cuff was paired with (default: omblepy's)");
    read_command->add_flag("--all", options->all, "Every record, not only those newer than the store holds");
    read_command->add_flag("--store", options->store,
                           "Record them like the daemon (omron_backup.csv, Garmin)");
    read_command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    read_command->add_option("--seconds", options->seconds, "How long to wait for the cuff")
        ->capture_default_str();
    read_command->callback([options, &exit_code] { exit_code = read(*options); });
}

}  // namespace ble2garmin::cli

// `ble2garmin decode KIND HEX [--json]`: decodes one service-data payload with the module that
// declares KIND, exactly as the daemon would, and prints every field of the frame.

#include <iostream>

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "cli/commands.hpp"
#include "util/hex.hpp"

namespace ble2garmin::cli {
namespace {

struct DecodeOptions {
    std::string kind;
    std::string hex;
    bool json = false;
    std::string mac;
    std::string bindkey;
    std::string model;
};

std::string kind_list()
{
    std::string out;
    for (const auto* descriptor : device_modules()) {
        for (const auto& kind : descriptor->payload_kinds) {
            out += out.empty() ? "" : ", ";
            out += kind.name;
        }
    }
    return out;
}

int decode(const DecodeOptions& options)
{
    const auto [descriptor, kind] = find_payload_kind(options.kind);
    if (descriptor == nullptr) {
        std::cerr << "decode: unknown payload kind '" << options.kind << "' (known: " << kind_list() << ")\n";
        return k_exit_failure;
    }
    auto payload = parse_hex(options.hex);
    if (!payload) {
        std::cerr << "decode: " << payload.error().message << "\n";
        return k_exit_failure;
    }
    toml::table module_options;
    if (!options.mac.empty()) {
        module_options.insert("mac", options.mac);
    }
    if (!options.bindkey.empty()) {
        module_options.insert("bindkey", options.bindkey);
    }
    if (!options.model.empty()) {
        module_options.insert("model", options.model);
    }
    auto module = descriptor->create(module_options);
    if (!module) {
        std::cerr << "decode: " << module.error().message << "\n";
        return k_exit_failure;
    }
    auto fields = (*module)->describe(kind->name, *payload);
    if (!fields) {
        std::cerr << "decode: " << fields.error().message << "\n";
        return k_exit_failure;
    }
    if (options.json) {
        std::cout << fields->dump() << "\n";
    } else {
        for (const auto& [key, value] : fields->items()) {
            std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
        }
    }
    return k_exit_ok;
}

}  // namespace

void add_decode_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<DecodeOptions>();
    auto* command =
        app.add_subcommand("decode", "Decode one advertisement payload (service data without the UUID)");
    command->add_option("kind", options->kind, "Payload kind: " + kind_list())->required();
    command->add_option("hex", options->hex, "Payload bytes as hex, e.g. 0226b20705040f0201ac018642")
        ->required();
    command->add_flag("--json", options->json, "Print one JSON object");
    command->add_option("--mac", options->mac, "Device address, for encrypted payloads");
    command->add_option("--bindkey", options->bindkey, "32 hex digits, for encrypted payloads");
    command->add_option("--model", options->model,
                        "Device model, for stored records (omron-record: hem-7155t, …)");
    command->callback([options, &exit_code] { exit_code = decode(*options); });
}

}  // namespace ble2garmin::cli

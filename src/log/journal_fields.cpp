#include "log/journal_fields.hpp"

#include <array>

namespace ble2garmin::logging {
namespace {

struct Detail {
    std::string_view key;    // as written in messages: "device="
    std::string_view field;  // journald field: "DEVICE="
};

constexpr std::array<Detail, 3> k_details{
    {{"device=", "DEVICE="}, {"user=", "USER="}, {"module=", "MODULE="}}};

// The value of the first ` key=value` (or one at the start) in `message`; empty when absent.
std::string_view detail_value(std::string_view message, std::string_view key)
{
    for (std::size_t at = message.find(key); at != std::string_view::npos; at = message.find(key, at + 1)) {
        if (at != 0 && message[at - 1] != ' ') {
            continue;  // "old_device=" is not "device="
        }
        const std::size_t begin = at + key.size();
        const std::size_t end = message.find(' ', begin);
        return message.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    }
    return {};
}

}  // namespace

int journal_priority(spdlog::level::level_enum level)
{
    switch (level) {
        case spdlog::level::critical:
            return 2;
        case spdlog::level::err:
            return 3;
        case spdlog::level::warn:
            return 4;
        case spdlog::level::info:
            return 6;
        default:
            return 7;
    }
}

std::vector<std::string> journal_fields(spdlog::level::level_enum level, std::string_view component,
                                        std::string_view message)
{
    std::vector<std::string> fields;
    fields.push_back("MESSAGE=" + std::string(component) + ": " + std::string(message));
    fields.push_back("PRIORITY=" + std::to_string(journal_priority(level)));
    fields.push_back("SYSLOG_IDENTIFIER=ble2garmin");
    fields.push_back("BLE2GARMIN_COMPONENT=" + std::string(component));
    for (const auto& detail : k_details) {
        const auto value = detail_value(message, detail.key);
        if (!value.empty() && value != "-") {
            fields.push_back(std::string(detail.field) + std::string(value));
        }
    }
    return fields;
}

}  // namespace ble2garmin::logging

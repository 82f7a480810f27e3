#include "mqtt/topics.hpp"

namespace ble2garmin::mqtt {

std::string topic_level(std::string_view name)
{
    std::string level(name);
    for (char& c : level) {
        if (c == '/' || c == '+' || c == '#' || c == '\0') {
            c = '_';
        }
    }
    return level.empty() ? "_" : level;
}

std::string discovery_id(std::string_view name)
{
    std::string id(name);
    for (char& c : id) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             c == '_' || c == '-';
        if (!allowed) {
            c = '_';
        }
    }
    return id.empty() ? "_" : id;
}

}  // namespace ble2garmin::mqtt

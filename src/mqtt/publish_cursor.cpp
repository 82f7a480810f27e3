#include "mqtt/publish_cursor.hpp"

#include <system_error>

#include <nlohmann/json.hpp>

#include "fs/atomic_file.hpp"
#include "fs/small_file.hpp"

namespace ble2garmin::mqtt {
namespace {

constexpr std::size_t k_max_cursor_bytes = 1024 * 1024;

std::optional<BackupPosition> position(const nlohmann::json& json, const char* key)
{
    const auto found = json.find(key);
    if (found == json.end() || !found->is_object()) {
        return std::nullopt;
    }
    const auto rows = found->find("rows");
    const auto last = found->find("last");
    if (rows == found->end() || !rows->is_number_unsigned() || last == found->end() ||
        !last->is_number_integer()) {
        return std::nullopt;
    }
    return BackupPosition{rows->get<std::uint64_t>(), last->get<std::int64_t>()};
}

}  // namespace

Result<std::optional<PublishCursor>> read_publish_cursor(const std::filesystem::path& path)
{
    std::error_code error;
    const auto status = std::filesystem::symlink_status(path, error);
    if (status.type() == std::filesystem::file_type::not_found) {
        return std::optional<PublishCursor>();
    }
    if (status.type() != std::filesystem::file_type::regular) {
        return make_error(path.string() + " is not a regular file (a symbolic link?): not read");
    }
    auto text = fs::read_small_file(path, k_max_cursor_bytes);
    if (!text) {
        return make_error(path.string() + ": " + text.error().message);
    }
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    const auto invalid = [&] { return make_error(path.string() + " is not an MQTT position file"); };
    if (json.is_discarded() || !json.is_object()) {
        return invalid();
    }
    PublishCursor cursor;
    auto scale = position(json, "scale");
    auto blood_pressure = position(json, "blood_pressure");
    if (!scale || !blood_pressure) {
        return invalid();
    }
    cursor.scale = *scale;
    cursor.blood_pressure = *blood_pressure;
    if (const auto announced = json.find("announced"); announced != json.end()) {
        if (!announced->is_array()) {
            return invalid();
        }
        for (const auto& user : *announced) {
            if (!user.is_string()) {
                return invalid();
            }
            cursor.announced.push_back(user.get<std::string>());
        }
    }
    return std::optional<PublishCursor>(std::move(cursor));
}

Result<void> write_publish_cursor(const std::filesystem::path& path, const PublishCursor& cursor)
{
    nlohmann::ordered_json json;
    json["scale"] = {{"rows", cursor.scale.rows}, {"last", cursor.scale.last}};
    json["blood_pressure"] = {{"rows", cursor.blood_pressure.rows}, {"last", cursor.blood_pressure.last}};
    json["announced"] = cursor.announced;
    fs::AtomicWriteOptions options;
    options.mode = 0600;
    return fs::replace_file_atomically(
        path, json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", options);
}

}  // namespace ble2garmin::mqtt

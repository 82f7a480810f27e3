#include "replay/replay_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "fs/small_file.hpp"
#include "util/hex.hpp"
#include "util/time.hpp"

namespace ble2garmin::replay {
namespace {

std::vector<std::string_view> split_words(std::string_view line)
{
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
            ++i;
        }
        if (i > start) {
            words.push_back(line.substr(start, i - start));
        }
    }
    return words;
}

Result<Advertisement> parse_line(const std::vector<std::string_view>& words, std::string_view source_name)
{
    if (words.size() < 4 || words.size() > 5) {
        return make_error("expected TIME ADDRESS KIND HEX [RSSI], got " + std::to_string(words.size()) +
                          " fields");
    }
    Advertisement advertisement;
    advertisement.source = std::string(source_name);
    auto time = parse_iso_time(words[0]);
    if (!time) {
        return time.error();
    }
    advertisement.received_at = *time;
    advertisement.address = normalize_mac(words[1]);
    if (advertisement.address.empty()) {
        return make_error("invalid device address '" + std::string(words[1]) + "'");
    }
    auto payload = parse_hex(words[3]);
    if (!payload) {
        return payload.error();
    }
    const std::string_view kind = words[2];
    if (kind.starts_with("mfr:")) {
        unsigned company = 0;
        const auto digits = kind.substr(4);
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), company, 16);
        if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty() ||
            company > 0xffff) {
            return make_error("invalid company id '" + std::string(kind) + "'");
        }
        advertisement.manufacturer_data[static_cast<std::uint16_t>(company)] = std::move(*payload);
    } else {
        const std::string uuid = normalize_uuid(kind);
        if (uuid.empty()) {
            return make_error("invalid service UUID '" + std::string(kind) + "'");
        }
        advertisement.service_data[uuid] = std::move(*payload);
    }
    if (words.size() == 5) {
        int rssi = 0;
        const auto [end, error] = std::from_chars(words[4].data(), words[4].data() + words[4].size(), rssi);
        if (error != std::errc{} || end != words[4].data() + words[4].size() || rssi < -127 || rssi > 20) {
            return make_error("invalid RSSI '" + std::string(words[4]) + "'");
        }
        advertisement.rssi_dbm = static_cast<std::int16_t>(rssi);
    }
    return advertisement;
}

}  // namespace

ReplayFile parse_replay(std::string_view text, std::string_view source_name)
{
    ReplayFile out;
    std::size_t number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++number;
        if (const auto hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        const auto words = split_words(line);
        if (words.empty()) {
            continue;
        }
        auto advertisement = parse_line(words, source_name);
        if (advertisement) {
            out.advertisements.push_back(std::move(*advertisement));
        } else {
            out.problems.push_back({number, advertisement.error().message});
        }
    }
    return out;
}

Result<ReplayFile> read_replay_file(const std::string& path)
{
    auto text = fs::read_small_file(path, fs::k_max_recording_bytes);
    if (!text) {
        return make_error("cannot read " + path + ": " + text.error().message);
    }
    return parse_replay(*text, "replay");
}

}  // namespace ble2garmin::replay

#include "ble2garmin/advertisement.hpp"

#include <cctype>
#include <cstdio>

namespace ble2garmin {
namespace {
constexpr std::string_view k_base_uuid_tail = "-0000-1000-8000-00805f9b34fb";

bool is_hex(std::string_view text)
{
    for (char c : text) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return !text.empty();
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}
}  // namespace

std::string uuid_from_16bit(std::uint16_t alias)
{
    char head[9];
    std::snprintf(head, sizeof head, "0000%04x", alias);
    return std::string(head) + std::string(k_base_uuid_tail);
}

std::string normalize_uuid(std::string_view text)
{
    if (text.starts_with("0x") || text.starts_with("0X")) {
        text.remove_prefix(2);
    }
    if (text.size() == 4 && is_hex(text)) {
        return "0000" + lower(text) + std::string(k_base_uuid_tail);
    }
    if (text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-' &&
        is_hex(text.substr(0, 8)) && is_hex(text.substr(9, 4)) && is_hex(text.substr(14, 4)) &&
        is_hex(text.substr(19, 4)) && is_hex(text.substr(24))) {
        return lower(text);
    }
    return {};
}

std::string normalize_mac(std::string_view text)
{
    std::string digits;
    for (char c : text) {
        if (c == ':' || c == '-') {
            continue;
        }
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return {};
        }
        digits.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (digits.size() != 12 || (text.size() != 12 && text.size() != 17)) {
        return {};
    }
    std::string out;
    for (std::size_t i = 0; i < 12; i += 2) {
        if (!out.empty()) {
            out.push_back(':');
        }
        out += digits.substr(i, 2);
    }
    return out;
}

}  // namespace ble2garmin

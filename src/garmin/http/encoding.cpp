#include "garmin/http/encoding.hpp"

#include <array>
#include <cstdint>

#include "util/hex.hpp"

namespace ble2garmin::garmin {
namespace {

constexpr std::string_view k_hex = "0123456789ABCDEF";
constexpr std::string_view k_base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

int base64_value(char c)
{
    if (c == '-') {
        return 62;  // URL-safe alphabet
    }
    if (c == '_') {
        return 63;
    }
    const auto at = k_base64.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::string percent_encode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (unreserved(byte)) {
            out += c;
        } else {
            out += '%';
            out += k_hex[byte >> 4];
            out += k_hex[byte & 0x0F];
        }
    }
    return out;
}

std::string percent_decode(std::string_view text, bool plus_is_space)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hex_digit_value(text[i + 1]);
            const int low = hex_digit_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += (plus_is_space && text[i] == '+') ? ' ' : text[i];
    }
    return out;
}

std::string form_encode(const Parameters& parameters)
{
    std::string out;
    for (const auto& [key, value] : parameters) {
        out += out.empty() ? "" : "&";
        out += percent_encode(key) + "=" + percent_encode(value);
    }
    return out;
}

Parameters parse_form(std::string_view text)
{
    Parameters out;
    while (!text.empty()) {
        const auto end = text.find('&');
        const std::string_view pair = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (pair.empty()) {
            continue;
        }
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos) {
            out.emplace_back(percent_decode(pair), "");
        } else {
            out.emplace_back(percent_decode(pair.substr(0, equals)), percent_decode(pair.substr(equals + 1)));
        }
    }
    return out;
}

std::optional<std::string> find_parameter(const Parameters& parameters, std::string_view key)
{
    for (const auto& [name, value] : parameters) {
        if (name == key) {
            return value;
        }
    }
    return std::nullopt;
}

std::string base64_encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                                (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                                static_cast<unsigned char>(bytes[i + 2]);
        out += k_base64[(n >> 18) & 63];
        out += k_base64[(n >> 12) & 63];
        out += k_base64[(n >> 6) & 63];
        out += k_base64[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) {
            n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        }
        out += k_base64[(n >> 18) & 63];
        out += k_base64[(n >> 12) & 63];
        out += rest == 2 ? k_base64[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text)
{
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int value = base64_value(c);
        if (value < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace ble2garmin::garmin

#include "store/number_format.hpp"

#include <charconv>
#include <cmath>

namespace ble2garmin::store {

std::string format_fixed(double value, int decimals)
{
    if (std::isnan(value)) {
        return "nan";
    }
    if (std::isinf(value)) {
        return value < 0 ? "-inf" : "inf";
    }
    // to_chars is printf("%.*f") in the "C" locale: exact binary value, ties to even, and always a
    // '.' whatever locale the process runs in. 309 integer digits + point + decimals fit.
    char text[400];
    const auto [end, error] =
        std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals);
    if (error != std::errc{}) {
        return {};
    }
    return std::string(text, end);
}

std::string format_tenths(std::int64_t tenths)
{
    const bool negative = tenths < 0;
    // Through unsigned so that INT64_MIN has a magnitude too.
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(tenths) : static_cast<std::uint64_t>(tenths);
    std::string text = negative ? "-" : "";
    text += std::to_string(magnitude / 10);
    text += '.';
    text += static_cast<char>('0' + magnitude % 10);
    return text;
}

std::optional<std::int64_t> parse_integer(std::string_view text)
{
    std::int64_t value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> parse_unix_time(std::string_view text)
{
    const auto value = parse_integer(text);
    if (!value || *value < 0 || *value > k_max_row_unix_time) {
        return std::nullopt;
    }
    return value;
}

namespace {
bool is_plain_decimal(std::string_view text)
{
    std::size_t i = text.empty() || text[0] != '-' ? 0 : 1;
    std::size_t digits = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9') {
            ++digits;
        } else if (text[i] == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    return digits > 0;
}
}  // namespace

std::optional<double> parse_decimal(std::string_view text)
{
    if (!is_plain_decimal(text)) {
        return std::nullopt;
    }
    // from_chars, unlike strtod, ignores the locale's decimal separator.
    double value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
    if (error != std::errc{} || stop != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> parse_tenths(std::string_view text)
{
    const auto value = parse_decimal(text);
    // 9e17 tenths keeps llround inside std::int64_t.
    if (!value || std::fabs(*value) > 9e16) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::llround(*value * 10));
}

}  // namespace ble2garmin::store

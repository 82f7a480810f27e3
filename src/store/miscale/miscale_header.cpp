#include "store/miscale/miscale_header.hpp"

namespace ble2garmin::store {

namespace {
constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";
constexpr std::string_view k_first_column = "Data Status;";

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
}  // namespace

std::string make_miscale_header(HeaderSuffixes suffixes)
{
    std::string header(k_miscale_header);
    if (suffixes.battery) {
        header += k_battery_suffix;
    }
    if (suffixes.s400) {
        header += k_s400_suffix;
    }
    return header;
}

bool is_miscale_header(std::string_view line)
{
    if (line.substr(0, k_byte_order_mark.size()) == k_byte_order_mark) {
        line.remove_prefix(k_byte_order_mark.size());
    }
    return line.substr(0, k_first_column.size()) == k_first_column;
}

HeaderSuffixes detect_suffixes(std::string_view header)
{
    HeaderSuffixes suffixes;
    if (ends_with(header, k_s400_suffix)) {
        suffixes.s400 = true;
        header.remove_suffix(k_s400_suffix.size());
    }
    suffixes.battery = ends_with(header, k_battery_suffix);
    return suffixes;
}

}  // namespace ble2garmin::store

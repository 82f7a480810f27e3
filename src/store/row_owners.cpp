#include "store/row_owners.hpp"

#include <charconv>
#include <string_view>

#include "log/logging.hpp"

namespace ble2garmin::store {

Result<RowOwners> RowOwners::open(std::filesystem::path path, FileSync& sync)
{
    RowOwners owners{CsvFile(std::move(path), sync)};
    auto text = owners.m_file.read();
    if (!text) {
        return text.error();
    }
    if (!*text) {
        return owners;
    }
    std::string_view rest = **text;
    std::size_t line_number = 0;
    std::size_t unreadable = 0;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        ++line_number;
        const auto tab = line.find('\t');
        std::int64_t unix_time = 0;
        const auto parsed = tab == std::string_view::npos
                                ? std::from_chars_result{line.data(), std::errc::invalid_argument}
                                : std::from_chars(line.data(), line.data() + tab, unix_time);
        if (parsed.ec != std::errc{} || parsed.ptr != line.data() + tab || tab + 1 >= line.size()) {
            unreadable += line.empty() ? 0U : 1U;
            continue;
        }
        owners.m_owners[unix_time] = std::string(line.substr(tab + 1));
    }
    if (unreadable > 0) {
        logging::get("store")->warn("row owners: {} unreadable line(s) skipped path={}", unreadable,
                                    owners.m_file.path().string());
    }
    return owners;
}

Result<void> RowOwners::remember(std::int64_t unix_time, const std::string& user_name)
{
    if (user_name.empty() || user_name.find_first_of("\t\r\n") != std::string::npos) {
        return make_error("a user name for the row owners file must be one line without tabs");
    }
    auto appended = m_file.append(std::to_string(unix_time) + "\t" + user_name + "\n", "");
    if (!appended) {
        return appended.error();
    }
    m_owners[unix_time] = user_name;
    return {};
}

std::optional<std::string> RowOwners::owner_of(std::int64_t unix_time) const
{
    const auto found = m_owners.find(unix_time);
    return found == m_owners.end() ? std::nullopt : std::optional<std::string>(found->second);
}

}  // namespace ble2garmin::store

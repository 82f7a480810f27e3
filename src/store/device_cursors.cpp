#include "store/device_cursors.hpp"

#include <charconv>

#include "fs/atomic_file.hpp"
#include "fs/small_file.hpp"
#include "store/measurement_journal.hpp"

namespace ble2garmin::store {
namespace {

constexpr std::size_t k_max_file = 1 << 20;

}  // namespace

Result<DeviceCursors> DeviceCursors::open(std::filesystem::path path)
{
    DeviceCursors cursors(std::move(path));
    std::error_code error;
    if (!std::filesystem::exists(std::filesystem::symlink_status(cursors.m_path, error))) {
        return cursors;
    }
    auto text = fs::read_small_file(cursors.m_path, k_max_file);
    if (!text) {
        return text.error();
    }
    std::string_view rest(*text);
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        const auto tab1 = line.find('\t');
        const auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string_view::npos) {
            continue;
        }
        std::int64_t position = 0;
        const std::string_view number = line.substr(tab2 + 1);
        const auto parsed = std::from_chars(number.data(), number.data() + number.size(), position);
        if (parsed.ec != std::errc() || parsed.ptr != number.data() + number.size()) {
            continue;
        }
        cursors.raise(std::string(line.substr(0, tab1)), std::string(line.substr(tab1 + 1, tab2 - tab1 - 1)),
                      position);
    }
    return cursors;
}

std::map<std::string, std::int64_t> DeviceCursors::of(const std::string& device) const
{
    std::map<std::string, std::int64_t> out;
    for (auto it = m_cursors.lower_bound({device, ""}); it != m_cursors.end() && it->first.first == device;
         ++it) {
        out[it->first.second] = it->second;
    }
    return out;
}

bool DeviceCursors::raise(const std::string& device, const std::string& stream, std::int64_t position)
{
    auto [it, inserted] = m_cursors.emplace(std::pair{device, stream}, position);
    if (!inserted && it->second < position) {
        it->second = position;
        return true;
    }
    return inserted;
}

Result<void> DeviceCursors::save(fs::FileSync& sync) const
{
    std::string text;
    for (const auto& [where, position] : m_cursors) {
        text += where.first + "\t" + where.second + "\t" + std::to_string(position) + "\n";
    }
    return fs::replace_file_atomically(m_path, text, {}, sync);
}

std::map<std::string, std::int64_t> peek_device_cursors(const std::filesystem::path& state_directory,
                                                        const std::string& device)
{
    auto cursors = DeviceCursors::open(state_directory / k_device_cursors_file);
    if (!cursors) {
        return {};
    }
    if (auto journal = MeasurementJournal::open(state_directory / k_journal_file)) {
        for (const auto& entry : journal->entries_at_open()) {
            if (!entry.stream.empty() && entry.key.substr(0, entry.key.find('|')) == device) {
                (void)cursors->raise(device, entry.stream, entry.position);
            }
        }
    }
    return cursors->of(device);
}

}  // namespace ble2garmin::store

#include "store/history/row_owners.hpp"

#include "fs/line_reader.hpp"
#include "store/measurement_journal.hpp"

namespace ble2garmin::store {

Result<RowOwners> RowOwners::open(std::vector<User> users, const std::filesystem::path& journal_path,
                                  WeightRule weight_rule)
{
    RowOwners owners(std::move(users));
    owners.m_weight_rule = std::move(weight_rule);
    auto reader = fs::LineReader::open(journal_path);
    if (!reader) {
        return reader.error();
    }
    fs::Line line;
    while (reader->next(line)) {
        const auto entry = parse_journal_entry(line.text);
        if (entry && entry->file == BackupKind::scale && !entry->row_unknown && !entry->user.empty()) {
            owners.m_journal_scale_users[entry->row] = entry->user;
        }
    }
    if (reader->error()) {
        return *reader->error();
    }
    return owners;
}

std::optional<std::size_t> RowOwners::owner(const ScaleHistoryRow& row) const
{
    if (row.status == RowStatus::unassigned) {
        return std::nullopt;
    }
    if (!row.account.empty()) {
        return by_account(row.account, row.weight_kg);
    }
    if (const auto found = m_journal_scale_users.find(row.unix_time); found != m_journal_scale_users.end()) {
        return by_name(found->second);
    }
    return by_weight(row.weight_kg);
}

std::optional<std::size_t> RowOwners::owner(const BloodPressureHistoryRow& row) const
{
    if (row.status == RowStatus::unassigned || row.account.empty()) {
        return std::nullopt;
    }
    return by_account(row.account, std::nullopt);
}

// Several users may share one Garmin account (a family's); the weight range then tells them apart.
std::optional<std::size_t> RowOwners::by_account(const std::string& account,
                                                 std::optional<double> weight_kg) const
{
    std::optional<std::size_t> first;
    for (std::size_t index = 0; index < m_users.size(); ++index) {
        const User& user = m_users[index];
        const bool named =
            user.name == account || (!is_no_account(user.garmin_email) && user.garmin_email == account);
        if (!named) {
            continue;
        }
        if (!weight_kg || (*weight_kg >= user.min_weight_kg && *weight_kg <= user.max_weight_kg)) {
            return index;
        }
        if (!first) {
            first = index;
        }
    }
    return first;
}

std::optional<std::size_t> RowOwners::by_weight(double weight_kg) const
{
    if (m_weight_rule) {
        return m_weight_rule(weight_kg);
    }
    std::optional<std::size_t> match;
    for (std::size_t index = 0; index < m_users.size(); ++index) {
        if (weight_kg >= m_users[index].min_weight_kg && weight_kg <= m_users[index].max_weight_kg) {
            if (match) {
                return std::nullopt;  // ambiguous
            }
            match = index;
        }
    }
    return match;
}

std::optional<std::size_t> RowOwners::by_name(const std::string& name) const
{
    for (std::size_t index = 0; index < m_users.size(); ++index) {
        if (m_users[index].name == name) {
            return index;
        }
    }
    return std::nullopt;
}

}  // namespace ble2garmin::store

#pragma once
// Whose is a stored row? The backups do not say for every row, so the answer is put together the way
// the store itself decides (docs/architecture.md, "The measurement store"):
//   a complete row (uploaded, local)  its Email User: a user's garmin_email, or the user's name when
//                                     the user has no Garmin account
//   a waiting scale row               the user measurements.jsonl recorded for it, else the weight
//                                     rule the app hands in (pipeline::owner_by_weight: the rule the
//                                     store's own row completion uses); without one, the one user
//                                     whose weight range holds the weight (none when several do)
//   a blood-pressure row              its Email User, as a complete scale row
//   an unassigned row                 nobody
// Read-only: the journal is read line by line, never compacted (that is the store's job).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ble2garmin/result.hpp"
#include "ble2garmin/user.hpp"

#include "store/history/history_rows.hpp"

namespace ble2garmin::store {

class RowOwners {
public:
    // The index into users() of the user a weight belongs to; supplied by the app, so that the store
    // needs no user rules.
    using WeightRule = std::function<std::optional<std::size_t>(double weight_kg)>;

    // The owners for `users`, with the journal at `journal_path` (a missing journal is empty). An
    // Error when the journal is a symbolic link or cannot be read.
    static Result<RowOwners> open(std::vector<User> users, const std::filesystem::path& journal_path,
                                  WeightRule weight_rule = {});
    // Without a journal (tests).
    explicit RowOwners(std::vector<User> users) : m_users(std::move(users)) {}

    // The index into users() of the row's owner; empty when nobody can be told.
    std::optional<std::size_t> owner(const ScaleHistoryRow& row) const;
    std::optional<std::size_t> owner(const BloodPressureHistoryRow& row) const;

    const std::vector<User>& users() const { return m_users; }

private:
    std::optional<std::size_t> by_account(const std::string& account, std::optional<double> weight_kg) const;
    std::optional<std::size_t> by_weight(double weight_kg) const;
    std::optional<std::size_t> by_name(const std::string& name) const;

    std::vector<User> m_users;
    WeightRule m_weight_rule;
    // Scale row time → the user name the journal recorded for it.
    std::unordered_map<std::int64_t, std::string> m_journal_scale_users;
};

}  // namespace ble2garmin::store

#include "store/miscale/miscale_row.hpp"

#include <cmath>

#include "store/csv_text.hpp"
#include "store/number_format.hpp"

namespace ble2garmin::store {

namespace {
// Field positions (0-based).
constexpr std::size_t k_status = 0;
constexpr std::size_t k_unix_time = 1;
constexpr std::size_t k_pending_weight = 2;
constexpr std::size_t k_pending_impedance = 3;
constexpr std::size_t k_pending_fields = 4;
constexpr std::size_t k_uploaded_weight = 4;
constexpr std::size_t k_uploaded_impedance = 19;
constexpr std::size_t k_uploaded_email = 20;
constexpr std::size_t k_uploaded_fields = 24;
constexpr std::size_t k_legacy_impedance = 14;
constexpr std::size_t k_legacy_email = 15;
constexpr std::size_t k_legacy_fields = 19;
// Extras come in pairs: battery V/%, S400 Z250k/HR, or both.
constexpr std::size_t k_max_extra_fields = 4;

bool fits(std::size_t count, std::size_t fixed)
{
    return count >= fixed && count - fixed <= k_max_extra_fields && (count - fixed) % 2 == 0;
}

std::string optional_int(const std::optional<int>& value)
{
    return value ? std::to_string(*value) : std::string();
}
}  // namespace

Result<MiscaleRow> MiscaleRow::parse(std::string_view line)
{
    MiscaleRow row;
    for (const std::string_view field : split_fields(line)) {
        row.m_fields.emplace_back(field);
    }
    const std::size_t count = row.m_fields.size();
    const auto status = parse_status(row.m_fields[k_status]);
    if (!status) {
        return make_error("unknown status");
    }
    row.m_status = *status;
    std::size_t weight_index = k_pending_weight;
    if (!is_complete(*status)) {
        if (!fits(count, k_pending_fields)) {
            return make_error("wrong field count " + std::to_string(count) + " for a pending row");
        }
        row.m_layout = RowLayout::pending;
    } else if (fits(count, k_uploaded_fields)) {
        row.m_layout = RowLayout::uploaded;
        weight_index = k_uploaded_weight;
    } else if (fits(count, k_legacy_fields)) {
        row.m_layout = RowLayout::uploaded_legacy;
        weight_index = k_uploaded_weight;
    } else {
        return make_error("wrong field count " + std::to_string(count) + " for an uploaded or local row");
    }
    const auto unix_time = parse_unix_time(row.m_fields[k_unix_time]);
    if (!unix_time) {
        return make_error("Unix Time is not a whole number of seconds from 1970 to 2200");
    }
    const auto weight = parse_decimal(row.m_fields[weight_index]);
    if (!weight) {
        return make_error("weight is not a number");
    }
    row.m_unix_time = *unix_time;
    row.m_weight_kg = *weight;
    return row;
}

std::size_t MiscaleRow::fixed_field_count() const
{
    switch (m_layout) {
        case RowLayout::pending:
            return k_pending_fields;
        case RowLayout::uploaded:
            return k_uploaded_fields;
        case RowLayout::uploaded_legacy:
            return k_legacy_fields;
    }
    return k_pending_fields;
}

const std::string& MiscaleRow::weight_text() const
{
    return m_fields[m_layout == RowLayout::pending ? k_pending_weight : k_uploaded_weight];
}

std::optional<int> MiscaleRow::impedance_ohm() const
{
    std::size_t index = k_pending_impedance;
    if (m_layout == RowLayout::uploaded) {
        index = k_uploaded_impedance;
    } else if (m_layout == RowLayout::uploaded_legacy) {
        index = k_legacy_impedance;
    }
    const auto value = parse_integer(m_fields[index]);
    if (!value || *value < 0 || *value > 1'000'000) {
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

std::optional<std::string_view> MiscaleRow::email() const
{
    switch (m_layout) {
        case RowLayout::pending:
            return std::nullopt;
        case RowLayout::uploaded:
            return m_fields[k_uploaded_email];
        case RowLayout::uploaded_legacy:
            return m_fields[k_legacy_email];
    }
    return std::nullopt;
}

std::span<const std::string> MiscaleRow::extras() const
{
    return std::span<const std::string>(m_fields).subspan(fixed_field_count());
}

std::string MiscaleRow::text() const
{
    return join_fields(m_fields);
}

Result<MiscaleRow> MiscaleRow::with_status(RowStatus status) const
{
    if (m_layout != RowLayout::pending || status == RowStatus::uploaded) {
        return make_error("only a pending row can change to another pending status");
    }
    MiscaleRow row = *this;
    row.m_status = status;
    row.m_fields[k_status] = std::string(status_word(status));
    return row;
}

Result<std::string> format_pending_row(const PendingScaleRow& row, HeaderSuffixes columns)
{
    if (row.status == RowStatus::uploaded) {
        return make_error("a new row cannot be uploaded already");
    }
    if (!std::isfinite(row.weight_kg)) {
        return make_error("weight is not a finite number");
    }
    std::vector<std::string> fields{std::string(status_word(row.status)), std::to_string(row.unix_time),
                                    format_fixed(row.weight_kg, 1), optional_int(row.impedance_ohm)};
    if (columns.battery) {
        fields.push_back(row.battery_volts && std::isfinite(*row.battery_volts)
                             ? format_fixed(*row.battery_volts, 1)
                             : std::string());
        fields.push_back(optional_int(row.battery_percent));
    }
    if (columns.s400) {
        fields.push_back(optional_int(row.impedance_high_ohm));
        fields.push_back(optional_int(row.heart_rate_bpm));
    }
    return join_fields(fields);
}

std::string format_miscale_row(const MiscaleRow& row)
{
    return row.text();
}

}  // namespace ble2garmin::store

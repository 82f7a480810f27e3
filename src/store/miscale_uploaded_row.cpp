#include "store/miscale_uploaded_row.hpp"

#include <vector>

#include "store/csv_text.hpp"
#include "store/number_format.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {

namespace {
std::string one_decimal(const std::optional<double>& value)
{
    return value ? format_fixed(*value, 1) : "";
}
std::string no_decimals(const std::optional<double>& value)
{
    return value ? format_fixed(*value, 0) : "";
}

// body-composition.md §3.10: negative = fat mass to gain.
std::string fat_mass_to_ideal(const std::optional<double>& mass)
{
    if (!mass) {
        return {};
    }
    return *mass < 0 ? "to_gain:" + format_fixed(-*mass, 1) : "to_lose:" + format_fixed(*mass, 1);
}

bool is_writable_field(std::string_view text)
{
    return !text.empty() && text.find_first_of(";\r\n") == std::string_view::npos;
}
}  // namespace

std::string format_change(std::string_view weight, std::optional<std::string_view> previous_weight)
{
    const auto now = parse_tenths(weight);
    const auto before = previous_weight ? parse_tenths(*previous_weight) : std::nullopt;
    if (!now || !before) {
        return "0.0";
    }
    return format_tenths(*now - *before);
}

Result<MiscaleRow> make_uploaded_row(const MiscaleRow& pending, const UploadedScale& data,
                                     std::optional<std::string_view> previous_weight)
{
    if (pending.layout() != RowLayout::pending || !is_pending(pending.status())) {
        return make_error("only a to_import or failed row can become uploaded");
    }
    if (!is_writable_field(data.email)) {
        return make_error("email is empty or contains ';' or a line break");
    }
    const body::Composition& c = data.composition;
    const LocalDateTime measured = to_local(data.measured_at);
    const LocalDateTime uploaded = to_local(data.uploaded_at);
    const std::string weight = format_fixed(c.weight, 1);
    const std::string impedance =
        c.impedance ? std::to_string(*c.impedance) : std::string(pending.fields()[3]);

    std::vector<std::string> fields{
        std::string(status_word(RowStatus::uploaded)),
        std::to_string(pending.unix_time()),
        measured.date,
        measured.time,
        weight,
        format_change(weight, previous_weight),
        format_fixed(c.bmi, 1),
        one_decimal(c.body_fat),
        one_decimal(c.muscle_mass),
        one_decimal(c.bone_mass),
        one_decimal(c.water),
        c.physique_rating ? std::to_string(*c.physique_rating) : "",
        format_fixed(c.visceral_fat, 0),
        no_decimals(c.metabolic_age),
        format_fixed(c.basal_metabolism, 0),
        one_decimal(c.lean_body_mass),
        format_fixed(c.ideal_weight, 1),
        fat_mass_to_ideal(c.fat_mass_to_ideal),
        one_decimal(c.protein),
        impedance,
        data.email,
        uploaded.date,
        uploaded.time,
        std::to_string(to_unix_seconds(data.uploaded_at) - pending.unix_time()),
    };
    for (const std::string& extra : pending.extras()) {
        fields.push_back(extra);
    }
    // Parsing what was built keeps one definition of the layout; it cannot fail for a valid pending row.
    return MiscaleRow::parse(join_fields(fields));
}

}  // namespace ble2garmin::store

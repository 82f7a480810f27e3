#include "store/miscale/miscale_uploaded_row.hpp"

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

namespace {

// The complete row of `pending` (to_import, failed, or a new row); the Upload Date, Upload Time and
// Difference columns are filled when `uploaded_at` is set and left empty otherwise.
Result<MiscaleRow> complete_row(RowStatus status, const MiscaleRow& pending, const body::Composition& c,
                                std::string_view email, SystemTime measured_at,
                                std::optional<SystemTime> uploaded_at,
                                std::optional<std::string_view> previous_weight)
{
    if (pending.layout() != RowLayout::pending) {
        return make_error("only a pending row can be completed");
    }
    if (!is_writable_field(email)) {
        return make_error("email is empty or contains ';' or a line break");
    }
    const LocalDateTime measured = to_local(measured_at);
    const std::string weight = format_fixed(c.weight, 1);
    const std::string impedance =
        c.impedance ? std::to_string(*c.impedance) : std::string(pending.fields()[3]);
    LocalDateTime uploaded;
    std::string difference;
    if (uploaded_at) {
        uploaded = to_local(*uploaded_at);
        difference = std::to_string(to_unix_seconds(*uploaded_at) - pending.unix_time());
    }

    std::vector<std::string> fields{
        std::string(status_word(status)),
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
        std::string(email),
        uploaded.date,
        uploaded.time,
        difference,
    };
    for (const std::string& extra : pending.extras()) {
        fields.push_back(extra);
    }
    // Parsing what was built keeps one definition of the layout; it cannot fail for a valid pending row.
    return MiscaleRow::parse(join_fields(fields));
}

// Field positions of the complete layout (export2garmin-compat.md §6.1).
constexpr std::size_t k_status_field = 0;
constexpr std::size_t k_upload_date = 21;
constexpr std::size_t k_upload_time = 22;
constexpr std::size_t k_difference = 23;

}  // namespace

Result<MiscaleRow> make_uploaded_row(const MiscaleRow& pending, const UploadedScale& data,
                                     std::optional<std::string_view> previous_weight)
{
    if (!is_pending(pending.status())) {
        return make_error("only a to_import or failed row can become uploaded");
    }
    return complete_row(RowStatus::uploaded, pending, data.composition, data.email, data.measured_at,
                        data.uploaded_at, previous_weight);
}

Result<MiscaleRow> make_local_row(const MiscaleRow& pending, const body::Composition& composition,
                                  std::string_view owner, SystemTime measured_at,
                                  std::optional<std::string_view> previous_weight)
{
    return complete_row(RowStatus::local, pending, composition, owner, measured_at, std::nullopt,
                        previous_weight);
}

Result<MiscaleRow> mark_local_row_uploaded(const MiscaleRow& local, SystemTime uploaded_at)
{
    if (local.status() != RowStatus::local || local.layout() != RowLayout::uploaded) {
        return make_error("only a local row in the complete layout can be marked uploaded this way");
    }
    std::vector<std::string> fields = local.fields();
    const LocalDateTime uploaded = to_local(uploaded_at);
    fields[k_status_field] = std::string(status_word(RowStatus::uploaded));
    fields[k_upload_date] = uploaded.date;
    fields[k_upload_time] = uploaded.time;
    fields[k_difference] = std::to_string(to_unix_seconds(uploaded_at) - local.unix_time());
    return MiscaleRow::parse(join_fields(fields));
}

std::optional<body::Composition> composition_of_complete_row(const MiscaleRow& row)
{
    if (row.layout() != RowLayout::uploaded) {
        return std::nullopt;
    }
    const auto& f = row.fields();
    const auto number = [&](std::size_t index) { return parse_decimal(f[index]); };
    const auto bmi = number(6);
    const auto visceral = number(12);
    const auto bmr = number(14);
    const auto ideal = number(16);
    if (!bmi || !visceral || !bmr || !ideal) {
        return std::nullopt;
    }
    body::Composition c;
    c.weight = row.weight_kg();
    c.bmi = *bmi;
    c.visceral_fat = *visceral;
    c.basal_metabolism = *bmr;
    c.ideal_weight = *ideal;
    c.body_fat = number(7);
    c.muscle_mass = number(8);
    c.bone_mass = number(9);
    c.water = number(10);
    if (const auto physique = parse_integer(f[11])) {
        c.physique_rating = static_cast<int>(*physique);
    }
    c.metabolic_age = number(13);
    c.lean_body_mass = number(15);
    c.protein = number(18);
    c.impedance = row.impedance_ohm();
    return c;
}

}  // namespace ble2garmin::store

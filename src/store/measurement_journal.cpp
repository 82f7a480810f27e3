#include "store/measurement_journal.hpp"

#include <nlohmann/json.hpp>

#include "body/tables.hpp"
#include "fs/atomic_file.hpp"
#include "fs/line_reader.hpp"
#include "log/logging.hpp"

namespace ble2garmin::store {
namespace {

using nlohmann::json;

std::string_view kind_name(BackupKind kind)
{
    return kind == BackupKind::scale ? "scale" : "blood_pressure";
}

template <class T>
void put_optional(json& out, const char* name, const std::optional<T>& value)
{
    if (value) {
        out[name] = *value;
    }
}

template <class T>
void get_optional(const json& in, const char* name, std::optional<T>& value)
{
    if (const auto found = in.find(name); found != in.end() && !found->is_null()) {
        value = found->get<T>();
    }
}

json to_json(const body::Composition& c)
{
    json out = json::object();
    out["weight"] = c.weight;
    out["bmi"] = c.bmi;
    out["basal_metabolism"] = c.basal_metabolism;
    out["visceral_fat"] = c.visceral_fat;
    out["ideal_weight"] = c.ideal_weight;
    put_optional(out, "body_fat", c.body_fat);
    put_optional(out, "muscle_mass", c.muscle_mass);
    put_optional(out, "bone_mass", c.bone_mass);
    put_optional(out, "water", c.water);
    put_optional(out, "lean_body_mass", c.lean_body_mass);
    put_optional(out, "metabolic_age", c.metabolic_age);
    put_optional(out, "protein", c.protein);
    put_optional(out, "fat_mass_to_ideal", c.fat_mass_to_ideal);
    put_optional(out, "physique_rating", c.physique_rating);
    put_optional(out, "impedance", c.impedance);
    return out;
}

body::Composition composition_from_json(const json& in)
{
    body::Composition c;
    c.weight = in.at("weight").get<double>();
    c.bmi = in.at("bmi").get<double>();
    c.basal_metabolism = in.at("basal_metabolism").get<double>();
    c.visceral_fat = in.at("visceral_fat").get<double>();
    c.ideal_weight = in.at("ideal_weight").get<double>();
    get_optional(in, "body_fat", c.body_fat);
    get_optional(in, "muscle_mass", c.muscle_mass);
    get_optional(in, "bone_mass", c.bone_mass);
    get_optional(in, "water", c.water);
    get_optional(in, "lean_body_mass", c.lean_body_mass);
    get_optional(in, "metabolic_age", c.metabolic_age);
    get_optional(in, "protein", c.protein);
    get_optional(in, "fat_mass_to_ideal", c.fat_mass_to_ideal);
    get_optional(in, "physique_rating", c.physique_rating);
    get_optional(in, "impedance", c.impedance);
    if (c.physique_rating) {
        const auto label = body::body_type_label(*c.physique_rating);
        if (!label.empty()) {
            c.body_type = label;
        }
    }
    return c;
}

}  // namespace

std::string format_journal_entry(const JournalEntry& entry)
{
    json out = json::object();
    out["key"] = entry.key;
    out["seen"] = entry.seen;
    out["file"] = kind_name(entry.file);
    if (!entry.row_unknown) {
        out["row"] = entry.row;
    }
    if (!entry.user.empty()) {
        out["user"] = entry.user;
    }
    if (entry.composition) {
        out["composition"] = to_json(*entry.composition);
    }
    if (!entry.source.empty()) {
        out["source"] = entry.source;
    }
    if (!entry.stream.empty()) {
        out["stream"] = entry.stream;
        out["position"] = entry.position;
    }
    // Invalid UTF-8 in a user name must not make the line unwritable.
    return out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<JournalEntry> parse_journal_entry(std::string_view line)
{
    const json in = json::parse(line, nullptr, false);
    if (in.is_discarded() || !in.is_object()) {
        return std::nullopt;
    }
    try {
        JournalEntry entry;
        entry.key = in.at("key").get<std::string>();
        entry.seen = in.at("seen").get<std::int64_t>();
        const auto file = in.at("file").get<std::string>();
        if (file != kind_name(BackupKind::scale) && file != kind_name(BackupKind::blood_pressure)) {
            return std::nullopt;
        }
        entry.file = file == kind_name(BackupKind::scale) ? BackupKind::scale : BackupKind::blood_pressure;
        if (const auto row = in.find("row"); row != in.end()) {
            entry.row = row->get<std::int64_t>();
        } else {
            entry.row_unknown = true;
        }
        if (const auto user = in.find("user"); user != in.end()) {
            entry.user = user->get<std::string>();
        }
        if (const auto composition = in.find("composition"); composition != in.end()) {
            entry.composition = composition_from_json(*composition);
        }
        if (const auto source = in.find("source"); source != in.end()) {
            entry.source = source->get<std::string>();
        }
        if (const auto stream = in.find("stream"); stream != in.end()) {
            entry.stream = stream->get<std::string>();
            entry.position = in.at("position").get<std::int64_t>();
        }
        return entry;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

Result<MeasurementJournal> MeasurementJournal::open(std::filesystem::path path, fs::FileSync& sync)
{
    MeasurementJournal journal{fs::CsvFile(std::move(path), sync)};
    auto reader = fs::LineReader::open(journal.m_file.path());
    if (!reader) {
        return reader.error();
    }
    std::size_t unreadable = 0;
    fs::Line line;
    while (reader->next(line)) {
        if (auto entry = parse_journal_entry(line.text)) {
            journal.m_entries.push_back(std::move(*entry));
        } else if (!line.text.empty()) {
            ++unreadable;  // a torn last line after a crash: its row was never written
        }
    }
    if (reader->error()) {
        return *reader->error();
    }
    if (unreadable > 0) {
        logging::get("store")->debug("journal: {} unreadable line(s) skipped path={}", unreadable,
                                     journal.path().string());
    }
    return journal;
}

Result<void> MeasurementJournal::append(const JournalEntry& entry)
{
    auto appended = m_file.append(format_journal_entry(entry), "");
    if (!appended) {
        return appended.error();
    }
    return {};
}

Result<void> MeasurementJournal::rewrite(const std::vector<JournalEntry>& keep)
{
    std::string text;
    for (const auto& entry : keep) {
        text += format_journal_entry(entry);
    }
    return fs::replace_file_atomically(m_file.path(), text, {}, m_file.sync());
}

}  // namespace ble2garmin::store

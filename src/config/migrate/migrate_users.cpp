#include "config/migrate/migrate_users.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>
#include <set>

#include "config/field_readers.hpp"
#include "config/loader.hpp"
#include "config/sections.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

std::optional<double> to_number(std::string_view text)
{
    double value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<int> to_int(std::string_view text)
{
    int value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

// export2garmin's "02-04-1984" (day-month-year) as TOML's 1984-04-02; nullopt when malformed
// (the loader checks that the date exists).
std::optional<std::string> iso_date(std::string_view text)
{
    const std::size_t first = text.find('-');
    const std::size_t second = text.find('-', first == std::string_view::npos ? first : first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) {
        return std::nullopt;
    }
    auto day = to_int(text.substr(0, first));
    auto month = to_int(text.substr(first + 1, second - first - 1));
    auto year = to_int(text.substr(second + 1));
    if (!day || !month || !year || *year < 1000 || *year > 9999 || *month < 1 || *month > 12 || *day < 1 ||
        *day > 31) {
        return std::nullopt;
    }
    char out[16];
    (void)std::snprintf(out, sizeof out, "%04d-%02d-%02d", *year, *month, *day);
    return std::string(out);
}

std::string commented(std::string_view block)
{
    std::string out;
    while (!block.empty()) {
        const std::size_t newline = block.find('\n');
        out += "# " + std::string(block.substr(0, newline)) + "\n";
        block.remove_prefix(newline == std::string_view::npos ? block.size() : newline + 1);
    }
    return out;
}

// The loader's problems without their "line:column: " prefix (they point into the block, not the cfg).
std::string reasons(const ConfigError& error)
{
    std::string out;
    for (const auto& problem : error.problems()) {
        const std::size_t colon = problem.find(": ");
        out += out.empty() ? "" : "; ";
        out += colon == std::string::npos ? problem : problem.substr(colon + 2);
    }
    return out;
}

class UserMigration {
public:
    UserMigration(const ShellAssignment& line, std::string name, std::vector<std::string>& notes,
                  std::map<std::string, int>& omron_slots)
        : m_line(line), m_name(std::move(name)), m_notes(notes), m_omron_slots(omron_slots)
    {
    }

    std::string run()
    {
        const std::string where = "line " + std::to_string(m_line.line) + " (" + m_line.key + ")";
        auto block = build(where);
        if (!block) {
            return "\n# " + where + " was not migrated, see the notes of migrate-config\n";
        }
        try {
            (void)parse(*block, "", {});
        } catch (const ConfigError& error) {
            m_notes.push_back(where + ": user '" + m_name + "' is written commented out: " + reasons(error));
            return "\n" + commented(*block + omron_slot_line());
        }
        return "\n" + *block + omron_slot_line();
    }

private:
    std::optional<std::string> build(const std::string& where)
    {
        auto items = parse_tuple(m_line.value);
        if (!items) {
            m_notes.push_back(where + ": not a user tuple (" + items.error().message +
                              "), user not migrated");
            return std::nullopt;
        }
        if (items->size() != 6) {
            m_notes.push_back(where +
                              ": expected 6 items (sex, height, birth date, e-mail, max, min), found " +
                              std::to_string(items->size()) + ", user not migrated");
            return std::nullopt;
        }
        const auto& item = *items;
        auto height = to_number(item[1].text);
        auto birth = iso_date(item[2].text);
        auto max = to_number(item[4].text);
        auto min = to_number(item[5].text);
        if (!height || !birth || !max || !min) {
            m_notes.push_back(
                where + ": height, birth date (dd-mm-yyyy) or weights are not numbers, user not migrated");
            return std::nullopt;
        }
        if (*min > *max) {
            m_notes.push_back(where + ": the weights were max " + format_number(*max) + " < min " +
                              format_number(*min) + " (export2garmin expects max first); swapped");
            std::swap(*min, *max);
        }
        std::string sex = item[0].text;
        for (char& c : sex) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string out =
            "# " + m_line.key + " (line " + std::to_string(m_line.line) + " of export2garmin.cfg)\n";
        out += "[[users]]\n";
        out += "name = " + toml_string(m_name) + "\n";
        out += "sex = " + toml_string(sex) + "\n";
        out += "height_cm = " + format_number(*height) + "\n";
        out += "birth_date = " + *birth + "\n";
        out += email_line(where, item[3].text);
        out += "min_weight_kg = " + format_number(*min) + "\n";
        out += "max_weight_kg = " + format_number(*max) + "\n";
        return out;
    }

    std::string email_line(const std::string& where, const std::string& email)
    {
        // export2garmin tests "contains", so "email@email.com " and similar count as the placeholder.
        if (email.find(k_placeholder_email) != std::string::npos) {
            m_notes.push_back(where + ": user '" + m_name + "' has export2garmin's placeholder " +
                              std::string(k_placeholder_email) +
                              ", so no garmin_email was written: the readings are kept in the CSV backup but "
                              "not uploaded (export2garmin deleted them)");
            return "# garmin_email = \"you@example.com\"  # add the Garmin Connect account to upload\n";
        }
        if (email.find('@') == std::string::npos) {
            m_notes.push_back(where + ": user '" + m_name + "' has no e-mail address ('" + email +
                              "'), so no garmin_email was written: the readings are not uploaded");
            return {};
        }
        m_email = email;
        return "garmin_email = " + toml_string(email) + "\n";
    }

    // `omron_slot = N` when export2garmin sent the cuff's slot N to this user's account.
    std::string omron_slot_line()
    {
        const auto found = m_email.empty() ? m_omron_slots.end() : m_omron_slots.find(m_email);
        if (found == m_omron_slots.end()) {
            return {};
        }
        const int slot = found->second;
        m_omron_slots.erase(found);
        return "omron_slot = " + std::to_string(slot) + "  # omron_export_user" + std::to_string(slot) + "\n";
    }

    const ShellAssignment& m_line;
    std::string m_name;
    std::vector<std::string>& m_notes;
    std::map<std::string, int>& m_omron_slots;
    std::string m_email;  // the migrated garmin_email
};

}  // namespace

std::string migrate_users(const std::vector<ShellAssignment>& user_lines, std::vector<std::string>& notes,
                          std::map<std::string, int>& omron_slots)
{
    std::string out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < user_lines.size(); ++i) {
        const auto& line = user_lines[i];
        std::string name = line.key.substr(k_user_key_prefix.size());
        if (name.empty()) {
            name = "user" + std::to_string(i + 1);
        }
        // export2garmin reads every matching line, repeats included; ble2garmin names must be unique.
        std::string unique = name;
        for (int n = 2; names.count(unique) != 0; ++n) {
            unique = name + "_" + std::to_string(n);
        }
        if (unique != name) {
            notes.push_back("line " + std::to_string(line.line) + " (" + line.key + "): the name '" + name +
                            "' is used twice, this user is named '" + unique + "'");
        }
        names.insert(unique);
        out += UserMigration(line, unique, notes, omron_slots).run();
    }
    return out;
}

}  // namespace ble2garmin::config

#pragma once
// The header line of miscale_backup.csv (shared/spec/export2garmin-compat.md §6.1), typo "Wieght"
// included: export2garmin users keep their files, so the text must match byte for byte.

#include <optional>
#include <string>
#include <string_view>

namespace ble2garmin::store {

inline constexpr std::string_view k_miscale_header =
    "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
    "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
    "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
    "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]";
// export2garmin adds these when switch_mqtt / switch_s400 was on when the file was created, in this
// order. "Impedance Low" holds the S400's 250 kHz value (a misnomer upstream keeps).
inline constexpr std::string_view k_battery_suffix = ";Battery [V];Battery [%]";
inline constexpr std::string_view k_s400_suffix = ";Impedance Low;Heart Rate [bpm]";

// Which optional column pairs a file has; they decide the extra fields of every row ble2garmin writes.
struct HeaderSuffixes {
    bool battery = false;  // Battery [V];Battery [%] (ESP32 via MQTT)
    bool s400 = false;     // Impedance Low;Heart Rate [bpm] (S400)

    bool operator==(const HeaderSuffixes&) const = default;
};

// The header for a new file with these columns.
std::string make_miscale_header(HeaderSuffixes suffixes);

// True when `line` is a header line: it starts with "Data Status;" (after an optional UTF-8 byte
// order mark a spreadsheet may have added). Older export2garmin versions had fewer columns, so the
// rest is not compared.
bool is_miscale_header(std::string_view line);

// The suffixes that `header` ends with.
HeaderSuffixes detect_suffixes(std::string_view header);

}  // namespace ble2garmin::store

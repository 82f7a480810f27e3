#include "rowing/tcx_reader.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "rowing/xml_reader.hpp"
#include "rowing/xsd_date_time.hpp"

namespace ble2garmin::rowing {
namespace {

constexpr std::size_t k_chunk_size = 64 * 1024;
// A value element longer than this is not a number or a time; a bound on memory for hostile input.
constexpr std::size_t k_max_value_length = 1024;

// Where the parser is: the element just opened, as far as a Workout cares. `ignored` covers every
// element (and its subtree) that carries nothing we keep.
enum class Node {
    document,
    ignored,
    database,
    activities,
    activity,
    training,
    plan,
    plan_name,
    lap,
    lap_total_time,
    lap_distance,
    lap_calories,
    lap_extensions,
    lap_lx,
    lx_steps,
    track,
    trackpoint,
    tp_time,
    tp_distance,
    tp_heart_rate,
    tp_heart_rate_value,
    tp_cadence,
    tp_extensions,
    tp_tpx,
    tpx_speed,
    tpx_watts,
};

bool is_value(Node node)
{
    switch (node) {
        case Node::plan_name:
        case Node::lap_total_time:
        case Node::lap_distance:
        case Node::lap_calories:
        case Node::lx_steps:
        case Node::tp_time:
        case Node::tp_distance:
        case Node::tp_heart_rate_value:
        case Node::tp_cadence:
        case Node::tpx_speed:
        case Node::tpx_watts:
            return true;
        default:
            return false;
    }
}

// The node of a child element named `name` under `parent`.
Node child_node(Node parent, const XmlName& name)
{
    const bool tcx = name.uri == k_tcx_namespace;
    const bool extension = name.uri == k_activity_extension_namespace;
    const std::string_view local = name.local;
    if (!tcx && !extension) {
        return Node::ignored;
    }
    switch (parent) {
        case Node::document:
            return tcx && local == "TrainingCenterDatabase" ? Node::database : Node::ignored;
        case Node::database:
            return tcx && local == "Activities" ? Node::activities : Node::ignored;
        case Node::activities:
            return tcx && local == "Activity" ? Node::activity : Node::ignored;
        case Node::activity:
            if (tcx && local == "Lap") {
                return Node::lap;
            }
            return tcx && local == "Training" ? Node::training : Node::ignored;
        case Node::training:
            return tcx && local == "Plan" ? Node::plan : Node::ignored;
        case Node::plan:
            return tcx && local == "Name" ? Node::plan_name : Node::ignored;
        case Node::lap:
            if (!tcx) {
                return Node::ignored;
            }
            if (local == "TotalTimeSeconds") {
                return Node::lap_total_time;
            }
            if (local == "DistanceMeters") {
                return Node::lap_distance;
            }
            if (local == "Calories") {
                return Node::lap_calories;
            }
            if (local == "Track") {
                return Node::track;
            }
            return local == "Extensions" ? Node::lap_extensions : Node::ignored;
        case Node::lap_extensions:
            return extension && local == "LX" ? Node::lap_lx : Node::ignored;
        case Node::lap_lx:
            return extension && local == "Steps" ? Node::lx_steps : Node::ignored;
        case Node::track:
            return tcx && local == "Trackpoint" ? Node::trackpoint : Node::ignored;
        case Node::trackpoint:
            if (!tcx) {
                return Node::ignored;
            }
            if (local == "Time") {
                return Node::tp_time;
            }
            if (local == "DistanceMeters") {
                return Node::tp_distance;
            }
            if (local == "HeartRateBpm") {
                return Node::tp_heart_rate;
            }
            if (local == "Cadence") {
                return Node::tp_cadence;
            }
            return local == "Extensions" ? Node::tp_extensions : Node::ignored;
        case Node::tp_heart_rate:
            return tcx && local == "Value" ? Node::tp_heart_rate_value : Node::ignored;
        case Node::tp_extensions:
            return extension && local == "TPX" ? Node::tp_tpx : Node::ignored;
        case Node::tp_tpx:
            if (extension && local == "Speed") {
                return Node::tpx_speed;
            }
            return extension && local == "Watts" ? Node::tpx_watts : Node::ignored;
        default:
            return Node::ignored;
    }
}

std::string_view trim_xml_space(std::string_view text)
{
    constexpr std::string_view k_space = " \t\r\n";
    const auto first = text.find_first_not_of(k_space);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

// A finite xsd:double in [minimum, maximum]; an Error naming the element otherwise.
Result<double> parse_number(std::string_view element, std::string_view raw, double minimum, double maximum)
{
    const std::string_view text = trim_xml_space(raw);
    double value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    // from_chars takes no leading '+', which xsd:double allows.
    if (begin != end && *begin == '+') {
        ++begin;
    }
    const auto [stop, error] = std::from_chars(begin, end, value);
    if (text.empty() || error != std::errc{} || stop != end || !std::isfinite(value)) {
        return make_error(std::string(element) + " '" + std::string(text.substr(0, 64)) +
                          "' is not a number");
    }
    if (value < minimum || value > maximum) {
        return make_error(std::string(element) + " " + std::string(text) + " is out of range");
    }
    return value;
}

// As parse_number, rounded to a whole number (the schema's integers; some writers add ".0").
Result<std::int64_t> parse_integer(std::string_view element, std::string_view raw, double minimum,
                                   double maximum)
{
    auto value = parse_number(element, raw, minimum, maximum);
    if (!value) {
        return value.error();
    }
    return static_cast<std::int64_t>(std::llround(*value));
}

// Builds the Workout from the XmlReader's events.
class TcxParser final : public XmlHandler {
public:
    TcxParser() { m_stack.push_back(Node::document); }

    Result<void> feed(std::string_view piece) { return m_reader.feed(piece); }

    Result<Workout> finish()
    {
        if (auto finished = m_reader.finish(); !finished) {
            return finished.error();
        }
        if (!m_seen_root) {
            return make_error("not a TCX file: no TrainingCenterDatabase element in namespace " +
                              std::string(k_tcx_namespace));
        }
        if (m_activities == 0) {
            return make_error("no Activity in the file");
        }
        return std::move(m_workout);
    }

private:
    static std::optional<std::string_view> attribute(const std::vector<XmlAttribute>& attributes,
                                                     std::string_view wanted)
    {
        // TCX attributes are unprefixed, so they have no namespace.
        for (const XmlAttribute& attribute : attributes) {
            if (attribute.name.uri.empty() && attribute.name.local == wanted) {
                return attribute.value;
            }
        }
        return std::nullopt;
    }

    Result<void> on_start(const XmlName& name, const std::vector<XmlAttribute>& attributes) override
    {
        const Node parent = m_stack.back();
        if (parent == Node::document &&
            !(name.uri == k_tcx_namespace && name.local == "TrainingCenterDatabase")) {
            return make_error("not a TCX file: the root element is " + std::string(name.local) +
                              (name.uri.empty() ? std::string(" without a namespace")
                                                : " in namespace " + std::string(name.uri)));
        }
        const Node node = parent == Node::ignored ? Node::ignored : child_node(parent, name);
        m_stack.push_back(node);
        m_text.clear();
        switch (node) {
            case Node::database:
                m_seen_root = true;
                break;
            case Node::activity:
                if (++m_activities > 1) {
                    return make_error("more than one Activity: convert one activity per file");
                }
                if (auto sport = attribute(attributes, "Sport")) {
                    m_workout.sport = std::string(*sport);
                }
                break;
            case Node::lap: {
                auto start_time = attribute(attributes, "StartTime");
                if (!start_time) {
                    return make_error("Lap without StartTime");
                }
                auto start_ms = parse_xsd_date_time_ms(*start_time);
                if (!start_ms) {
                    return make_error("Lap StartTime " + start_ms.error().message);
                }
                m_workout.laps.emplace_back().start_ms = *start_ms;
                break;
            }
            case Node::trackpoint:
                if (++m_trackpoints > k_max_trackpoints) {
                    return make_error("more than " + std::to_string(k_max_trackpoints) + " trackpoints");
                }
                m_point = Trackpoint{};
                m_point_has_time = false;
                break;
            default:
                break;
        }
        return {};
    }

    Result<void> on_text(std::string_view piece) override
    {
        if (!is_value(m_stack.back())) {
            return {};
        }
        if (m_text.size() + piece.size() > k_max_value_length) {
            return make_error("a value longer than " + std::to_string(k_max_value_length) + " characters");
        }
        m_text.append(piece);
        return {};
    }

    Result<void> on_end() override
    {
        const Node node = m_stack.back();
        m_stack.pop_back();
        return store_value(node);
    }

    // Keeps what the element that just ended says.
    Result<void> store_value(Node node)
    {
        Lap* lap = m_workout.laps.empty() ? nullptr : &m_workout.laps.back();
        switch (node) {
            case Node::activity:
                if (m_workout.laps.empty()) {
                    return make_error("Activity without a Lap");
                }
                return {};
            case Node::plan_name:
                m_workout.name = std::string(trim_xml_space(m_text));
                return {};
            case Node::lap_total_time:
                return assign(lap->total_time_s, parse_number("TotalTimeSeconds", m_text, 0, 1e7));
            case Node::lap_distance:
                return assign(lap->distance_m, parse_number("Lap DistanceMeters", m_text, 0, 1e8));
            case Node::lap_calories:
                return assign_int(lap->calories, parse_integer("Calories", m_text, 0, 65535));
            case Node::lx_steps: {
                auto steps = parse_integer("Steps", m_text, 0, 4'294'967'294.0);
                if (!steps) {
                    return steps.error();
                }
                lap->strokes = static_cast<std::uint32_t>(*steps);
                return {};
            }
            case Node::trackpoint:
                if (!m_point_has_time) {
                    return make_error("Trackpoint without Time");
                }
                lap->trackpoints.push_back(m_point);
                return {};
            case Node::tp_time: {
                auto time = parse_xsd_date_time_ms(m_text);
                if (!time) {
                    return make_error("Time " + time.error().message);
                }
                m_point.time_ms = *time;
                m_point_has_time = true;
                return {};
            }
            case Node::tp_distance:
                return assign(m_point.distance_m, parse_number("DistanceMeters", m_text, 0, 1e8));
            case Node::tp_heart_rate_value: {
                auto bpm = parse_integer("HeartRateBpm", m_text, 0, 255);
                if (!bpm) {
                    return bpm.error();
                }
                // 0 is schema-invalid; Coxswain writes it when there is no heart-rate strap.
                m_point.heart_rate = *bpm > 0 ? std::optional<int>(static_cast<int>(*bpm)) : std::nullopt;
                return {};
            }
            case Node::tp_cadence:
                return assign_int(m_point.cadence, parse_integer("Cadence", m_text, 0, 254));
            case Node::tpx_speed:
                return assign(m_point.speed_mps, parse_number("Speed", m_text, 0, 100));
            case Node::tpx_watts:
                return assign_int(m_point.power_w, parse_integer("Watts", m_text, 0, 65534));
            default:
                return {};
        }
    }

    static Result<void> assign(std::optional<double>& target, Result<double> value)
    {
        if (!value) {
            return value.error();
        }
        target = *value;
        return {};
    }

    static Result<void> assign_int(std::optional<int>& target, Result<std::int64_t> value)
    {
        if (!value) {
            return value.error();
        }
        target = static_cast<int>(*value);
        return {};
    }

    XmlReader m_reader{*this};
    std::vector<Node> m_stack;
    std::string m_text;
    Workout m_workout;
    Trackpoint m_point;
    bool m_point_has_time = false;
    bool m_seen_root = false;
    int m_activities = 0;
    std::size_t m_trackpoints = 0;
};

}  // namespace

std::size_t trackpoint_count(const Workout& workout)
{
    std::size_t count = 0;
    for (const Lap& lap : workout.laps) {
        count += lap.trackpoints.size();
    }
    return count;
}

Result<Workout> read_tcx(std::istream& input)
{
    TcxParser parser;
    std::vector<char> buffer(k_chunk_size);
    while (input) {
        input.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        if (input.bad()) {
            return make_error("cannot read the file");
        }
        const auto got = static_cast<std::size_t>(input.gcount());
        if (auto fed = parser.feed(std::string_view(buffer.data(), got)); !fed) {
            return fed.error();
        }
    }
    return parser.finish();
}

Result<Workout> read_tcx_text(std::string_view text)
{
    TcxParser parser;
    // Fed in pieces as a file would be, so markup and values split between two pieces are exercised.
    while (!text.empty()) {
        const std::string_view piece = text.substr(0, k_chunk_size);
        if (auto fed = parser.feed(piece); !fed) {
            return fed.error();
        }
        text.remove_prefix(piece.size());
    }
    return parser.finish();
}

Result<Workout> read_tcx_file(const std::filesystem::path& path)
{
    std::ifstream input(path, std::ios::binary);
    if (!input) {
        return make_error("cannot open: " + std::string(std::strerror(errno)));
    }
    return read_tcx(input);
}

}  // namespace ble2garmin::rowing

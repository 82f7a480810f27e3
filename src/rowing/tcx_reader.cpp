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

#include <expat.h>

#include "rowing/xsd_date_time.hpp"

namespace ble2garmin::rowing {
namespace {

constexpr std::size_t k_chunk_size = 64 * 1024;
// A value element longer than this is not a number or a time; a bound on memory for hostile input.
constexpr std::size_t k_max_value_length = 1024;
// Expat joins a namespaced name as "URI<separator>local"; a space cannot occur in a URI.
constexpr char k_name_separator = ' ';

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

struct QualifiedName {
    std::string_view uri;  // empty: no namespace
    std::string_view local;
};

QualifiedName split_name(const XML_Char* name)
{
    const std::string_view text(name);
    const auto separator = text.find(k_name_separator);
    if (separator == std::string_view::npos) {
        return {{}, text};
    }
    return {text.substr(0, separator), text.substr(separator + 1)};
}

// The node of a child element named `name` under `parent`.
Node child_node(Node parent, const QualifiedName& name)
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

class TcxParser {
public:
    TcxParser() : m_parser(XML_ParserCreateNS(nullptr, k_name_separator))
    {
        XML_SetUserData(m_parser, this);
        XML_SetElementHandler(m_parser, &TcxParser::on_start, &TcxParser::on_end);
        XML_SetCharacterDataHandler(m_parser, &TcxParser::on_text);
        XML_SetStartDoctypeDeclHandler(m_parser, &TcxParser::on_doctype);
        m_stack.push_back(Node::document);
    }
    TcxParser(const TcxParser&) = delete;
    TcxParser& operator=(const TcxParser&) = delete;
    ~TcxParser() { XML_ParserFree(m_parser); }

    // Feeds the next piece of the document (`last` for the final one, which may be empty).
    Result<void> feed(std::string_view piece, bool last)
    {
        const auto status = XML_Parse(m_parser, piece.data(), static_cast<int>(piece.size()), last ? 1 : 0);
        if (m_error) {
            return *m_error;
        }
        if (status != XML_STATUS_OK) {
            return located(XML_ErrorString(XML_GetErrorCode(m_parser)));
        }
        return {};
    }

    Result<Workout> finish()
    {
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
    static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attributes)
    {
        static_cast<TcxParser*>(self)->start(split_name(name), attributes);
    }
    static void XMLCALL on_end(void* self, const XML_Char* /*name*/) { static_cast<TcxParser*>(self)->end(); }
    static void XMLCALL on_text(void* self, const XML_Char* text, int length)
    {
        static_cast<TcxParser*>(self)->text(std::string_view(text, static_cast<std::size_t>(length)));
    }
    static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int)
    {
        // A TCX file has no DOCTYPE; refusing it rules out entity tricks altogether.
        static_cast<TcxParser*>(self)->stop("a DOCTYPE is not allowed in a TCX file");
    }

    Error located(const std::string& message) const
    {
        return make_error("line " + std::to_string(XML_GetCurrentLineNumber(m_parser)) + ": " + message);
    }

    void stop(const std::string& message)
    {
        if (!m_error) {
            m_error = located(message);
        }
        XML_StopParser(m_parser, XML_FALSE);
    }

    static std::optional<std::string_view> attribute(const XML_Char** attributes, std::string_view wanted)
    {
        // Unprefixed attributes have no namespace, so expat reports their bare local name.
        for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
            if (wanted == attributes[i]) {
                return std::string_view(attributes[i + 1]);
            }
        }
        return std::nullopt;
    }

    void start(const QualifiedName& name, const XML_Char** attributes)
    {
        if (m_error) {
            return;
        }
        const Node parent = m_stack.back();
        if (parent == Node::document &&
            !(name.uri == k_tcx_namespace && name.local == "TrainingCenterDatabase")) {
            stop("not a TCX file: the root element is " + std::string(name.local) +
                 (name.uri.empty() ? std::string(" without a namespace")
                                   : " in namespace " + std::string(name.uri)));
            return;
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
                    stop("more than one Activity: convert one activity per file");
                    return;
                }
                if (auto sport = attribute(attributes, "Sport")) {
                    m_workout.sport = std::string(*sport);
                }
                break;
            case Node::lap: {
                auto start_time = attribute(attributes, "StartTime");
                if (!start_time) {
                    stop("Lap without StartTime");
                    return;
                }
                auto start_ms = parse_xsd_date_time_ms(*start_time);
                if (!start_ms) {
                    stop("Lap StartTime " + start_ms.error().message);
                    return;
                }
                m_workout.laps.emplace_back().start_ms = *start_ms;
                break;
            }
            case Node::trackpoint:
                if (trackpoint_count(m_workout) >= k_max_trackpoints) {
                    stop("more than " + std::to_string(k_max_trackpoints) + " trackpoints");
                    return;
                }
                m_point = Trackpoint{};
                m_point_has_time = false;
                break;
            default:
                break;
        }
    }

    void text(std::string_view piece)
    {
        if (m_error || !is_value(m_stack.back())) {
            return;
        }
        if (m_text.size() + piece.size() > k_max_value_length) {
            stop("a value longer than " + std::to_string(k_max_value_length) + " characters");
            return;
        }
        m_text.append(piece);
    }

    void end()
    {
        if (m_error) {
            return;
        }
        const Node node = m_stack.back();
        m_stack.pop_back();
        if (auto stored = store_value(node); !stored) {
            stop(stored.error().message);
        }
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

    XML_Parser m_parser;
    std::vector<Node> m_stack;
    std::string m_text;
    std::optional<Error> m_error;
    Workout m_workout;
    Trackpoint m_point;
    bool m_point_has_time = false;
    bool m_seen_root = false;
    int m_activities = 0;
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
        const auto got = static_cast<std::size_t>(input.gcount());
        if (input.bad()) {
            return make_error("cannot read the file");
        }
        if (auto fed = parser.feed(std::string_view(buffer.data(), got), input.eof()); !fed) {
            return fed.error();
        }
    }
    return parser.finish();
}

Result<Workout> read_tcx_text(std::string_view text)
{
    TcxParser parser;
    // Fed in chunks as a file would be, so a value split between two pieces is exercised too.
    while (text.size() > k_chunk_size) {
        if (auto fed = parser.feed(text.substr(0, k_chunk_size), false); !fed) {
            return fed.error();
        }
        text.remove_prefix(k_chunk_size);
    }
    if (auto fed = parser.feed(text, true); !fed) {
        return fed.error();
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

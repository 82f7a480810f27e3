// Xiaomi S400 module: descriptor, config and the glue between advertisements, decryption, the
// pure decoder and the session tracker.

#include <cstdio>
#include <deque>
#include <iterator>
#include <vector>

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "decoder.hpp"
#include "options.hpp"
#include "session_tracker.hpp"
#include "util/time.hpp"

namespace ble2garmin::modules {
namespace {

// The S400 tells up to 256 people apart by a profile byte; a [[users]] entry claims one.
constexpr DeviceUserKey k_user_key{"s400_profile_id", 255};

using s400::BodyPacket;
using s400::MiBeaconFrame;
using s400::PacketKind;
using s400::Weighing;

constexpr std::string_view k_kind = "s400";
// An identical frame (same packet counter, same bytes) within this time is a repeat of one
// already handled: the scale sends every frame several times, and a replay must not count.
constexpr std::chrono::minutes k_repeat_memory{10};
constexpr std::size_t k_max_remembered_frames = 32;
// Authentication failures closer together than this are one burst (one weighing's frames).
constexpr std::chrono::seconds k_failure_burst_gap{60};
// Completed weighings not yet returned; one decode() returns one, and more than two never pile up
// in practice. The bound only guards against a pathological frame sequence.
constexpr std::size_t k_max_ready = 16;

std::string product_problem(std::uint16_t product_id)
{
    char text[128];
    const char* other = s400::other_xiaomi_scale(product_id);
    (void)std::snprintf(text, sizeof text, "product id 0x%04X is not an S400 (MJTZC01YM/MJTZC03YM)%s%s",
                        static_cast<unsigned>(product_id), other != nullptr ? ": it is an " : "",
                        other != nullptr ? other : "");
    return text;
}

// The packet of one frame, or why there is none. `describe` and `decode` share these steps.
struct Opened {
    std::optional<BodyPacket> packet;
    std::string why;  // set when there is no packet and it is no error (idle frame, …)
    std::optional<Error> error;
    bool authentication_failed = false;
};

Opened open_frame(const MiBeaconFrame& frame, const s400::Options& options)
{
    if (!frame.has_object) {
        return {std::nullopt, "idle frame without a measurement object", std::nullopt};
    }
    if (!frame.encrypted) {
        return {std::nullopt, {}, Error{"unencrypted object frame refused: a genuine S400 always encrypts"}};
    }
    auto plaintext = s400::decrypt_frame(frame, options.bindkey, options.mac_bytes);
    if (!plaintext) {
        return {std::nullopt, {}, plaintext.error(), true};
    }
    auto packet = s400::find_body_packet(*plaintext);
    if (!packet) {
        return {std::nullopt, {}, packet.error()};
    }
    if (!*packet) {
        return {std::nullopt, "no body-composition object (0x6E16) in the frame", std::nullopt};
    }
    return {**packet, {}, std::nullopt};
}

std::optional<int> rounded(const std::optional<std::uint16_t>& tenths)
{
    return tenths ? std::optional<int>(s400::round_tenths(*tenths)) : std::nullopt;
}

class S400Module final : public DeviceModule {
public:
    explicit S400Module(s400::Options options)
        : m_options(std::move(options)), m_tracker(m_options.session_grace)
    {
    }

    DecodeOutcome decode(const Advertisement& advertisement) override
    {
        // The grace time is checked on every advertisement of the scale, whatever it carries.
        if (auto expired = m_tracker.expire(advertisement.received_at)) {
            ready(*expired);
        }
        DecodeOutcome outcome = decode_frame(advertisement);
        if (!m_ready.empty()) {
            Reading reading = std::move(m_ready.front());
            m_ready.pop_front();
            return reading;
        }
        return outcome;
    }

    std::vector<Reading> collect(SystemTime now, bool everything) override
    {
        if (auto expired = everything ? m_tracker.flush(now) : m_tracker.expire(now)) {
            ready(*expired);
        }
        std::vector<Reading> readings(std::make_move_iterator(m_ready.begin()),
                                      std::make_move_iterator(m_ready.end()));
        m_ready.clear();
        return readings;
    }

    std::optional<SystemTime> next_deadline() const override
    {
        // A second reading completed by the same advertisement waits in m_ready: due at once.
        return m_ready.empty() ? m_tracker.deadline() : std::optional<SystemTime>(SystemTime{});
    }

    Result<nlohmann::ordered_json> describe(std::string_view /*kind*/, const Bytes& payload) const override
    {
        auto frame = s400::parse_frame(payload);
        if (!frame) {
            return frame.error();
        }
        if (s400::s400_model(frame->product_id) == nullptr) {
            return make_error(product_problem(frame->product_id));
        }
        Opened opened = open_frame(*frame, m_options);
        if (opened.error) {
            return *opened.error;
        }
        if (!opened.packet) {
            return make_error(opened.why);
        }
        const BodyPacket& packet = *opened.packet;
        const auto heart_rate = packet.heart_rate_bpm();
        nlohmann::ordered_json out;
        out["profile_id"] = packet.profile_id;
        out["weight_kg"] = packet.weight_raw != 0 ? nlohmann::ordered_json(packet.weight_kg()) : nullptr;
        out["heart_rate_bpm"] = heart_rate ? nlohmann::ordered_json(*heart_rate) : nullptr;
        out["impedance_ohm"] =
            packet.kind == PacketKind::weight ? nlohmann::ordered_json(packet.impedance_ohm()) : nullptr;
        out["impedance_high_ohm"] = packet.kind == PacketKind::impedance_high
                                        ? nlohmann::ordered_json(packet.impedance_ohm())
                                        : nullptr;
        out["packet"] = s400::packet_name(packet.kind);
        return out;
    }

private:
    struct SeenFrame {
        std::uint32_t counter = 0;
        Bytes payload;
        std::array<std::uint8_t, 4> mic{};
        SystemTime at;
    };

    DecodeOutcome decode_frame(const Advertisement& advertisement)
    {
        static const std::string k_uuid(s400::k_mibeacon_uuid);
        const auto found = advertisement.service_data.find(k_uuid);
        if (found == advertisement.service_data.end()) {
            return NotMine{};
        }
        auto frame = s400::parse_frame(found->second);
        if (!frame) {
            return DecodeError{frame.error().message};
        }
        if (s400::s400_model(frame->product_id) == nullptr) {
            return NotMine{};  // another Xiaomi product (describe() names it)
        }
        const SystemTime at = advertisement.received_at;
        if (frame->has_object && frame->encrypted && is_repeat(*frame, at)) {
            return NotFinal{"repeated frame"};
        }
        Opened opened = open_frame(*frame, m_options);
        if (opened.error) {
            return DecodeError{opened.authentication_failed
                                   ? authentication_failure(opened.error->message, at)
                                   : opened.error->message};
        }
        if (frame->has_object) {
            remember(*frame, at);
        }
        if (!opened.packet) {
            return NotFinal{opened.why};
        }
        auto step = m_tracker.on_packet(*opened.packet, at, advertisement.source);
        for (const auto& weighing : step.completed) {
            ready(weighing);
        }
        return NotFinal{step.why};
    }

    // The failure message with the start of its burst, so the dispatcher (which logs a message
    // once until it changes) logs one line per weighing that fails rather than one per frame or
    // one per daemon lifetime.
    std::string authentication_failure(const std::string& message, SystemTime at)
    {
        if (!m_failing_since || at - m_last_failure > k_failure_burst_gap) {
            m_failing_since = at;
        }
        m_last_failure = at;
        return message + "; failing since " + format_iso_utc(*m_failing_since);
    }

    bool is_repeat(const MiBeaconFrame& frame, SystemTime at) const
    {
        for (const auto& seen : m_seen) {
            if (seen.counter == frame.packet_counter() && seen.mic == frame.mic &&
                seen.payload == frame.payload && at - seen.at < k_repeat_memory) {
                return true;
            }
        }
        return false;
    }

    void remember(const MiBeaconFrame& frame, SystemTime at)
    {
        std::erase_if(m_seen, [&](const SeenFrame& seen) {
            return at - seen.at >= k_repeat_memory || seen.counter == frame.packet_counter();
        });
        if (m_seen.size() >= k_max_remembered_frames) {
            m_seen.pop_front();
        }
        m_seen.push_back({frame.packet_counter(), frame.payload, frame.mic, at});
    }

    void ready(const Weighing& weighing)
    {
        if (m_ready.size() >= k_max_ready) {
            m_ready.pop_front();
        }
        m_ready.push_back(make_reading(weighing));
    }

    Reading make_reading(const Weighing& weighing) const
    {
        Reading reading;
        reading.module = std::string(k_kind);
        reading.device_address = m_options.mac;
        reading.source = weighing.source;
        // The receive time of the first packet. The trailing uint32 of the object looks like the
        // scale's Unix time, but that is an inference (spec §4.1): it identifies the weighing
        // below and does not date it.
        reading.received_at = weighing.first_seen;
        // Every packet of one weighing carries the same profile, scale time and weight, so a
        // weighing reported with or without its 250 kHz packet, before or after a restart, has
        // one fingerprint.
        char fingerprint[64];
        (void)std::snprintf(fingerprint, sizeof fingerprint, "s400/%d/%08x/%u", weighing.profile_id,
                            static_cast<unsigned>(weighing.scale_time),
                            static_cast<unsigned>(weighing.weight_raw));
        reading.fingerprint = fingerprint;
        ScaleReading scale;
        scale.weight_kg = weighing.weight_raw / 10.0;  // 0.1 kg per LSB
        scale.impedance_ohm = rounded(weighing.impedance_low_raw);
        scale.impedance_high_ohm = rounded(weighing.impedance_high_raw);
        scale.heart_rate_bpm = s400::heart_rate_bpm(weighing.heart_rate_raw);
        reading.value = scale;
        // The scale's profile of the weighing person; [[users]] s400_profile_id claims it.
        reading.device_user = DeviceUser{k_user_key.key, weighing.profile_id};
        return reading;
    }

    s400::Options m_options;
    s400::SessionTracker m_tracker;
    std::deque<SeenFrame> m_seen;
    std::deque<Reading> m_ready;
    std::optional<SystemTime> m_failing_since;
    SystemTime m_last_failure;
};

// Without the bindkey only the frame header can be read: enough to tell an S400 from the other
// Xiaomi devices that advertise MiBeacon frames, and to name the model for `ble2garmin scan`.
std::string identify(std::string_view /*kind*/, const Bytes& payload)
{
    const auto frame = s400::parse_frame(payload);
    if (!frame) {
        return {};
    }
    const char* model = s400::s400_model(frame->product_id);
    if (model == nullptr) {
        return {};
    }
    return std::string("{\"model\":\"") + model +
           "\",\"encrypted\":true,\"decode\":\"add the bindkey to [devices.s400]\"}";
}

Result<std::unique_ptr<DeviceModule>> create(const toml::table& table)
{
    auto options = s400::read_options(table);
    if (!options) {
        return options.error();
    }
    return std::unique_ptr<DeviceModule>(std::make_unique<S400Module>(std::move(*options)));
}

}  // namespace

const DeviceModuleDescriptor& s400_descriptor()
{
    static const DeviceModuleDescriptor k_descriptor{
        "s400",
        "Xiaomi Body Composition Scale S400 (encrypted MiBeacon advertisements; needs the bindkey)",
        {
            {k_kind, "Xiaomi S400, service data 0xFE95 (encrypted MiBeacon v5; needs --mac and --bindkey)",
             s400::k_mibeacon_uuid},
        },
        &create,
        &identify,
        k_user_key,
        ScaleReadingContent{.impedance_high = true, .heart_rate = true},
    };
    return k_descriptor;
}

}  // namespace ble2garmin::modules

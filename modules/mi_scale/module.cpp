// Mi scale module: descriptor, config and the glue between advertisements and the pure decoder.

#include <cstdio>

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "config/field_readers.hpp"
#include "decoder.hpp"
#include "util/time.hpp"
#include "weighing_tracker.hpp"

namespace ble2garmin::modules {
namespace {

using mi_scale::Frame;

constexpr std::string_view k_scale2_uuid = "0000181b-0000-1000-8000-00805f9b34fb";
constexpr std::string_view k_scale1_uuid = "0000181d-0000-1000-8000-00805f9b34fb";
constexpr std::string_view k_scale2_kind = "mi_scale2";
constexpr std::string_view k_scale1_kind = "mi_scale1";
// Long enough for a slow impedance measurement; a step-off ends the weighing earlier anyway.
constexpr int k_default_weight_only_after_seconds = 30;

std::optional<SystemTime> clock_as_utc(const mi_scale::ScaleClock& c)
{
    auto time = utc_from_fields(c.year, c.month, c.day, c.hour, c.minute, c.second);
    return time ? std::optional<SystemTime>(*time) : std::nullopt;
}

Reading make_reading(std::string_view kind, const Frame& frame, const Advertisement& advertisement,
                     bool with_impedance)
{
    Reading reading;
    reading.module = std::string(kind);
    reading.device_address = advertisement.address;
    reading.source = advertisement.source;
    reading.received_at = advertisement.received_at;
    reading.device_time = clock_as_utc(frame.clock);
    // Impedance is left out on purpose: a weight-only and an impedance report of the same
    // weighing are one measurement.
    reading.fingerprint = std::string(kind) + "/" + mi_scale::weighing_key(frame);
    ScaleReading scale;
    scale.weight_kg = mi_scale::recorded_weight_kg(frame);
    if (with_impedance) {
        scale.impedance_ohm = frame.impedance_ohm;
    }
    reading.value = scale;
    return reading;
}

class MiScaleModule final : public DeviceModule {
public:
    explicit MiScaleModule(std::chrono::seconds weight_only_after) : m_tracker(weight_only_after) {}

    DecodeOutcome decode(const Advertisement& advertisement) override
    {
        for (const auto& [uuid, payload] : advertisement.service_data) {
            const bool scale2 = uuid == k_scale2_uuid;
            if (!scale2 && uuid != k_scale1_uuid) {
                continue;
            }
            auto frame = scale2 ? mi_scale::decode_scale2(payload) : mi_scale::decode_scale1(payload);
            if (!frame) {
                return DecodeError{frame.error().message};
            }
            auto decision = m_tracker.on_frame(*frame, scale2, advertisement.received_at);
            const auto kind = scale2 ? k_scale2_kind : k_scale1_kind;
            switch (decision.verdict) {
                case mi_scale::WeighingTracker::Verdict::wait:
                    return NotFinal{decision.why};
                case mi_scale::WeighingTracker::Verdict::with_impedance:
                    return make_reading(kind, decision.frame, advertisement, true);
                case mi_scale::WeighingTracker::Verdict::weight_only:
                    return make_reading(kind, decision.frame, advertisement, false);
            }
        }
        return NotMine{};
    }

    Result<nlohmann::ordered_json> describe(std::string_view kind, const Bytes& payload) const override
    {
        auto frame =
            kind == k_scale2_kind ? mi_scale::decode_scale2(payload) : mi_scale::decode_scale1(payload);
        if (!frame) {
            return frame.error();
        }
        nlohmann::ordered_json out;
        out["unit"] = mi_scale::unit_name(frame->unit);
        out["weight_kg"] = frame->weight_kg;
        out["recorded_weight_kg"] = mi_scale::recorded_weight_kg(*frame);
        out["impedance_ohm"] = frame->impedance_ohm ? nlohmann::ordered_json(*frame->impedance_ohm) : nullptr;
        out["stabilized"] = frame->stabilized;
        out["impedance_present"] = frame->impedance_present;
        out["load_removed"] = frame->load_removed;
        out["object_mode"] = frame->object_mode;
        out["final"] = frame->is_final();
        const auto time = clock_as_utc(frame->clock);
        out["timestamp"] = time ? nlohmann::ordered_json(format_iso_naive_utc(*time)) : nullptr;
        return out;
    }

private:
    mi_scale::WeighingTracker m_tracker;
};

Result<std::unique_ptr<DeviceModule>> create(const toml::table& options)
{
    config::Problems problems;
    config::TableReader reader(options, "devices.mi_scale", problems);
    reader.reject_unknown_keys({"mac", "name", "weight_only_after_seconds"});
    const std::int64_t seconds =
        reader.integer("weight_only_after_seconds", 1, 600).value_or(k_default_weight_only_after_seconds);
    if (auto checked = problems.result(); !checked) {
        return checked.error();
    }
    return std::unique_ptr<DeviceModule>(std::make_unique<MiScaleModule>(std::chrono::seconds(seconds)));
}

}  // namespace

const DeviceModuleDescriptor& mi_scale_descriptor()
{
    static const DeviceModuleDescriptor k_descriptor{
        "mi_scale",
        "Xiaomi Mi Body Composition Scale 2 and Mi Smart Scale (passive advertisements)",
        {
            {k_scale2_kind, "Mi Body Composition Scale 2, service data 0x181B (13 bytes)", k_scale2_uuid},
            {k_scale1_kind, "Mi Smart Scale v1, service data 0x181D (10 bytes)", k_scale1_uuid},
        },
        &create,
        nullptr,  // needs nothing but the address
        {},       // no users of its own: the weight range decides
        {},       // weight and one impedance
    };
    return k_descriptor;
}

}  // namespace ble2garmin::modules

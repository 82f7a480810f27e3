// Omron blood-pressure cuffs: descriptor, config and the glue between advertisements and download
// sessions. The cuff keeps its measurements in memory; an advertisement only says "connect now",
// so decode() never yields a reading and session_for() answers each advert with a session.

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "gatt_uuids.hpp"
#include "options.hpp"
#include "record.hpp"
#include "session.hpp"

namespace ble2garmin::modules {
namespace {

using omron::Options;

// A person claims a cuff's user slot (1 or 2) with `omron_slot` in [[users]].
constexpr DeviceUserKey k_user_key{omron::k_slot_key, 2, 1};
constexpr std::string_view k_record_kind = "omron-record";

std::string two_digits(int value)
{
    return (value < 10 ? "0" : "") + std::to_string(value);
}

std::string naive_time(const DeviceDateTime& t)
{
    return std::to_string(t.year) + "-" + two_digits(t.month) + "-" + two_digits(t.day) + "T" +
           two_digits(t.hour) + ":" + two_digits(t.minute) + ":" + two_digits(t.second);
}

class OmronModule final : public DeviceModule {
public:
    explicit OmronModule(Options options) : m_options(std::move(options)) {}

    DecodeOutcome decode(const Advertisement& advertisement) override
    {
        if (advertisement.manufacturer_data.contains(omron::k_company_id) || advertisement.rssi_dbm) {
            return NotFinal{"the cuff advertises: its records are read in a session"};
        }
        return NotMine{};
    }

    Result<nlohmann::ordered_json> describe(std::string_view /*kind*/, const Bytes& payload) const override
    {
        auto record = omron::decode_record(*m_options.model, payload);
        if (!record) {
            return record.error();
        }
        nlohmann::ordered_json out;
        const bool empty = !record->has_value();
        out["model"] = m_options.model->name;
        out["empty"] = empty;
        if (empty) {
            for (const char* key : {"systolic", "diastolic", "pulse", "mov", "ihb", "timestamp"}) {
                out[key] = nullptr;
            }
            return out;
        }
        const auto& r = **record;
        out["systolic"] = r.systolic;
        out["diastolic"] = r.diastolic;
        out["pulse"] = r.pulse;
        out["mov"] = r.movement ? 1 : 0;
        out["ihb"] = r.irregular_heartbeat ? 1 : 0;
        out["timestamp"] = naive_time(r.taken_at);  // the cuff's local clock, no zone
        if (r.user) {
            out["user"] = *r.user;
        }
        return out;
    }

    std::unique_ptr<DeviceSession> session_for(const Advertisement& advertisement) override
    {
        // A bonded cuff's object exists all the time; only signs of life (RSSI, manufacturer data)
        // mean it advertises now and accepts a connection.
        if (!advertisement.rssi_dbm && !advertisement.manufacturer_data.contains(omron::k_company_id)) {
            return nullptr;
        }
        return std::make_unique<omron::OmronSession>(m_options);
    }

private:
    Options m_options;
};

// `scan` without a configured model: the cuff's manufacturer data says little (third-party
// reverse engineering: byte 1 bit 3 = pairing mode), so name it and the next step.
std::string identify(std::string_view /*kind*/, const Bytes& payload)
{
    nlohmann::ordered_json out;
    out["device"] = "Omron blood-pressure cuff";
    if (payload.size() >= 2) {
        out["pairing_mode"] = (payload[1] & 0x08) != 0;
    }
    out["next"] = "ble2garmin omron pair --model <model on the label>";
    return out.dump();
}

Result<std::unique_ptr<DeviceModule>> create(const toml::table& table)
{
    auto options = omron::read_options(table);
    if (!options) {
        return options.error();
    }
    return std::unique_ptr<DeviceModule>(std::make_unique<OmronModule>(std::move(*options)));
}

}  // namespace

const DeviceModuleDescriptor& omron_descriptor()
{
    static const DeviceModuleDescriptor k_descriptor{
        "omron",
        "Omron blood-pressure cuffs over GATT (HEM-7155T, HEM-7322T and relatives; needs model)",
        {
            {k_record_kind, "one stored Omron record (needs --model)", "", omron::k_company_id},
        },
        &create,
        &identify,
        k_user_key,
        ScaleReadingContent{},
        true,
    };
    return k_descriptor;
}

}  // namespace ble2garmin::modules

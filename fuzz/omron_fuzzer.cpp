// Any bytes as what an Omron cuff sends: byte 0 picks the model, the rest is taken
//   - as one stored record (decode_record, describe: `decode omron-record`),
//   - as an answer frame (parse_response) and as channel pieces (AnswerAssembler),
//   - as an index section (parse_user_index),
//   - and as the cuff's whole side of a session: every notification the session waits for is the
//     next 16 bytes of the input, on the channel the input names (OmronSession over a scripted link).
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "modules/omron/frame.hpp"
#include "modules/omron/gatt_uuids.hpp"
#include "modules/omron/memory_index.hpp"
#include "modules/omron/options.hpp"
#include "modules/omron/record.hpp"
#include "modules/omron/session.hpp"

namespace {

using namespace ble2garmin;
using namespace ble2garmin::modules::omron;

// The cuff's notifications come from the input; writes always succeed.
class ScriptedLink final : public GattLink {
public:
    explicit ScriptedLink(std::span<const std::uint8_t> script) : m_script(script) {}
    Result<bool> paired() override { return true; }
    Result<void> pair() override { return {}; }
    bool has_service(std::string_view) const override { return true; }
    bool has_characteristic(std::string_view) const override { return true; }
    Result<void> start_notify(std::string_view) override { return {}; }
    Result<void> stop_notify(std::string_view) override { return {}; }
    Result<void> write(std::string_view, const Bytes&, GattWrite) override { return {}; }
    Result<Bytes> read(std::string_view) override { return Bytes{}; }
    void discard_notifications() override {}
    bool usable() const override { return !m_script.empty(); }
    Result<GattNotification> next_notification(std::chrono::milliseconds) override
    {
        if (m_script.size() < 2) {
            m_script = {};
            return make_error("no notification");
        }
        // One byte names the channel (unlock or RX 0–3), the next one the length (0–16).
        const std::uint8_t channel = m_script[0] % 5;
        const std::size_t length = std::min<std::size_t>(m_script[1] % 17, m_script.size() - 2);
        Bytes value(m_script.begin() + 2, m_script.begin() + 2 + static_cast<std::ptrdiff_t>(length));
        m_script = m_script.subspan(2 + length);
        return GattNotification{std::string(channel == 4 ? k_unlock : k_rx[channel]), std::move(value)};
    }

private:
    std::span<const std::uint8_t> m_script;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const auto all = models();
    const Model& model = all[data[0] % all.size()];
    const std::span<const std::uint8_t> rest(data + 1, size - 1);
    const Bytes bytes(rest.begin(), rest.end());

    (void)decode_record(model, rest);
    if (rest.size() >= model.record_size) {
        (void)decode_record(model, rest.first(model.record_size));
    }
    (void)parse_response(rest);
    AnswerAssembler assembler(model.stack == Stack::single_channel);
    for (std::size_t at = 0, channel = 0; at < rest.size(); at += k_piece, ++channel) {
        const std::size_t end = std::min(rest.size(), at + k_piece);
        assembler.add(channel % k_channels, Bytes(rest.begin() + static_cast<std::ptrdiff_t>(at),
                                                  rest.begin() + static_cast<std::ptrdiff_t>(end)));
        if (auto frame = assembler.frame()) {
            (void)parse_response(*frame);
        }
    }
    (void)parse_user_index(model, rest, 0);
    (void)parse_user_index(model, rest, 1);

    auto module = find_device_module("omron")->create(toml::table{{"model", std::string(model.name)}});
    if (module) {
        (void)(*module)->describe("omron-record", bytes);
    }

    // The session, against a cuff whose answers are the input. With the default key the unlock
    // answer must be 81 00; the input decides whether it is.
    Options options;
    options.model = &model;
    options.key = *parse_key(k_default_key);
    ScriptedLink link(rest);
    SessionInput input;
    if (data[0] & 0x80) {
        input.cursors["user1"] = 0;
    }
    (void)OmronSession(options).run(link, input);
    return 0;
}

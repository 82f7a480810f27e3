#include "session.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "frame.hpp"
#include "gatt_uuids.hpp"
#include "memory_index.hpp"
#include "record.hpp"
#include "transport.hpp"

namespace ble2garmin::modules::omron {
namespace {

constexpr std::chrono::milliseconds k_unlock_timeout{3000};
constexpr int k_programming_attempts = 10;
constexpr std::chrono::milliseconds k_programming_wait{1000};

Bytes with_key(std::uint8_t command, const PairingKey& key)
{
    Bytes value(1 + key.size());
    value[0] = command;
    std::copy(key.begin(), key.end(), value.begin() + 1);
    return value;
}

std::string hex_pair(const Bytes& value)
{
    char text[8] = "-";
    if (value.size() >= 2) {
        (void)std::snprintf(text, sizeof text, "%02x %02x", value[0], value[1]);
    } else if (value.size() == 1) {
        (void)std::snprintf(text, sizeof text, "%02x", value[0]);
    }
    return text;
}

// The next notification of the unlock characteristic within `timeout`.
Result<Bytes> unlock_answer(GattLink& link, std::chrono::milliseconds timeout)
{
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return make_error("no answer on the unlock characteristic");
        }
        auto notification = link.next_notification(left);
        if (!notification) {
            return notification.error();
        }
        if (notification->uuid == k_unlock) {
            return notification->value;
        }
    }
}

Result<void> ensure_bonded(GattLink& link)
{
    auto paired = link.paired();
    if (!paired) {
        return paired.error();
    }
    if (*paired) {
        return {};
    }
    if (auto bonded = link.pair(); !bonded) {
        return make_error("pairing failed (" + bonded.error().message +
                          "); put the cuff in pairing mode (hold its Bluetooth button until \"P\" flashes) "
                          "and run `ble2garmin omron pair`");
    }
    return {};
}

// Reads `count` records from `slot` of `area` with one or more EEPROM reads.
Result<Bytes> read_slots(Transport& transport, const Model& model, const UserArea& area, int slot, int count)
{
    const auto address = static_cast<std::uint16_t>(area.start + slot * model.record_size);
    return transport.read(address, static_cast<std::size_t>(count) * model.record_size, model.block_size);
}

std::string slot_name(int user, int slot)
{
    return "user " + std::to_string(user) + " slot " + std::to_string(slot);
}

class Download {
public:
    Download(Transport& transport, const Model& model, const SessionInput& input, SessionOutput& output)
        : m_transport(transport), m_model(model), m_input(input), m_output(output)
    {
    }

    // Every record of user `user` (1-based) that is newer than its cursor, oldest first.
    Result<void> user(int user, const std::optional<UserIndex>& index)
    {
        const UserArea& area = m_model.users[static_cast<std::size_t>(user - 1)];
        const auto cursor = m_input.cursors.find("user" + std::to_string(user));
        const bool have_cursor = cursor != m_input.cursors.end() && !m_input.read_all;
        std::vector<MemoryRecord> found;
        if (index && have_cursor) {
            const auto newest = newest_slot(*index, area.records);
            if (!newest) {
                return {};
            }
            if (auto read = newest_back_to(user, area, *newest, cursor->second, found); !read) {
                return read;
            }
        } else if (auto read = everything(user, area, found); !read) {
            return read;
        }
        std::erase_if(found, [&](const MemoryRecord& record) {
            const auto own = m_input.cursors.find(record.stream);
            return !m_input.read_all && own != m_input.cursors.end() && record.position <= own->second;
        });
        std::stable_sort(found.begin(), found.end(), [](const MemoryRecord& a, const MemoryRecord& b) {
            return a.position < b.position;
        });
        m_output.records.insert(m_output.records.end(), found.begin(), found.end());
        return {};
    }

private:
    // Decodes the record of `slot`; false for an empty slot (a malformed one is noted and skipped).
    bool take(int user, int slot, std::span<const std::uint8_t> bytes, std::vector<MemoryRecord>& into,
              bool& empty)
    {
        auto decoded = decode_record(m_model, bytes);
        empty = false;
        if (!decoded) {
            m_output.notes.push_back("record skipped: " + decoded.error().message + " (" +
                                     slot_name(user, slot) + ")");
            return false;
        }
        if (!*decoded) {
            empty = true;
            return false;
        }
        const Record& record = **decoded;
        MemoryRecord out;
        out.value.systolic_mmhg = record.systolic;
        out.value.diastolic_mmhg = record.diastolic;
        out.value.pulse_bpm = record.pulse;
        out.value.movement = record.movement;
        out.value.irregular_heartbeat = record.irregular_heartbeat;
        out.device_user = DeviceUser{k_slot_key, record.user.value_or(user)};
        out.stream = "user" + std::to_string(out.device_user.id);
        out.position = local_seconds(record.taken_at);
        out.taken_at = record.taken_at;
        into.push_back(out);
        return true;
    }

    Result<void> everything(int user, const UserArea& area, std::vector<MemoryRecord>& into)
    {
        auto bytes = read_slots(m_transport, m_model, area, 0, area.records);
        if (!bytes) {
            return bytes.error();
        }
        for (int slot = 0; slot < area.records; ++slot) {
            bool empty = false;
            (void)take(user, slot,
                       std::span<const std::uint8_t>(*bytes).subspan(
                           static_cast<std::size_t>(slot) * m_model.record_size, m_model.record_size),
                       into, empty);
        }
        return {};
    }

    // From the newest slot backwards (wrapping) until an empty slot or a record at or before `cursor`.
    Result<void> newest_back_to(int user, const UserArea& area, int newest, std::int64_t cursor,
                                std::vector<MemoryRecord>& into)
    {
        const int per_block = std::max(1, m_model.block_size / m_model.record_size);
        int slot = newest;
        for (int done = 0; done < area.records;) {
            const int first = std::max(0, slot - per_block + 1);
            const int count = slot - first + 1;
            auto bytes = read_slots(m_transport, m_model, area, first, count);
            if (!bytes) {
                return bytes.error();
            }
            for (int s = slot; s >= first && done < area.records; --s, ++done) {
                bool empty = false;
                const bool taken =
                    take(user, s,
                         std::span<const std::uint8_t>(*bytes).subspan(
                             static_cast<std::size_t>(s - first) * m_model.record_size, m_model.record_size),
                         into, empty);
                if (empty || (taken && into.back().position <= cursor)) {
                    return {};
                }
            }
            slot = first == 0 ? area.records - 1 : first - 1;
        }
        return {};
    }

    Transport& m_transport;
    const Model& m_model;
    const SessionInput& m_input;
    SessionOutput& m_output;
};

// The clock block with `now` written in (§8), bytes outside the time fields kept.
Bytes clock_block(const Model& model, Bytes block, const DeviceDateTime& now)
{
    const auto byte = [](int value) { return static_cast<std::uint8_t>(value); };
    if (model.endian == Endian::little && block.size() >= 16) {
        const std::uint8_t fields[] = {byte(now.year - 2000), byte(now.month),  byte(now.day),
                                       byte(now.hour),        byte(now.minute), byte(now.second)};
        std::copy(std::begin(fields), std::end(fields), block.begin() + 8);
        if (model.rules == RecordRules::checked_7377) {
            block[4] = 0x01;
        }
        unsigned sum = 0;
        for (int i = 0; i < 14; ++i) {
            sum += block[static_cast<std::size_t>(i)];
        }
        block[14] = static_cast<std::uint8_t>(sum & 0xFF);
        block[15] = 0x00;
    } else if (model.endian == Endian::big && block.size() >= 10) {
        const std::uint8_t fields[] = {byte(now.month), byte(now.year - 2000), byte(now.hour),
                                       byte(now.day),   byte(now.second),      byte(now.minute)};
        std::copy(std::begin(fields), std::end(fields), block.begin() + 2);
        block[8] = 0x00;
        unsigned sum = 0;
        for (int i = 0; i < 9; ++i) {
            sum += block[static_cast<std::size_t>(i)];
        }
        block[9] = static_cast<std::uint8_t>(sum & 0xFF);
    }
    return block;
}

}  // namespace

Result<void> unlock(GattLink& link, const PairingKey& key)
{
    if (auto started = link.start_notify(k_unlock); !started) {
        return started;
    }
    link.discard_notifications();
    if (auto written = link.write(k_unlock, with_key(0x01, key), GattWrite::request); !written) {
        return written;
    }
    auto answer = unlock_answer(link, k_unlock_timeout);
    (void)link.stop_notify(k_unlock);
    if (!answer) {
        return make_error("unlocking: " + answer.error().message);
    }
    if (answer->size() < 2 || (*answer)[0] != 0x81 || (*answer)[1] != 0x00) {
        return make_error("the cuff refused the key (answer " + hex_pair(*answer) +
                          "): pair it again with `ble2garmin omron pair`, or set the key it was paired with");
    }
    return {};
}

Result<void> program_key(GattLink& link, const PairingKey& key)
{
    // Notifications on RX channel 0 make a real cuff ask for bonding (SMP security request).
    if (auto started = link.start_notify(k_rx[0]); !started) {
        return started;
    }
    if (auto started = link.start_notify(k_unlock); !started) {
        return started;
    }
    bool programming = false;
    std::string last = "no answer";
    const PairingKey zeros{};
    for (int attempt = 0; attempt < k_programming_attempts && !programming && link.usable(); ++attempt) {
        link.discard_notifications();
        if (auto written = link.write(k_unlock, with_key(0x02, zeros), GattWrite::request); !written) {
            last = written.error().message;
        } else if (auto answer = unlock_answer(link, k_programming_wait); !answer) {
            last = answer.error().message;
        } else if (!answer->empty() && (*answer)[0] == 0x82) {
            programming = true;
        } else {
            last = "answer " + hex_pair(*answer);
        }
    }
    if (!programming) {
        (void)link.stop_notify(k_unlock);
        return make_error("could not enter key programming mode (" + last +
                          "): hold the cuff's Bluetooth button until \"P\" flashes, then try again");
    }
    link.discard_notifications();
    if (auto written = link.write(k_unlock, with_key(0x00, key), GattWrite::request); !written) {
        return written;
    }
    auto stored = unlock_answer(link, k_unlock_timeout);
    (void)link.stop_notify(k_unlock);
    (void)link.stop_notify(k_rx[0]);
    if (!stored) {
        return make_error("programming the key: " + stored.error().message);
    }
    if (stored->size() < 2 || (*stored)[0] != 0x80 || (*stored)[1] != 0x00) {
        return make_error("the cuff did not store the key (answer " + hex_pair(*stored) + ")");
    }
    return {};
}

Result<SessionOutput> OmronSession::run(GattLink& link, const SessionInput& input)
{
    const Model& model = *m_options.model;
    SessionOutput output;
    const std::string_view service =
        model.stack == Stack::classic ? k_parent_service : k_single_channel_service;
    if (!link.has_service(service)) {
        return make_error("the cuff offers no Omron service " + std::string(service) +
                          ": is the model right (" + std::string(model.name) + ")?");
    }
    if (auto bonded = ensure_bonded(link); !bonded) {
        return bonded.error();
    }
    if (model.stack == Stack::classic) {
        if (auto unlocked = unlock(link, m_options.key); !unlocked) {
            // In pairing mode the cuff takes a key: program ours and unlock again.
            if (!link.usable() || !program_key(link, m_options.key)) {
                return unlocked.error();
            }
            output.notes.push_back("pairing key programmed into the cuff");
            if (auto again = unlock(link, m_options.key); !again) {
                return again.error();
            }
        }
    }
    Transport transport(link, model.stack);
    if (auto opened = transport.open(); !opened) {
        return opened.error();
    }
    if (auto started = transport.transact(start_frame(), answer_type(Command::start), 0); !started) {
        return make_error("start of transmission: " + started.error().message);
    }
    Bytes index_section;
    if (model.index.size > 0 && model.settings_read) {
        auto section = transport.read(static_cast<std::uint16_t>(*model.settings_read + model.index.offset),
                                      model.index.size, model.block_size);
        if (!section) {
            return make_error("reading the index: " + section.error().message);
        }
        index_section = std::move(*section);
    }
    Download download(transport, model, input, output);
    for (int user = 1; user <= static_cast<int>(model.users.size()); ++user) {
        std::optional<UserIndex> index;
        if (!index_section.empty()) {
            auto parsed = parse_user_index(model, index_section, user - 1);
            if (parsed) {
                index = *parsed;
            } else {
                output.notes.push_back(parsed.error().message + "; reading every slot");
            }
        }
        if (auto read = download.user(user, index); !read) {
            return make_error("reading user " + std::to_string(user) + "'s records: " + read.error().message);
        }
    }
    if (m_options.update_unread_counter && !index_section.empty() && model.settings_write) {
        const auto at = static_cast<std::uint16_t>(*model.settings_write + model.index.offset);
        if (auto written = transport.write(at, with_unread_cleared(model, index_section)); !written) {
            return make_error("clearing the unread counters: " + written.error().message);
        }
        output.notes.push_back("unread counters cleared on the cuff");
    }
    if (m_options.sync_time && model.time_sync && model.settings_read && model.settings_write) {
        auto block = transport.read(static_cast<std::uint16_t>(*model.settings_read + model.time.offset),
                                    model.time.size, model.block_size);
        if (!block) {
            return make_error("reading the clock: " + block.error().message);
        }
        const auto at = static_cast<std::uint16_t>(*model.settings_write + model.time.offset);
        if (auto written = transport.write(at, clock_block(model, *block, input.local_now)); !written) {
            return make_error("setting the clock: " + written.error().message);
        }
        output.notes.push_back("cuff clock set");
    }
    auto ended = transport.transact(end_frame(), answer_type(Command::end), 0);
    if (!ended) {
        return make_error("end of transmission: " + ended.error().message);
    }
    if (!ended->data.empty() && ended->data[0] != 0) {
        return make_error("the cuff reported error " + std::to_string(ended->data[0]) +
                          " at the end of transmission");
    }
    transport.close();
    return output;
}

}  // namespace ble2garmin::modules::omron

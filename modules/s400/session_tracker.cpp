#include "session_tracker.hpp"

namespace ble2garmin::modules::s400 {
namespace {

// How long a reported weighing's own packets are recognised when the scale sends them again with
// a new frame counter. Later repeats are the pipeline's duplicate check's business.
constexpr std::chrono::minutes k_reported_memory{10};

}  // namespace

Weighing SessionTracker::start(const BodyPacket& packet, SystemTime at, const std::string& source)
{
    Weighing weighing;
    weighing.profile_id = packet.profile_id;
    weighing.weight_raw = packet.weight_raw;
    weighing.heart_rate_raw = packet.heart_rate_raw;
    if (packet.kind == PacketKind::weight) {
        weighing.impedance_low_raw = packet.impedance_raw;
    }
    weighing.scale_time = packet.scale_time;
    weighing.first_seen = at;
    weighing.source = source;
    return weighing;
}

SessionTracker::Identity SessionTracker::identity_of(const Weighing& weighing)
{
    return {weighing.profile_id, weighing.scale_time, weighing.weight_raw, {}};
}

bool SessionTracker::already_reported(const BodyPacket& packet, SystemTime at) const
{
    return m_reported && at - m_reported->completed_at < k_reported_memory &&
           *m_reported == Identity{packet.profile_id, packet.scale_time, packet.weight_raw, {}};
}

void SessionTracker::finish(Weighing weighing, SystemTime at, std::vector<Weighing>& out)
{
    m_reported = identity_of(weighing);
    m_reported->completed_at = at;
    out.push_back(std::move(weighing));
}

std::optional<Weighing> SessionTracker::expire(SystemTime now)
{
    if (m_early_high && now - m_early_high->at > m_grace) {
        m_early_high.reset();
    }
    if (!m_open || now - m_open->first_seen < m_grace) {
        return std::nullopt;
    }
    std::vector<Weighing> out;
    finish(std::move(*m_open), now, out);
    m_open.reset();
    return std::move(out.front());
}

std::optional<SystemTime> SessionTracker::deadline() const
{
    return m_open ? std::optional<SystemTime>(m_open->first_seen + m_grace) : std::nullopt;
}

std::optional<Weighing> SessionTracker::flush(SystemTime now)
{
    m_early_high.reset();
    if (!m_open) {
        return std::nullopt;
    }
    std::vector<Weighing> out;
    finish(std::move(*m_open), now, out);
    m_open.reset();
    return std::move(out.front());
}

SessionTracker::Step SessionTracker::on_packet(const BodyPacket& packet, SystemTime at,
                                               const std::string& source)
{
    Step step;
    switch (packet.kind) {
        case PacketKind::stepped_off:
            m_early_high.reset();
            if (!m_open) {
                step.why = "stepped off";
                break;
            }
            // The person left before the 250 kHz packet: the weighing is over with what arrived.
            finish(std::move(*m_open), at, step.completed);
            m_open.reset();
            break;

        case PacketKind::impedance_high:
            if (m_open && m_open->profile_id == packet.profile_id && at - m_open->first_seen <= m_grace) {
                m_open->impedance_high_raw = packet.impedance_raw;
                finish(std::move(*m_open), at, step.completed);
                m_open.reset();
                break;
            }
            m_early_high = PendingHigh{packet.profile_id, packet.impedance_raw, at};
            step.why = "250 kHz packet without a weight packet";
            break;

        case PacketKind::weight:
        case PacketKind::socks: {
            if (already_reported(packet, at)) {
                step.why = "weighing already reported";
                break;
            }
            if (m_open) {
                if (identity_of(*m_open) ==
                    Identity{packet.profile_id, packet.scale_time, packet.weight_raw, {}}) {
                    step.why = "weight packet again, waiting for the 250 kHz packet";
                    break;
                }
                // Another weighing began before this one completed: report this one as it is.
                finish(std::move(*m_open), at, step.completed);
                m_open.reset();
            }
            Weighing weighing = start(packet, at, source);
            if (packet.kind == PacketKind::socks) {
                finish(std::move(weighing), at, step.completed);
                break;
            }
            if (m_early_high && m_early_high->profile_id == packet.profile_id &&
                at - m_early_high->at <= m_grace) {
                weighing.impedance_high_raw = m_early_high->impedance_raw;
                m_early_high.reset();
                finish(std::move(weighing), at, step.completed);
                break;
            }
            m_open = std::move(weighing);
            step.why = "waiting for the 250 kHz packet";
            break;
        }
    }
    return step;
}

}  // namespace ble2garmin::modules::s400

#include "weighing_tracker.hpp"

#include <cstdio>

namespace ble2garmin::modules::mi_scale {

std::string weighing_key(const Frame& frame)
{
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d/%s/%u", frame.clock.year,
                  frame.clock.month, frame.clock.day, frame.clock.hour, frame.clock.minute,
                  frame.clock.second, unit_name(frame.unit), static_cast<unsigned>(frame.weight_raw));
    return text;
}

WeighingTracker::Decision WeighingTracker::on_frame(const Frame& frame, bool has_impedance_channel,
                                                    SystemTime received_at)
{
    if (frame.object_mode) {
        return {Verdict::wait, frame, "object mode"};
    }
    if (frame.weight_raw == 0) {
        return {Verdict::wait, frame, "no weight"};
    }
    if (!frame.stabilized) {
        return {Verdict::wait, frame, "not stabilized"};
    }
    const std::string key = weighing_key(frame);
    const bool same_as_candidate = m_candidate && m_candidate->key == key;

    if (frame.load_removed) {
        if (!same_as_candidate) {
            return {Verdict::wait, frame, "load removed"};
        }
        // The person stepped off: the weighing is over, with or without impedance.
        Frame stabilized = m_candidate->frame;
        m_candidate.reset();
        m_completed_key = key;
        if (frame.impedance_ohm) {
            return {Verdict::with_impedance, frame, {}};
        }
        return {Verdict::weight_only, stabilized, {}};
    }
    if (frame.impedance_ohm || !has_impedance_channel) {
        m_candidate.reset();
        m_completed_key = key;
        return {frame.impedance_ohm ? Verdict::with_impedance : Verdict::weight_only, frame, {}};
    }
    if (key == m_completed_key) {
        return {Verdict::wait, frame, "already reported"};
    }
    if (!same_as_candidate) {
        m_candidate = Candidate{key, received_at, frame};
        return {Verdict::wait, frame, "waiting for impedance"};
    }
    if (received_at - m_candidate->first_seen >= m_weight_only_after) {
        m_candidate.reset();
        m_completed_key = key;
        return {Verdict::weight_only, frame, {}};
    }
    return {Verdict::wait, frame, "waiting for impedance"};
}

}  // namespace ble2garmin::modules::mi_scale

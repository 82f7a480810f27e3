#pragma once
// Decides when a Mi scale weighing is complete.
//
// During one weighing a Mi Scale 2 first advertises the stabilized weight without impedance
// (control byte 1 = 0x24) while it measures, then the same weight with impedance (0x26), then,
// after the person stepped off, the same result with "load removed" (0xa6/0xa4) for ~15 minutes.
// Reporting the 0x24 frame at once would record every weighing twice, so a weight-only reading is
// reported only when the weighing is over without an impedance: the person stepped off (a
// removed frame of the same weighing arrives) or the frames kept coming for `weight_only_after`
// without one (socks, "weigh small object" disabled, impedance failure). Frames are matched by the
// scale clock and raw weight, which stay the same for every frame of one weighing.

#include <chrono>
#include <optional>
#include <string>

#include "ble2garmin/advertisement.hpp"

#include "decoder.hpp"

namespace ble2garmin::modules::mi_scale {

class WeighingTracker {
public:
    enum class Verdict {
        wait,  // not (yet) a measurement; `why` says why
        with_impedance,
        weight_only,  // report `frame` (the stabilized frame of this weighing) without impedance
    };
    struct Decision {
        Verdict verdict = Verdict::wait;
        Frame frame;
        std::string why;
    };

    explicit WeighingTracker(std::chrono::seconds weight_only_after) : m_weight_only_after(weight_only_after)
    {
    }

    // `has_impedance_channel` is false for the v1 scale, which never measures impedance.
    Decision on_frame(const Frame& frame, bool has_impedance_channel, SystemTime received_at);

private:
    struct Candidate {
        std::string key;
        SystemTime first_seen;
        Frame frame;
    };

    std::chrono::seconds m_weight_only_after;
    std::optional<Candidate> m_candidate;
    std::string m_completed_key;
};

// Identity of one weighing: the scale clock, unit and raw weight.
std::string weighing_key(const Frame& frame);

}  // namespace ble2garmin::modules::mi_scale

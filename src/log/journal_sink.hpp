#pragma once
// An spdlog sink that writes each line to journald with its priority and the fields of
// journal_fields.hpp (spdlog's own systemd sink sends MESSAGE and PRIORITY only).

#include <mutex>

#include <spdlog/sinks/base_sink.h>

namespace ble2garmin::logging {

class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& message) override;
    void flush_() override {}
};

}  // namespace ble2garmin::logging

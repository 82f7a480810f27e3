#include "log/logging.hpp"

#include <cstdlib>
#include <mutex>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <sys/stat.h>

#include "log/journal_sink.hpp"

namespace ble2garmin::logging {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;

Result<spdlog::level::level_enum> parse_level(std::string_view name)
{
    struct Name {
        std::string_view text;
        spdlog::level::level_enum level;
    };
    static constexpr Name k_names[] = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},  {"info", spdlog::level::info},
        {"warn", spdlog::level::warn},   {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
    };
    for (const auto& entry : k_names) {
        if (entry.text == name) {
            return entry.level;
        }
    }
    return make_error("unknown log level '" + std::string(name) + "' (trace, debug, info, warn, error)");
}

std::vector<spdlog::sink_ptr> make_sinks()
{
    if (stderr_is_journal()) {
        // journald adds its own timestamp and unit name; the sink adds the priority and fields.
        return {std::make_shared<JournalSink>()};
    }
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
    // "warning" is the longest level name: every message starts in the same column.
    sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-7l%$ %n: %v");
    return {sink};
}

}  // namespace

bool stderr_is_journal()
{
    const char* value = std::getenv("JOURNAL_STREAM");
    if (value == nullptr) {
        return false;
    }
    unsigned long long device = 0;
    unsigned long long inode = 0;
    if (std::sscanf(value, "%llu:%llu", &device, &inode) != 2) {
        return false;
    }
    struct stat info {};
    return fstat(2, &info) == 0 && info.st_dev == device && info.st_ino == inode;
}

Result<void> init(std::string_view level)
{
    auto parsed = parse_level(level);
    if (!parsed) {
        return parsed.error();
    }
    std::lock_guard lock(g_mutex);
    g_sinks = make_sinks();
    g_level = *parsed;
    spdlog::drop_all();
    return {};
}

Result<void> set_level(std::string_view level)
{
    auto parsed = parse_level(level);
    if (!parsed) {
        return parsed.error();
    }
    std::lock_guard lock(g_mutex);
    g_level = *parsed;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) { logger->set_level(g_level); });
    return {};
}

std::shared_ptr<spdlog::logger> get(const std::string& component)
{
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(component)) {
        return existing;
    }
    if (g_sinks.empty()) {
        g_sinks = make_sinks();
    }
    auto logger = std::make_shared<spdlog::logger>(component, g_sinks.begin(), g_sinks.end());
    logger->set_level(g_level);
    spdlog::register_logger(logger);
    return logger;
}

}  // namespace ble2garmin::logging

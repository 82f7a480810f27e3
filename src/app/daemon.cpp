#include "app/daemon.hpp"

#include <csignal>
#include <deque>

#include <fmt/format.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "ble2garmin/device_module.hpp"

#include "app/garmin_sync.hpp"
#include "app/systemd_notifier.hpp"
#include "bluez/scanner.hpp"
#include "bluez/system_bus.hpp"
#include "cli/commands.hpp"
#include "cli/load_config.hpp"
#include "config/loader.hpp"
#include "log/logging.hpp"
#include "pipeline/dispatcher.hpp"
#include "pipeline/pipeline.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

using Clock = std::chrono::steady_clock;

// A measurement whose CSV write failed is tried again this often, and at most this many wait.
constexpr std::chrono::seconds k_retry_interval{10};
constexpr std::size_t k_max_unwritten = 1000;

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("daemon");
}

// The parts rebuilt on SIGHUP: the config and everything derived from it.
struct Session {
    Config config;
    std::unique_ptr<pipeline::Dispatcher> dispatcher;
    std::unique_ptr<pipeline::Pipeline> pipeline;
};

Result<Session> open_session(Config config)
{
    auto dispatcher = pipeline::Dispatcher::create(config.devices, device_modules());
    if (!dispatcher) {
        return dispatcher.error();
    }
    auto opened = pipeline::Pipeline::open(config, std::chrono::system_clock::now());
    if (!opened) {
        return opened.error();
    }
    Session session;
    session.config = std::move(config);
    session.dispatcher = std::make_unique<pipeline::Dispatcher>(std::move(*dispatcher));
    session.pipeline = std::move(*opened);
    return session;
}

class SignalFd {
public:
    SignalFd()
    {
        sigemptyset(&m_mask);
        for (int signal : {SIGTERM, SIGINT, SIGHUP}) {
            sigaddset(&m_mask, signal);
        }
        sigprocmask(SIG_BLOCK, &m_mask, nullptr);
        m_fd = signalfd(-1, &m_mask, SFD_NONBLOCK | SFD_CLOEXEC);
    }
    ~SignalFd()
    {
        if (m_fd >= 0) {
            close(m_fd);
        }
        sigprocmask(SIG_UNBLOCK, &m_mask, nullptr);
    }
    SignalFd(const SignalFd&) = delete;
    SignalFd& operator=(const SignalFd&) = delete;

    int fd() const { return m_fd; }

    // The next pending signal number, or 0.
    int next()
    {
        signalfd_siginfo info{};
        return read(m_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)
                   ? static_cast<int>(info.ssi_signo)
                   : 0;
    }

private:
    sigset_t m_mask{};
    int m_fd = -1;
};

class Daemon {
public:
    Daemon(Session session, const DaemonOptions& options) : m_session(std::move(session)), m_options(options)
    {
    }

    int run()
    {
        SignalFd signals;
        if (signals.fd() < 0) {
            logger()->error("cannot create signalfd: {}", std::strerror(errno));
            return cli::k_exit_runtime;
        }
        auto bus = bluez::SystemBus::connect();
        if (!bus) {
            logger()->error("{}", bus.error().message);
            return cli::k_exit_runtime;
        }
        bluez::Scanner scanner(
            (*bus)->connection(), scanner_options(),
            [this](const Advertisement& advertisement) { on_advertisement(advertisement); },
            [this](bluez::ScannerState state, const std::string& adapter) {
                logger()->info("scanner state={} adapter={}", bluez::scanner_state_text(state),
                               adapter.empty() ? "-" : adapter);
                m_notifier.status(status_line(state, adapter));
            });
        m_scanner = &scanner;
        m_garmin.configure(m_session.config);
        scanner.start();
        // Ready once discovery runs, or once we are usefully waiting for BlueZ (STATUS says which).
        m_notifier.ready(status_line(scanner.state(), scanner.adapter_name()));
        logger()->info("ble2garmin running devices={} users={} backup={}",
                       m_session.dispatcher->device_count(), m_session.config.users.size(),
                       m_session.config.miscale_csv_path().string());

        auto next_ping = Clock::now();
        int exit_code = cli::k_exit_ok;
        while (!m_stop) {
            if (auto processed = (*bus)->process(); !processed) {
                // Without the bus nothing can be heard; systemd's Restart=on-failure brings us back.
                logger()->error("{}; exiting", processed.error().message);
                exit_code = cli::k_exit_runtime;
                break;
            }
            const auto now = Clock::now();
            if (m_notifier.watchdog_interval() && now >= next_ping) {
                m_notifier.watchdog();
                next_ping = now + *m_notifier.watchdog_interval();
            }
            scanner.on_timer(now);
            record_due(false);
            retry_unwritten(now);
            m_garmin.pump(*m_session.pipeline, std::chrono::system_clock::now());

            auto poll_data = (*bus)->poll_data();
            if (!poll_data) {
                logger()->error("{}; exiting", poll_data.error().message);
                exit_code = cli::k_exit_runtime;
                break;
            }
            int timeout = poll_data->timeout_ms;
            const auto limit = [&](std::optional<Clock::time_point> deadline) {
                if (!deadline) {
                    return;
                }
                const auto ms =
                    std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
                const int bounded = static_cast<int>(std::clamp<long long>(ms, 0, 24 * 3600 * 1000));
                timeout = timeout < 0 ? bounded : std::min(timeout, bounded);
            };
            // Module and upload deadlines are wall-clock times (advertisement receive times).
            const auto limit_wall = [&](std::optional<SystemTime> deadline) {
                if (deadline) {
                    limit(now + std::chrono::ceil<std::chrono::milliseconds>(
                                    *deadline - std::chrono::system_clock::now()));
                }
            };
            limit(scanner.next_deadline());
            limit_wall(m_session.dispatcher->next_deadline());
            if (m_notifier.watchdog_interval()) {
                limit(next_ping);
            }
            if (!m_unwritten.empty()) {
                limit(m_retry_at);
            }
            limit_wall(m_garmin.next_deadline());
            // An upload finishing wakes the loop (the descriptor is -1, i.e. ignored, without uploads).
            pollfd fds[3] = {
                {poll_data->fd, poll_data->events, 0}, {signals.fd(), POLLIN, 0}, {m_garmin.fd(), POLLIN, 0}};
            if (poll(fds, 3, timeout) < 0 && errno != EINTR) {
                logger()->error("poll failed: {}", std::strerror(errno));
                break;
            }
            if ((fds[1].revents & POLLIN) != 0) {
                for (int signal = signals.next(); signal != 0; signal = signals.next()) {
                    on_signal(signal);
                }
            }
        }
        m_notifier.stopping();
        if (exit_code == cli::k_exit_ok) {
            // Bounded drain: advertisements already read from the bus are still recorded.
            (void)(*bus)->process();
            scanner.stop();
        }
        // A weighing still waiting for its second packet is recorded as it stands, not lost.
        record_due(true);
        if (!m_unwritten.empty()) {
            m_retry_at = Clock::now();
            retry_unwritten(m_retry_at);
            for (const Reading& reading : m_unwritten) {
                logger()->error(
                    "measurement lost at stop, the backup could not be written module={} device={} "
                    "weight_kg={}",
                    reading.module, reading.device_address, describe_weight(reading));
            }
        }
        m_scanner = nullptr;
        logger()->info("stopped advertisements={} measurements={}", scanner.advertisements_seen(),
                       m_recorded);
        return exit_code;
    }

private:
    bluez::ScannerOptions scanner_options() const
    {
        bluez::ScannerOptions options;
        options.adapter = m_options.adapter_override.empty() ? m_session.config.bluetooth.adapter
                                                             : m_options.adapter_override;
        // The silence check only makes sense when some device is expected to talk.
        options.silence_restart =
            m_session.config.devices.empty()
                ? std::chrono::seconds(0)
                : std::chrono::seconds(m_session.config.bluetooth.silence_restart_seconds);
        return options;
    }

    void on_advertisement(const Advertisement& advertisement)
    {
        if (auto reading = m_session.dispatcher->on_advertisement(advertisement)) {
            record(*reading);
        }
    }

    // Readings the modules completed by time alone; with `everything`, every unfinished weighing.
    void record_due(bool everything)
    {
        for (const Reading& reading :
             m_session.dispatcher->collect(std::chrono::system_clock::now(), everything)) {
            record(reading);
        }
    }

    void record(const Reading& reading)
    {
        const auto result = m_session.pipeline->on_reading(reading);
        if (result.outcome == pipeline::Outcome::failed) {
            // The pipeline said why (disk full, read-only state directory…). The module will not
            // report this reading again, so it waits here; the duplicate check makes a retry of
            // a reading that was written after all harmless.
            if (m_unwritten.size() >= k_max_unwritten) {
                logger()->error(
                    "too many measurements waiting to be written, the oldest is lost weight_kg={}",
                    describe_weight(m_unwritten.front()));
                m_unwritten.pop_front();
            }
            m_unwritten.push_back(reading);
            m_retry_at = Clock::now() + k_retry_interval;
        }
        if (result.outcome == pipeline::Outcome::recorded) {
            ++m_recorded;
            m_garmin.on_recorded(*result.measurement);
            m_last_reading = to_local(result.measurement->measured_at).time;
            if (m_scanner != nullptr) {
                m_notifier.status(status_line(m_scanner->state(), m_scanner->adapter_name()));
            }
        }
    }

    // Readings whose write failed, once the retry interval has passed.
    void retry_unwritten(Clock::time_point now)
    {
        if (m_unwritten.empty() || now < m_retry_at) {
            return;
        }
        std::deque<Reading> waiting;
        waiting.swap(m_unwritten);
        for (const Reading& reading : waiting) {
            record(reading);
        }
    }

    static std::string describe_weight(const Reading& reading)
    {
        const auto* scale = std::get_if<ScaleReading>(&reading.value);
        return scale != nullptr ? fmt::format("{:.2f}", scale->weight_kg) : "-";
    }

    void on_signal(int signal)
    {
        if (signal == SIGHUP) {
            reload();
            return;
        }
        logger()->info("signal {} received, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        m_stop = true;
    }

    void reload()
    {
        m_notifier.reloading();
        try {
            Config config = cli::load_config(m_options.config_path);
            if (auto zone = check_time_zone(config.general.timezone); !zone) {
                throw config::ConfigError(zone.error().message);
            }
            // The new modules start without the old ones' unfinished weighings: record those first,
            // so the new pipeline's duplicate memory knows them when their packets come again.
            record_due(true);
            auto session = open_session(std::move(config));
            if (!session) {
                throw config::ConfigError(session.error().message);
            }
            (void)use_time_zone(session->config.general.timezone);
            (void)logging::set_level(session->config.general.log_level);
            if (session->config.bluetooth.adapter != m_session.config.bluetooth.adapter ||
                session->config.bluetooth.silence_restart_seconds !=
                    m_session.config.bluetooth.silence_restart_seconds) {
                logger()->warn("[bluetooth] changes take effect at the next restart");
            }
            m_session = std::move(*session);
            m_garmin.configure(m_session.config);
            logger()->info("configuration reloaded from {} devices={} users={}",
                           m_options.config_path.string(), m_session.dispatcher->device_count(),
                           m_session.config.users.size());
        } catch (const config::ConfigError& error) {
            logger()->error("configuration not reloaded, keeping the running one: {}", error.what());
        }
        if (m_scanner != nullptr) {
            m_notifier.ready(status_line(m_scanner->state(), m_scanner->adapter_name()));
        }
    }

    std::string status_line(bluez::ScannerState state, const std::string& adapter) const
    {
        std::string line = bluez::scanner_state_text(state);
        if (!adapter.empty()) {
            line += " " + adapter;
        }
        line += fmt::format(" · {} device{}", m_session.dispatcher->device_count(),
                            m_session.dispatcher->device_count() == 1 ? "" : "s");
        line += m_last_reading.empty() ? " · no reading yet" : " · last reading " + m_last_reading;
        return line;
    }

    Session m_session;
    DaemonOptions m_options;
    SystemdNotifier m_notifier;
    bluez::Scanner* m_scanner = nullptr;
    bool m_stop = false;
    std::uint64_t m_recorded = 0;
    std::string m_last_reading;
    std::deque<Reading> m_unwritten;
    GarminSync m_garmin;
    Clock::time_point m_retry_at;
};

}  // namespace

int run_daemon(Config config, const DaemonOptions& options)
{
    auto session = open_session(std::move(config));
    if (!session) {
        logger()->error("cannot start: {}", session.error().message);
        return cli::k_exit_runtime;
    }
    Daemon daemon(std::move(*session), options);
    return daemon.run();
}

}  // namespace ble2garmin::app

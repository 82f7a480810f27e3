#include "app/daemon.hpp"

#include <csignal>
#include <deque>
#include <vector>

#include <fmt/format.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "ble2garmin/device_module.hpp"

#include "app/config_warnings.hpp"
#include "app/device_sessions.hpp"
#include "app/exit_codes.hpp"
#include "app/load_config.hpp"
#include "app/memory_readings.hpp"
#include "app/recorder.hpp"
#include "app/sinks.hpp"
#include "app/status_file.hpp"
#include "app/systemd_notifier.hpp"
#include "bluez/gatt_link.hpp"
#include "bluez/pairing_agent.hpp"
#include "bluez/scanner.hpp"
#include "bluez/system_bus.hpp"
#include "config/loader.hpp"
#include "log/logging.hpp"
#include "store/state_lock.hpp"
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

void log_config_warnings(const Config& config)
{
    for (const auto& warning : config_warnings(config)) {
        logger()->warn("{}", warning);
    }
}

// The parts rebuilt on SIGHUP: the config and everything derived from it. The sinks read from the
// recorder's store, so they are destroyed first (members in reverse order).
struct Session {
    Config config;
    std::unique_ptr<Recorder> recorder;
};

Result<Session> open_session(Config config)
{
    auto recorder = Recorder::open(config, std::chrono::system_clock::now());
    if (!recorder) {
        return recorder.error();
    }
    Session session;
    session.config = std::move(config);
    session.recorder = std::move(*recorder);
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
    Daemon(Session session, const DaemonOptions& options)
        : m_session(std::move(session)),
          m_options(options),
          m_status(m_session.config, std::chrono::system_clock::now())
    {
        observe(*m_session.recorder);
        m_sinks = make_sinks(m_session.config, m_session.recorder->store());
        const SinkInputs inputs{
            [this](const Advertisement& advertisement) { record_advertisement(advertisement); },
            [this](const Reading& reading) { handle(m_session.recorder->record(reading)); }};
        for (const auto& sink : m_sinks) {
            sink->connect_inputs(inputs);
        }
    }

    ~Daemon()
    {
        m_sinks.clear();  // before the store they read from
    }
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    int run()
    {
        SignalFd& signals = m_signals;
        if (signals.fd() < 0) {
            logger()->error("cannot create signalfd: {}", std::strerror(errno));
            return k_exit_runtime;
        }
        auto bus = bluez::SystemBus::connect();
        if (!bus) {
            logger()->error("{}", bus.error().message);
            return k_exit_runtime;
        }
        bluez::Scanner scanner(
            (*bus)->connection(), scanner_options(),
            [this](const Advertisement& advertisement) { on_advertisement(advertisement); },
            [this](bluez::ScannerState state, const std::string& adapter) {
                logger()->info("scanner state={} adapter={}", bluez::scanner_state_text(state),
                               adapter.empty() ? "-" : adapter);
                m_notifier.status(status_line(state, adapter));
                m_status.on_scanner(bluez::scanner_state_text(state), adapter);
            });
        m_scanner = &scanner;
        scanner.start();
        std::unique_ptr<bluez::PairingAgent> agent;
        if (m_session.recorder->dispatcher().has_connecting_devices()) {
            // Cuffs ask for bonding themselves; the agent answers for configured devices only.
            agent = std::make_unique<bluez::PairingAgent>(
                (*bus)->connection(), [this](const std::string& address) {
                    return !m_session.recorder->dispatcher().module_of(address).empty();
                });
            agent->start();
        }
        // Ready once discovery runs, or once we are usefully waiting for BlueZ (STATUS says which).
        m_notifier.ready(status_line(scanner.state(), scanner.adapter_name()));
        logger()->info("ble2garmin running devices={} users={} backup={}",
                       m_session.recorder->dispatcher().device_count(), m_session.config.users.size(),
                       m_session.config.miscale_csv_path().string());

        auto next_ping = Clock::now();
        int exit_code = k_exit_ok;
        while (!m_stop) {
            if (auto processed = (*bus)->process(); !processed) {
                // Without the bus nothing can be heard; systemd's Restart=on-failure brings us back.
                logger()->error("{}; exiting", processed.error().message);
                exit_code = k_exit_runtime;
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
            for (const auto& sink : m_sinks) {
                sink->pump(std::chrono::system_clock::now());
            }
            update_status_file();

            auto poll_data = (*bus)->poll_data();
            if (!poll_data) {
                logger()->error("{}; exiting", poll_data.error().message);
                exit_code = k_exit_runtime;
                break;
            }
            LoopDeadline deadline(poll_data->timeout_ms);
            deadline.limit(scanner.next_deadline());
            deadline.limit_wall(m_session.recorder->next_deadline());
            deadline.limit_wall(m_status.next_deadline());
            if (m_notifier.watchdog_interval()) {
                deadline.limit(next_ping);
            }
            if (!m_unwritten.empty()) {
                deadline.limit(m_retry_at);
            }
            std::vector<pollfd> fds{{poll_data->fd, poll_data->events, 0},
                                    {signals.fd(), POLLIN, 0},
                                    {m_device_sessions.fd(), POLLIN, 0}};
            for (const auto& sink : m_sinks) {
                deadline.limit_wall(sink->next_deadline());
                for (const int fd : sink->fds()) {
                    fds.push_back({fd, POLLIN, 0});
                }
            }
            if (poll(fds.data(), fds.size(), deadline.timeout_ms()) < 0 && errno != EINTR) {
                logger()->error("poll failed: {}", std::strerror(errno));
                break;
            }
            if ((fds[1].revents & POLLIN) != 0) {
                for (int signal = signals.next(); signal != 0; signal = signals.next()) {
                    on_signal(signal);
                }
            }
            if ((fds[2].revents & POLLIN) != 0) {
                finish_device_sessions();
            }
        }
        // Sessions in flight are aborted; what finished before is recorded.
        m_device_sessions.stop();
        finish_device_sessions();
        m_notifier.stopping();
        if (exit_code == k_exit_ok) {
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
        for (const auto& sink : m_sinks) {
            sink->drain();
        }
        m_scanner = nullptr;
        m_status.stopped(std::chrono::system_clock::now());
        logger()->info("stopped advertisements={} measurements={}", scanner.advertisements_seen(),
                       m_recorded);
        return exit_code;
    }

private:
    // The poll timeout: the earliest of the bus's own and every deadline given.
    class LoopDeadline {
    public:
        explicit LoopDeadline(int timeout_ms) : m_timeout(timeout_ms) {}
        void limit(std::optional<Clock::time_point> deadline)
        {
            if (!deadline) {
                return;
            }
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
            const int bounded = static_cast<int>(std::clamp<long long>(ms, 0, 24 * 3600 * 1000));
            m_timeout = m_timeout < 0 ? bounded : std::min(m_timeout, bounded);
        }
        // Module and sink deadlines are wall-clock times (advertisement receive times).
        void limit_wall(std::optional<SystemTime> deadline)
        {
            if (deadline) {
                limit(Clock::now() + std::chrono::ceil<std::chrono::milliseconds>(
                                         *deadline - std::chrono::system_clock::now()));
            }
        }
        int timeout_ms() const { return m_timeout; }

    private:
        int m_timeout;
    };

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

    // Every sink sees every recorded measurement, after its row is durable.
    void observe(Recorder& recorder)
    {
        recorder.add_observer([this](const Measurement& measurement) {
            m_status.on_recorded(measurement);
            for (const auto& sink : m_sinks) {
                sink->on_recorded(measurement);
            }
        });
    }

    void on_advertisement(const Advertisement& advertisement)
    {
        bool taken = false;
        for (const auto& sink : m_sinks) {
            taken = sink->on_advertisement(advertisement) || taken;
        }
        if (taken) {
            m_status.on_advertisement(advertisement);
            return;
        }
        record_advertisement(advertisement);
    }

    // An advertisement heard here or fed in by a sink (a hub's gateways).
    void record_advertisement(const Advertisement& advertisement)
    {
        m_status.on_advertisement(advertisement);
        if (auto result = m_session.recorder->on_advertisement(advertisement)) {
            handle(std::move(*result));
        }
        start_device_session(advertisement);
    }

    // A device that keeps its measurements (an Omron cuff) advertises: connect on a session thread,
    // unless a session of it runs or it is in its quiet time. Never waits.
    void start_device_session(const Advertisement& advertisement)
    {
        if (!m_device_sessions.idle(advertisement.address, Clock::now())) {
            return;
        }
        auto session = m_session.recorder->dispatcher().session_for(advertisement);
        if (!session) {
            return;
        }
        SessionJob job;
        job.address = advertisement.address;
        job.adapter = advertisement.source;
        job.input.cursors = m_session.recorder->store().device_cursors(advertisement.address);
        job.input.local_now = local_date_time(std::chrono::system_clock::now());
        job.session = std::move(session);
        logger()->info("device session started device={} adapter={} known_streams={}", job.address,
                       job.adapter, job.input.cursors.size());
        m_status.on_session_started(job.address);
        m_device_sessions.start(std::move(job));
    }

    // Connects to the job's device and runs its session (on the session's thread).
    static Result<SessionOutput> run_device_session(const SessionJob& job, const std::atomic<bool>& stop)
    {
        bluez::GattLinkOptions options;
        options.address = job.address;
        options.adapter = job.adapter;
        options.deadline = Clock::now() + job.session->deadline();
        options.stop = &stop;
        auto link = bluez::BluezGattLink::open(options);
        if (!link) {
            return link.error();
        }
        auto output = job.session->run(**link, job.input);
        (*link)->disconnect();
        return output;
    }

    // The records of ended sessions, oldest first per stream, through the pipeline. A record that
    // cannot be written stops its session's rest: the device keeps them, the cursor did not move,
    // and the next session reads them again.
    void finish_device_sessions()
    {
        for (auto& end : m_device_sessions.take_finished()) {
            if (!end.output) {
                logger()->warn("device session failed, tried again at its next advertisement: {} device={}",
                               end.output.error().message, end.address);
                m_status.on_session_ended(end.address, std::chrono::system_clock::now(),
                                          end.output.error().message, 0);
                continue;
            }
            for (const auto& note : end.output->notes) {
                logger()->info("device session: {} device={}", note, end.address);
            }
            const std::string module = m_session.recorder->dispatcher().module_of(end.address);
            const auto now = std::chrono::system_clock::now();
            const auto cursors = m_session.recorder->store().device_cursors(end.address);
            std::optional<std::set<StoredPressure>> existing;  // read once, for a stream never stored
            std::size_t added = 0;
            std::string failure;  // the store's error that ended the records' recording
            for (const auto& record : end.output->records) {
                auto reading = memory_reading(module, end.address, end.adapter, record, now);
                if (!reading) {
                    logger()->warn("record skipped: {} device={} stream={}", reading.error().message,
                                   end.address, record.stream);
                    continue;
                }
                if (!cursors.contains(record.stream)) {
                    if (!existing) {
                        existing = stored_blood_pressure(m_session.config.omron_csv_path());
                    }
                    const auto& v = record.value;
                    if (existing->contains({to_unix_seconds(*reading->device_time), v.systolic_mmhg,
                                            v.diastolic_mmhg, v.pulse_bpm})) {
                        logger()->debug(
                            "record already in the backup (export2garmin?), not stored again "
                            "device={} stream={} position={}",
                            end.address, record.stream, record.position);
                        continue;
                    }
                }
                auto result = m_session.recorder->record(*reading);
                if (result.outcome == pipeline::Outcome::failed) {
                    logger()->error("records not written, read again at the next session: {} device={}",
                                    result.error, end.address);
                    failure = "records not written: " + result.error;
                    break;
                }
                added += result.outcome == pipeline::Outcome::recorded ? 1 : 0;
                handle(std::move(result));
            }
            logger()->info("device session done device={} records={} new={} seconds={:.1f}", end.address,
                           end.output->records.size(), added,
                           std::chrono::duration<double>(end.took).count());
            m_status.on_session_ended(end.address, now, failure, added);
        }
    }

    // Readings the modules completed by time alone; with `everything`, every unfinished weighing.
    void record_due(bool everything)
    {
        for (auto& result : m_session.recorder->record_due(std::chrono::system_clock::now(), everything)) {
            handle(std::move(result));
        }
    }

    void handle(pipeline::RecordResult result)
    {
        if (result.outcome == pipeline::Outcome::failed && result.unwritten) {
            // The pipeline said why (disk full, read-only state directory…). The module will not
            // report this reading again, so it waits here; the duplicate check makes a retry of
            // a reading that was written after all harmless.
            if (m_unwritten.size() >= k_max_unwritten) {
                logger()->error(
                    "too many measurements waiting to be written, the oldest is lost weight_kg={}",
                    describe_weight(m_unwritten.front()));
                m_unwritten.pop_front();
            }
            m_unwritten.push_back(std::move(*result.unwritten));
            m_retry_at = Clock::now() + k_retry_interval;
        }
        if (result.outcome == pipeline::Outcome::recorded) {
            ++m_recorded;
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
            handle(m_session.recorder->record(reading));
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
            Config config = load_config(m_options.config_path);
            if (auto zone = check_time_zone(config.general.timezone); !zone) {
                throw config::ConfigError(zone.error().message);
            }
            if (config.general.state_directory != m_session.config.general.state_directory) {
                throw config::ConfigError("general.state_directory changes take effect at the next restart");
            }
            // The new modules start without the old ones' unfinished weighings: record those first,
            // so the new store's duplicate memory knows them when their packets come again; and
            // the old store's upload results are written before the new one reads the files.
            record_due(true);
            if (auto flushed = m_session.recorder->store().flush(); !flushed) {
                throw config::ConfigError("the backup cannot be written: " + flushed.error().message);
            }
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
            observe(*session->recorder);
            for (const auto& sink : m_sinks) {
                sink->reload(session->config, session->recorder->store());
            }
            m_session = std::move(*session);
            m_status.reload(m_session.config);
            logger()->info("configuration reloaded from {} devices={} users={}",
                           m_options.config_path.string(), m_session.recorder->dispatcher().device_count(),
                           m_session.config.users.size());
            log_config_warnings(m_session.config);
        } catch (const config::ConfigError& error) {
            logger()->error("configuration not reloaded, keeping the running one: {}", error.what());
        }
        if (m_scanner != nullptr) {
            m_notifier.ready(status_line(m_scanner->state(), m_scanner->adapter_name()));
        }
    }

    // status.json for `ble2garmin status` (app/status_file.hpp): written when something changed.
    void update_status_file()
    {
        std::vector<std::string> words;
        for (const auto& sink : m_sinks) {
            if (auto status = sink->status(); !status.empty()) {
                words.push_back(std::move(status));
            }
        }
        m_status.on_turn(std::chrono::system_clock::now(), m_session.recorder->store(), std::move(words));
    }

    std::string status_line(bluez::ScannerState state, const std::string& adapter) const
    {
        std::string line = bluez::scanner_state_text(state);
        if (!adapter.empty()) {
            line += " " + adapter;
        }
        const std::size_t devices = m_session.recorder->dispatcher().device_count();
        line += fmt::format(" · {} device{}", devices, devices == 1 ? "" : "s");
        for (const auto& sink : m_sinks) {
            if (const auto status = sink->status(); !status.empty()) {
                line += " · " + status;
            }
        }
        line += m_last_reading.empty() ? " · no reading yet" : " · last reading " + m_last_reading;
        return line;
    }

    // First: the signals are blocked before any thread starts (sinks' workers, curl's resolver), so
    // that every thread inherits the mask and SIGTERM only ever arrives through the signalfd.
    SignalFd m_signals;
    Session m_session;
    DaemonOptions m_options;
    SystemdNotifier m_notifier;
    StatusFile m_status;
    bluez::Scanner* m_scanner = nullptr;
    DeviceSessions m_device_sessions{&Daemon::run_device_session};
    bool m_stop = false;
    std::uint64_t m_recorded = 0;
    std::string m_last_reading;
    std::deque<Reading> m_unwritten;
    Clock::time_point m_retry_at;
    Sinks m_sinks;
};

}  // namespace

int run_daemon(Config config, const DaemonOptions& options)
{
    log_config_warnings(config);
    // Held until the process ends: `upload` and `replay` refuse while the daemon owns the state.
    auto lock = store::StateLock::acquire(config.general.state_directory, "run");
    if (!lock) {
        logger()->error("cannot start: {}", lock.error().message);
        return k_exit_runtime;
    }
    auto session = open_session(std::move(config));
    if (!session) {
        logger()->error("cannot start: {}", session.error().message);
        return k_exit_runtime;
    }
    Daemon daemon(std::move(*session), options);
    return daemon.run();
}

}  // namespace ble2garmin::app

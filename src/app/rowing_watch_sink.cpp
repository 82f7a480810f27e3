#include "app/rowing_watch_sink.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <sys/inotify.h>
#include <unistd.h>

#include "fs/atomic_file.hpp"
#include "fs/file_error.hpp"
#include "fs/small_file.hpp"
#include "garmin/outbox/activity_upload.hpp"
#include "log/logging.hpp"
#include "rowing/convert.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

constexpr std::chrono::seconds k_first_retry{60};
constexpr std::chrono::seconds k_longest_retry{3600};
// Larger than any rowing export (two hours of Coxswain are ~5 MB): a bound on what is read.
// A 2-hour session is about 5 MB; the file is read and converted on the loop thread, so a much larger
// one (not a rowing session) is refused rather than holding up Bluetooth for seconds.
constexpr std::size_t k_max_tcx_bytes = 32u << 20;

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("rowing");
}

bool is_tcx(const std::filesystem::path& path)
{
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".tcx" && path.filename().string().front() != '.';
}

std::int64_t mtime_ns(const std::filesystem::path& path)
{
    std::error_code error;
    const auto time = std::filesystem::last_write_time(path, error);
    return error ? 0 : std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

}  // namespace

RowingWatchSink::RowingWatchSink(const Config& config)
{
    configure(config);
}

RowingWatchSink::~RowingWatchSink()
{
    drain();
    stop_watching();
}

void RowingWatchSink::stop_watching()
{
    if (m_inotify_fd >= 0) {
        close(m_inotify_fd);
        m_inotify_fd = -1;
    }
    m_queue.clear();
    m_ledger.reset();
    m_retry_at.reset();
    m_failures = 0;
}

void RowingWatchSink::configure(const Config& config)
{
    stop_watching();
    m_config = config;
    m_email.clear();
    const RowingConfig& rowing = config.rowing;
    if (rowing.watch_dir.empty()) {
        return;
    }
    for (const User& user : config.users) {
        if (user.name == rowing.user) {
            m_email = user.garmin_email;
        }
    }
    const std::filesystem::path ledger_path = config.general.state_directory / rowing::k_session_ledger_file;
    auto ledger = rowing::SessionLedger::open(ledger_path);
    if (!ledger) {
        logger()->error("rowing watch folder off: {}", ledger.error().message);
        return;
    }
    m_ledger = std::move(*ledger);
    m_inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_inotify_fd < 0 || inotify_add_watch(m_inotify_fd, rowing.watch_dir.c_str(),
                                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
        logger()->error("rowing watch folder off: cannot watch {}: {}", rowing.watch_dir.string(),
                        std::strerror(errno));
        stop_watching();
        return;
    }
    if (!m_call) {
        m_call = std::make_unique<BackgroundCall>();
    }
    const bool uploads = config.garmin.enabled && !config.garmin.dry_run;
    logger()->info("watching for rowing sessions dir={} uploads={}", rowing.watch_dir.string(),
                   uploads ? m_email : std::string("off"));
    scan_folder();
}

void RowingWatchSink::reload(const Config& config, store::MeasurementStore& /*store*/)
{
    drain();
    configure(config);
}

void RowingWatchSink::scan_folder()
{
    std::error_code error;
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(m_config.rowing.watch_dir, error)) {
        if (is_tcx(entry.path())) {
            found.push_back(entry.path());
        }
    }
    if (error) {
        logger()->warn("cannot list {}: {}", m_config.rowing.watch_dir.string(), error.message());
    }
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
        if (std::find(m_queue.begin(), m_queue.end(), path) == m_queue.end()) {
            m_queue.push_back(path);
        }
    }
}

void RowingWatchSink::read_events()
{
    alignas(inotify_event) std::array<char, 16 * 1024> buffer{};
    while (true) {
        const ssize_t got = read(m_inotify_fd, buffer.data(), buffer.size());
        if (got <= 0) {
            return;  // EAGAIN: all read
        }
        for (std::size_t at = 0; at + sizeof(inotify_event) <= static_cast<std::size_t>(got);) {
            inotify_event event{};
            std::memcpy(&event, buffer.data() + at, sizeof event);
            if ((event.mask & IN_Q_OVERFLOW) != 0) {
                scan_folder();
            } else if (event.len > 0) {
                const std::filesystem::path path =
                    m_config.rowing.watch_dir / std::string(buffer.data() + at + sizeof(inotify_event));
                if (is_tcx(path) && std::find(m_queue.begin(), m_queue.end(), path) == m_queue.end()) {
                    m_queue.push_back(path);
                }
            }
            at += sizeof(inotify_event) + event.len;
        }
    }
}

void RowingWatchSink::remember(const std::string& key, rowing::SessionRecord record)
{
    record.at = to_unix_seconds(std::chrono::system_clock::now());
    if (auto recorded = m_ledger->record(key, std::move(record)); !recorded) {
        logger()->error("rowing session not recorded (it may be sent again; Garmin answers 409): {}",
                        recorded.error().message);
    }
}

bool RowingWatchSink::start_next(SystemTime /*now*/)
{
    if (m_queue.empty() || !m_ledger) {
        return false;
    }
    const std::filesystem::path path = m_queue.front();
    m_queue.pop_front();
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || !std::filesystem::is_regular_file(path, error)) {
        return true;  // gone, or not a file
    }
    rowing::SessionRecord record;
    record.file = path.filename().string();
    record.size = size;
    record.mtime_ns = mtime_ns(path);
    if (m_ledger->knows_file(record.file, record.size, record.mtime_ns)) {
        return true;
    }
    auto text = fs::read_small_file(path, k_max_tcx_bytes);
    if (!text) {
        logger()->warn("rowing session skipped: {}: {}", path.string(), text.error().message);
        return true;
    }
    const std::string content = std::move(*text);
    const std::string key = rowing::session_key(content);
    if (m_ledger->contains(key)) {
        logger()->debug("rowing session already done file={}", path.string());
        return true;
    }
    auto converted = rowing::convert_tcx_text(content, {m_config.rowing.split_m, 0});
    if (!converted) {
        record.status = "invalid";
        record.detail = converted.error().message;
        remember(key, std::move(record));
        logger()->warn("rowing session not converted: {}: {}", path.string(), converted.error().message);
        return true;
    }
    std::filesystem::path fit_path = path;
    fit_path.replace_extension(".fit");
    const std::string_view bytes(reinterpret_cast<const char*>(converted->fit.data()), converted->fit.size());
    if (auto written = fs::replace_file_atomically(fit_path, bytes, {fs::k_private_file_mode}); !written) {
        logger()->warn("rowing FIT file not written: {}", written.error().message);
    }
    logger()->info("rowing session converted file={} fit={} ({})", path.string(), fit_path.string(),
                   rowing::describe(*converted));
    if (!m_config.garmin.enabled || m_config.garmin.dry_run || m_email.empty()) {
        return true;
    }
    auto upload = std::make_shared<Upload>();
    upload->tcx_path = path;
    upload->key = key;
    upload->record = std::move(record);
    upload->fit_name = fit_path.filename().string();
    upload->fit = std::move(converted->fit);
    m_upload = upload;
    m_call->start([upload, config = m_config, email = m_email, cancel = m_cancel] {
        auto client = garmin::ConnectClient::open(config, email, cancel);
        if (!client) {
            upload->response.outcome = garmin::ApiOutcome::auth_failed;
            upload->response.message = client.error().message;
            return;
        }
        upload->response = garmin::upload_activity(**client, upload->fit_name, upload->fit);
    });
    return false;
}

void RowingWatchSink::finish_upload(SystemTime now)
{
    const std::shared_ptr<Upload> upload = std::move(m_upload);
    const garmin::ApiResponse& response = upload->response;
    rowing::SessionRecord record = upload->record;
    record.detail = "HTTP " + std::to_string(response.status);
    // The ledger is written before the line is logged: a reader of the journal finds it on disk.
    switch (response.outcome) {
        case garmin::ApiOutcome::success:
            record.status = "uploaded";
            finish_session(*upload, std::move(record));
            logger()->info("rowing session uploaded file={} account={}", upload->tcx_path.string(), m_email);
            return;
        case garmin::ApiOutcome::duplicate:
            record.status = "duplicate";
            finish_session(*upload, std::move(record));
            logger()->info("rowing session already in Garmin Connect (409) file={}",
                           upload->tcx_path.string());
            return;
        case garmin::ApiOutcome::rejected:
            record.status = "rejected";
            record.detail += ": " + response.message;
            finish_session(*upload, std::move(record));
            logger()->error("rowing session refused by Garmin file={}: {}", upload->tcx_path.string(),
                            response.message);
            return;
        default: {
            // Not sent, or Garmin could not take it now: the session waits at the head of the queue.
            ++m_failures;
            auto wait = std::min<std::chrono::seconds>(k_first_retry * (1LL << std::min(m_failures - 1, 10)),
                                                       k_longest_retry);
            if (response.retry_after) {
                wait = std::max(wait, std::chrono::seconds(*response.retry_after));
            }
            logger()->warn("rowing upload failed ({}), trying again in {} s file={}: {}",
                           garmin::api_outcome_name(response.outcome), wait.count(),
                           upload->tcx_path.string(), response.message);
            m_retry_at = now + wait;
            m_queue.push_front(upload->tcx_path);
            return;
        }
    }
}

void RowingWatchSink::finish_session(const Upload& upload, rowing::SessionRecord record)
{
    m_failures = 0;
    m_retry_at.reset();
    remember(upload.key, std::move(record));
}

std::vector<int> RowingWatchSink::fds() const
{
    std::vector<int> fds;
    if (m_inotify_fd >= 0) {
        fds.push_back(m_inotify_fd);
    }
    if (m_call && m_upload) {
        fds.push_back(m_call->fd());
    }
    return fds;
}

void RowingWatchSink::pump(SystemTime now)
{
    if (m_inotify_fd < 0) {
        return;
    }
    read_events();
    if (m_upload && m_call->take_finished()) {
        finish_upload(now);
    }
    if (m_upload || (m_retry_at && now < *m_retry_at)) {
        return;
    }
    m_retry_at.reset();
    while (!m_upload && start_next(now)) {
    }
}

std::optional<SystemTime> RowingWatchSink::next_deadline() const
{
    if (m_inotify_fd < 0 || m_upload || m_queue.empty()) {
        return std::nullopt;
    }
    return m_retry_at ? *m_retry_at : SystemTime{};
}

void RowingWatchSink::drain()
{
    if (m_upload) {
        // Cancelled: the session stays unrecorded and is sent again at the next start (409 at worst).
        m_cancel->store(true);
    }
    m_call.reset();  // joins the thread
    m_upload.reset();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
}

std::string RowingWatchSink::status() const
{
    const std::size_t waiting = m_queue.size() + (m_upload ? 1U : 0U);
    if (waiting == 0 || m_inotify_fd < 0) {
        return {};
    }
    return std::to_string(waiting) + (waiting == 1 ? " rowing session waiting" : " rowing sessions waiting");
}

}  // namespace ble2garmin::app

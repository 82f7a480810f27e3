#include "bluez/scanner.hpp"

#include <fmt/format.h>

#include "log/logging.hpp"

namespace ble2garmin::bluez {
namespace {

constexpr const char* k_bluez = "org.bluez";
constexpr const char* k_adapter_interface = "org.bluez.Adapter1";
constexpr const char* k_device_interface = "org.bluez.Device1";
constexpr const char* k_object_manager = "org.freedesktop.DBus.ObjectManager";
constexpr auto k_call_timeout = std::chrono::seconds(5);
// How long bluetoothd may take to register its adapter after a (re)start before "no adapter" is said.
constexpr auto k_adapter_grace = std::chrono::seconds(5);
// How long a Discovering=false waits for a Powered=false that explains it before discovery is
// restarted (bluetoothd sends the two a few milliseconds apart when the adapter is powered off).
constexpr auto k_stopped_grace = std::chrono::seconds(2);

using InterfaceMap = std::map<std::string, PropertyMap>;
using ManagedObjects = std::map<sdbus::ObjectPath, InterfaceMap>;

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("bluez");
}

template <class T>
std::optional<T> property(const PropertyMap& properties, const char* key)
{
    const auto found = properties.find(key);
    if (found == properties.end() || !found->second.containsValueOfType<T>()) {
        return std::nullopt;
    }
    return found->second.get<T>();
}

bool is_device_path(const std::string& path)
{
    return !address_from_device_path(path).empty();
}

}  // namespace

const char* scanner_state_text(ScannerState state)
{
    switch (state) {
        case ScannerState::waiting_for_bluez:
            return "waiting for bluetoothd";
        case ScannerState::no_adapter:
            return "waiting for the Bluetooth adapter";
        case ScannerState::adapter_off:
            return "Bluetooth adapter powered off";
        case ScannerState::discovery_failed:
            return "discovery failing, retrying";
        case ScannerState::scanning:
            return "scanning";
    }
    return "?";
}

Scanner::Scanner(sdbus::IConnection& connection, ScannerOptions options,
                 AdvertisementHandler on_advertisement, StateHandler on_state)
    : m_connection(connection),
      m_options(std::move(options)),
      m_on_advertisement(std::move(on_advertisement)),
      m_on_state(std::move(on_state))
{
}

Scanner::~Scanner() = default;

void Scanner::start()
{
    m_name_slot = m_connection.addMatch(
        "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='"
        "NameOwnerChanged',"
        "arg0='org.bluez'",
        [this](sdbus::Message& message) { on_name_owner_changed(message); });
    m_added_slot = m_connection.addMatch(
        "type='signal',sender='org.bluez',path='/',interface='org.freedesktop.DBus.ObjectManager',"
        "member='InterfacesAdded'",
        [this](sdbus::Message& message) { on_interfaces_added(message); });
    m_removed_slot = m_connection.addMatch(
        "type='signal',sender='org.bluez',path='/',interface='org.freedesktop.DBus.ObjectManager',"
        "member='InterfacesRemoved'",
        [this](sdbus::Message& message) { on_interfaces_removed(message); });
    m_properties_slot = m_connection.addMatch(
        "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.Properties',member='"
        "PropertiesChanged',"
        "path_namespace='/org/bluez'",
        [this](sdbus::Message& message) { on_properties_changed(message); });
    catch_up();
}

void Scanner::catch_up()
{
    forget_bluez();
    ManagedObjects objects;
    try {
        auto root = sdbus::createProxy(m_connection, k_bluez, "/");
        root->callMethod("GetManagedObjects")
            .onInterface(k_object_manager)
            .withTimeout(k_call_timeout)
            .storeResultsTo(objects);
    } catch (const sdbus::Error& error) {
        // Not running (ServiceUnknown) or not answering: NameOwnerChanged brings us back.
        logger()->info("bluetoothd not available, waiting for it: {}", error.getMessage());
        set_state(ScannerState::waiting_for_bluez);
        return;
    }
    for (const auto& [path, interfaces] : objects) {
        if (const auto adapter = interfaces.find(k_adapter_interface);
            adapter != interfaces.end() && m_adapter_path.empty() && adapter_matches(path, adapter->second)) {
            use_adapter(path, adapter->second);
        }
    }
    if (m_adapter_path.empty()) {
        // Said on the timer when still true then; bluetoothd usually adds it within milliseconds.
        m_adapter_grace_until = std::chrono::steady_clock::now() + k_adapter_grace;
        logger()->debug("bluetoothd lists no adapter yet; giving it {} s", k_adapter_grace.count());
        set_state(ScannerState::waiting_for_bluez);
    }
    // Devices BlueZ already knows carry their last advertisement data: the first route.
    for (const auto& [path, interfaces] : objects) {
        if (const auto device = interfaces.find(k_device_interface); device != interfaces.end()) {
            on_device_properties(path, device->second);
        }
    }
}

void Scanner::forget_bluez()
{
    m_adapter_path.clear();
    m_adapter_name.clear();
    m_devices.clear();
    m_retry_at.reset();
    m_restart_at.reset();
    m_adapter_grace_until.reset();
    m_own_stop = false;
}

bool Scanner::adapter_matches(const std::string& path, const PropertyMap& properties) const
{
    if (m_options.adapter.empty()) {
        return true;
    }
    if (adapter_from_path(path) == m_options.adapter) {
        return true;
    }
    const auto address = property<std::string>(properties, "Address");
    return address && normalize_mac(*address) == normalize_mac(m_options.adapter) &&
           !normalize_mac(m_options.adapter).empty();
}

void Scanner::use_adapter(const std::string& path, const PropertyMap& properties)
{
    m_adapter_path = path;
    m_adapter_name = adapter_from_path(path);
    m_adapter_grace_until.reset();
    const auto powered = property<bool>(properties, "Powered");
    logger()->info("using adapter {} address={} powered={}", m_adapter_name,
                   property<std::string>(properties, "Address").value_or("?"), powered.value_or(false));
    if (powered.value_or(false)) {
        start_discovery("start-up");
    } else {
        logger()->warn("adapter {} is powered off (rfkill or bluetoothctl power off); waiting for power",
                       m_adapter_name);
        set_state(ScannerState::adapter_off);
    }
}

void Scanner::start_discovery(const char* reason)
{
    if (m_adapter_path.empty()) {
        return;
    }
    try {
        auto adapter = sdbus::createProxy(m_connection, k_bluez, m_adapter_path);
        const std::map<std::string, sdbus::Variant> filter{{"Transport", sdbus::Variant(std::string("le"))},
                                                           {"DuplicateData", sdbus::Variant(true)}};
        adapter->callMethod("SetDiscoveryFilter")
            .onInterface(k_adapter_interface)
            .withTimeout(k_call_timeout)
            .withArguments(filter);
        try {
            adapter->callMethod("StartDiscovery")
                .onInterface(k_adapter_interface)
                .withTimeout(k_call_timeout);
        } catch (const sdbus::Error& error) {
            // Another start of ours is still pending: discovery is (about to be) on.
            if (error.getName() != "org.bluez.Error.InProgress") {
                throw;
            }
        }
    } catch (const sdbus::Error& error) {
        const bool powered_off = error.getName() == "org.bluez.Error.NotReady";
        logger()->warn("discovery not started on {} ({}): {} {}{}", m_adapter_name, reason, error.getName(),
                       error.getMessage(),
                       powered_off ? "" : fmt::format("; retrying in {} s", m_retry_delay.count()));
        if (powered_off) {
            set_state(ScannerState::adapter_off);  // Powered=true brings us back
            return;
        }
        m_retry_at = std::chrono::steady_clock::now() + m_retry_delay;
        m_retry_delay = std::min(m_retry_delay * 2, std::chrono::seconds(300));
        set_state(ScannerState::discovery_failed);
        return;
    }
    m_retry_at.reset();
    m_retry_delay = std::chrono::seconds(5);
    m_last_heard = std::chrono::steady_clock::now();
    logger()->info("discovery started on {} reason={}", m_adapter_name, reason);
    set_state(ScannerState::scanning);
}

void Scanner::stop()
{
    if (m_state != ScannerState::scanning || m_adapter_path.empty()) {
        return;
    }
    try {
        auto adapter = sdbus::createProxy(m_connection, k_bluez, m_adapter_path);
        adapter->callMethod("StopDiscovery")
            .onInterface(k_adapter_interface)
            .withTimeout(std::chrono::seconds(1));
        m_own_stop = true;
    } catch (const sdbus::Error& error) {
        logger()->debug("StopDiscovery: {}", error.getMessage());
    }
}

void Scanner::on_name_owner_changed(sdbus::Message& message)
{
    std::string name;
    std::string old_owner;
    std::string new_owner;
    try {
        message >> name >> old_owner >> new_owner;
    } catch (const sdbus::Error& error) {
        logger()->warn("malformed NameOwnerChanged skipped: {}", error.getMessage());
        return;
    }
    if (new_owner.empty()) {
        logger()->warn("bluetoothd left the bus; waiting for it to come back");
        forget_bluez();
        set_state(ScannerState::waiting_for_bluez);
        return;
    }
    logger()->info("bluetoothd (re)started; catching up");
    catch_up();
}

void Scanner::on_interfaces_added(sdbus::Message& message)
{
    sdbus::ObjectPath path;
    InterfaceMap interfaces;
    try {
        message >> path >> interfaces;
    } catch (const sdbus::Error& error) {
        logger()->warn("malformed InterfacesAdded skipped: {}", error.getMessage());
        return;
    }
    if (const auto adapter = interfaces.find(k_adapter_interface); adapter != interfaces.end()) {
        if (m_adapter_path.empty() && adapter_matches(path, adapter->second)) {
            logger()->info("adapter {} appeared", adapter_from_path(path));
            use_adapter(path, adapter->second);
        }
    }
    if (const auto device = interfaces.find(k_device_interface); device != interfaces.end()) {
        on_device_properties(path, device->second);
    }
}

void Scanner::on_interfaces_removed(sdbus::Message& message)
{
    sdbus::ObjectPath path;
    std::vector<std::string> interfaces;
    try {
        message >> path >> interfaces;
    } catch (const sdbus::Error& error) {
        logger()->warn("malformed InterfacesRemoved skipped: {}", error.getMessage());
        return;
    }
    for (const auto& interface : interfaces) {
        if (interface == k_adapter_interface && path == m_adapter_path) {
            logger()->warn("adapter {} disappeared; looking for another one", m_adapter_name);
            catch_up();  // another matching adapter, or no_adapter until one appears
            return;
        }
        if (interface == k_device_interface) {
            // Temporary devices expire 30 s after their last advertisement; state is kept by address.
            m_devices.erase(path);
        }
    }
}

void Scanner::on_properties_changed(sdbus::Message& message)
{
    std::string interface;
    PropertyMap changed;
    try {
        message >> interface >> changed;
    } catch (const sdbus::Error& error) {
        logger()->warn("malformed PropertiesChanged skipped: {} path={}", error.getMessage(),
                       message.getPath());
        return;
    }
    const std::string path = message.getPath();
    if (interface == k_adapter_interface) {
        on_adapter_properties(path, changed);
    } else if (interface == k_device_interface) {
        on_device_properties(path, changed);
    }
}

void Scanner::on_adapter_properties(const std::string& path, const PropertyMap& properties)
{
    if (path != m_adapter_path) {
        return;
    }
    if (const auto powered = property<bool>(properties, "Powered")) {
        if (*powered) {
            logger()->info("adapter {} powered on", m_adapter_name);
            start_discovery("adapter powered on");
            return;
        }
        logger()->warn("adapter {} powered off; waiting for power", m_adapter_name);
        m_restart_at.reset();  // that is why discovery stopped
        set_state(ScannerState::adapter_off);
        return;
    }
    const auto discovering = property<bool>(properties, "Discovering");
    if (discovering && !*discovering && m_own_stop) {
        m_own_stop = false;
        return;
    }
    if (discovering && !*discovering && m_state == ScannerState::scanning) {
        logger()->debug("discovery stopped on {}; restarting it in {} s unless the adapter is powering off",
                        m_adapter_name, k_stopped_grace.count());
        m_restart_at = std::chrono::steady_clock::now() + k_stopped_grace;
    }
}

void Scanner::on_device_properties(const std::string& path, const PropertyMap& properties)
{
    if (m_adapter_path.empty() || !path.starts_with(m_adapter_path + "/") || !is_device_path(path)) {
        return;
    }
    DeviceUpdate update = parse_device_properties(properties);
    DeviceCache& cache = m_devices[path];
    if (cache.address.empty()) {
        cache.address = update.address.value_or(address_from_device_path(path));
    }
    if (update.name) {
        cache.name = *update.name;
    }
    if (update.rssi_dbm) {
        cache.rssi_dbm = update.rssi_dbm;
    }
    if (!update.problems.empty()) {
        // One line per distinct problem, so a misbehaving stack cannot flood the journal.
        if (update.problems.front() != m_last_problem) {
            logger()->warn("device properties skipped: {} device={}", update.problems.front(), cache.address);
            m_last_problem = update.problems.front();
        }
    }
    if (!update.has_payload()) {
        return;
    }
    m_last_heard = std::chrono::steady_clock::now();
    ++m_advertisements_seen;
    Advertisement advertisement;
    advertisement.address = cache.address;
    advertisement.name = cache.name;
    advertisement.rssi_dbm = cache.rssi_dbm;
    advertisement.service_data = std::move(update.service_data).value_or(std::map<std::string, Bytes>{});
    advertisement.manufacturer_data =
        std::move(update.manufacturer_data).value_or(std::map<std::uint16_t, Bytes>{});
    advertisement.received_at = std::chrono::system_clock::now();
    advertisement.source = m_adapter_name;
    m_on_advertisement(advertisement);
}

std::optional<SteadyTime> Scanner::next_deadline() const
{
    std::optional<SteadyTime> earliest;
    const auto consider = [&](const std::optional<SteadyTime>& time) {
        if (time && (!earliest || *time < *earliest)) {
            earliest = time;
        }
    };
    consider(m_adapter_grace_until);
    consider(m_restart_at);
    if (m_state == ScannerState::discovery_failed) {
        consider(m_retry_at);
    }
    if (m_state == ScannerState::scanning && m_options.silence_restart.count() != 0) {
        consider(m_last_heard + m_options.silence_restart);
    }
    return earliest;
}

void Scanner::on_timer(SteadyTime now)
{
    if (m_adapter_grace_until && now >= *m_adapter_grace_until) {
        m_adapter_grace_until.reset();
        if (m_adapter_path.empty()) {
            logger()->warn("no Bluetooth adapter {}found, waiting for one",
                           m_options.adapter.empty() ? "" : "'" + m_options.adapter + "' ");
            set_state(ScannerState::no_adapter);
        }
    }
    if (m_restart_at && now >= *m_restart_at) {
        m_restart_at.reset();
        if (m_state == ScannerState::scanning) {
            logger()->warn("discovery on {} was stopped by another program; started it again",
                           m_adapter_name);
            start_discovery("stopped by another program");
        }
        return;
    }
    if (m_state == ScannerState::discovery_failed) {
        if (m_retry_at && now >= *m_retry_at) {
            start_discovery("retry");
        }
        return;
    }
    if (m_state != ScannerState::scanning || m_options.silence_restart.count() == 0 ||
        now < m_last_heard + m_options.silence_restart) {
        return;
    }
    logger()->warn("nothing heard on {} for {} s; restarting discovery", m_adapter_name,
                   m_options.silence_restart.count());
    m_last_heard = now;  // one restart per silent period, even when it fails
    stop();
    start_discovery("silence watchdog");
}

void Scanner::set_state(ScannerState state)
{
    if (state == m_state) {
        return;
    }
    m_state = state;
    if (m_on_state) {
        m_on_state(m_state, m_adapter_name);
    }
}

}  // namespace ble2garmin::bluez

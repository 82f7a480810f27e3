#include "bluez/gatt_link.hpp"

#include <poll.h>

#include "bluez/device_properties.hpp"
#include "log/logging.hpp"

namespace ble2garmin::bluez {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* k_bluez = "org.bluez";
constexpr const char* k_device = "org.bluez.Device1";
constexpr const char* k_service = "org.bluez.GattService1";
constexpr const char* k_characteristic = "org.bluez.GattCharacteristic1";
constexpr const char* k_properties = "org.freedesktop.DBus.Properties";
constexpr const char* k_object_manager = "org.freedesktop.DBus.ObjectManager";
constexpr auto k_call_step = 5000ms;
constexpr auto k_resolve_step = 10000ms;
constexpr auto k_pair_step = 30000ms;

using InterfaceMap = std::map<std::string, std::map<std::string, sdbus::Variant>>;
using ManagedObjects = std::map<sdbus::ObjectPath, InterfaceMap>;

template <class T>
std::optional<T> get(const std::map<std::string, sdbus::Variant>& properties, const char* key)
{
    const auto found = properties.find(key);
    if (found == properties.end() || !found->second.containsValueOfType<T>()) {
        return std::nullopt;
    }
    return found->second.get<T>();
}

std::string lower(std::string text)
{
    for (char& c : text) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return text;
}

std::string describe(const sdbus::Error& error)
{
    return error.getName() + ": " + error.getMessage();
}

}  // namespace

BluezGattLink::BluezGattLink(const GattLinkOptions& options, std::unique_ptr<sdbus::IConnection> connection)
    : m_options(options), m_connection(std::move(connection))
{
}

BluezGattLink::~BluezGattLink()
{
    disconnect();
}

Result<std::unique_ptr<BluezGattLink>> BluezGattLink::open(const GattLinkOptions& options)
{
    std::unique_ptr<sdbus::IConnection> connection;
    try {
        connection = sdbus::createSystemBusConnection();
    } catch (const sdbus::Error& error) {
        return make_error("cannot connect to the system D-Bus: " + error.getMessage());
    }
    std::unique_ptr<BluezGattLink> link(new BluezGattLink(options, std::move(connection)));
    if (auto found = link->find_device(); !found) {
        return found.error();
    }
    if (auto connected = link->connect(); !connected) {
        return connected.error();
    }
    if (auto objects = link->find_gatt_objects(); !objects) {
        return objects.error();
    }
    return link;
}

Result<std::chrono::milliseconds> BluezGattLink::budget(std::chrono::milliseconds step,
                                                        const char* what) const
{
    if (m_options.stop != nullptr && m_options.stop->load()) {
        return make_error(std::string(what) + ": the daemon is stopping");
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_options.deadline - Clock::now());
    if (left.count() <= 0) {
        return make_error(std::string(what) + ": the session's time is up");
    }
    return std::min(step, left);
}

Result<sdbus::MethodReply> BluezGattLink::call(const std::string& path, const char* interface,
                                               const char* method, std::chrono::milliseconds step,
                                               const std::function<void(sdbus::MethodCall&)>& arguments)
{
    auto time = budget(step, method);
    if (!time) {
        return time.error();
    }
    try {
        auto proxy = sdbus::createProxy(*m_connection, k_bluez, path);
        auto message = proxy->createMethodCall(interface, method);
        if (arguments) {
            arguments(message);
        }
        return proxy->callMethod(
            message,
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(*time).count()));
    } catch (const sdbus::Error& error) {
        if (error.getName() == "org.freedesktop.DBus.Error.NoReply" ||
            error.getName() == "org.freedesktop.DBus.Error.Timeout") {
            return make_error(std::string(method) + " got no answer within " + std::to_string(time->count()) +
                              " ms");
        }
        return make_error(std::string(method) + " failed: " + describe(error));
    }
}

Result<void> BluezGattLink::find_device()
{
    auto reply = call("/", k_object_manager, "GetManagedObjects", k_call_step);
    if (!reply) {
        return make_error("bluetoothd does not answer: " + reply.error().message);
    }
    ManagedObjects objects;
    try {
        *reply >> objects;
    } catch (const sdbus::Error& error) {
        return make_error("GetManagedObjects: " + describe(error));
    }
    for (const auto& [path, interfaces] : objects) {
        const auto device = interfaces.find(k_device);
        if (device == interfaces.end() || get<std::string>(device->second, "Address") != m_options.address) {
            continue;
        }
        const bool preferred =
            !m_options.adapter.empty() && path.find("/" + m_options.adapter + "/") != std::string::npos;
        if (m_device_path.empty() || preferred) {
            m_device_path = path;
            m_connected = get<bool>(device->second, "Connected").value_or(false);
            m_services_resolved = get<bool>(device->second, "ServicesResolved").value_or(false);
        }
    }
    if (m_device_path.empty()) {
        return make_error("bluetoothd does not know " + m_options.address + " (not seen by the adapter)");
    }
    m_match = m_connection->addMatch(
        "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.Properties',member='"
        "PropertiesChanged',"
        "path_namespace='" +
            m_device_path + "'",
        [this](sdbus::Message& message) { on_properties_changed(message); });
    return {};
}

void BluezGattLink::on_properties_changed(sdbus::Message& message)
{
    std::string interface;
    std::map<std::string, sdbus::Variant> changed;
    try {
        message >> interface >> changed;
    } catch (const sdbus::Error&) {
        return;
    }
    const std::string path = message.getPath();
    if (interface == k_device && path == m_device_path) {
        if (auto connected = get<bool>(changed, "Connected")) {
            m_connected = *connected;
            if (!m_connected) {
                m_services_resolved = false;
            }
        }
        if (auto resolved = get<bool>(changed, "ServicesResolved")) {
            m_services_resolved = *resolved;
        }
        return;
    }
    if (interface != k_characteristic) {
        return;
    }
    auto value = get<std::vector<std::uint8_t>>(changed, "Value");
    const auto uuid = m_uuid_of_path.find(path);
    if (value && uuid != m_uuid_of_path.end()) {
        m_queue.push_back({uuid->second, std::move(*value)});
    }
}

Result<void> BluezGattLink::pump(std::chrono::milliseconds timeout)
{
    try {
        while (m_connection->processPendingRequest()) {
        }
        if (!m_queue.empty() || !m_connected) {
            return {};
        }
        const auto data = m_connection->getEventLoopPollData();
        int wait = static_cast<int>(timeout.count());
        const int bus_timeout = data.getPollTimeout();
        if (bus_timeout >= 0) {
            wait = std::min(wait, bus_timeout);
        }
        pollfd fd{data.fd, data.events, 0};
        (void)::poll(&fd, 1, std::max(wait, 0));
        while (m_connection->processPendingRequest()) {
        }
    } catch (const sdbus::Error& error) {
        return make_error("D-Bus connection lost: " + describe(error));
    }
    return {};
}

Result<void> BluezGattLink::connect()
{
    if (!m_connected) {
        auto time = budget(m_options.connect_timeout, "Connect");
        if (!time) {
            return time.error();
        }
        auto reply = call(m_device_path, k_device, "Connect", *time);
        if (!reply) {
            return make_error("connecting to " + m_options.address + ": " + reply.error().message +
                              " (is the cuff still showing its Bluetooth symbol?)");
        }
        m_we_connected = true;
        m_connected = true;
    }
    const auto until = Clock::now() + k_resolve_step;
    while (!m_services_resolved) {
        auto time = budget(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()),
                           "ServicesResolved");
        if (!time || time->count() <= 0) {
            return make_error("the services of " + m_options.address + " were not resolved within 10 s");
        }
        // The signal may have come before the match saw it: ask.
        auto reply = call(m_device_path, k_properties, "Get", 1000ms, [](sdbus::MethodCall& m) {
            m << std::string(k_device) << std::string("ServicesResolved");
        });
        if (reply) {
            sdbus::Variant value;
            *reply >> value;
            if (value.containsValueOfType<bool>() && value.get<bool>()) {
                m_services_resolved = true;
                break;
            }
        }
        if (!m_connected) {
            return make_error(m_options.address + " disconnected before its services were resolved");
        }
        if (auto pumped = pump(std::min(*time, std::chrono::milliseconds(200))); !pumped) {
            return pumped;
        }
    }
    return {};
}

Result<void> BluezGattLink::find_gatt_objects()
{
    auto reply = call("/", k_object_manager, "GetManagedObjects", k_call_step);
    if (!reply) {
        return reply.error();
    }
    ManagedObjects objects;
    *reply >> objects;
    const std::string prefix = m_device_path + "/";
    for (const auto& [path, interfaces] : objects) {
        if (path.rfind(prefix, 0) != 0) {
            continue;
        }
        if (const auto service = interfaces.find(k_service); service != interfaces.end()) {
            if (auto uuid = get<std::string>(service->second, "UUID")) {
                m_services.emplace(lower(*uuid), path);
            }
        }
        if (const auto characteristic = interfaces.find(k_characteristic);
            characteristic != interfaces.end()) {
            if (auto uuid = get<std::string>(characteristic->second, "UUID")) {
                m_characteristics.emplace(lower(*uuid), path);
                m_uuid_of_path[path] = lower(*uuid);
            }
        }
    }
    return {};
}

bool BluezGattLink::usable() const
{
    return m_connected && (m_options.stop == nullptr || !m_options.stop->load()) &&
           Clock::now() < m_options.deadline;
}

Result<bool> BluezGattLink::paired()
{
    auto reply = call(m_device_path, k_properties, "Get", k_call_step,
                      [](sdbus::MethodCall& m) { m << std::string(k_device) << std::string("Paired"); });
    if (!reply) {
        return reply.error();
    }
    sdbus::Variant value;
    *reply >> value;
    return value.containsValueOfType<bool>() && value.get<bool>();
}

Result<void> BluezGattLink::pair()
{
    auto reply = call(m_device_path, k_device, "Pair", k_pair_step);
    if (!reply) {
        return reply.error();
    }
    // Bonded devices reconnect without a new pairing; Trusted lets them (bluez.md §9).
    (void)call(m_device_path, k_properties, "Set", k_call_step, [](sdbus::MethodCall& m) {
        m << std::string(k_device) << std::string("Trusted") << sdbus::Variant(true);
    });
    return {};
}

bool BluezGattLink::has_service(std::string_view uuid) const
{
    return m_services.contains(std::string(uuid));
}

bool BluezGattLink::has_characteristic(std::string_view uuid) const
{
    return m_characteristics.contains(std::string(uuid));
}

Result<std::string> BluezGattLink::characteristic_path(std::string_view uuid) const
{
    const auto found = m_characteristics.find(std::string(uuid));
    if (found == m_characteristics.end()) {
        return make_error("the device has no characteristic " + std::string(uuid));
    }
    return found->second;
}

Result<void> BluezGattLink::start_notify(std::string_view uuid)
{
    auto path = characteristic_path(uuid);
    if (!path) {
        return path.error();
    }
    if (auto reply = call(*path, k_characteristic, "StartNotify", k_call_step); !reply) {
        return make_error("notifications of " + std::string(uuid) + ": " + reply.error().message);
    }
    return {};
}

Result<void> BluezGattLink::stop_notify(std::string_view uuid)
{
    auto path = characteristic_path(uuid);
    if (!path) {
        return path.error();
    }
    if (auto reply = call(*path, k_characteristic, "StopNotify", k_call_step); !reply) {
        return reply.error();
    }
    return {};
}

Result<void> BluezGattLink::write(std::string_view uuid, const Bytes& value, GattWrite type)
{
    auto path = characteristic_path(uuid);
    if (!path) {
        return path.error();
    }
    const std::string kind = type == GattWrite::request ? "request" : "command";
    auto reply = call(*path, k_characteristic, "WriteValue", k_call_step, [&](sdbus::MethodCall& m) {
        std::map<std::string, sdbus::Variant> options{{"type", sdbus::Variant(kind)}};
        m << value << options;
    });
    if (!reply) {
        return make_error("writing " + std::string(uuid) + ": " + reply.error().message);
    }
    return {};
}

Result<Bytes> BluezGattLink::read(std::string_view uuid)
{
    auto path = characteristic_path(uuid);
    if (!path) {
        return path.error();
    }
    auto reply = call(*path, k_characteristic, "ReadValue", k_call_step,
                      [](sdbus::MethodCall& m) { m << std::map<std::string, sdbus::Variant>{}; });
    if (!reply) {
        return make_error("reading " + std::string(uuid) + ": " + reply.error().message);
    }
    Bytes value;
    *reply >> value;
    return value;
}

Result<GattNotification> BluezGattLink::next_notification(std::chrono::milliseconds timeout)
{
    const auto until = Clock::now() + timeout;
    while (true) {
        if (!m_queue.empty()) {
            GattNotification next = std::move(m_queue.front());
            m_queue.pop_front();
            return next;
        }
        if (!m_connected) {
            return make_error("the device disconnected");
        }
        auto time =
            budget(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()), "waiting");
        if (!time) {
            return time.error();
        }
        if (time->count() <= 0) {
            return make_error("no notification within " + std::to_string(timeout.count()) + " ms");
        }
        if (auto pumped = pump(*time); !pumped) {
            return pumped.error();
        }
    }
}

void BluezGattLink::disconnect()
{
    if (m_device_path.empty() || !m_we_connected) {
        return;
    }
    m_we_connected = false;
    try {
        auto proxy = sdbus::createProxy(*m_connection, k_bluez, m_device_path);
        auto message = proxy->createMethodCall(k_device, "Disconnect");
        (void)proxy->callMethod(message, 5'000'000);
    } catch (const sdbus::Error& error) {
        logging::get("bluez")->debug("Disconnect failed: {} device={}", describe(error), m_options.address);
    }
}

}  // namespace ble2garmin::bluez

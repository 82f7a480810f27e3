#include "bluez/pairing_agent.hpp"

#include "bluez/device_properties.hpp"
#include "log/logging.hpp"

namespace ble2garmin::bluez {
namespace {

constexpr const char* k_agent_path = "/org/ble2garmin/agent";
constexpr const char* k_agent = "org.bluez.Agent1";
constexpr const char* k_manager = "org.bluez.AgentManager1";

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("bluez");
}

[[noreturn]] void reject(const std::string& why)
{
    throw sdbus::Error("org.bluez.Error.Rejected", why);
}

}  // namespace

PairingAgent::PairingAgent(sdbus::IConnection& connection, Accept accept)
    : m_connection(connection), m_accept(std::move(accept))
{
}

PairingAgent::~PairingAgent()
{
    if (m_registered) {
        try {
            auto proxy = sdbus::createProxy(m_connection, "org.bluez", "/org/bluez");
            auto message = proxy->createMethodCall(k_manager, "UnregisterAgent");
            message << sdbus::ObjectPath(k_agent_path);
            (void)proxy->callMethod(message, 2'000'000);
        } catch (const sdbus::Error&) {
            // bluetoothd gone or already forgot us: nothing to undo.
        }
    }
}

void PairingAgent::check(const sdbus::ObjectPath& device, const char* what) const
{
    const std::string address = address_from_device_path(device);
    if (address.empty() || !m_accept(address)) {
        logger()->info("pairing request refused, not a configured device request={} device={}", what,
                       address.empty() ? std::string(device) : address);
        reject("not a device of ble2garmin");
    }
    logger()->info("pairing request accepted request={} device={}", what, address);
}

void PairingAgent::start()
{
    m_object = sdbus::createObject(m_connection, k_agent_path);
    m_object->registerMethod("Release").onInterface(k_agent).implementedAs([] {});
    m_object->registerMethod("Cancel").onInterface(k_agent).implementedAs([] {});
    m_object->registerMethod("RequestPinCode")
        .onInterface(k_agent)
        .implementedAs(
            [](const sdbus::ObjectPath&) -> std::string { reject("no PIN entry: just-works pairing only"); });
    m_object->registerMethod("DisplayPinCode")
        .onInterface(k_agent)
        .implementedAs([](const sdbus::ObjectPath&, const std::string&) {});
    m_object->registerMethod("RequestPasskey")
        .onInterface(k_agent)
        .implementedAs([](const sdbus::ObjectPath&) -> std::uint32_t {
            reject("no passkey entry: just-works pairing only");
        });
    m_object->registerMethod("DisplayPasskey")
        .onInterface(k_agent)
        .implementedAs([](const sdbus::ObjectPath&, std::uint32_t, std::uint16_t) {});
    m_object->registerMethod("RequestConfirmation")
        .onInterface(k_agent)
        .implementedAs(
            [this](const sdbus::ObjectPath& device, std::uint32_t) { check(device, "confirmation"); });
    m_object->registerMethod("RequestAuthorization")
        .onInterface(k_agent)
        .implementedAs([this](const sdbus::ObjectPath& device) { check(device, "authorization"); });
    m_object->registerMethod("AuthorizeService")
        .onInterface(k_agent)
        .implementedAs(
            [this](const sdbus::ObjectPath& device, const std::string&) { check(device, "service"); });
    m_object->finishRegistration();
    m_name_slot = m_connection.addMatch(
        "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='"
        "NameOwnerChanged',"
        "arg0='org.bluez'",
        [this](sdbus::Message& message) {
            std::string name;
            std::string old_owner;
            std::string new_owner;
            message >> name >> old_owner >> new_owner;
            m_registered = false;
            if (!new_owner.empty()) {
                register_with_bluez();  // nothing registered with the old bluetoothd survives
            }
        });
    register_with_bluez();
}

void PairingAgent::register_with_bluez()
{
    try {
        auto proxy = sdbus::createProxy(m_connection, "org.bluez", "/org/bluez");
        auto registration = proxy->createMethodCall(k_manager, "RegisterAgent");
        registration << sdbus::ObjectPath(k_agent_path) << std::string("NoInputNoOutput");
        (void)proxy->callMethod(registration, 5'000'000);
        auto default_agent = proxy->createMethodCall(k_manager, "RequestDefaultAgent");
        default_agent << sdbus::ObjectPath(k_agent_path);
        (void)proxy->callMethod(default_agent, 5'000'000);
        m_registered = true;
        logger()->info("pairing agent registered path={}", k_agent_path);
    } catch (const sdbus::Error& error) {
        if (error.getName() == "org.bluez.Error.AlreadyExists") {
            m_registered = true;
            return;
        }
        // bluetoothd not there yet: NameOwnerChanged registers us when it comes.
        logger()->info("pairing agent not registered yet: {} {}", error.getName(), error.getMessage());
    }
}

}  // namespace ble2garmin::bluez

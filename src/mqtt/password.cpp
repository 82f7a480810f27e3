#include "mqtt/password.hpp"

#include <cstdlib>

#include <sys/stat.h>

#include "fs/small_file.hpp"

namespace ble2garmin::mqtt {

Result<std::string> read_password(const MqttConfig& config, const std::filesystem::path& state_directory)
{
    std::filesystem::path path;
    if (!config.password_credential.empty()) {
        const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
        if (directory == nullptr || *directory == '\0') {
            return make_error(
                "[mqtt] password_credential \"" + config.password_credential +
                "\": no systemd credentials (CREDENTIALS_DIRECTORY is not set; add LoadCredential= "
                "to the unit)");
        }
        path = std::filesystem::path(directory) / config.password_credential;
    } else if (!config.password_file.empty()) {
        path = config.password_file.is_absolute() ? config.password_file
                                                  : state_directory / config.password_file;
    } else {
        return std::string();
    }
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return make_error("MQTT password file " + path.string() + " cannot be read: " + std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        return make_error("MQTT password file " + path.string() +
                          " is not a regular file (a symbolic link?)");
    }
    if ((info.st_mode & 077) != 0) {
        return make_error("MQTT password file " + path.string() +
                          " can be read by others: make it private (chmod 600) and change the password");
    }
    auto text = fs::read_small_file(path, 64 * 1024);
    if (!text) {
        return make_error("MQTT password file " + path.string() + " cannot be read: " + text.error().message);
    }
    std::string password = text->substr(0, text->find_first_of("\r\n"));
    if (password.empty()) {
        return make_error("MQTT password file " + path.string() + " is empty");
    }
    return password;
}

}  // namespace ble2garmin::mqtt

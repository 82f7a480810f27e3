#include "garmin/auth/token_import.hpp"

#include <system_error>

namespace ble2garmin::garmin {

Result<std::string> import_tokens(const std::filesystem::path& source, const TokenStore& store)
{
    std::error_code error;
    std::filesystem::path di_file = source / k_di_token_file;
    if (std::filesystem::is_regular_file(source, error) && source.extension() == ".json") {
        di_file = source;  // python-garminconnect accepts the file itself as the token store
    } else if (!std::filesystem::is_directory(source, error)) {
        return make_error(source.string() + " is neither a token folder nor a garmin_tokens.json file");
    }
    auto di_text = read_small_file(di_file);
    if (!di_text) {
        return di_text.error();
    }
    if (*di_text) {
        auto tokens = di_tokens_from_json(**di_text);
        if (!tokens) {
            return make_error(di_file.string() + ": " + tokens.error().message);
        }
        if (auto saved = store.save_di(*tokens); !saved) {
            return saved.error();
        }
        return std::string("DI OAuth2");
    }
    const auto oauth1_file = source / k_oauth1_token_file;
    auto oauth1_text = read_small_file(oauth1_file);
    if (!oauth1_text) {
        return oauth1_text.error();
    }
    if (!*oauth1_text) {
        return make_error(source.string() + " holds neither garmin_tokens.json nor oauth1_token.json");
    }
    auto oauth1 = oauth1_from_json(**oauth1_text);
    if (!oauth1) {
        return make_error(oauth1_file.string() + ": " + oauth1.error().message);
    }
    const auto oauth2_file = source / k_oauth2_token_file;
    auto oauth2_text = read_small_file(oauth2_file);
    if (!oauth2_text) {
        return oauth2_text.error();
    }
    std::optional<OAuth2Token> oauth2;
    if (*oauth2_text) {
        auto parsed = oauth2_from_json(**oauth2_text);
        if (!parsed) {
            return make_error(oauth2_file.string() + ": " + parsed.error().message);
        }
        oauth2 = std::move(*parsed);
    }
    // A DI file already there would win over the imported legacy tokens: the import replaces it.
    if (std::filesystem::remove(store.directory() / k_di_token_file, error); error) {
        return make_error("cannot remove the old " + std::string(k_di_token_file) + ": " + error.message());
    }
    if (auto saved = store.save_oauth1(*oauth1); !saved) {
        return saved.error();
    }
    if (oauth2) {
        if (auto saved = store.save_oauth2(*oauth2); !saved) {
            return saved.error();
        }
    }
    return std::string("legacy garth");
}

}  // namespace ble2garmin::garmin

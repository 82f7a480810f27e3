#pragma once
// Importing the token folder of another client into an account's TokenStore: export2garmin and
// python-garminconnect ≥ 0.3 (`garmin_tokens.json`, or that file given directly) or garth
// (`oauth1_token.json` + optional `oauth2_token.json`). Files are parsed before anything is written,
// and written with our modes (0600 in a 0700 folder).

#include <filesystem>
#include <string>

#include "ble2garmin/result.hpp"

#include "garmin/auth/token_store.hpp"

namespace ble2garmin::garmin {

// The kind imported ("DI OAuth2" or "legacy garth"); an Error naming the problem when `source` holds
// neither layout or a file is malformed.
Result<std::string> import_tokens(const std::filesystem::path& source, const TokenStore& store);

}  // namespace ble2garmin::garmin

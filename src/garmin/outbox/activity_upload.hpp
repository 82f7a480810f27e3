#pragma once
// Uploads a FIT activity (a converted rowing session) the way Garmin Connect's own web upload does:
// a multipart POST of the file to /upload-service/upload (shared/spec/garmin-connect.md §6.2), the
// same endpoint as the weight FIT. Garmin answers 409 when it has the activity already: done.

#include <string>

#include "ble2garmin/advertisement.hpp"

#include "garmin/connect_client.hpp"

namespace ble2garmin::garmin {

// Garmin's answer (success, duplicate = already there, or why not), never throws. `file_name` is
// what Garmin Connect shows as the file's name ("rowing-2020-11-24.fit").
ApiResponse upload_activity(ConnectClient& client, const std::string& file_name, const Bytes& fit);

}  // namespace ble2garmin::garmin

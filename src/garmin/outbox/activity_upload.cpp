#include "garmin/outbox/activity_upload.hpp"

namespace ble2garmin::garmin {

ApiResponse upload_activity(ConnectClient& client, const std::string& file_name, const Bytes& fit)
{
    ApiRequest request;
    request.method = "POST";
    request.path = "/upload-service/upload";
    request.file = MultipartFile{"file", file_name, std::string(fit.begin(), fit.end()), ""};
    return client.call(request);
}

}  // namespace ble2garmin::garmin

#include "garmin/outbox/connect_uploader.hpp"

#include "garmin/outbox/upload_check.hpp"

namespace ble2garmin::garmin {

UploadAnswer ConnectUploader::upload(const OutboxJob& job)
{
    auto found = m_clients.find(job.email);
    if (found == m_clients.end()) {
        auto client = ConnectClient::open(m_config, job.email, m_cancel);
        if (!client) {
            // No tokens yet, or unreadable: only a login helps.
            return {ApiOutcome::auth_failed, std::nullopt, client.error().message, std::nullopt};
        }
        found = m_clients.emplace(job.email, std::move(*client)).first;
    }
    ApiRequest request;
    request.method = "POST";
    if (const auto* scale = job.scale()) {
        request.path = "/upload-service/upload";
        request.file = MultipartFile{"file", "body_composition.fit",
                                     std::string(scale->fit.begin(), scale->fit.end()), ""};
    } else {
        request.path = "/bloodpressure-service/bloodpressure";
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = job.blood_pressure()->json;
    }
    const ApiResponse response = found->second->call(request);
    if (response.outcome == ApiOutcome::auth_failed) {
        m_clients.erase(found);  // read the tokens again next time: the user may have logged in
    }
    UploadAnswer answer{response.outcome, response.retry_after, response.message, std::nullopt};
    if (response.outcome == ApiOutcome::success && m_config.garmin.verify_uploads) {
        answer.not_visible = find_upload_problem(*found->second, job);
    }
    return answer;
}

}  // namespace ble2garmin::garmin

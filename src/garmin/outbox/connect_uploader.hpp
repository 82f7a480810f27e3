#pragma once
// Uploads outbox jobs to Garmin Connect: the body-composition FIT as the multipart upload
// (shared/spec/garmin-connect.md §6.2, part "file", filename body_composition.fit), blood pressure
// as the JSON post (§6.3), through each account's ConnectClient, which renews tokens and retries a 401 once.
// Garmin's answer is mapped to the outbox's terms; nothing is retried here (the outbox schedules).

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "ble2garmin/config.hpp"

#include "garmin/connect_client.hpp"
#include "garmin/outbox/outbox.hpp"

namespace ble2garmin::garmin {

class ConnectUploader {
public:
    explicit ConnectUploader(Config config) : m_config(std::move(config)) {}

    UploadAnswer upload(const OutboxJob& job);
    // Aborts the upload in progress and every later one (any thread; the daemon stops).
    void cancel() { m_cancel->store(true); }

private:
    Config m_config;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    std::map<std::string, std::unique_ptr<ConnectClient>> m_clients;  // by account e-mail
};

}  // namespace ble2garmin::garmin

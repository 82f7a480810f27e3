#pragma once
// Helpers for the Garmin unit tests: the store tests' temp folder, an unsigned test JWT, and a
// scripted HttpClient.

#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "../store/store_test_support.hpp"
#include "garmin/http/encoding.hpp"
#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin::testing_support {

// The store tests' temp folder, removed with everything in it.
using store::testing_support::TempDir;

// header.payload.signature with base64url segments (the signature is not checked by the client).
inline std::string make_jwt(const std::string& client_id, long long exp)
{
    auto url = [](std::string text) {
        for (auto& c : text) {
            c = c == '+' ? '-' : c == '/' ? '_' : c;
        }
        while (!text.empty() && text.back() == '=') {
            text.pop_back();
        }
        return text;
    };
    return url(base64_encode(R"({"alg":"HS256","typ":"JWT"})")) + "." +
           url(base64_encode(R"({"client_id":")" + client_id + R"(","exp":)" + std::to_string(exp) + "}")) +
           ".c2ln";
}

// Answers requests from a script and records them.
class ScriptedHttp final : public HttpClient {
public:
    struct Step {
        long status;
        std::string body;
        Headers headers;
    };
    void push(long status, std::string body, Headers headers = {})
    {
        m_steps.push_back({status, std::move(body), std::move(headers)});
    }
    Result<HttpResponse> send(const HttpRequest& request) override
    {
        requests.push_back(request);
        if (m_steps.empty()) {
            return make_error("HTTPS request to " + url_origin(request.url) + " failed: no scripted answer");
        }
        Step step = std::move(m_steps.front());
        m_steps.pop_front();
        if (step.status == 0) {
            return make_error("HTTPS request to " + url_origin(request.url) + " failed: " + step.body);
        }
        HttpResponse response;
        response.status = step.status;
        response.body = std::move(step.body);
        for (auto& [name, value] : step.headers) {
            response.headers.emplace_back(name, value);
        }
        return response;
    }
    std::vector<HttpRequest> requests;

private:
    std::deque<Step> m_steps;
};

inline std::string header_of(const HttpRequest& request, const std::string& name)
{
    for (const auto& [key, value] : request.headers) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

}  // namespace ble2garmin::garmin::testing_support

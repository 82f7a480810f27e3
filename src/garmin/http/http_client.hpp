#pragma once
// One HTTPS client (libcurl + OpenSSL) for every Garmin call. TLS peer and host verification is
// always on; `ca_file` only adds trusted CAs (the test mock's). Proxies come from the environment
// (libcurl's http_proxy / https_proxy / no_proxy). Each HttpClient has its own cookie jar, which
// lives as long as the object: create one per login flow. Never logs a header value or a body.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::garmin {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One file part of a multipart/form-data body (FIT uploads: field name "file").
struct MultipartFile {
    std::string field_name = "file";
    std::string file_name;
    std::string content;
    std::string content_type;  // empty: no Content-Type line in the part
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;  // full URL, query included
    Headers headers;
    std::string body;  // sent as is (ignored when `file` is set)
    std::optional<MultipartFile> file;
};

struct HttpResponse {
    long status = 0;
    Headers headers;  // names lower-cased, in order received (final response only)
    std::string body;

    // The first value of header `name` (any case), nullopt when absent.
    std::optional<std::string> header(std::string_view name) const;
};

struct HttpOptions {
    std::filesystem::path ca_file;  // empty: the system trust store only
    std::string user_agent;         // default User-Agent; a request header overrides it
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds total_timeout{60};
    // When set and true, a request in progress is aborted (within about a second: libcurl's
    // progress callback) and answers an Error — how the daemon stops an upload at SIGTERM.
    std::shared_ptr<const std::atomic<bool>> cancel;
};

// The transport, as an interface so the auth code can be unit-tested without a network.
class HttpClient {
public:
    virtual ~HttpClient() = default;
    // The response of any status; an Error only when no HTTP response arrived (DNS, connect, TLS,
    // timeout), with a one-line reason naming the host but never the query, headers or body.
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// The libcurl implementation; one easy handle (and so one cookie jar) per object.
std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options);

// "https://host:port" of a URL, for messages (no path, no query).
std::string url_origin(std::string_view url);
// The path of a URL without its query, for log lines.
std::string url_path(std::string_view url);

}  // namespace ble2garmin::garmin

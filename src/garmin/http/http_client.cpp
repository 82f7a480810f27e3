#include "garmin/http/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <curl/curl.h>

#include "log/logging.hpp"

namespace ble2garmin::garmin {
namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() &&
           (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return std::string(text);
}

void global_init()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// libcurl calls this about once a second even while nothing moves; non-zero aborts the transfer.
int on_progress(void* cancel, curl_off_t /*download_total*/, curl_off_t /*downloaded*/,
                curl_off_t /*upload_total*/, curl_off_t /*uploaded*/)
{
    return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user)
{
    auto* headers = static_cast<Headers*>(user);
    const std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after 100 Continue or a proxy CONNECT): keep only the last
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        headers->emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    return size * count;
}

class CurlSlist {
public:
    CurlSlist() = default;
    CurlSlist(const CurlSlist&) = delete;
    CurlSlist& operator=(const CurlSlist&) = delete;
    ~CurlSlist() { curl_slist_free_all(m_list); }
    void add(const std::string& line) { m_list = curl_slist_append(m_list, line.c_str()); }
    curl_slist* get() const { return m_list; }

private:
    curl_slist* m_list = nullptr;
};

class CurlHttpClient final : public HttpClient {
public:
    explicit CurlHttpClient(HttpOptions options) : m_options(std::move(options))
    {
        global_init();
        m_curl = curl_easy_init();
    }
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;
    ~CurlHttpClient() override
    {
        if (m_curl != nullptr) {
            curl_easy_cleanup(m_curl);
        }
    }

    Result<HttpResponse> send(const HttpRequest& request) override
    {
        const std::string origin = url_origin(request.url);
        if (m_curl == nullptr) {
            return make_error("cannot start an HTTPS request to " + origin + ": libcurl did not initialise");
        }
        if (request.url.rfind("https://", 0) != 0) {
            return make_error("refusing a request to " + origin + ": only https:// URLs are allowed");
        }
        CURL* curl = m_curl;
        // Options of the previous request are reset; the cookie jar survives curl_easy_reset().
        curl_easy_reset(curl);
        HttpResponse response;
        char error_buffer[CURL_ERROR_SIZE] = {};
        CurlSlist headers;
        bool has_user_agent = false;
        for (const auto& [name, value] : request.headers) {
            headers.add(name + ": " + value);
            has_user_agent = has_user_agent || lower(name) == "user-agent";
        }
        if (!has_user_agent && !m_options.user_agent.empty()) {
            headers.add("User-Agent: " + m_options.user_agent);
        }
        headers.add("Expect:");  // no 100-continue round trip on uploads

        curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_options.ca_file.empty()) {
            curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.ca_file.c_str());
        }
        curl_easy_setopt(
            curl, CURLOPT_CONNECTTIMEOUT,
            static_cast<long>(std::min(m_options.connect_timeout, m_options.total_timeout).count()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(m_options.total_timeout.count()));
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        if (!m_cookie_engine_on) {
            // Cookie engine on, nothing read from disk. Once per handle: the engine and its jar
            // survive curl_easy_reset(), and libcurl 7.88 never frees the file-name list this
            // option builds once a reset followed (one small list per setting; tests/lsan.supp).
            curl_easy_setopt(curl, CURLOPT_COOKIEFILE, "");
            m_cookie_engine_on = true;
        }
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

        curl_mime* mime = nullptr;
        if (request.file) {
            mime = curl_mime_init(curl);
            curl_mimepart* part = curl_mime_addpart(mime);
            curl_mime_name(part, request.file->field_name.c_str());
            curl_mime_filename(part, request.file->file_name.c_str());
            curl_mime_data(part, request.file->content.data(), request.file->content.size());
            if (!request.file->content_type.empty()) {
                curl_mime_type(part, request.file->content_type.c_str());
            }
            curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        } else if (request.method == "GET") {
            curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        }

        if (m_options.cancel) {
            curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
            curl_easy_setopt(curl, CURLOPT_XFERINFODATA, m_options.cancel.get());
            curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        }
        const CURLcode code = curl_easy_perform(curl);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
        if (mime != nullptr) {
            curl_easy_setopt(curl, CURLOPT_MIMEPOST, nullptr);
            curl_mime_free(mime);
        }
        const std::string path = url_path(request.url);
        if (code != CURLE_OK) {
            std::string reason = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
            reason = trim(reason);
            logging::get("garmin")->debug("request failed method={} origin={} path={} error={}",
                                          request.method, origin, path, reason);
            return make_error("HTTPS request to " + origin + " failed: " + reason);
        }
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
        logging::get("garmin")->debug("request method={} origin={} path={} status={} bytes={}",
                                      request.method, origin, path, response.status, response.body.size());
        return response;
    }

private:
    HttpOptions m_options;
    CURL* m_curl = nullptr;
    bool m_cookie_engine_on = false;
};

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const
{
    const std::string wanted = lower(name);
    for (const auto& [key, value] : headers) {
        if (key == wanted) {
            return value;
        }
    }
    return std::nullopt;
}

std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options)
{
    return std::make_unique<CurlHttpClient>(options);
}

std::string url_origin(std::string_view url)
{
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    return std::string(url.substr(0, end));
}

std::string url_path(std::string_view url)
{
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const auto slash = url.find('/', start);
    if (slash == std::string_view::npos) {
        return "/";
    }
    const auto end = url.find_first_of("?#", slash);
    return std::string(
        url.substr(slash, end == std::string_view::npos ? std::string_view::npos : end - slash));
}

}  // namespace ble2garmin::garmin

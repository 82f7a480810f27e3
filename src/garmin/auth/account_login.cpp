#include "garmin/auth/account_login.hpp"

#include <memory>

#include "garmin/auth/di_auth.hpp"
#include "garmin/auth/sso_login.hpp"
#include "garmin/auth/token_store.hpp"
#include "garmin/connect_client.hpp"
#include "log/logging.hpp"

namespace ble2garmin::garmin {
namespace {

struct Transport {
    std::unique_ptr<HttpClient> owned;
    HttpClient* http;
};

Transport transport_for(const AccountLogin& login)
{
    if (login.http != nullptr) {
        return {nullptr, login.http};
    }
    auto owned = make_curl_client(http_options(login.garmin));
    auto* raw = owned.get();
    return {std::move(owned), raw};
}

LoginOutcome exchange_and_save(const AccountLogin& login, HttpClient& http, const std::string& ticket,
                               const std::string& service_url)
{
    auto directory = TokenStore::account_directory(login.token_dir, login.email);
    if (!directory) {
        return {LoginStatus::failed, directory.error().message, std::nullopt};
    }
    auto exchange = exchange_service_ticket(http, login.garmin.diauth_base_url, login.garmin.client_ids,
                                            ticket, service_url, unix_now());
    if (exchange.outcome.status != LoginStatus::ok) {
        return exchange.outcome;
    }
    if (auto saved = TokenStore(*directory).save_di(exchange.tokens); !saved) {
        return {LoginStatus::failed, "cannot save the tokens: " + saved.error().message, std::nullopt};
    }
    logging::get("garmin")->info("tokens saved account={} directory={}", login.email, directory->string());
    return {LoginStatus::ok, "tokens saved in " + directory->string(), std::nullopt};
}

}  // namespace

LoginOutcome login_with_password(const AccountLogin& login, const std::string& password,
                                 const MfaCodeSource& mfa_code)
{
    auto log = logging::get("garmin");
    auto transport = transport_for(login);
    SsoSettings settings{login.garmin.sso_base_url, login.garmin.domain, login.garmin.user_agent};
    SsoLogin sso(*transport.http, settings);
    log->info("signing in account={}", login.email);
    LoginOutcome outcome = sso.start(login.email, password);
    for (int attempt = 1;
         outcome.status == LoginStatus::mfa_required || outcome.status == LoginStatus::mfa_failed;
         ++attempt) {
        if (attempt > k_max_mfa_attempts) {
            return outcome;
        }
        if (outcome.status == LoginStatus::mfa_failed) {
            log->warn("verification code rejected attempt={}", attempt - 1);
        }
        auto code = mfa_code(attempt);
        if (!code) {
            if (outcome.status == LoginStatus::mfa_required) {
                outcome = {LoginStatus::mfa_failed, "Garmin asked for a verification code and none was given",
                           std::nullopt};
            }
            return outcome;
        }
        outcome = sso.submit_mfa(*code);
    }
    log->info("sign-in result={}", login_status_name(outcome.status));
    if (outcome.status != LoginStatus::ok) {
        return outcome;
    }
    return exchange_and_save(login, *transport.http, sso.ticket(), sso.service_url());
}

LoginOutcome login_with_ticket(const AccountLogin& login, const std::string& ticket, std::string service_url)
{
    if (ticket.rfind("ST-", 0) != 0) {
        return {LoginStatus::failed, "a service ticket starts with ST-", std::nullopt};
    }
    if (service_url.empty()) {
        service_url = mobile_service_url(login.garmin.domain);
    }
    auto transport = transport_for(login);
    return exchange_and_save(login, *transport.http, ticket, service_url);
}

}  // namespace ble2garmin::garmin

// The sidecar's HTTP surface: /api/v1/{method} and the session, demo,
// definitions, OpenAPI, health and metrics endpoints, and the console's files.
// Every request is answered here, logged once (access_log.h) and counted
// (metrics.h).
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>
#include <memory>
#include <string>

#include "method_catalogue.h"
#include "metrics.h"
#include "plugin_host.h"
#include "server_settings.h"
#include "sessions.h"
#include "token_verifier.h"

namespace rl_server {

// What every request handler shares; lives as long as the HTTP server.
struct Sidecar {
    const ServerSettings& settings;
    oa_stub::PluginHost& host;
    const MethodCatalogue& catalogue;
    const People& people;
    const TokenVerifier& tokens;
    SessionStore& sessions;
    Metrics& metrics;
    Poco::Logger& log;
    Poco::Logger& access;
    std::string openapi;      // generated once at start
    std::string definitions;  // {"forms":[…],"workflows":[…],"notification_rules":[…]}
    std::atomic<int> in_flight{0};
    std::atomic<bool> ready{false};
};

class SidecarHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit SidecarHandlerFactory(Sidecar& sidecar) : sidecar_(sidecar) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

private:
    Sidecar& sidecar_;
};

// The HTTP status for a plugin result (RL_OK): its "outcome".
int status_for_outcome(const std::string& outcome);
// The HTTP status and error code for a failed plugin call.
std::pair<int, std::string> status_for_error(int rl_status);

}  // namespace rl_server

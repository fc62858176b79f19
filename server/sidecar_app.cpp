#include "sidecar_app.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/PatternFormatter.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "api_handler.h"
#include "background_work.h"
#include "openapi.h"
#include "plugin_host.h"
#include "registry.h"
#include "stub_config.h"

namespace rl_server {

namespace {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

// Log lines go to stderr: "time level source: text"; the access log's lines
// are JSON objects, one per line, as they are.
void configure_logging(const Poco::Util::AbstractConfiguration& config) {
    if (config.has("logging.loggers.root.channel")) {
        return;  // the configuration file sets up its own (Poco's logging.* keys)
    }
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
    Poco::AutoPtr<Poco::PatternFormatter> pattern(
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
    Poco::AutoPtr<Poco::FormattingChannel> formatted(new Poco::FormattingChannel(pattern, console));
    Poco::Logger::root().setChannel(formatted);
    Poco::Logger::root().setLevel(config.getString("logging.level", "information"));
    Poco::AutoPtr<Poco::PatternFormatter> bare(new Poco::PatternFormatter("%t"));
    Poco::AutoPtr<Poco::FormattingChannel> access(new Poco::FormattingChannel(bare, console));
    Poco::Logger::get("access").setChannel(access);
    Poco::Logger::get("access").setLevel(config.getBool("logging.access", true) ? "information"
                                                                                : "none");
}

std::string definitions_json(const oa_stub::Registry& registry) {
    std::string out = "{";
    const std::pair<const char*, std::int32_t> kinds[] = {
        {"forms", RL_REGISTRATION_FORM},
        {"workflows", RL_REGISTRATION_WORKFLOW},
        {"notification_rules", RL_REGISTRATION_NOTIFICATION_RULE}};
    bool first_kind = true;
    for (const auto& [name, kind] : kinds) {
        out += std::string(first_kind ? "" : ",") + "\"" + name + "\":[";
        first_kind = false;
        bool first = true;
        for (const auto& r : registry.of_kind(kind)) {
            out += (first ? "" : ",") + r.json;
            first = false;
        }
        out += "]";
    }
    return out + "}";
}

std::string json_field(const std::string& json, const char* field) {
    const std::string key = std::string("\"") + field + "\":\"";
    const auto at = json.find(key);
    if (at == std::string::npos) {
        return "";
    }
    const auto start = at + key.size();
    return json.substr(start, json.find('"', start) - start);
}

}  // namespace

SidecarApp::SidecarApp() : overrides_(new Poco::Util::MapConfiguration) {
    // The command line wins over every configuration file, whatever the order
    // of the options.
    config().add(overrides_, kCommandLinePriority);
}

void SidecarApp::initialize(Poco::Util::Application& self) {
    ServerApplication::initialize(self);
}

void SidecarApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(
        Option("help", "h", "show the options and exit").required(false).repeatable(false));
    options.addOption(Option("config", "c",
                             "the server's configuration file (.properties, .ini or .xml; keys "
                             "in docs/server.md)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Option("plugin-config", "",
                             "the plugin's configuration (as oa-stub --config; default: the demo)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Option("database", "", "the ledger's SQLite file (plugin.database)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Option("plugin", "", "the plugin library to load (plugin.library)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(
        Option("bind", "", "the address to listen on (server.bind; default 127.0.0.1)")
            .required(false)
            .repeatable(false)
            .argument("ADDRESS"));
    options.addOption(Option("port", "p", "the port to listen on, 0 for any free one (server.port)")
                          .required(false)
                          .repeatable(false)
                          .argument("PORT"));
    options.addOption(
        Option("demo", "", "offer the demo sign-in (choose any person of the org chart)")
            .required(false)
            .repeatable(false));
    options.addOption(Option("now", "",
                             "start the host clock at this court time and run on from there "
                             "(plugin.now; YYYY-MM-DD[THH:MM]; for demos of a past plan)")
                          .required(false)
                          .repeatable(false)
                          .argument("TIME"));
    options.addOption(Option("define", "D", "set a configuration key: -D key=value")
                          .required(false)
                          .repeatable(true)
                          .argument("KEY=VALUE"));
}

void SidecarApp::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "help") {
        help_requested_ = true;
        stopOptionsProcessing();
    } else if (name == "config") {
        loadConfiguration(value, PRIO_APPLICATION);
    } else if (name == "demo") {
        overrides_->setBool("demo", true);
    } else if (name == "define") {
        const auto eq = value.find('=');
        overrides_->setString(value.substr(0, eq),
                              eq == std::string::npos ? "" : value.substr(eq + 1));
    } else {
        static const std::map<std::string, std::string> kKeys = {{"plugin-config", "plugin.config"},
                                                                 {"database", "plugin.database"},
                                                                 {"plugin", "plugin.library"},
                                                                 {"bind", "server.bind"},
                                                                 {"port", "server.port"},
                                                                 {"now", "plugin.now"}};
        const auto key = kKeys.find(name);
        if (key != kKeys.end()) {
            overrides_->setString(key->second, value);
        }
    }
}

void SidecarApp::show_help() const {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("[OPTIONS]");
    help.setHeader(
        "The Reform Ledger HTTP sidecar: the plugin's methods as POST /api/v1/{method} with the "
        "OA's signed tokens, the console, health and metrics. See docs/server.md.");
    help.format(std::cout);
}

int SidecarApp::main(const std::vector<std::string>&) {
    if (help_requested_) {
        show_help();
        return EXIT_OK;
    }
    configure_logging(config());
    Poco::Logger& log = Poco::Logger::get("server");
    ServerSettings settings;
    try {
        settings = read_settings(config());
    } catch (const SettingsError& e) {
        log.fatal(e.what());
        return EXIT_CONFIG;
    }

    oa_stub::PluginHost host(RL_LOG_INFO);
    if (!settings.now.empty()) {
        host.set_running_clock(*oa_stub::court_time_ms(settings.now));
    }
    Poco::Logger& plugin_log = Poco::Logger::get("plugin");
    host.set_log_handler([&plugin_log](int32_t level, const std::string& message) {
        switch (level) {
            case RL_LOG_DEBUG:
                plugin_log.debug(message);
                break;
            case RL_LOG_INFO:
                plugin_log.information(message);
                break;
            case RL_LOG_WARNING:
                plugin_log.warning(message);
                break;
            default:
                plugin_log.error(message);
        }
    });
    std::unique_ptr<MethodCatalogue> catalogue;
    People people;
    std::string plugin_version;
    try {
        host.load(settings.plugin_library);
        oa_stub::StubSettings stub;
        stub.config_path = settings.plugin_config;
        if (!settings.database.empty()) {
            stub.database_path = settings.database;
        }
        stub.delivery_worker = false;  // this server delivers (work.deliver_interval_ms)
        host.create(oa_stub::plugin_config_json(stub));
        catalogue = std::make_unique<MethodCatalogue>(host.call("plugin.describe"));
        people = People(host.call("org.chart"));
        plugin_version = json_field(host.call("plugin.info"), "version");
    } catch (const std::exception& e) {
        log.fatal(std::string("cannot start the plugin: ") + e.what());
        return EXIT_SOFTWARE;
    }

    std::unique_ptr<TokenVerifier> tokens;
    try {
        tokens = std::make_unique<TokenVerifier>(settings.auth);
    } catch (const std::exception& e) {
        log.fatal(e.what());
        return EXIT_CONFIG;
    }
    SessionStore sessions(std::chrono::seconds(settings.session_ttl_s), settings.max_sessions);
    Metrics metrics;
    Sidecar sidecar{settings,
                    host,
                    *catalogue,
                    people,
                    *tokens,
                    sessions,
                    metrics,
                    log,
                    Poco::Logger::get("access"),
                    openapi_document(*catalogue, plugin_version, settings.demo),
                    definitions_json(host.registry())};

    Poco::Net::SocketAddress address(settings.bind, static_cast<Poco::UInt16>(settings.port));
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    try {
        if (settings.tls()) {
            Poco::Net::initializeSSL();
            Poco::Net::Context::Ptr context(new Poco::Net::Context(
                Poco::Net::Context::TLS_SERVER_USE, settings.tls_private_key,
                settings.tls_certificate, "", Poco::Net::Context::VERIFY_NONE));
            context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
            socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
        } else {
            socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
        }
    } catch (const Poco::Exception& e) {
        log.fatal("cannot listen on " + address.toString() + ": " + e.displayText());
        return EXIT_IOERR;
    }
    Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(settings.max_threads);
    params->setMaxQueued(settings.max_queued);
    params->setTimeout(Poco::Timespan(settings.receive_timeout_s, 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(settings.keep_alive_timeout_s, 0));
    params->setServerName("reform-ledger-server");
    Poco::ThreadPool pool(2, settings.max_threads);
    Poco::Net::HTTPServer server(new SidecarHandlerFactory(sidecar), pool, *socket, params);
    server.start();
    sidecar.ready = true;

    BackgroundWork work([&host](const std::string& method) { return host.call(method); }, metrics,
                        Poco::Logger::get("work"),
                        std::chrono::milliseconds(std::int64_t{settings.sweep_interval_s} * 1000),
                        std::chrono::milliseconds(settings.deliver_interval_ms));
    work.start();

    const std::string scheme = settings.tls() ? "https" : "http";
    std::cout << "listening on " << scheme << "://" << settings.bind << ":"
              << socket->address().port() << std::endl;
    log.information("listening on " + scheme + "://" + settings.bind + ":" +
                    std::to_string(socket->address().port()) +
                    (settings.demo ? " (demo sign-in on)" : ""));

    waitForTerminationRequest();

    log.information("stopping: no new connections; finishing the requests under way");
    sidecar.ready = false;
    server.stopAll(false);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(settings.shutdown_grace_s);
    while (server.currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (server.currentConnections() > 0) {
        log.warning("stopping: " + std::to_string(server.currentConnections()) +
                    " connection(s) still open after server.shutdown_grace_s; closing them");
        server.stopAll(true);
    }
    pool.joinAll();
    work.stop();
    try {
        host.shutdown();
    } catch (const std::exception& e) {
        log.error(std::string("plugin shutdown: ") + e.what());
        return EXIT_SOFTWARE;
    }
    if (settings.tls()) {
        Poco::Net::uninitializeSSL();
    }
    log.information("stopped");
    return EXIT_OK;
}

}  // namespace rl_server

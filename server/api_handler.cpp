#include "api_handler.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/RandomStream.h>
#include <Poco/URI.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>

#include "access_log.h"
#include "console_files.h"
#include "http_util.h"

namespace rl_server {

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kApiPrefix = "/api/v1/";
constexpr const char* kSessionCookie = "rl_session";
constexpr const char* kCsrfHeader = "X-CSRF-Token";
// The console's pages: only their own scripts, styles and API (no inline
// script, nothing from elsewhere).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'";

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    Poco::RandomInputStream random;
    random.read(raw.data(), static_cast<std::streamsize>(bytes));
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : raw) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string new_request_id() {
    static const std::string prefix = random_hex(4);
    static std::atomic<std::uint64_t> counter{0};
    return prefix + "-" + std::to_string(++counter);
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string to_json(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// Admits at most settings.max_in_flight API calls at once.
class InFlight {
public:
    InFlight(std::atomic<int>& counter, int limit) : counter_(counter) {
        if (counter_.fetch_add(1) >= limit) {
            counter_.fetch_sub(1);
            throw HttpError(503, "busy",
                            "the server is answering " + std::to_string(limit) +
                                " requests already (server.max_in_flight); try again shortly");
        }
    }
    ~InFlight() { counter_.fetch_sub(1); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    std::atomic<int>& counter_;
};

// A local path to go to after sign-in: "/…" on this server, never "//host",
// a scheme or a backslash (an open redirect otherwise).
std::string safe_next(const std::string& next) {
    if (next.empty() || next[0] != '/' ||
        (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) {
        return "/";
    }
    for (const char c : next) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') {
            return "/";
        }
    }
    return next;
}

class SidecarRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit SidecarRequestHandler(Sidecar& s) : s_(s) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        const auto started = std::chrono::steady_clock::now();
        AccessRecord record;
        record.request_id = new_request_id();
        record.http_method = request.getMethod();
        record.remote = request.clientAddress().host().toString();
        const std::string uri = request.getURI();
        record.path = uri.substr(0, uri.find('?'));
        response.set("X-Request-Id", record.request_id);
        std::string metric = record.path;
        try {
            route(request, response, record, metric);
            finish_body(request, response);
        } catch (const HttpError& e) {
            finish_body(request, response);
            if (e.status() == 401) {
                response.set("WWW-Authenticate",
                             e.code() == "invalid_token"
                                 ? "Bearer realm=\"reform-ledger\", error=\"invalid_token\""
                                 : "Bearer realm=\"reform-ledger\"");
            }
            if (e.status() == 503) {
                response.set("Retry-After", "1");
            }
            if (e.status() == 413) {
                response.setKeepAlive(false);  // the rest of the body is not read
            }
            reply_error(response, e.status(), e.code(), e.what());
        } catch (const std::exception& e) {
            finish_body(request, response);
            fail_internal(response, record, e.what());
        }
        record.status = static_cast<int>(response.getStatus());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        record.duration_ms = seconds * 1000.0;
        s_.metrics.record_request(metric, record.status, seconds);
        log_access(s_.access, record);
    }

private:
    // The request's body, read once, at most server.max_body_bytes (413).
    const std::string& body(HTTPServerRequest& request) {
        if (!body_) {
            body_ = read_body(request, s_.settings.max_body_bytes);
        }
        return *body_;
    }

    // Reads what is left of the body before the handler returns: an answer
    // given without reading it (a 401, a 403 for a missing CSRF token, a
    // sign-out with a body) would leave it on a kept-alive connection, read
    // there as the next request. A body too large to read is not kept alive.
    void finish_body(HTTPServerRequest& request, HTTPServerResponse& response) {
        try {
            body(request);
        } catch (const std::exception&) {
            response.setKeepAlive(false);
        }
    }

    void reply_error(HTTPServerResponse& response, int status, const std::string& code,
                     const std::string& message, const std::string& id = "") {
        if (!response.sent()) {
            send_json(response, status, error_body(status, code, message, id));
        }
    }

    void fail_internal(HTTPServerResponse& response, AccessRecord& record,
                       const std::string& detail) {
        record.error_id = "err-" + random_hex(8);
        s_.log.error("error " + record.error_id + " (request " + record.request_id + ", " +
                     record.http_method + " " + record.path + "): " + detail);
        reply_error(response, 500, "internal",
                    "the server failed to answer; its log has the details under error id " +
                        record.error_id,
                    record.error_id);
    }

    void route(HTTPServerRequest& request, HTTPServerResponse& response, AccessRecord& record,
               std::string& metric) {
        const std::string& path = record.path;
        const std::string& verb = request.getMethod();
        const bool get = verb == HTTPRequest::HTTP_GET || verb == HTTPRequest::HTTP_HEAD;
        if (path == "/healthz" && get) {
            return send_json(response, 200, "{\"status\":\"up\"}");
        }
        if (path == "/readyz" && get) {
            return readiness(response);
        }
        if (path == "/metrics" && get) {
            return metrics(response);
        }
        if (path == "/sso") {
            metric = "/sso";
            return sign_in_with_token(request, response, record);
        }
        if (path == "/" || path == "/index.html" || path.rfind("/console/", 0) == 0) {
            metric = "/console";
            return console(path, verb, response);
        }
        if (path.rfind(kApiPrefix, 0) != 0) {
            metric = "other";
            throw HttpError(404, "not_found", "nothing is served at " + path);
        }
        const std::string rest = path.substr(std::string(kApiPrefix).size());
        if (rest == "openapi.json" && get) {
            return send_json(response, 200, s_.openapi);
        }
        if (rest == "definitions" && get) {
            const Principal who = authenticate(request, false);
            record.person = who.actor();
            return send_json(response, 200, s_.definitions);
        }
        if (rest == "session" && get) {
            return session_info(request, response, record);
        }
        if (rest == "sign-out") {
            return sign_out(request, response, record);
        }
        if (rest.rfind("demo/", 0) == 0) {
            metric = "/api/v1/demo";
            return demo(rest.substr(5), request, response, record);
        }
        const MethodInfo* method = s_.catalogue.find(rest);
        if (method == nullptr) {
            metric = "unknown";
            throw HttpError(404, "unknown_method",
                            "no method '" + rest.substr(0, 64) +
                                "' (the methods are listed in /api/v1/openapi.json)");
        }
        metric = method->name;
        record.api_method = method->name;
        if (verb != HTTPRequest::HTTP_POST) {
            response.set("Allow", "POST");
            throw HttpError(405, "method_not_allowed", "call " + method->name + " with POST");
        }
        call_method(*method, request, response, record);
    }

    // ------------------------------------------------------------ identity

    // Who is calling: the bearer token, else the session cookie (with its
    // CSRF token when the request changes state).
    Principal authenticate(HTTPServerRequest& request, bool changes_state) {
        const std::string authorization = request.get("Authorization", "");
        if (!authorization.empty()) {
            constexpr std::string_view kBearer = "Bearer ";
            if (authorization.size() <= kBearer.size() ||
                Poco::icompare(authorization.substr(0, kBearer.size()), std::string(kBearer)) !=
                    0) {
                throw HttpError(401, "invalid_token",
                                "the Authorization header must be 'Bearer <JWT>'");
            }
            Principal p = s_.tokens.verify(authorization.substr(kBearer.size()), now_seconds());
            check_person(p);
            return p;
        }
        const std::string id = cookie(request, kSessionCookie);
        if (id.empty()) {
            throw HttpError(401, "unauthorized",
                            "sign in: send 'Authorization: Bearer <JWT>' from the OA, or open the "
                            "console through /sso");
        }
        const auto session = s_.sessions.find(id);
        if (!session) {
            throw HttpError(401, "session_ended", "the session has ended; sign in again");
        }
        if (changes_state && !same_secret(request.get(kCsrfHeader, ""), session->csrf_token)) {
            throw HttpError(403, "csrf",
                            std::string("a request that changes something needs the header ") +
                                kCsrfHeader +
                                " with the session's csrf_token (GET /api/v1/session)");
        }
        Principal p;
        p.id = session->person;
        return p;
    }

    void check_person(const Principal& p) const {
        if (!p.is_service() && s_.people.find(p.id) == nullptr) {
            throw HttpError(403, "unknown_person",
                            "the token's subject '" + p.id.substr(0, 64) +
                                "' is not a person of the org chart");
        }
    }

    void check_access(const MethodInfo& method, const Principal& who) const {
        switch (method.access) {
            case Access::any:
                return;
            case Access::person:
                if (who.is_service()) {
                    throw HttpError(403, "forbidden",
                                    method.name +
                                        " acts for a person; a service token acts as "
                                        "no person (sign the token for the person)");
                }
                return;
            case Access::service:
                if (!who.is_service()) {
                    throw HttpError(403, "forbidden",
                                    method.name +
                                        " is the OA's own call: only a service token "
                                        "(scope " +
                                        s_.settings.auth.service_scope + ") may call it");
                }
                return;
            case Access::office: {
                const Person* person = who.is_service() ? nullptr : s_.people.find(who.id);
                if (!who.is_service() && (person == nullptr || !person->reform_office)) {
                    throw HttpError(403, "forbidden",
                                    method.name + " is for the reform office (or a service token)");
                }
                return;
            }
        }
    }

    // Fills "user" and "actor" with the caller; a body naming anyone else is
    // refused, so a request can never choose who acts.
    static void fill_identity(const MethodInfo& method, const Principal& who,
                              rapidjson::Document& body) {
        const auto fill = [&](const char* field, const std::string& expected) {
            if (body.HasMember(field)) {
                const auto& named = body[field];
                if (!named.IsString() || expected.empty() || named.GetString() != expected) {
                    throw HttpError(
                        403, "identity",
                        std::string("the request names ") + field + " " +
                            (named.IsString()
                                 ? "'" + std::string(named.GetString()).substr(0, 64) + "'"
                                 : "(not a string)") +
                            (expected.empty()
                                 ? ", but a service token acts as no person"
                                 : ", but the signed-in caller is '" + expected + "'") +
                            "; leave " + field + " out: the server fills it in");
                }
                return;
            }
            if (!expected.empty()) {
                body.AddMember(rapidjson::StringRef(field),
                               rapidjson::Value(expected.c_str(), body.GetAllocator()),
                               body.GetAllocator());
            }
        };
        if (method.takes_user) {
            fill("user", who.is_service() ? "" : who.id);
        }
        if (method.takes_actor) {
            fill("actor", who.actor());
        }
    }

    // ------------------------------------------------------------ methods

    void call_method(const MethodInfo& method, HTTPServerRequest& request,
                     HTTPServerResponse& response, AccessRecord& record) {
        InFlight admitted(s_.in_flight, s_.settings.max_in_flight);
        const Principal who = authenticate(request, true);
        record.person = who.actor();
        check_access(method, who);
        const std::string& text = this->body(request);
        rapidjson::Document body;
        if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
            body.SetObject();
        } else {
            body.Parse(text.data(), text.size());
            if (body.HasParseError()) {
                throw HttpError(400, "invalid_json",
                                std::string("the body is not JSON: ") +
                                    rapidjson::GetParseError_En(body.GetParseError()) +
                                    " at byte " + std::to_string(body.GetErrorOffset()));
            }
            if (!body.IsObject()) {
                throw HttpError(400, "invalid_json", "the body must be a JSON object");
            }
        }
        fill_identity(method, who, body);
        std::string result;
        try {
            result = s_.host.call(method.name, to_json(body));
        } catch (const oa_stub::PluginError& e) {
            const auto [status, code] = status_for_error(e.status());
            if (status == 500) {
                return fail_internal(response, record,
                                     method.name + " failed with status " +
                                         std::to_string(e.status()) + ": " + e.what());
            }
            throw HttpError(status, code, e.what());
        }
        int status = 200;
        rapidjson::Document parsed;
        parsed.Parse(result.data(), result.size());
        if (!parsed.HasParseError() && parsed.IsObject() && parsed.HasMember("outcome") &&
            parsed["outcome"].IsString()) {
            status = status_for_outcome(parsed["outcome"].GetString());
        }
        send_json(response, status, result);
    }

    // ------------------------------------------------------------ sessions

    std::string session_cookie(const std::string& id, int max_age) const {
        return std::string(kSessionCookie) + "=" + id +
               "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Strict" +
               (s_.settings.tls() ? "; Secure" : "");
    }

    std::string session_json(const std::string& person, const std::string& csrf) const {
        const Person* p = s_.people.find(person);
        return "{\"person\":" + (p != nullptr ? p->json : "null") +
               ",\"csrf_token\":" + (csrf.empty() ? "null" : json_string(csrf)) +
               ",\"demo\":" + (s_.settings.demo ? "true" : "false") + "}";
    }

    std::string open_session(HTTPServerResponse& response, const std::string& person) {
        const std::string id = s_.sessions.open(person);
        response.add("Set-Cookie", session_cookie(id, s_.settings.session_ttl_s));
        return s_.sessions.find(id)->csrf_token;
    }

    void sign_in_with_token(HTTPServerRequest& request, HTTPServerResponse& response,
                            AccessRecord& record) {
        std::string token;
        std::string next = "/";
        if (request.getMethod() == HTTPRequest::HTTP_GET) {
            for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters()) {
                token = key == "token" ? value : token;
                next = key == "next" ? value : next;
            }
        } else if (request.getMethod() == HTTPRequest::HTTP_POST) {
            Poco::Net::HTMLForm form;
            form.setFieldLimit(16);
            std::istringstream form_body(body(request));
            form.load(request, form_body);
            token = form.get("token", "");
            next = form.get("next", "/");
        } else {
            response.set("Allow", "GET, POST");
            throw HttpError(405, "method_not_allowed", "sign in with GET or POST /sso");
        }
        if (token.empty()) {
            throw HttpError(401, "unauthorized", "/sso needs the OA's token in 'token'");
        }
        const Principal who = s_.tokens.verify(token, now_seconds());
        if (who.is_service()) {
            throw HttpError(403, "forbidden", "a service token cannot sign in to the console");
        }
        check_person(who);
        record.person = who.id;
        open_session(response, who.id);
        response.set("Location", safe_next(next));
        response.set("Referrer-Policy", "no-referrer");
        send(response, 303, "text/plain; charset=utf-8", "signed in\n");
    }

    void session_info(HTTPServerRequest& request, HTTPServerResponse& response,
                      AccessRecord& record) {
        const Principal who = authenticate(request, false);
        record.person = who.actor();
        if (who.is_service()) {
            return send_json(
                response, 200,
                "{\"person\":null,\"service\":" + json_string(who.id) +
                    ",\"csrf_token\":null,\"demo\":" + (s_.settings.demo ? "true" : "false") + "}");
        }
        const auto session = s_.sessions.find(cookie(request, kSessionCookie));
        const bool by_cookie = request.get("Authorization", "").empty();
        send_json(response, 200,
                  session_json(who.id, by_cookie && session ? session->csrf_token : ""));
    }

    void sign_out(HTTPServerRequest& request, HTTPServerResponse& response, AccessRecord& record) {
        if (request.getMethod() != HTTPRequest::HTTP_POST) {
            response.set("Allow", "POST");
            throw HttpError(405, "method_not_allowed", "sign out with POST");
        }
        const Principal who = authenticate(request, true);
        record.person = who.actor();
        s_.sessions.close(cookie(request, kSessionCookie));
        response.add("Set-Cookie", session_cookie("", 0));
        send_json(response, 200, "{\"signed_out\":true}");
    }

    void demo(const std::string& what, HTTPServerRequest& request, HTTPServerResponse& response,
              AccessRecord& record) {
        if (!s_.settings.demo) {
            throw HttpError(404, "not_found",
                            "the demo sign-in is off (start the server with --demo)");
        }
        if (what == "people" && request.getMethod() == HTTPRequest::HTTP_GET) {
            std::string list = "{\"people\":[";
            bool first = true;
            for (const auto& p : s_.people.all()) {
                list += (first ? "" : ",") + p.json;
                first = false;
            }
            return send_json(response, 200, list + "]}");
        }
        if (what == "sign-in" && request.getMethod() == HTTPRequest::HTTP_POST) {
            const std::string& text = body(request);
            if (text.size() > 4096) {
                throw HttpError(413, "too_large", "a sign-in request is at most 4096 bytes");
            }
            rapidjson::Document body;
            body.Parse(text.data(), text.size());
            if (body.HasParseError() || !body.IsObject() || !body.HasMember("person") ||
                !body["person"].IsString()) {
                throw HttpError(400, "invalid_json", "send {\"person\": \"u-…\"}");
            }
            const std::string id = body["person"].GetString();
            const Person* p = s_.people.find(id);
            if (p == nullptr) {
                throw HttpError(404, "unknown_person",
                                "'" + id.substr(0, 64) + "' is not a person of the org chart");
            }
            record.person = id;
            const std::string csrf = open_session(response, id);
            return send_json(response, 200, session_json(id, csrf));
        }
        throw HttpError(404, "not_found", "the demo offers GET people and POST sign-in");
    }

    // ------------------------------------------------------------ the rest

    void console(const std::string& path, const std::string& verb, HTTPServerResponse& response) {
        if (verb != HTTPRequest::HTTP_GET && verb != HTTPRequest::HTTP_HEAD) {
            response.set("Allow", "GET");
            throw HttpError(405, "method_not_allowed", "the console's files are read with GET");
        }
        const std::string name = path == "/" || path == "/index.html"
                                     ? "index.html"
                                     : path.substr(std::string("/console/").size());
        StaticFile file;
        if (!console_file(name, file)) {
            throw HttpError(404, "not_found", "the console has no file " + path);
        }
        response.set("Content-Security-Policy", kContentSecurityPolicy);
        // Not content-hashed names: the browser revalidates each time.
        response.set("Cache-Control", "no-cache");
        send(response, 200, file.content_type, file.body);
    }

    void readiness(HTTPServerResponse& response) {
        if (!s_.ready) {
            throw HttpError(503, "not_ready", "the plugin is not created yet, or shutting down");
        }
        try {
            s_.host.call("plan.list");
        } catch (const std::exception& e) {
            s_.log.warning(std::string("readiness: the database does not answer: ") + e.what());
            throw HttpError(503, "not_ready", "the plugin's database does not answer");
        }
        send_json(response, 200, "{\"status\":\"ready\"}");
    }

    void metrics(HTTPServerResponse& response) {
        std::string status;
        try {
            status = s_.host.call("notify.status");
        } catch (const std::exception& e) {
            s_.log.warning(std::string("metrics: notify.status failed: ") + e.what());
        }
        send(response, 200, "text/plain; version=0.0.4; charset=utf-8",
             s_.metrics.render(status, s_.in_flight.load()));
    }

    Sidecar& s_;
    std::optional<std::string> body_;  // the request's whole body, once read
};

}  // namespace

int status_for_outcome(const std::string& outcome) {
    if (outcome == "ok") {
        return 200;
    }
    if (outcome == "invalid") {
        return 400;
    }
    if (outcome == "not_permitted") {
        return 403;
    }
    if (outcome == "conflict") {
        return 409;
    }
    if (outcome == "too_soon") {
        return 429;
    }
    return 200;
}

std::pair<int, std::string> status_for_error(int rl_status) {
    switch (rl_status) {
        case RL_ERR_NOT_FOUND:
            return {404, "not_found"};
        case RL_ERR_INVALID_ARGUMENT:
            return {400, "invalid_argument"};
        case RL_ERR_INPUT:
            return {400, "input"};
        case RL_ERR_UNKNOWN_METHOD:
            return {404, "unknown_method"};
        default:
            return {500, "internal"};
    }
}

Poco::Net::HTTPRequestHandler* SidecarHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
    return new SidecarRequestHandler(sidecar_);
}

}  // namespace rl_server

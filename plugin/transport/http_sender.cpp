#include "transport/http_sender.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <openssl/ssl.h>
#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <istream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "transport/payload.h"
#include "transport/signing.h"

namespace rl::transport {

namespace {

// Kept below the idle timeout of common servers (nginx 75 s, Poco 10 s, many proxies 5-15 s):
// Poco then reconnects on its own instead of writing into a connection the server dropped.
constexpr int kKeepAliveTimeoutSeconds = 4;
constexpr std::size_t kBodyKept = 64 * 1024;     // enough for any robot reply or error page
constexpr std::size_t kBodyMax = 1024 * 1024;    // beyond this, drop the connection instead
constexpr std::size_t kErrorSnippetBytes = 200;  // of a response body quoted in an error
constexpr const char* kUserAgent = "reform-ledger-notify/1";

// What the sender needs beyond the HTTPClientSession interface.
class SessionControl {
public:
    virtual ~SessionControl() = default;
    // Whether the next request will go over the connection the session already has.
    virtual bool will_reuse() const = 0;
    virtual std::int64_t connects() const = 0;
};

// An HTTP or HTTPS client session that counts connections. Never uses a proxy: the
// process-wide proxy setting Poco copies at construction is cleared.
template <class Base>
class ClientSession : public Base, public SessionControl {
public:
    template <class... Args>
    explicit ClientSession(Args&&... args) : Base(std::forward<Args>(args)...) {
        this->setProxyConfig(Poco::Net::HTTPClientSession::ProxyConfig());
    }

    bool will_reuse() const override { return this->connected() && !this->mustReconnect(); }
    std::int64_t connects() const override { return connects_; }

protected:
    void connect(const Poco::Net::SocketAddress& address) override {
        Base::connect(address);  // for HTTPS including the TLS handshake (bounded by connect_ms)
        // Poco writes a request's headers and its body separately: without
        // TCP_NODELAY the body waits for the receiver's delayed ACK (Nagle).
        this->socket().setNoDelay(true);
        ++connects_;
    }

private:
    std::int64_t connects_ = 0;
};

// The TLS client context of one sender: the system's CAs plus the endpoint's ca_file, peer and
// host name verification always on (VERIFY_STRICT: Poco skips the host name check for
// localhost in VERIFY_RELAXED), TLS 1.2 or later. The verdict on the chain is OpenSSL's own:
// no verify callback, so the host process's SSLManager and its certificate handlers are never
// consulted (and never touched).
Poco::Net::Context::Ptr make_tls_context(const std::string& ca_file) {
    Poco::Net::Context::Params params;  // cipher list: Poco's default
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = true;
    params.caLocation = ca_file;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    context->enableExtendedCertificateVerification(true);
    SSL_CTX_set_verify(context->sslContext(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       nullptr);
    return context;
}

bool mentions_certificate(const std::string& text) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("certificate") != std::string::npos ||
           lower.find("unknown ca") != std::string::npos;
}

std::int64_t now_unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string collapse_whitespace(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return out;
}

void replace_all(std::string& text, const std::string& what, const std::string& with) {
    if (what.empty()) {
        return;
    }
    for (std::size_t pos = text.find(what); pos != std::string::npos;
         pos = text.find(what, pos + with.size())) {
        text.replace(pos, what.size(), with);
    }
}

// What went wrong without a (complete) response.
struct Failure {
    std::string error;
    bool stale_candidate = false;  // what a dropped kept-alive connection looks like
    bool permanent = false;        // retrying cannot help (a certificate that does not verify)
};

enum class Phase { sending, receiving, reading_body };

// Poco sends without MSG_NOSIGNAL: writing to a connection the peer has reset raises SIGPIPE,
// whose default action kills the host process. Poco's static initializer blocks SIGPIPE in the
// thread that loads it (threads created later inherit that), but a host may have unblocked it.
// Block it in the calling thread for the duration of a send and swallow what it raised; the
// process-wide disposition is left alone.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        active_ = pthread_sigmask(SIG_BLOCK, &pipe_, &previous_) == 0 &&
                  sigismember(&previous_, SIGPIPE) == 0;
    }
    ~SigpipeGuard() {
        if (!active_) {
            return;  // already blocked by the caller: leave any pending SIGPIPE to it
        }
        sigset_t pending;
        sigemptyset(&pending);
        if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
            const timespec no_wait{0, 0};
            while (sigtimedwait(&pipe_, nullptr, &no_wait) == -1 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t pipe_;
    sigset_t previous_;
    bool active_ = false;
};

}  // namespace

struct HttpSender::Impl {
    Endpoint endpoint;
    std::string host;
    Poco::UInt16 port = 0;
    std::string target;                  // path?query of the endpoint URL
    std::vector<std::string> sensitive;  // literal strings never to show
    bool tls = false;
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    SessionControl* control = nullptr;  // the same object as session
    // Person channels: the API root's path ("" or "/prefix") and the cached access token.
    std::string api_path;
    std::string access_token;
    std::chrono::steady_clock::time_point token_good_until;
    std::int64_t tokens_fetched = 0;

    explicit Impl(Endpoint e) : endpoint(std::move(e)) {
        collect_sensitive_literals();
        const std::string label =
            "endpoint '" + (endpoint.name.empty() ? std::string("(unnamed)") : endpoint.name) + "'";
        Poco::URI uri;
        try {
            uri = Poco::URI(endpoint.url);
        } catch (const Poco::Exception&) {
            throw std::invalid_argument(label + ": invalid URL \"" + scrub(endpoint.url) + "\"");
        }
        tls = uri.getScheme() == "https";
        if (!tls && uri.getScheme() != "http") {
            throw std::invalid_argument(label +
                                        ": URL must start with http:// or https:// (got \"" +
                                        scrub(endpoint.url) + "\")");
        }
        if (uri.getHost().empty()) {
            throw std::invalid_argument(label + ": URL has no host");
        }
        if (!uri.getUserInfo().empty()) {
            throw std::invalid_argument(label + ": credentials in the URL are not supported");
        }
        if (uri.getPort() == 0) {
            throw std::invalid_argument(label + ": URL has an invalid port");
        }
        host = uri.getHost();
        port = uri.getPort();
        target = uri.getPathAndQuery();
        if (target.empty() || target.front() != '/') {
            target.insert(0, "/");
        }
        const Timeouts& t = endpoint.timeouts;
        if (t.connect_ms <= 0 || t.send_ms <= 0 || t.receive_ms <= 0) {
            throw std::invalid_argument(label + ": timeouts must be positive");
        }
        if (endpoint.kind == ChannelKind::webhook) {
            try {
                validate_webhook_secret(endpoint.secret);
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(label + ": " + e.what());
            }
        }
        if (is_person_channel(endpoint.kind)) {
            const bool dingtalk = endpoint.kind == ChannelKind::dingtalk_work_notice;
            if (!uri.getRawQuery().empty() || !uri.getFragment().empty()) {
                throw std::invalid_argument(label + ": the URL is the API root (e.g. " +
                                            (dingtalk ? kDingtalkApiBase : kWecomApiBase) +
                                            "): no query or fragment");
            }
            if (endpoint.app_key.empty() || endpoint.secret.empty()) {
                throw std::invalid_argument(label + (dingtalk ? ": needs app_key and app_secret"
                                                              : ": needs corp_id and corp_secret"));
            }
            if (endpoint.agent_id.empty() ||
                !std::all_of(endpoint.agent_id.begin(), endpoint.agent_id.end(),
                             [](unsigned char c) { return std::isdigit(c) != 0; }) ||
                endpoint.agent_id.size() > 18) {
                throw std::invalid_argument(label +
                                            ": agent_id must be the app's numeric agent id");
            }
            api_path = uri.getPath();
            while (!api_path.empty() && api_path.back() == '/') {
                api_path.pop_back();
            }
        }
        if (tls) {
            Poco::Net::Context::Ptr context;
            try {
                context = make_tls_context(endpoint.ca_file);
            } catch (const Poco::Exception& e) {
                throw std::invalid_argument(label + ": cannot set up TLS" +
                                            (endpoint.ca_file.empty()
                                                 ? std::string()
                                                 : " with ca_file \"" + endpoint.ca_file + "\"") +
                                            ": " + scrub(e.displayText()));
            }
            auto s =
                std::make_unique<ClientSession<Poco::Net::HTTPSClientSession>>(host, port, context);
            control = s.get();
            session = std::move(s);
        } else if (!endpoint.ca_file.empty()) {
            throw std::invalid_argument(label + ": ca_file is only for https:// URLs");
        } else {
            auto s = std::make_unique<ClientSession<Poco::Net::HTTPClientSession>>(host, port);
            control = s.get();
            session = std::move(s);
        }
        session->setKeepAlive(true);
        session->setKeepAliveTimeout(Poco::Timespan(kKeepAliveTimeoutSeconds, 0));
        // Applied when the session connects: set once, before the first request. For https the
        // TLS handshake runs within connect_ms (Poco applies the connect timeout to it).
        session->setTimeout(Poco::Timespan(Poco::Timespan::TimeDiff(t.connect_ms) * 1000),
                            Poco::Timespan(Poco::Timespan::TimeDiff(t.send_ms) * 1000),
                            Poco::Timespan(Poco::Timespan::TimeDiff(t.receive_ms) * 1000));
    }

    void collect_sensitive_literals() {
        if (endpoint.secret.size() >= 4) {
            sensitive.push_back(endpoint.secret);
        }
        try {
            const Poco::URI uri(endpoint.url);
            for (const auto& [name, value] : uri.getQueryParameters()) {
                if (value.size() >= 6) {
                    sensitive.push_back(value);
                    sensitive.push_back(url_encode_component(value));
                }
            }
        } catch (const Poco::Exception&) {
            // an unparsable URL is reported by the caller; redact() still applies
        }
        std::sort(sensitive.begin(), sensitive.end(),
                  [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    }

    std::string scrub(std::string text) const {
        for (const std::string& literal : sensitive) {
            replace_all(text, literal, "***");
        }
        return redact(std::move(text));
    }

    struct Request {
        std::string method = Poco::Net::HTTPRequest::HTTP_POST;
        std::string target;
        std::string body;
        std::string content_type;
        std::vector<std::pair<std::string, std::string>> headers;
    };

    Request build(const OutgoingMessage& m) const {
        Request r;
        r.target = target;
        r.content_type = "application/json; charset=utf-8";
        switch (endpoint.kind) {
            case ChannelKind::webhook:
                r.body = m.payload_json;
                r.content_type = "application/json";
                r.headers.emplace_back("webhook-id", m.id);
                r.headers.emplace_back("webhook-timestamp", std::to_string(m.timestamp_s));
                r.headers.emplace_back(
                    "webhook-signature",
                    standard_webhooks_signature(endpoint.secret, m.id, m.timestamp_s, r.body));
                r.headers.emplace_back("Idempotency-Key", m.id);
                break;
            case ChannelKind::dingtalk:
                r.body = dingtalk_markdown_body(m.title, m.markdown);
                if (!endpoint.secret.empty()) {
                    r.target += r.target.find('?') == std::string::npos ? '?' : '&';
                    r.target +=
                        "timestamp=" + std::to_string(m.timestamp_ms) + "&sign=" +
                        url_encode_component(dingtalk_sign(endpoint.secret, m.timestamp_ms));
                }
                break;
            case ChannelKind::wecom:
                r.body = wecom_markdown_body(m.markdown);
                break;
            case ChannelKind::dingtalk_work_notice:
            case ChannelKind::wecom_app_message:
                throw std::logic_error("a person channel's requests are built by send_to_people");
        }
        return r;
    }

    // Sends r over the session, reads the whole response; throws what Poco throws.
    void exchange(const Request& r, Poco::Net::HTTPResponse& response, std::string& body,
                  Phase& phase) {
        Poco::Net::HTTPRequest request(r.method, r.target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        if (r.method == Poco::Net::HTTPRequest::HTTP_POST) {
            request.setContentType(r.content_type);
            request.setContentLength(static_cast<std::streamsize>(r.body.size()));
        }
        request.set("User-Agent", kUserAgent);
        request.set("Accept", "application/json");
        for (const auto& [name, value] : r.headers) {
            request.set(name, value);
        }
        phase = Phase::sending;
        std::ostream& out = session->sendRequest(request);
        out.write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
        phase = Phase::receiving;
        std::istream& in = session->receiveResponse(response);  // flushes; rethrows send errors
        phase = Phase::reading_body;
        body.clear();
        std::size_t total = 0;
        char buffer[8192];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            const auto n = static_cast<std::size_t>(in.gcount());
            total += n;
            if (body.size() < kBodyKept) {
                body.append(buffer, std::min(n, kBodyKept - body.size()));
            }
            if (total > kBodyMax) {
                session->reset();  // not worth draining: start afresh next time
                return;
            }
        }
        if (in.bad()) {
            if (const Poco::Exception* e = session->networkException()) {
                e->rethrow();
            }
            throw Poco::IOException("error reading the response body");
        }
    }

    Failure describe(const Phase phase) const {
        try {
            throw;
        } catch (const Poco::TimeoutException&) {
            if (phase == Phase::sending) {
                return {"timeout: connecting or sending (connect " +
                            std::to_string(endpoint.timeouts.connect_ms) + " ms, send " +
                            std::to_string(endpoint.timeouts.send_ms) + " ms)",
                        false};
            }
            return {"timeout: no response within " + std::to_string(endpoint.timeouts.receive_ms) +
                        " ms",
                    false};
        } catch (const Poco::Net::ConnectionRefusedException&) {
            return {"connection refused", false};
        } catch (const Poco::Net::NoMessageException&) {
            return {"connection closed by the server without a response", true};
        } catch (const Poco::Net::ConnectionResetException&) {
            return {"connection reset", true};
        } catch (const Poco::Net::ConnectionAbortedException&) {
            return {"connection aborted", true};
        } catch (const Poco::Net::HostNotFoundException&) {
            return {"host not found: " + host, false};
        } catch (const Poco::Net::NoAddressFoundException&) {
            return {"host not found: " + host, false};
        } catch (const Poco::Net::MessageException& e) {
            return {"malformed response: " + e.displayText(), false};
        } catch (const Poco::Net::CertificateValidationException& e) {
            return {"TLS certificate rejected: " + e.displayText(), false, true};
        } catch (const Poco::Net::SSLException& e) {
            if (mentions_certificate(e.displayText())) {  // the handshake refused the peer
                return {"TLS certificate rejected: " + e.displayText(), false, true};
            }
            return {"TLS error: " + e.displayText(), true};  // e.g. unexpected eof on a stale one
        } catch (const Poco::IOException& e) {
            return {"connection error: " + e.displayText(), true};  // e.g. broken pipe
        } catch (const Poco::Exception& e) {
            return {"error: " + e.displayText(), false};
        } catch (const std::exception& e) {
            return {std::string("error: ") + e.what(), false};
        }
    }

    SendOutcome judge(const Poco::Net::HTTPResponse& response, const std::string& body) const {
        SendOutcome outcome;
        const int status = static_cast<int>(response.getStatus());
        outcome.http_status = status;
        if (endpoint.kind != ChannelKind::webhook && status == 200) {
            const std::optional<RobotReply> reply = parse_robot_reply(body);
            if (!reply) {
                outcome.verdict = Verdict::permanent;
                outcome.error = "HTTP 200 without an errcode: " + snippet(body);
                return outcome;
            }
            outcome.verdict = classify_robot_errcode(endpoint.kind, reply->errcode);
            if (outcome.verdict != Verdict::delivered) {
                outcome.error =
                    "errcode " + std::to_string(reply->errcode) + ": " + snippet(reply->errmsg);
            }
            return outcome;
        }
        outcome.verdict = classify_http_status(status);
        if (outcome.verdict == Verdict::delivered) {
            return outcome;
        }
        if ((status == 429 || status == 503) && response.has("Retry-After")) {
            outcome.retry_after_ms = parse_retry_after(response.get("Retry-After"), now_unix_ms());
        }
        std::string detail;
        if (status >= 300 && status < 400) {
            detail = "redirect not followed";
            if (response.has("Location")) {
                detail += " (Location: " + snippet(response.get("Location")) + ")";
            }
        } else {
            detail = body.empty() ? response.getReason() : snippet(body);
        }
        outcome.error = "HTTP " + std::to_string(status) + ": " + detail;
        return outcome;
    }

    static std::string snippet(const std::string& text) {
        return truncate_utf8(collapse_whitespace(text), kErrorSnippetBytes);
    }

    SendOutcome send(const OutgoingMessage& message) {
        const auto started = std::chrono::steady_clock::now();
        SendOutcome outcome;
        {
            SigpipeGuard guard;
            outcome = attempt(message);
        }
        outcome.error = scrub(std::move(outcome.error));
        outcome.note = scrub(std::move(outcome.note));
        outcome.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
        return outcome;
    }

    SendOutcome attempt(const OutgoingMessage& message) {
        SendOutcome outcome;
        if (is_person_channel(endpoint.kind)) {
            return send_to_people(message);
        }
        if (endpoint.kind == ChannelKind::webhook && message.id.empty()) {
            outcome.verdict = Verdict::permanent;
            outcome.error = "message has no id";
            return outcome;
        }
        Request request;
        try {
            request = build(message);
        } catch (const std::exception& e) {
            outcome.verdict = Verdict::permanent;
            outcome.error = std::string("cannot build the request: ") + e.what();
            return outcome;
        }
        Poco::Net::HTTPResponse response;
        std::string body;
        switch (perform(request, response, body, outcome)) {
            case Performed::complete:
                return judge(response, body);
            case Performed::partial:
                // The status arrived, the body did not (completely).
                if (endpoint.kind == ChannelKind::webhook) {
                    return judge(response, body);
                }
                return outcome;
            case Performed::failed:
                break;
        }
        return outcome;
    }

    enum class Performed { complete, partial, failed };

    // One request and its whole response (plus, within it, one immediate retry on a fresh
    // connection when a reused kept-alive connection turns out to be closed). Never throws.
    // partial: the status line arrived but not the whole body (failure says so, verdict
    // retry, http_status set); failed: no response (failure says why).
    Performed perform(const Request& request, Poco::Net::HTTPResponse& response, std::string& body,
                      SendOutcome& failure_out) {
        bool fresh_retry = false;
        for (int round = 0; round < 2; ++round) {
            const bool reused = control->will_reuse();
            Phase phase = Phase::sending;
            response = Poco::Net::HTTPResponse();
            body.clear();
            try {
                exchange(request, response, body, phase);
                if (!response.getKeepAlive()) {
                    session->reset();
                }
                return Performed::complete;
            } catch (...) {
                session->reset();
                Failure failure = describe(phase);
                if (phase == Phase::reading_body) {
                    failure_out.verdict = Verdict::retry;
                    failure_out.http_status = static_cast<int>(response.getStatus());
                    failure_out.error = "reading the reply: " + failure.error;
                    return Performed::partial;
                }
                if (round == 0 && reused && failure.stale_candidate) {
                    fresh_retry = true;
                    continue;  // the server dropped the idle connection: once more, afresh
                }
                failure_out.verdict = failure.permanent ? Verdict::permanent : Verdict::retry;
                failure_out.error = std::move(failure.error);
                if (fresh_retry) {
                    failure_out.error +=
                        " (on a fresh connection, after the kept-alive one failed)";
                }
                return Performed::failed;
            }
        }
        return Performed::failed;  // not reached
    }

    // ------------------------------------------------------------ person channels

    bool dingtalk_app() const { return endpoint.kind == ChannelKind::dingtalk_work_notice; }
    const char* platform() const { return dingtalk_app() ? "DingTalk" : "WeCom"; }

    bool token_good() const {
        return !access_token.empty() && std::chrono::steady_clock::now() < token_good_until;
    }

    void drop_token() {
        access_token.clear();
        token_good_until = {};
    }

    // A reply that is not a whole HTTP 200 with the platform's JSON: what to do and why.
    SendOutcome unusable_reply(const char* what, const Poco::Net::HTTPResponse& response,
                               const std::string& body) const {
        SendOutcome outcome;
        const int status = static_cast<int>(response.getStatus());
        outcome.http_status = status;
        if (status != 200) {
            outcome.verdict = classify_http_status(status);
            if (outcome.verdict == Verdict::delivered) {
                outcome.verdict = Verdict::permanent;  // 2xx other than 200: not the documented API
            }
            if ((status == 429 || status == 503) && response.has("Retry-After")) {
                outcome.retry_after_ms =
                    parse_retry_after(response.get("Retry-After"), now_unix_ms());
            }
            outcome.error = std::string(what) + ": HTTP " + std::to_string(status) + ": " +
                            (body.empty() ? response.getReason() : snippet(body));
        } else {
            outcome.verdict = Verdict::permanent;
            outcome.error =
                std::string(what) + ": HTTP 200 without the platform's errcode: " + snippet(body);
        }
        return outcome;
    }

    static std::string reply_error(const AppReply& reply) {
        std::string error = "errcode " + std::to_string(reply.errcode);
        if (!reply.sub_code.empty()) {
            error += " (sub_code " + reply.sub_code + ")";
        }
        return error + ": " + snippet(reply.errmsg);
    }

    // Fetches an access token with the app's key and secret (GET gettoken) and caches it until
    // expires_in runs out, less a margin (5 minutes, or half of a short lifetime). nullopt
    // when it has one; otherwise why not.
    std::optional<SendOutcome> fetch_token() {
        drop_token();
        Request r;
        r.method = Poco::Net::HTTPRequest::HTTP_GET;
        if (dingtalk_app()) {
            r.target = api_path + "/gettoken?appkey=" + url_encode_component(endpoint.app_key) +
                       "&appsecret=" + url_encode_component(endpoint.secret);
        } else {
            r.target = api_path +
                       "/cgi-bin/gettoken?corpid=" + url_encode_component(endpoint.app_key) +
                       "&corpsecret=" + url_encode_component(endpoint.secret);
        }
        Poco::Net::HTTPResponse response;
        std::string body;
        SendOutcome outcome;
        const std::string what = std::string("getting the ") + platform() + " access token";
        if (perform(r, response, body, outcome) != Performed::complete) {
            outcome.error = what + ": " + outcome.error;
            outcome.verdict =
                outcome.verdict == Verdict::permanent ? Verdict::permanent : Verdict::retry;
            return outcome;
        }
        const std::optional<AppReply> reply =
            response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK ? parse_app_reply(body)
                                                                     : std::nullopt;
        if (!reply) {
            return unusable_reply(what.c_str(), response, body);
        }
        if (reply->errcode != 0 || reply->access_token.empty()) {
            outcome.http_status = 200;
            // -1 (busy) and "too frequent" pass; anything else is the app's key, secret or
            // IP allow-list, which no retry mends: the configuration must change.
            const bool passing =
                reply->errcode == -1 ||
                classify_app_errcode(endpoint.kind, reply->errcode) == Verdict::throttled;
            outcome.verdict = passing ? Verdict::retry : Verdict::permanent;
            outcome.error =
                what + ": " +
                (reply->errcode == 0 ? std::string("no access_token in the reply")
                                     : reply_error(*reply)) +
                (outcome.verdict == Verdict::permanent
                     ? std::string(" (check the channel's ") +
                           (dingtalk_app() ? "app_key and app_secret" : "corp_id and corp_secret") +
                           ", and the server's IP allow-list)"
                     : std::string());
            return outcome;
        }
        const std::int64_t lifetime = reply->expires_in > 0 ? reply->expires_in : 7200;
        const std::int64_t margin = std::min<std::int64_t>(300, lifetime / 2);
        access_token = reply->access_token;
        token_good_until =
            std::chrono::steady_clock::now() + std::chrono::seconds(lifetime - margin);
        ++tokens_fetched;
        if (access_token.size() >= 4 &&
            std::find(sensitive.begin(), sensitive.end(), access_token) == sensitive.end()) {
            sensitive.push_back(access_token);
            std::sort(
                sensitive.begin(), sensitive.end(),
                [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
        }
        return std::nullopt;
    }

    Request app_send_request(const OutgoingMessage& m) const {
        Request r;
        r.content_type = "application/json; charset=utf-8";
        if (dingtalk_app()) {
            r.target = api_path + "/topapi/message/corpconversation/asyncsend_v2?access_token=" +
                       url_encode_component(access_token);
            r.body = dingtalk_work_notice_body(endpoint.agent_id, m.user_ids, m.title, m.markdown,
                                               m.link);
        } else {
            r.target = api_path +
                       "/cgi-bin/message/send?access_token=" + url_encode_component(access_token);
            r.body = wecom_app_message_body(endpoint.agent_id, m.user_ids, m.title, m.markdown,
                                            m.summary, m.link);
        }
        return r;
    }

    // Sends to the people of m.user_ids with the cached token (fetched first if there is none
    // or it has run out). A reply that rejects the token makes it fetch a new one, once, and
    // send again; a second rejection is retried later.
    SendOutcome send_to_people(const OutgoingMessage& m) {
        SendOutcome outcome;
        const std::size_t max_users = dingtalk_app() ? kDingtalkMaxUsers : kWecomMaxUsers;
        if (m.user_ids.empty() || m.user_ids.size() > max_users) {
            outcome.verdict = Verdict::permanent;
            outcome.error = m.user_ids.empty() ? std::string("no user id to send to")
                                               : "more than " + std::to_string(max_users) +
                                                     " user ids in one message";
            return outcome;
        }
        bool refreshed = false;
        for (;;) {
            if (!token_good()) {
                if (std::optional<SendOutcome> failure = fetch_token()) {
                    return *failure;
                }
            }
            Poco::Net::HTTPResponse response;
            std::string body;
            const Request request = app_send_request(m);
            if (perform(request, response, body, outcome) != Performed::complete) {
                return outcome;  // partial or failed: retry (or permanent for a certificate)
            }
            const std::optional<AppReply> reply =
                response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK ? parse_app_reply(body)
                                                                         : std::nullopt;
            if (!reply) {
                return unusable_reply("sending", response, body);
            }
            outcome = SendOutcome{};
            outcome.http_status = 200;
            if (is_token_rejected(reply->errcode)) {
                drop_token();
                if (!refreshed) {
                    refreshed = true;
                    continue;
                }
            }
            outcome.verdict = classify_app_errcode(endpoint.kind, reply->errcode);
            outcome.quota_exhausted = quota_exhausted(endpoint.kind, reply->errcode);
            if (outcome.verdict != Verdict::delivered) {
                outcome.error = reply_error(*reply);
                if (refreshed && is_token_rejected(reply->errcode)) {
                    outcome.error += " (again, with a token fetched just now)";
                }
                if (!dingtalk_app() && reply->errcode == 81013) {
                    outcome.error += ": WeCom knows none of the user ids " +
                                     snippet(join_ids(m.user_ids)) +
                                     " (check wecom_userid in the org chart and the app's "
                                     "visible range)";
                }
                return outcome;
            }
            if (!reply->invalid_users.empty()) {
                // WeCom sent to the others; those it does not know got nothing.
                const auto unknown = split_ids(reply->invalid_users, '|');
                const bool none_reached =
                    std::all_of(m.user_ids.begin(), m.user_ids.end(), [&](const std::string& id) {
                        return std::any_of(unknown.begin(), unknown.end(),
                                           [&](const std::string& u) { return iequals(u, id); });
                    });
                const std::string what = "WeCom does not know the user id(s) " +
                                         snippet(reply->invalid_users) +
                                         " (check wecom_userid in the org chart)";
                if (none_reached) {
                    outcome.verdict = Verdict::permanent;
                    outcome.error = what;
                } else {
                    outcome.note = what + "; the others received it";
                }
            }
            return outcome;
        }
    }

    static std::string join_ids(const std::vector<std::string>& ids) {
        std::string out;
        for (const auto& id : ids) {
            out += (out.empty() ? "" : ", ") + id;
        }
        return out;
    }

    static std::vector<std::string> split_ids(const std::string& text, char separator) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t end = std::min(text.find(separator, start), text.size());
            if (end > start) {
                out.push_back(text.substr(start, end - start));
            }
            start = end + 1;
        }
        return out;
    }

    // WeCom answers user ids in lower case.
    static bool iequals(const std::string& a, const std::string& b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
                   return std::tolower(x) == std::tolower(y);
               });
    }
};

HttpSender::HttpSender(Endpoint endpoint) : impl_(std::make_unique<Impl>(std::move(endpoint))) {}
HttpSender::~HttpSender() = default;
HttpSender::HttpSender(HttpSender&&) noexcept = default;
HttpSender& HttpSender::operator=(HttpSender&&) noexcept = default;

SendOutcome HttpSender::send(const OutgoingMessage& message) {
    return impl_->send(message);
}

const Endpoint& HttpSender::endpoint() const {
    return impl_->endpoint;
}

void HttpSender::disconnect() {
    impl_->session->reset();
}

std::int64_t HttpSender::connections_opened() const {
    return impl_->control->connects();
}

std::int64_t HttpSender::tokens_fetched() const {
    return impl_->tokens_fetched;
}

}  // namespace rl::transport

// HttpSender against real HTTP servers on 127.0.0.1: headers and signatures as
// the receiver sees them, every verdict, timeouts, refused connections and
// kept-alive connections the server drops.
#include <gtest/gtest.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <rapidjson/document.h>

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/utf8.h"
#include "transport/http_sender.h"
#include "transport/loopback_server.h"
#include "transport/signing.h"

namespace {

using namespace rl::transport;
using rl::transport::testing::closed_port;
using rl::transport::testing::LoopbackServer;
using rl::transport::testing::Received;
using rl::transport::testing::Reply;
using rl::transport::testing::ServerOptions;

const std::string kWhsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kDingSecret =
    "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

Endpoint webhook_endpoint(const std::string& url) {
    Endpoint e;
    e.name = "oa";
    e.kind = ChannelKind::webhook;
    e.url = url;
    e.secret = kWhsec;
    e.timeouts = {1000, 1000, 2000};
    return e;
}

OutgoingMessage message(const std::string& id = "msg_2f9a") {
    OutgoingMessage m;
    m.id = id;
    m.title = "逾期提醒";
    m.markdown = "### 逾期提醒\n- 干部科：审判权力运行机制改革";
    m.payload_json = R"({"type":"reminder","department":"干部科","items":3})";
    m.timestamp_s = 1614265330;
    m.timestamp_ms = 1577262236757;
    return m;
}

Reply status(int code, std::string body = "") {
    Reply r;
    r.status = code;
    r.body = std::move(body);
    return r;
}

std::map<std::string, std::string> query_of(const std::string& uri) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : Poco::URI(uri).getQueryParameters()) {
        out[name] = value;
    }
    return out;
}

// --- webhook ---------------------------------------------------------------

TEST(HttpSenderWebhook, ReceiverSeesStandardWebhooksHeadersItCanVerify) {
    LoopbackServer server([](const Received&) { return status(200, "{}"); });
    HttpSender sender(webhook_endpoint(server.url("/api/messages")));
    const OutgoingMessage m = message();
    const SendOutcome out = sender.send(m);
    EXPECT_EQ(out.verdict, Verdict::delivered) << out.error;
    EXPECT_EQ(out.http_status, 200);
    EXPECT_EQ(out.error, "");
    EXPECT_FALSE(out.retry_after_ms);

    const auto got = server.received();
    ASSERT_EQ(got.size(), 1u);
    const Received& r = got[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.version, "HTTP/1.1");
    EXPECT_EQ(r.uri, "/api/messages");
    EXPECT_EQ(r.body, m.payload_json);
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.header("content-length"), std::to_string(m.payload_json.size()));
    EXPECT_EQ(r.header("webhook-id"), m.id);
    EXPECT_EQ(r.header("idempotency-key"), m.id);
    EXPECT_EQ(r.header("webhook-timestamp"), "1614265330");
    // The receiver recomputes the signature from what it received.
    EXPECT_EQ(r.header("webhook-signature"),
              standard_webhooks_signature(kWhsec, r.header("webhook-id"),
                                          std::stoll(r.header("webhook-timestamp")), r.body));
    EXPECT_EQ(r.header("webhook-signature").rfind("v1,", 0), 0u);
}

TEST(HttpSenderWebhook, SameIdOnEveryAttemptWithFreshTimestamps) {
    LoopbackServer server([](const Received& r) { return status(r.index == 0 ? 503 : 200); });
    HttpSender sender(webhook_endpoint(server.url()));
    OutgoingMessage m = message("msg_same");
    EXPECT_EQ(sender.send(m).verdict, Verdict::retry);
    m.timestamp_s += 30;
    EXPECT_EQ(sender.send(m).verdict, Verdict::delivered);
    const auto got = server.received();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].header("webhook-id"), got[1].header("webhook-id"));
    EXPECT_NE(got[0].header("webhook-timestamp"), got[1].header("webhook-timestamp"));
    EXPECT_NE(got[0].header("webhook-signature"), got[1].header("webhook-signature"));
}

TEST(HttpSenderWebhook, ServerErrorIsRetriedWithTheError) {
    LoopbackServer server([](const Received&) { return status(500, "database is locked"); });
    HttpSender sender(webhook_endpoint(server.url()));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::retry);
    EXPECT_EQ(out.http_status, 500);
    EXPECT_EQ(out.error, "HTTP 500: database is locked");
    EXPECT_FALSE(out.retry_after_ms);
}

TEST(HttpSenderWebhook, TooManyRequestsHonoursRetryAfterSeconds) {
    LoopbackServer server([](const Received&) {
        Reply r = status(429);
        r.headers.emplace_back("Retry-After", "7");
        return r;
    });
    HttpSender sender(webhook_endpoint(server.url()));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::retry);
    EXPECT_EQ(out.http_status, 429);
    ASSERT_TRUE(out.retry_after_ms);
    EXPECT_EQ(*out.retry_after_ms, 7000);
    EXPECT_EQ(out.error.rfind("HTTP 429", 0), 0u) << out.error;
}

TEST(HttpSenderWebhook, UnavailableHonoursRetryAfterDate) {
    LoopbackServer server([](const Received&) {
        Reply r = status(503);
        Poco::Timestamp when;
        when += Poco::Timespan(20, 0);
        r.headers.emplace_back("Retry-After", Poco::DateTimeFormatter::format(
                                                  when, Poco::DateTimeFormat::HTTP_FORMAT));
        return r;
    });
    HttpSender sender(webhook_endpoint(server.url()));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::retry);
    ASSERT_TRUE(out.retry_after_ms);
    EXPECT_GE(*out.retry_after_ms, 18000);
    EXPECT_LE(*out.retry_after_ms, 20000);
}

TEST(HttpSenderWebhook, RequestTimeoutIsRetried) {
    LoopbackServer server([](const Received&) { return status(408); });
    HttpSender sender(webhook_endpoint(server.url()));
    EXPECT_EQ(sender.send(message()).verdict, Verdict::retry);
}

TEST(HttpSenderWebhook, BadRequestIsPermanent) {
    LoopbackServer server([](const Received&) { return status(400, R"({"error":"bad json"})"); });
    HttpSender sender(webhook_endpoint(server.url()));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::permanent);
    EXPECT_EQ(out.http_status, 400);
    EXPECT_EQ(out.error, R"(HTTP 400: {"error":"bad json"})");
}

TEST(HttpSenderWebhook, RedirectIsPermanentAndNotFollowed) {
    LoopbackServer server([](const Received& r) {
        if (r.uri == "/moved") {
            return status(200);
        }
        Reply reply = status(301);
        reply.headers.emplace_back("Location", "/moved");
        return reply;
    });
    HttpSender sender(webhook_endpoint(server.url()));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::permanent);
    EXPECT_EQ(out.http_status, 301);
    EXPECT_NE(out.error.find("redirect not followed"), std::string::npos) << out.error;
    EXPECT_EQ(server.received().size(), 1u);
}

TEST(HttpSenderWebhook, SlowServerTimesOutWithinBoundedTime) {
    LoopbackServer server([](const Received&) {
        Reply r = status(200);
        r.delay_ms = 5000;
        return r;
    });
    Endpoint e = webhook_endpoint(server.url());
    e.timeouts.receive_ms = 300;
    HttpSender sender(e);
    const auto start = std::chrono::steady_clock::now();
    const SendOutcome out = sender.send(message());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(out.verdict, Verdict::retry);
    EXPECT_EQ(out.http_status, 0);
    EXPECT_EQ(out.error.rfind("timeout", 0), 0u) << out.error;
    EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
    EXPECT_GE(out.duration_ms, 250);
    EXPECT_LT(out.duration_ms, 2000);
    EXPECT_EQ(server.received().size(), 1u);  // no hidden second attempt
}

TEST(HttpSenderWebhook, RefusedConnectionIsRetried) {
    HttpSender sender(
        webhook_endpoint("http://127.0.0.1:" + std::to_string(closed_port()) + "/hook"));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::retry);
    EXPECT_EQ(out.http_status, 0);
    EXPECT_EQ(out.error, "connection refused");
    EXPECT_LT(out.duration_ms, 2000);
}

TEST(HttpSenderWebhook, ReceiverDownThenBackDelivers) {
    const std::uint16_t port = closed_port();
    HttpSender sender(webhook_endpoint("http://127.0.0.1:" + std::to_string(port) + "/hook"));
    EXPECT_EQ(sender.send(message()).verdict, Verdict::retry);
    EXPECT_EQ(sender.send(message()).verdict, Verdict::retry);
    ServerOptions options;
    options.port = port;  // the receiver comes back where it was
    LoopbackServer server([](const Received&) { return status(204); }, options);
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::delivered) << out.error;
    EXPECT_EQ(server.received().size(), 1u);
}

// --- connections -------------------------------------------------------------

TEST(HttpSenderConnection, KeptAliveConnectionIsReused) {
    LoopbackServer server([](const Received&) { return status(200, "{}"); });
    HttpSender sender(webhook_endpoint(server.url()));
    for (int i = 0; i < 5; ++i) {
        const SendOutcome out = sender.send(message("msg_" + std::to_string(i)));
        ASSERT_EQ(out.verdict, Verdict::delivered) << i << ": " << out.error;
    }
    EXPECT_EQ(server.connections_accepted(), 1);
    EXPECT_EQ(sender.connections_opened(), 1);
    std::set<std::uint16_t> ports;
    for (const Received& r : server.received()) {
        ports.insert(r.client_port);
    }
    EXPECT_EQ(ports.size(), 1u);
}

TEST(HttpSenderConnection, ServerDroppingIdleConnectionSilentlyStillDelivers) {
    // The server closes an idle kept-alive connection after 100 ms without telling the client
    // (no "Connection: close"): the next request goes out on a dead connection, fails on read
    // (NoMessageException) and is sent once more on a fresh connection.
    ServerOptions options;
    options.keep_alive_timeout_ms = 100;
    LoopbackServer server([](const Received&) { return status(200, "{}"); }, options);
    HttpSender sender(webhook_endpoint(server.url()));
    for (int i = 0; i < 3; ++i) {
        if (i > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
        }
        const SendOutcome out = sender.send(message("msg_" + std::to_string(i)));
        ASSERT_EQ(out.verdict, Verdict::delivered) << i << ": " << out.error;
        EXPECT_LT(out.duration_ms, 1500);
    }
    const auto got = server.received();
    ASSERT_EQ(got.size(), 3u);  // each message once
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(got[i].header("webhook-id"), "msg_" + std::to_string(i));
    }
    EXPECT_EQ(server.connections_accepted(), 3);
    EXPECT_EQ(sender.connections_opened(), 3);
}

TEST(HttpSenderConnection, LargeBodyOnSilentlyDroppedConnectionRaisesNoSigpipe) {
    // A body larger than Poco's buffer goes out in several writes: the first reaches the
    // closed peer, which answers RST, and the next write fails with EPIPE. Poco sends without
    // MSG_NOSIGNAL, so that raises SIGPIPE, which kills the process unless blocked. Run in a
    // thread with SIGPIPE unblocked, as a host might have it.
    ServerOptions options;
    options.keep_alive_timeout_ms = 100;
    LoopbackServer server([](const Received&) { return status(200, "{}"); }, options);
    HttpSender sender(webhook_endpoint(server.url()));
    OutgoingMessage m = message();
    m.payload_json = R"({"text":")" + std::string(200000, 'x') + R"("})";
    std::vector<SendOutcome> outcomes;
    bool still_unblocked = false;
    std::thread worker([&] {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_UNBLOCK, &pipe, nullptr);
        for (int i = 0; i < 3; ++i) {
            if (i > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
            }
            m.id = "msg_big_" + std::to_string(i);
            outcomes.push_back(sender.send(m));
        }
        sigset_t now;
        pthread_sigmask(SIG_BLOCK, nullptr, &now);
        still_unblocked = sigismember(&now, SIGPIPE) == 0;
    });
    worker.join();
    EXPECT_TRUE(still_unblocked);  // the thread's mask is restored
    ASSERT_EQ(outcomes.size(), 3u);
    for (const SendOutcome& out : outcomes) {
        EXPECT_EQ(out.verdict, Verdict::delivered) << out.error;
    }
    const auto got = server.received();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[2].body, m.payload_json);
}

TEST(HttpSenderConnection, ServerResettingKeptAliveConnectionStillDelivers) {
    // RST instead of FIN: the next write fails (EPIPE/ECONNRESET) rather than the read; this
    // must neither raise SIGPIPE in the host process nor lose the message.
    rl::transport::testing::ResettingServer server(4);
    HttpSender sender(webhook_endpoint("http://127.0.0.1:" + std::to_string(server.port()) + "/h"));
    for (int i = 0; i < 3; ++i) {
        if (i > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        const SendOutcome out = sender.send(message("msg_" + std::to_string(i)));
        ASSERT_EQ(out.verdict, Verdict::delivered) << i << ": " << out.error;
    }
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(sender.connections_opened(), 3);
}

TEST(HttpSenderConnection, ServerClosingAfterEachResponseStillDelivers) {
    LoopbackServer server([](const Received&) {
        Reply r = status(200, "{}");
        r.close = true;
        return r;
    });
    HttpSender sender(webhook_endpoint(server.url()));
    for (int i = 0; i < 4; ++i) {
        const SendOutcome out = sender.send(message("msg_" + std::to_string(i)));
        ASSERT_EQ(out.verdict, Verdict::delivered) << i << ": " << out.error;
    }
    EXPECT_EQ(server.received().size(), 4u);
    EXPECT_EQ(server.connections_accepted(), 4);
}

TEST(HttpSenderConnection, ServerWithoutKeepAliveStillDelivers) {
    ServerOptions options;
    options.keep_alive = false;
    LoopbackServer server([](const Received&) { return status(200, "{}"); }, options);
    HttpSender sender(webhook_endpoint(server.url()));
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(sender.send(message("msg_" + std::to_string(i))).verdict, Verdict::delivered);
    }
    EXPECT_EQ(server.received().size(), 3u);
}

TEST(HttpSenderConnection, TimeoutThenSuccessOnANewConnection) {
    LoopbackServer server([](const Received& r) {
        Reply reply = status(200, "{}");
        reply.delay_ms = r.index == 1 ? 3000 : 0;
        return reply;
    });
    Endpoint e = webhook_endpoint(server.url());
    e.timeouts.receive_ms = 300;
    HttpSender sender(e);
    EXPECT_EQ(sender.send(message("msg_a")).verdict, Verdict::delivered);
    EXPECT_EQ(sender.send(message("msg_b")).verdict, Verdict::retry);
    // The late answer to msg_b must not be read as the answer to msg_c.
    const SendOutcome out = sender.send(message("msg_c"));
    EXPECT_EQ(out.verdict, Verdict::delivered) << out.error;
    EXPECT_EQ(sender.connections_opened(), 2);
}

// --- DingTalk ----------------------------------------------------------------

Endpoint dingtalk_endpoint(const std::string& url, const std::string& secret) {
    Endpoint e;
    e.name = "dingtalk-reform-office";
    e.kind = ChannelKind::dingtalk;
    e.url = url;
    e.secret = secret;
    e.timeouts = {1000, 1000, 2000};
    return e;
}

TEST(HttpSenderDingTalk, SignArrivesIntactAndBodyIsMarkdown) {
    LoopbackServer server([](const Received& r) {
        auto q = query_of(r.uri);
        const bool ok = q["sign"] == dingtalk_sign("this is secret", std::stoll(q["timestamp"]));
        return status(200, ok ? R"({"errcode":0,"errmsg":"ok"})"
                              : R"({"errcode":310000,"errmsg":"sign not match"})");
    });
    HttpSender sender(
        dingtalk_endpoint(server.url("/robot/send?access_token=tok123456"), "this is secret"));
    const OutgoingMessage m = message();
    const SendOutcome out = sender.send(m);
    EXPECT_EQ(out.verdict, Verdict::delivered) << out.error;

    const auto got = server.received();
    ASSERT_EQ(got.size(), 1u);
    auto q = query_of(got[0].uri);
    EXPECT_EQ(q["access_token"], "tok123456");
    EXPECT_EQ(q["timestamp"], "1577262236757");
    // The vector's sign has '+' and '=': both must arrive encoded, or '+' decodes as a space.
    EXPECT_EQ(q["sign"], "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=");
    EXPECT_NE(got[0].uri.find("sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D"),
              std::string::npos)
        << got[0].uri;
    EXPECT_EQ(got[0].uri.rfind("/robot/send?access_token=tok123456&timestamp=", 0), 0u);
    EXPECT_EQ(got[0].header("content-type").rfind("application/json", 0), 0u);

    rapidjson::Document doc;
    doc.Parse(got[0].body.c_str());
    ASSERT_FALSE(doc.HasParseError());
    EXPECT_STREQ(doc["msgtype"].GetString(), "markdown");
    EXPECT_EQ(std::string(doc["markdown"]["title"].GetString()), m.title);
    EXPECT_EQ(std::string(doc["markdown"]["text"].GetString()), m.markdown);
}

TEST(HttpSenderDingTalk, SignIsComputedPerAttempt) {
    LoopbackServer server([](const Received&) { return status(200, R"({"errcode":0})"); });
    HttpSender sender(dingtalk_endpoint(server.url("/robot/send"), kDingSecret));
    OutgoingMessage m = message();
    for (int i = 0; i < 3; ++i) {
        m.timestamp_ms = 1700000000000 + i * 1000;
        ASSERT_EQ(sender.send(m).verdict, Verdict::delivered);
    }
    const auto got = server.received();
    ASSERT_EQ(got.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        auto q = query_of(got[i].uri);
        EXPECT_EQ(q["timestamp"], std::to_string(1700000000000 + i * 1000));
        EXPECT_EQ(q["sign"], dingtalk_sign(kDingSecret, 1700000000000 + i * 1000));
    }
}

TEST(HttpSenderDingTalk, WithoutSecretNoSignIsAdded) {
    LoopbackServer server([](const Received&) { return status(200, R"({"errcode":0})"); });
    HttpSender sender(dingtalk_endpoint(server.url("/robot/send?access_token=abcdef"), ""));
    ASSERT_EQ(sender.send(message()).verdict, Verdict::delivered);
    EXPECT_EQ(server.received().at(0).uri, "/robot/send?access_token=abcdef");
}

TEST(HttpSenderDingTalk, ErrcodesAreClassified) {
    struct Case {
        std::string body;
        Verdict verdict;
        std::string error;
    };
    const Case cases[] = {
        {R"({"errcode":0,"errmsg":"ok"})", Verdict::delivered, ""},
        {R"({"errcode":310000,"errmsg":"keywords not in content"})", Verdict::permanent,
         "errcode 310000: keywords not in content"},
        {R"({"errcode":130101,"errmsg":"send too fast"})", Verdict::retry,
         "errcode 130101: send too fast"},
        {R"({"errcode":-1,"errmsg":"system busy"})", Verdict::retry, "errcode -1: system busy"},
        {R"({"errcode":300001,"errmsg":"token is not exist"})", Verdict::permanent,
         "errcode 300001: token is not exist"},
        {"<html>gateway</html>", Verdict::permanent,
         "HTTP 200 without an errcode: <html>gateway</html>"},
    };
    for (const Case& c : cases) {
        LoopbackServer server([&c](const Received&) { return status(200, c.body); });
        HttpSender sender(
            dingtalk_endpoint(server.url("/robot/send?access_token=t0k3n5"), kDingSecret));
        const SendOutcome out = sender.send(message());
        EXPECT_EQ(out.verdict, c.verdict) << c.body;
        EXPECT_EQ(out.http_status, 200);
        EXPECT_EQ(out.error, c.error);
    }
}

TEST(HttpSenderDingTalk, NonOkStatusIsClassifiedLikeAWebhook) {
    LoopbackServer server([](const Received& r) { return status(r.index == 0 ? 502 : 404); });
    HttpSender sender(dingtalk_endpoint(server.url("/robot/send"), kDingSecret));
    EXPECT_EQ(sender.send(message()).verdict, Verdict::retry);
    EXPECT_EQ(sender.send(message()).verdict, Verdict::permanent);
}

// --- WeCom -------------------------------------------------------------------

Endpoint wecom_endpoint(const std::string& url) {
    Endpoint e;
    e.name = "wecom-reform-office";
    e.kind = ChannelKind::wecom;
    e.url = url;
    e.timeouts = {1000, 1000, 2000};
    return e;
}

TEST(HttpSenderWecom, LongChineseMarkdownIsCutToValidUtf8Within4096Bytes) {
    LoopbackServer server(
        [](const Received&) { return status(200, R"({"errcode":0,"errmsg":"ok"})"); });
    HttpSender sender(wecom_endpoint(server.url("/cgi-bin/webhook/send?key=693a91f6-7c1d")));
    OutgoingMessage m = message();
    m.markdown.clear();
    while (m.markdown.size() < 9000) {
        m.markdown += "- <font color=\"warning\">逾期</font> 干部科：推进司法责任制综合配套改革\n";
    }
    const SendOutcome out = sender.send(m);
    ASSERT_EQ(out.verdict, Verdict::delivered) << out.error;
    const auto got = server.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].uri, "/cgi-bin/webhook/send?key=693a91f6-7c1d");
    rapidjson::Document doc;
    doc.Parse(got[0].body.c_str());
    ASSERT_FALSE(doc.HasParseError());
    EXPECT_STREQ(doc["msgtype"].GetString(), "markdown");
    const std::string content(doc["markdown"]["content"].GetString(),
                              doc["markdown"]["content"].GetStringLength());
    EXPECT_LE(content.size(), 4096u);
    EXPECT_GT(content.size(), 4000u);
    EXPECT_TRUE(rl::core::utf8::is_valid(content));
    EXPECT_EQ(content.substr(content.size() - 3), "\xE2\x80\xA6");
}

TEST(HttpSenderWecom, ErrcodesAreClassified) {
    const std::pair<std::string, Verdict> cases[] = {
        {R"({"errcode":0,"errmsg":"ok"})", Verdict::delivered},
        {R"({"errcode":45009,"errmsg":"api freq out of limit"})", Verdict::retry},
        {R"({"errcode":-1,"errmsg":"system busy"})", Verdict::retry},
        {R"({"errcode":93000,"errmsg":"invalid webhook url"})", Verdict::permanent},
    };
    for (const auto& [body, verdict] : cases) {
        const std::string reply_body = body;
        LoopbackServer server([reply_body](const Received&) { return status(200, reply_body); });
        HttpSender sender(wecom_endpoint(server.url("/cgi-bin/webhook/send?key=k")));
        EXPECT_EQ(sender.send(message()).verdict, verdict) << body;
    }
}

// --- secrets and validation ----------------------------------------------------

TEST(HttpSenderSecrets, NeverInErrors) {
    const std::string wecom_key = "693a91f6-7c1d-4b0e-9d2a-51c0ffee1234";
    LoopbackServer server([&](const Received&) {
        // A receiver that echoes what it was given.
        return status(400, "bad request: " + kWhsec + " " + kDingSecret + " key=" + wecom_key +
                               " this is secret");
    });
    {
        HttpSender sender(webhook_endpoint(server.url()));
        const SendOutcome out = sender.send(message());
        EXPECT_EQ(out.verdict, Verdict::permanent);
        EXPECT_EQ(out.error.find("whsec_"), std::string::npos) << out.error;
        EXPECT_EQ(out.error.find(kDingSecret), std::string::npos) << out.error;
        EXPECT_EQ(out.error.find(wecom_key), std::string::npos) << out.error;
    }
    {
        HttpSender sender(dingtalk_endpoint(server.url("/robot/send"), "this is secret"));
        const SendOutcome out = sender.send(message());
        EXPECT_EQ(out.error.find("this is secret"), std::string::npos) << out.error;
    }
    {
        HttpSender sender(wecom_endpoint(server.url("/send?key=" + wecom_key)));
        const SendOutcome out = sender.send(message());
        EXPECT_EQ(out.error.find(wecom_key), std::string::npos) << out.error;
    }
}

TEST(HttpSenderSecrets, RobotErrmsgIsRedacted) {
    LoopbackServer server([](const Received& r) {
        return status(200, R"({"errcode":310000,"errmsg":"sign not match, )" + r.uri + R"("})");
    });
    HttpSender sender(
        dingtalk_endpoint(server.url("/robot/send?access_token=tok987654"), kDingSecret));
    const SendOutcome out = sender.send(message());
    EXPECT_EQ(out.verdict, Verdict::permanent);
    EXPECT_EQ(out.error.find("tok987654"), std::string::npos) << out.error;
    EXPECT_EQ(out.error.find("hmPW"), std::string::npos) << out.error;
    EXPECT_NE(out.error.find("access_token=***"), std::string::npos) << out.error;
}

void expect_rejected(const Endpoint& e, const std::string& must_mention,
                     const std::string& must_not_mention) {
    try {
        HttpSender sender(e);
        ADD_FAILURE() << "accepted " << e.url;
    } catch (const std::invalid_argument& error) {
        const std::string what = error.what();
        EXPECT_NE(what.find("'" + e.name + "'"), std::string::npos) << what;
        EXPECT_NE(what.find(must_mention), std::string::npos) << what;
        if (!must_not_mention.empty()) {
            EXPECT_EQ(what.find(must_not_mention), std::string::npos) << what;
        }
    }
}

TEST(HttpSenderValidation, RejectsBadEndpointsNamingThem) {
    Endpoint e = webhook_endpoint("http://127.0.0.1:1/hook");
    EXPECT_NO_THROW(HttpSender{e});

    e.url = "ftp://127.0.0.1/hook?key=supersecretkey";
    expect_rejected(e, "http://", "supersecretkey");
    e.url = "http:///nohost";
    expect_rejected(e, "host", "");
    e.url = "http://127.0.0.1:99999/hook";
    expect_rejected(e, "invalid URL", "");
    e.url = "http://user:pw@127.0.0.1/hook";
    expect_rejected(e, "credentials", "pw");
    e.url = "not a url at all";
    expect_rejected(e, "http://", "");

    e = webhook_endpoint("http://127.0.0.1:1/hook");
    e.secret = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect_rejected(e, "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    e.secret = "whsec_***notbase64***";
    expect_rejected(e, "base64", "notbase64");

    e = webhook_endpoint("http://127.0.0.1:1/hook");
    e.timeouts.receive_ms = 0;
    expect_rejected(e, "timeouts", "");
}

TEST(HttpSenderValidation, ChannelKindNames) {
    for (ChannelKind kind : {ChannelKind::webhook, ChannelKind::dingtalk, ChannelKind::wecom}) {
        EXPECT_EQ(channel_kind_from_string(to_string(kind)), kind);
    }
    EXPECT_FALSE(channel_kind_from_string("DingTalk"));
    EXPECT_FALSE(channel_kind_from_string(""));
}

TEST(HttpSenderValidation, MovedSenderStillWorks) {
    LoopbackServer server([](const Received&) { return status(200); });
    HttpSender first(webhook_endpoint(server.url()));
    HttpSender second = std::move(first);
    EXPECT_EQ(second.endpoint().name, "oa");
    EXPECT_EQ(second.send(message()).verdict, Verdict::delivered);
}

}  // namespace

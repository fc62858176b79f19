// The stub host's message receiver (the OA message centre's stand-in that
// the plugin delivers to) under a careless or hostile client, over real
// loopback HTTP with raw sockets: the headers are judged before the body is
// read (a missing or malformed signature or timestamp is 401, an oversized
// body 413, no length 411 — each answered while the body is still unsent);
// the timestamp is parsed strictly; signatures are compared in full (and in
// constant time: see signature_matches); clients that send nothing or
// trickle bytes are cut off and do not keep a well-behaved sender out.
//
// Signatures here are computed with OpenSSL directly, not with the code
// under test.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "message_receiver.h"
#include "support/raw_http.h"

namespace {

using Clock = std::chrono::steady_clock;
using rl::test::now_s;
using rl::test::now_text;
using rl::test::RawClient;

// whsec_ + base64 of a 32-byte key.
const std::string kSecret = "whsec_cmVmb3JtLWxlZGdlciByZWNlaXZlciB0ZXN0czogMzIgYnl0ZXM=";

// A generous bound for an answer that should come at once: never reached
// when the receiver works, and well past it when it waits for a body.
constexpr int kAnswerWithinMs = 20000;

std::string sign(const std::string& id, const std::string& timestamp, const std::string& body,
                 const std::string& secret = kSecret) {
    return rl::test::sign_webhook(secret, id, timestamp, body);
}

struct Headers {
    std::string id = "msg_receiver_test_1";
    std::string timestamp = now_text();
    std::string signature;  // empty: none sent
    std::string extra;      // more header lines, each ending in \r\n
    std::string content_length = "auto";
};

std::string head(const Headers& h, std::size_t body_size) {
    std::string out = "POST /messages HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    out += "Content-Type: application/json\r\n";
    if (h.content_length == "auto") {
        out += "Content-Length: " + std::to_string(body_size) + "\r\n";
    } else if (!h.content_length.empty()) {
        out += "Content-Length: " + h.content_length + "\r\n";
    }
    if (!h.id.empty()) {
        out += "webhook-id: " + h.id + "\r\n";
    }
    if (!h.timestamp.empty()) {
        out += "webhook-timestamp: " + h.timestamp + "\r\n";
    }
    if (!h.signature.empty()) {
        out += "webhook-signature: " + h.signature + "\r\n";
    }
    return out + h.extra + "\r\n";
}

const std::string kBody =
    R"({"id":"msg_receiver_test_1","title":"催办：刑庭 2019-10","recipient":{"kind":"department","id":"刑庭"}})";

// A request signed correctly over kBody, sent whole; returns the status.
int post_signed(int port, const std::string& id, std::string* text = nullptr) {
    Headers h;
    h.id = id;
    h.signature = sign(h.id, h.timestamp, kBody);
    RawClient client(port);
    client.send(head(h, kBody.size()) + kBody);
    return client.read_response(kAnswerWithinMs, text);
}

class MessageReceiverHttp : public ::testing::Test {
protected:
    void SetUp() override { receiver_.start(); }
    void TearDown() override { receiver_.stop(); }

    int port() const { return receiver_.port(); }

    // Sends only the head of a request that announces body_size bytes and
    // waits for the answer: the receiver must judge it without the body.
    int status_without_body(const Headers& h, std::size_t body_size, std::string* text = nullptr) {
        RawClient client(port());
        client.send(head(h, body_size));
        const int status = client.read_response(kAnswerWithinMs, text);
        if (status != 0) {
            EXPECT_TRUE(client.closed_by_server(kAnswerWithinMs))
                << "a request refused on its headers closes the connection (its body is unread)";
        }
        return status;
    }

    oa_stub::MessageReceiver receiver_{kSecret};
};

// ------------------------------------------------------------ the happy path

TEST_F(MessageReceiverHttp, SignedMessageIsAcceptedOnceAndItsRepeatCountsAsDuplicate) {
    std::string text;
    EXPECT_EQ(post_signed(port(), "msg_once", &text), 200) << text;
    EXPECT_EQ(post_signed(port(), "msg_once", &text), 200) << text;
    const auto arrivals = receiver_.arrivals();
    ASSERT_EQ(arrivals.size(), 1u);
    EXPECT_EQ(arrivals[0].id, "msg_once");
    EXPECT_EQ(arrivals[0].body, kBody);
    EXPECT_EQ(arrivals[0].title, "催办：刑庭 2019-10");
    EXPECT_EQ(arrivals[0].recipient, "刑庭");
    EXPECT_EQ(receiver_.duplicates(), 1);
    EXPECT_EQ(receiver_.rejected(), 0);
}

TEST_F(MessageReceiverHttp, KeptAliveConnectionCarriesSeveralMessages) {
    RawClient client(port());
    for (int i = 0; i < 3; ++i) {
        Headers h;
        h.id = "msg_keepalive_" + std::to_string(i);
        h.signature = sign(h.id, h.timestamp, kBody);
        ASSERT_TRUE(client.send(head(h, kBody.size()) + kBody));
        std::string text;
        EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 200) << text;
    }
    EXPECT_EQ(receiver_.arrivals().size(), 3u);
}

TEST_F(MessageReceiverHttp, RotatedKeysAnySignatureInTheHeaderMayMatch) {
    Headers h;
    h.id = "msg_rotated";
    h.signature = sign(h.id, h.timestamp, kBody,
                       "whsec_YW5vdGhlciBzZWNyZXQgdGhhdCBkb2VzIG5vdCBtYXRjaCBhdCBhbGw=") +
                  " v1a,ignored-asymmetric-signature " + sign(h.id, h.timestamp, kBody);
    RawClient client(port());
    client.send(head(h, kBody.size()) + kBody);
    std::string text;
    EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 200) << text;
    EXPECT_EQ(receiver_.arrivals().size(), 1u);
}

// ------------------------------------------------------------ headers before the body

TEST_F(MessageReceiverHttp, OversizedBodyIsRefusedWith413BeforeItIsSent) {
    Headers h;
    h.signature = sign(h.id, h.timestamp, "whatever");
    std::string text;
    EXPECT_EQ(status_without_body(h, 200u << 20, &text), 413) << text;
    EXPECT_NE(text.find("limit"), std::string::npos) << text;
    EXPECT_EQ(receiver_.rejected(), 1);
    EXPECT_TRUE(receiver_.arrivals().empty());
}

TEST_F(MessageReceiverHttp, BodyAtTheLimitIsReadAndOneByteMoreIsNot) {
    const std::size_t limit = receiver_.limits().max_body_bytes;
    std::string body = "{\"pad\":\"" + std::string(limit - 10, 'x') + "\"}";
    ASSERT_EQ(body.size(), limit);
    Headers h;
    h.id = "msg_at_limit";
    h.signature = sign(h.id, h.timestamp, body);
    {
        RawClient client(port());
        client.send(head(h, body.size()) + body);
        std::string text;
        EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 200) << text;
    }
    h.id = "msg_over_limit";
    EXPECT_EQ(status_without_body(h, limit + 1), 413);
    ASSERT_EQ(receiver_.arrivals().size(), 1u);
    EXPECT_EQ(receiver_.arrivals()[0].id, "msg_at_limit");
}

TEST_F(MessageReceiverHttp, MissingSignatureIsRefusedBeforeTheBodyIsRead) {
    Headers h;  // no webhook-signature
    std::string text;
    EXPECT_EQ(status_without_body(h, 5000, &text), 401) << text;
    EXPECT_NE(text.find("webhook-signature"), std::string::npos) << text;
}

TEST_F(MessageReceiverHttp, MalformedSignatureIsRefusedBeforeTheBodyIsRead) {
    for (const std::string& signature : std::vector<std::string>{
             "v1,not-base64", "v1,", "v2," + sign("a", "1", "b").substr(3),
             sign("a", "1", "b").substr(0, 40), "v1a,only-an-asymmetric-one"}) {
        Headers h;
        h.signature = signature;
        std::string text;
        EXPECT_EQ(status_without_body(h, 5000, &text), 401) << signature << "\n" << text;
    }
    EXPECT_TRUE(receiver_.arrivals().empty());
}

TEST_F(MessageReceiverHttp, MissingIdOrTimestampIsRefusedBeforeTheBodyIsRead) {
    Headers no_id;
    no_id.id = "";
    no_id.signature = sign("x", no_id.timestamp, kBody);
    EXPECT_EQ(status_without_body(no_id, kBody.size()), 401);
    Headers no_timestamp;
    no_timestamp.timestamp = "";
    no_timestamp.signature = sign(no_timestamp.id, now_text(), kBody);
    EXPECT_EQ(status_without_body(no_timestamp, kBody.size()), 401);
}

TEST_F(MessageReceiverHttp, TimestampOutsideTheToleranceIsRefusedBeforeTheBodyIsRead) {
    const int tolerance = receiver_.limits().timestamp_tolerance_s;
    for (const std::int64_t ts : {now_s() - tolerance - 60, now_s() + tolerance + 60}) {
        Headers h;
        h.timestamp = std::to_string(ts);
        h.signature = sign(h.id, h.timestamp, kBody);
        std::string text;
        EXPECT_EQ(status_without_body(h, kBody.size(), &text), 401) << ts << "\n" << text;
    }
}

TEST_F(MessageReceiverHttp, MalformedTimestampIsRefusedEvenWhenTheSignatureMatchesItsNumber) {
    // Each of these reads as "now" to a lenient parser; the signature is made
    // over the number it would read, so only a strict parse refuses it.
    const std::string now = now_text();
    int n = 0;
    for (const std::string& timestamp : std::vector<std::string>{
             now + "abc", "+" + now, now + ".0", "0" + now, now + " 1", "12abc", "-" + now}) {
        Headers h;
        h.id = "msg_ts_" + std::to_string(++n);
        h.timestamp = timestamp;
        h.signature = sign(h.id, now, kBody);
        RawClient client(port());
        client.send(head(h, kBody.size()) + kBody);
        std::string text;
        EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 401)
            << "webhook-timestamp: " << timestamp << "\n"
            << text;
    }
    EXPECT_TRUE(receiver_.arrivals().empty());
}

TEST_F(MessageReceiverHttp, ChunkedOrUnparsableLengthIsRefusedBeforeTheBodyIsRead) {
    Headers chunked;
    chunked.signature = sign(chunked.id, chunked.timestamp, kBody);
    chunked.content_length = "";
    chunked.extra = "Transfer-Encoding: chunked\r\n";
    std::string text;
    EXPECT_EQ(status_without_body(chunked, 0, &text), 411) << text;

    Headers twice = chunked;
    twice.extra = "Content-Length: 7\r\n";
    twice.content_length = "7";
    EXPECT_EQ(status_without_body(twice, 0, &text), 411) << text;

    Headers none = chunked;
    none.extra = "";
    EXPECT_EQ(status_without_body(none, 0, &text), 411) << text;
    EXPECT_TRUE(receiver_.arrivals().empty());
}

TEST_F(MessageReceiverHttp, WrongSignatureOverTheBodyIsRefused) {
    Headers h;
    h.signature = sign(h.id, h.timestamp, kBody + " ");  // not this body
    RawClient client(port());
    client.send(head(h, kBody.size()) + kBody);
    std::string text;
    EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 401) << text;
    EXPECT_TRUE(receiver_.arrivals().empty());
    EXPECT_EQ(receiver_.rejected(), 1);
}

TEST_F(MessageReceiverHttp, BodyShorterThanAnnouncedIsRefused) {
    Headers h;
    h.signature = sign(h.id, h.timestamp, kBody);
    RawClient client(port());
    client.send(head(h, kBody.size()) + kBody.substr(0, 10));
    client.shutdown_sending();
    std::string text;
    EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 400) << text;
    EXPECT_TRUE(receiver_.arrivals().empty());
}

TEST_F(MessageReceiverHttp, OtherMethodsAreRefusedUnread) {
    RawClient client(port());
    client.send("GET /messages HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(client.read_response(kAnswerWithinMs), 405);
}

// ------------------------------------------------------------ verify() itself

TEST(MessageReceiverVerify, TimestampMustBePlainDigits) {
    const oa_stub::MessageReceiver receiver(kSecret);
    const std::string now = now_text();
    const std::string id = "msg_verify";
    EXPECT_EQ(receiver.verify(id, now, sign(id, now, kBody), kBody), "");
    for (const std::string& timestamp :
         std::vector<std::string>{" " + now, "\t" + now, now + " ", "+" + now, now + "abc", "0x10",
                                  "1e9", "", "99999999999999999999999"}) {
        EXPECT_NE(receiver.verify(id, timestamp, sign(id, now, kBody), kBody), "")
            << "'" << timestamp << "'";
    }
}

TEST(MessageReceiverVerify, SignatureMustMatchInFull) {
    const std::string good = sign("msg", "1", "body");
    EXPECT_TRUE(oa_stub::signature_matches(good, good));
    EXPECT_TRUE(oa_stub::signature_matches("v1a,xyz " + good, good));
    std::string last = good;
    last[last.size() - 2] = last[last.size() - 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(oa_stub::signature_matches(last, good));
    std::string first = good;
    first[3] = first[3] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(oa_stub::signature_matches(first, good));
    EXPECT_FALSE(oa_stub::signature_matches(good.substr(0, good.size() - 1), good));
    EXPECT_FALSE(oa_stub::signature_matches(good + "A", good));
    EXPECT_FALSE(oa_stub::signature_matches("", good));
}

// ------------------------------------------------------------ slow clients

// Sends one byte of a request head to each client every interval until the
// server closes it or the trickle's own bound runs out.
class Trickle {
public:
    Trickle(std::vector<std::unique_ptr<RawClient>>& clients, int interval_ms, int bound_ms)
        : clients_(clients), closed_(clients.size()) {
        thread_ = std::thread([this, interval_ms, bound_ms] { run(interval_ms, bound_ms); });
    }
    ~Trickle() {
        stop_ = true;
        thread_.join();
    }
    Trickle(const Trickle&) = delete;
    Trickle& operator=(const Trickle&) = delete;

    bool all_closed() const {
        for (const auto& c : closed_) {
            if (!c) {
                return false;
            }
        }
        return true;
    }

private:
    void run(int interval_ms, int bound_ms) {
        const std::string slow_head = head(Headers{}, kBody.size());
        const auto end = Clock::now() + std::chrono::milliseconds(bound_ms);
        for (std::size_t byte = 0; !stop_ && Clock::now() < end && !all_closed(); ++byte) {
            for (std::size_t i = 0; i < clients_.size(); ++i) {
                if (!closed_[i] &&
                    (!clients_[i]->send(slow_head.substr(byte % slow_head.size(), 1)) ||
                     clients_[i]->closed_by_server(0))) {
                    closed_[i] = true;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
        }
    }

    std::vector<std::unique_ptr<RawClient>>& clients_;
    std::vector<std::atomic<bool>> closed_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

TEST(MessageReceiverSlowClients, SilentAndTricklingClientsAreCutOffAndASenderGetsThrough) {
    oa_stub::ReceiverLimits limits;
    limits.threads = 2;
    limits.request_deadline_ms = 1500;
    limits.idle_timeout_ms = 1500;
    oa_stub::MessageReceiver receiver(kSecret, 0, limits);
    receiver.start();

    // As many clients as the receiver has threads, in each kind: they would
    // hold every thread if nothing cut them off.
    std::vector<std::unique_ptr<RawClient>> silent;
    std::vector<std::unique_ptr<RawClient>> trickling;
    for (int i = 0; i < limits.threads; ++i) {
        silent.push_back(std::make_unique<RawClient>(receiver.port()));
        trickling.push_back(std::make_unique<RawClient>(receiver.port()));
    }
    // A byte every 300 ms: each read is well inside the idle timeout.
    Trickle trickle(trickling, 300, 60000);

    std::string text;
    EXPECT_EQ(post_signed(receiver.port(), "msg_after_slow_clients", &text), 200) << text;
    ASSERT_EQ(receiver.arrivals().size(), 1u);
    EXPECT_EQ(receiver.arrivals()[0].id, "msg_after_slow_clients");

    for (auto& client : silent) {
        EXPECT_TRUE(client->closed_by_server(30000)) << "a silent client is closed";
    }
    for (int waited = 0; waited < 30000 && !trickle.all_closed(); waited += 100) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(trickle.all_closed()) << "a trickling client is cut off at its deadline";
    EXPECT_GE(receiver.timed_out(), limits.threads);
    receiver.stop();
}

TEST(MessageReceiverSlowClients, StopClosesConnectionsStillOpen) {
    oa_stub::MessageReceiver receiver(kSecret);  // 10 s deadlines
    receiver.start();
    RawClient idle(receiver.port());
    RawClient half(receiver.port());
    half.send("POST /messages HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // Both are being served (or queued) when the receiver stops.
    EXPECT_EQ(post_signed(receiver.port(), "msg_before_stop"), 200);
    receiver.stop();
    EXPECT_TRUE(idle.closed_by_server(kAnswerWithinMs));
    EXPECT_TRUE(half.closed_by_server(kAnswerWithinMs));
}

}  // namespace

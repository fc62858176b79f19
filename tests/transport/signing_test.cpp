// rl::transport signing and redaction: the published test vectors and the
// ways a secret could leak into a log line.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "transport/signing.h"

namespace {

using rl::transport::dingtalk_sign;
using rl::transport::redact;
using rl::transport::standard_webhooks_signature;
using rl::transport::url_encode_component;

TEST(Signing, StandardWebhooksTestVector) {
    EXPECT_EQ(standard_webhooks_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                          "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                          R"({"test": 2432232314})"),
              "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(Signing, StandardWebhooksSignatureDependsOnEveryPart) {
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::string base = standard_webhooks_signature(secret, "msg_1", 100, "{}");
    EXPECT_NE(base, standard_webhooks_signature(secret, "msg_2", 100, "{}"));
    EXPECT_NE(base, standard_webhooks_signature(secret, "msg_1", 101, "{}"));
    EXPECT_NE(base, standard_webhooks_signature(secret, "msg_1", 100, "{ }"));
    EXPECT_NE(base,
              standard_webhooks_signature("whsec_AAAAAAAAAAAAAAAAAAAAAAAA", "msg_1", 100, "{}"));
    // One line, no wrapping (Poco's Base64Encoder wraps at 72 by default).
    const std::string long_body(10000, 'x');
    const std::string sig = standard_webhooks_signature(secret, "msg_1", 100, long_body);
    EXPECT_EQ(sig.find('\n'), std::string::npos);
    EXPECT_EQ(sig.size(), 3u + 44u);
}

TEST(Signing, RejectsBadWebhookSecretsWithoutQuotingThem) {
    for (const std::string secret :
         {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!",
          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}) {
        try {
            standard_webhooks_signature(secret, "msg_1", 1, "{}");
            ADD_FAILURE() << "accepted " << secret;
        } catch (const std::invalid_argument& e) {
            if (secret != "whsec_") {  // the message names the prefix
                EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
            }
        }
    }
}

TEST(Signing, DingTalkTestVector) {
    EXPECT_EQ(dingtalk_sign("this is secret", 1577262236757),
              "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=");
}

TEST(Signing, UrlEncodeComponentEscapesBase64Punctuation) {
    EXPECT_EQ(url_encode_component("hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="),
              "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
    EXPECT_EQ(url_encode_component("a/b c&d"), "a%2Fb%20c%26d");
    EXPECT_EQ(url_encode_component("AZaz09-._~"), "AZaz09-._~");
}

TEST(Redact, RemovesQueryStyleSecrets) {
    EXPECT_EQ(redact("POST /robot/send?access_token=abc123def&timestamp=1&sign=xy%2Bz%3D"),
              "POST /robot/send?access_token=***&timestamp=1&sign=***");
    EXPECT_EQ(redact("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
              "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***");
    EXPECT_EQ(redact("secret=hunter2 and more"), "secret=*** and more");
    EXPECT_EQ(redact("KEY=abc"), "KEY=***");
}

TEST(Redact, RemovesWebhookAndDingTalkSecretTokens) {
    EXPECT_EQ(redact("bad secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw here"),
              "bad secret *** here");
    EXPECT_EQ(redact("SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), "***");
}

TEST(Redact, RemovesJsonMembers) {
    EXPECT_EQ(redact(R"({"secret": "s3cr3t", "name": "oa"})"),
              R"({"secret": "***", "name": "oa"})");
    EXPECT_EQ(redact(R"({"key":"k-1","sign":"a\"b"})"), R"({"key":"***","sign":"***"})");
}

TEST(Redact, LeavesOtherWordsAlone) {
    const std::string text =
        "design=ok monkey=1 signature=v1 keyword=x webhook-signature: v1,abc HTTP 500: boom";
    EXPECT_EQ(redact(text), text);
    EXPECT_EQ(redact(""), "");
    EXPECT_EQ(redact("key="), "key=");
    EXPECT_EQ(redact("SECRETARY"), "SECRETARY");
}

}  // namespace

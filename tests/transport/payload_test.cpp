// Robot bodies, the WeCom byte limit, and the pure classification rules.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

#include "core/utf8.h"
#include "transport/classify.h"
#include "transport/payload.h"

namespace {

using namespace rl::transport;

const std::string kEllipsis = "\xE2\x80\xA6";

rapidjson::Document parse(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    EXPECT_FALSE(doc.HasParseError()) << json;
    return doc;
}

TEST(Payload, TruncateKeepsShortTextAsIs) {
    EXPECT_EQ(truncate_utf8("改革台账", 12), "改革台账");
    EXPECT_EQ(truncate_utf8("", 0), "");
}

TEST(Payload, TruncateNeverSplitsACharacter) {
    const std::string text = "改革台账改革台账";  // 8 × 3 bytes
    for (std::size_t limit = 3; limit < text.size(); ++limit) {
        const std::string cut = truncate_utf8(text, limit);
        EXPECT_LE(cut.size(), limit);
        EXPECT_TRUE(rl::core::utf8::is_valid(cut)) << limit;
        EXPECT_EQ(cut.substr(cut.size() - kEllipsis.size()), kEllipsis) << limit;
    }
    EXPECT_EQ(truncate_utf8(text, 10), "改革" + kEllipsis);  // 6 + 3 bytes, not 7
    EXPECT_EQ(truncate_utf8("ab😀cd", 7), "ab" + kEllipsis);
    EXPECT_EQ(truncate_utf8("abcdef", 2), "ab");  // no room for the ellipsis
}

TEST(Payload, WecomMarkdownStaysWithin4096BytesOfValidUtf8) {
    std::string content = "### 逾期提醒\n";
    while (content.size() < 6000) {
        content += "- 干部科：推进审判权力运行机制改革（逾期 3 个工作日）\n";
    }
    const auto doc = parse(wecom_markdown_body(content));
    EXPECT_STREQ(doc["msgtype"].GetString(), "markdown");
    const std::string sent(doc["markdown"]["content"].GetString(),
                           doc["markdown"]["content"].GetStringLength());
    EXPECT_LE(sent.size(), kWecomMarkdownMaxBytes);
    EXPECT_GT(sent.size(), kWecomMarkdownMaxBytes - 8);
    EXPECT_TRUE(rl::core::utf8::is_valid(sent));
    EXPECT_EQ(sent.substr(sent.size() - kEllipsis.size()), kEllipsis);
    EXPECT_EQ(
        content.compare(0, sent.size() - kEllipsis.size(), sent, 0, sent.size() - kEllipsis.size()),
        0);

    const std::string exact(kWecomMarkdownMaxBytes, 'a');
    const auto doc2 = parse(wecom_markdown_body(exact));
    EXPECT_EQ(doc2["markdown"]["content"].GetStringLength(), kWecomMarkdownMaxBytes);
}

TEST(Payload, DingTalkMarkdownEscapesJson) {
    const auto doc = parse(dingtalk_markdown_body("催办\"通知\"", "第一行\n第二行 \\ 完"));
    EXPECT_STREQ(doc["msgtype"].GetString(), "markdown");
    EXPECT_EQ(std::string(doc["markdown"]["title"].GetString()), "催办\"通知\"");
    EXPECT_EQ(std::string(doc["markdown"]["text"].GetString()), "第一行\n第二行 \\ 完");
}

TEST(Classify, HttpStatus) {
    EXPECT_EQ(classify_http_status(200), Verdict::delivered);
    EXPECT_EQ(classify_http_status(204), Verdict::delivered);
    EXPECT_EQ(classify_http_status(408), Verdict::retry);
    EXPECT_EQ(classify_http_status(429), Verdict::retry);
    EXPECT_EQ(classify_http_status(500), Verdict::retry);
    EXPECT_EQ(classify_http_status(503), Verdict::retry);
    EXPECT_EQ(classify_http_status(301), Verdict::permanent);
    EXPECT_EQ(classify_http_status(307), Verdict::permanent);
    EXPECT_EQ(classify_http_status(400), Verdict::permanent);
    EXPECT_EQ(classify_http_status(401), Verdict::permanent);
    EXPECT_EQ(classify_http_status(404), Verdict::permanent);
    EXPECT_EQ(classify_http_status(413), Verdict::permanent);
}

TEST(Classify, RobotErrcodes) {
    EXPECT_EQ(classify_robot_errcode(ChannelKind::dingtalk, 0), Verdict::delivered);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::dingtalk, 130101), Verdict::retry);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::dingtalk, -1), Verdict::retry);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::dingtalk, 310000), Verdict::permanent);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::dingtalk, 300001), Verdict::permanent);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::wecom, 0), Verdict::delivered);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::wecom, 45009), Verdict::retry);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::wecom, -1), Verdict::retry);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::wecom, 93000), Verdict::permanent);
    EXPECT_EQ(classify_robot_errcode(ChannelKind::wecom, 130101), Verdict::permanent);
}

TEST(Classify, ParsesRobotReplies) {
    auto reply = parse_robot_reply(R"({"errcode":310000,"errmsg":"sign not match"})");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->errcode, 310000);
    EXPECT_EQ(reply->errmsg, "sign not match");
    EXPECT_FALSE(parse_robot_reply("<html>ok</html>"));
    EXPECT_FALSE(parse_robot_reply(R"({"errmsg":"ok"})"));
    EXPECT_FALSE(parse_robot_reply(R"({"errcode":"0"})"));
    EXPECT_FALSE(parse_robot_reply(""));
}

TEST(Classify, RetryAfter) {
    const std::int64_t now = 1614265330000;  // 2021-02-25T15:02:10Z
    EXPECT_EQ(parse_retry_after("7", now), 7000);
    EXPECT_EQ(parse_retry_after(" 0 ", now), 0);
    EXPECT_EQ(parse_retry_after("Thu, 25 Feb 2021 15:02:40 GMT", now), 30000);
    EXPECT_EQ(parse_retry_after("Thursday, 25-Feb-21 15:02:40 GMT", now), 30000);
    EXPECT_EQ(parse_retry_after("Thu Feb 25 15:02:40 2021", now), 30000);
    EXPECT_EQ(parse_retry_after("Thu, 25 Feb 2021 15:00:00 GMT", now), 0);  // past
    EXPECT_FALSE(parse_retry_after("", now));
    EXPECT_FALSE(parse_retry_after("-5", now));
    EXPECT_FALSE(parse_retry_after("soon", now));
    EXPECT_TRUE(parse_retry_after("99999999999999999999999", now));  // clamped, no overflow
}

}  // namespace

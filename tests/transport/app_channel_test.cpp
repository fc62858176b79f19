// The person channels' pure parts: how a DingTalk or WeCom open-API reply is
// read and judged, the request bodies, and the redaction of the app's secret.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

#include "transport/classify.h"
#include "transport/payload.h"
#include "transport/signing.h"

namespace {

using rl::transport::ChannelKind;
using rl::transport::Verdict;

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    EXPECT_FALSE(doc.HasParseError()) << text;
    return doc;
}

TEST(AppReply, ATokenReplyGivesTheTokenAndItsLifetime) {
    const auto reply = rl::transport::parse_app_reply(
        R"({"errcode":0,"errmsg":"ok","access_token":"abc123","expires_in":7200})");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->errcode, 0);
    EXPECT_EQ(reply->access_token, "abc123");
    EXPECT_EQ(reply->expires_in, 7200);
    EXPECT_FALSE(rl::transport::parse_app_reply("<html>busy</html>"));
    EXPECT_FALSE(rl::transport::parse_app_reply(R"({"errmsg":"no code"})"));
    const auto wecom =
        rl::transport::parse_app_reply(R"({"errcode":0,"errmsg":"ok","invaliduser":"a|b"})");
    ASSERT_TRUE(wecom);
    EXPECT_EQ(wecom->invalid_users, "a|b");
    const auto dingtalk = rl::transport::parse_app_reply(
        R"({"errcode":88,"sub_code":"60011","errmsg":"no permission"})");
    ASSERT_TRUE(dingtalk);
    EXPECT_EQ(dingtalk->sub_code, "60011");
}

TEST(AppReply, ErrorCodesAreJudgedAsThePlatformsDocumentThem) {
    using rl::transport::classify_app_errcode;
    for (ChannelKind kind : {ChannelKind::dingtalk_work_notice, ChannelKind::wecom_app_message}) {
        EXPECT_EQ(classify_app_errcode(kind, 0), Verdict::delivered);
        EXPECT_EQ(classify_app_errcode(kind, -1), Verdict::retry);
        EXPECT_EQ(classify_app_errcode(kind, 40014), Verdict::retry);
        EXPECT_EQ(classify_app_errcode(kind, 42001), Verdict::retry);
        EXPECT_TRUE(rl::transport::is_token_rejected(40014));
        EXPECT_TRUE(rl::transport::is_token_rejected(42001));
    }
    for (int code : {90002, 90005, 90006, 90018, 90019, 90020}) {
        EXPECT_EQ(classify_app_errcode(ChannelKind::dingtalk_work_notice, code), Verdict::throttled)
            << code;
    }
    EXPECT_TRUE(rl::transport::quota_exhausted(ChannelKind::dingtalk_work_notice, 90020));
    EXPECT_FALSE(rl::transport::quota_exhausted(ChannelKind::dingtalk_work_notice, 90018));
    EXPECT_EQ(classify_app_errcode(ChannelKind::dingtalk_work_notice, 88), Verdict::permanent);
    EXPECT_EQ(classify_app_errcode(ChannelKind::wecom_app_message, 45009), Verdict::throttled);
    EXPECT_EQ(classify_app_errcode(ChannelKind::wecom_app_message, 45033), Verdict::throttled);
    EXPECT_EQ(classify_app_errcode(ChannelKind::wecom_app_message, 81013), Verdict::permanent);
    EXPECT_EQ(classify_app_errcode(ChannelKind::wecom_app_message, 90018), Verdict::permanent);
}

TEST(AppPayload, DingTalkSendsAnActionCardForOneReportAndMarkdownForSeveral) {
    const auto card = parse(rl::transport::dingtalk_work_notice_body(
        "2233445566", {"u1", "u2"}, "标题", "正文", "https://oa/#/report?task=33"));
    EXPECT_EQ(card["agent_id"].GetInt64(), 2233445566);
    EXPECT_STREQ(card["userid_list"].GetString(), "u1,u2");
    EXPECT_STREQ(card["msg"]["msgtype"].GetString(), "action_card");
    EXPECT_STREQ(card["msg"]["action_card"]["single_url"].GetString(),
                 "https://oa/#/report?task=33");
    const auto text =
        parse(rl::transport::dingtalk_work_notice_body("7", {"u1"}, "标题", "正文", ""));
    EXPECT_STREQ(text["msg"]["msgtype"].GetString(), "markdown");
    EXPECT_STREQ(text["msg"]["markdown"]["text"].GetString(), "正文");
}

TEST(AppPayload, WeComSendsATextcardForOneReportWithinItsByteLimits) {
    const std::string long_text(2000, 'x');
    const auto card = parse(rl::transport::wecom_app_message_body(
        "1000002", {"a", "b"}, long_text, "md", long_text, "https://oa/#/report?task=33"));
    EXPECT_STREQ(card["touser"].GetString(), "a|b");
    EXPECT_EQ(card["agentid"].GetInt64(), 1000002);
    EXPECT_STREQ(card["msgtype"].GetString(), "textcard");
    EXPECT_LE(card["textcard"]["title"].GetStringLength(), 128u);
    EXPECT_LE(card["textcard"]["description"].GetStringLength(), 512u);
    EXPECT_EQ(card["enable_duplicate_check"].GetInt(), 1);
    const auto md = parse(
        rl::transport::wecom_app_message_body("1", {"a"}, "t", long_text + long_text, "", ""));
    EXPECT_STREQ(md["msgtype"].GetString(), "markdown");
    EXPECT_LE(md["markdown"]["content"].GetStringLength(), 2048u);
}

TEST(AppRedaction, TheAppsSecretIsNeverShown) {
    const std::string text = rl::transport::redact(
        "GET /gettoken?appkey=dingkey&appsecret=S3cr3tValue then "
        "/cgi-bin/gettoken?corpid=ww1&corpsecret=An0therSecret {\"app_secret\": \"J5onSecret\"}");
    EXPECT_EQ(text.find("S3cr3tValue"), std::string::npos) << text;
    EXPECT_EQ(text.find("An0therSecret"), std::string::npos) << text;
    EXPECT_EQ(text.find("J5onSecret"), std::string::npos) << text;
    EXPECT_NE(text.find("appkey=dingkey"), std::string::npos) << text;
}

}  // namespace

// What people type and what plan files say cannot forge a message: an urge's
// note, a supervision notice's text and a task's title reach the DingTalk and
// WeCom robots (real loopback HTTP servers) as literal markdown text — no
// link, mention, heading, quote, HTML tag, bidirectional override or control
// character of theirs survives — while the webhook channel (the stub's
// MessageReceiver) gets every text exactly as it was written.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"
#include "transport/loopback_server.h"

using oa_stub::PluginHost;
using rl::test::TempDir;
using rl::transport::testing::LoopbackServer;
using rl::transport::testing::Received;
using rl::transport::testing::Reply;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kOffice = "u-sigaiban-head";
const std::string kRlo = "\xE2\x80\xAE";  // U+202E RIGHT-TO-LEFT OVERRIDE

// A task title an attacker could put in a plan file: a link, a mention, a
// hidden file extension.
const std::string kTitle = "推进[点此领取补贴](http://evil.example/s)@all " + kRlo + "gnp.exe 改革";
// An urge note with a forged heading on a line of its own, a quote, a colour
// tag, a WeCom mention, an entity, a bare URL and control characters.
const std::string kNote =
    "请报送\n### 【紧急】院长令：即刻转账\n> 引用 <font color=\"warning\">红字</font> <@all> "
    "&#64;all www.evil.example \x07\x1b[31m完";
const std::string kNoticeText = "**加粗** `代码` ![图](http://evil.example/p.png) | 表 | ~~删~~ \\";

std::string robot_reply() {
    return "{\"errcode\":0,\"errmsg\":\"ok\"}";
}

std::string config_json(const std::string& db, const std::string& oa_url,
                        const std::string& ding_url, const std::string& wecom_url) {
    return "{\"database\":" + rl::test::database_json(db) +
           ",\"org_chart\":" + rl::test::demo_org_chart_json() +
           ",\"options\":{\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}"
           ",\"notifications\":{\"channels\":["
           "{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" +
           q(oa_url) + ",\"secret\":" + q(kSecret) +
           "},{\"name\":\"ding\",\"kind\":\"dingtalk\",\"url\":" + q(ding_url) +
           "},{\"name\":\"wecom\",\"kind\":\"wecom\",\"url\":" + q(wecom_url) +
           "}],\"worker\":{\"enabled\":false}}}";
}

// Every control, bidirectional-formatting or zero-width character in s, as
// "U+XXXX" (line breaks count: a text is one line).
std::vector<std::string> invisible_in(const std::string& s) {
    std::vector<std::string> found;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x20 || b == 0x7F) {
            found.push_back("byte " + std::to_string(b));
        }
    }
    const auto seek = [&](const std::string& bytes, const char* name) {
        if (s.find(bytes) != std::string::npos) {
            found.emplace_back(name);
        }
    };
    for (unsigned c = 0x80; c <= 0x9F; ++c) {
        seek(std::string("\xC2") + static_cast<char>(c), "C1");
    }
    for (unsigned c = 0x8B; c <= 0x8F; ++c) {  // U+200B…U+200F
        seek(std::string("\xE2\x80") + static_cast<char>(c), "U+200B..F");
    }
    for (unsigned c = 0xAA; c <= 0xAE; ++c) {  // U+202A…U+202E
        seek(std::string("\xE2\x80") + static_cast<char>(c), "U+202A..E");
    }
    for (unsigned c = 0xA6; c <= 0xA9; ++c) {  // U+2066…U+2069
        seek(std::string("\xE2\x81") + static_cast<char>(c), "U+2066..9");
    }
    return found;
}

class NotifyContentAbi : public ::testing::Test {
protected:
    void SetUp() override {
        receiver_.start();
        rl::test::write_file(
            plan_file_, "一、推进改革\n1." + kTitle + "。按照要求推进各项工作。\n责任部门：刑庭\n");
        host_.set_clock(kNov8);
        host_.load(RL_PLUGIN_PATH);
        host_.create(config_json(db_, receiver_.url(), ding_.url("/robot/send?access_token=t"),
                                 wecom_.url("/cgi-bin/webhook/send?key=k")));
        const Doc imported = parse_json(host_.call(
            "plan.import", Req().s("path", plan_file_).s("actor", "u-sigaiban-head").str()));
        ASSERT_EQ(num(imported, "tasks"), 1) << dump(imported);
    }

    int deliver() {
        int delivered = 0;
        for (int i = 0; i < 5; ++i) {
            const Doc d = parse_json(host_.call("notify.deliver"));
            delivered += num(d, "delivered");
            if (num(d, "delivered") + num(d, "retried") + num(d, "dead") == 0) {
                break;
            }
        }
        return delivered;
    }

    // The robot's markdown text of the one request it got.
    static std::string markdown_of(const Received& r, const char* member) {
        const Doc body = parse_json(r.body);
        return str(at(body, "markdown"), member);
    }

    // The markup the plugin itself writes, and nothing else: one heading, bold
    // rule headings, list lines.
    static void expect_literal(const std::string& markdown, const std::string& where) {
        SCOPED_TRACE(where + ":\n" + markdown);
        std::string one_line = markdown;  // the plugin's own line breaks aside
        std::replace(one_line.begin(), one_line.end(), '\n', ' ');
        EXPECT_TRUE(invisible_in(one_line).empty()) << invisible_in(one_line).front();
        for (const char* forbidden :
             {"](", "[", "]", "http://", "www.", "@", "<", ">", "&#", "`", "~~", "|", "\\"}) {
            EXPECT_FALSE(contains(markdown, forbidden)) << "found " << forbidden;
        }
        int headings = 0;
        std::size_t start = 0;
        while (start < markdown.size()) {
            const auto end = markdown.find('\n', start);
            const std::string line = markdown.substr(start, end - start);
            start = end == std::string::npos ? markdown.size() : end + 1;
            if (line.empty()) {
                continue;
            }
            if (line.rfind("### ", 0) == 0) {
                ++headings;
                continue;
            }
            const bool rule_heading = line.rfind("**", 0) == 0 && line.size() > 4 &&
                                      line.compare(line.size() - 2, 2, "**") == 0 &&
                                      line.find("**", 2) == line.size() - 2;
            EXPECT_TRUE(rule_heading || line.rfind("- ", 0) == 0) << "a line of its own: " << line;
            if (line.rfind("- ", 0) == 0) {
                EXPECT_EQ(line.find("**"), std::string::npos) << line;
                EXPECT_EQ(line.find('*', 2), std::string::npos) << line;
            }
        }
        EXPECT_EQ(headings, 1);
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    std::string plan_file_ = dir_.file("plan.txt");
    oa_stub::MessageReceiver receiver_{kSecret};
    LoopbackServer ding_{[](const Received&) { return Reply{200, {}, robot_reply()}; }};
    LoopbackServer wecom_{[](const Received&) { return Reply{200, {}, robot_reply()}; }};
    PluginHost host_{RL_LOG_ERROR};
};

TEST_F(NotifyContentAbi, AnUrgeNoteAndATaskTitleReachTheRobotsAsLiteralTextAndTheWebhookExactly) {
    const Doc urged = parse_json(host_.call("urge", Req()
                                                        .s("task", "1")
                                                        .s("department", "刑庭")
                                                        .s("period", "2019-10")
                                                        .s("actor", kOffice)
                                                        .s("note", kNote)
                                                        .str()));
    ASSERT_EQ(str(urged, "outcome"), "ok") << dump(urged);
    EXPECT_EQ(deliver(), 3);

    ASSERT_EQ(ding_.received().size(), 1u);
    const Doc ding = parse_json(ding_.received()[0].body);
    const std::string ding_text = markdown_of(ding_.received()[0], "text");
    expect_literal(ding_text, "DingTalk");
    EXPECT_TRUE(invisible_in(str(at(ding, "markdown"), "title")).empty());
    ASSERT_EQ(wecom_.received().size(), 1u);
    const std::string wecom_text = markdown_of(wecom_.received()[0], "content");
    expect_literal(wecom_text, "WeCom");
    // The words are all there, to be read as words.
    for (const std::string& words :
         {std::string("［点此领取补贴］(http：//evil.example/s)＠all gnp.exe 改革"),
          std::string(
              "请报送 ＃＃＃ 【紧急】院长令：即刻转账 ＞ 引用 ＜font color=\"warning\"＞红字"),
          std::string("＜＠all＞ ＆＃64;all www．evil.example ［31m完")}) {
        EXPECT_TRUE(contains(ding_text, words)) << words << "\n" << ding_text;
        EXPECT_TRUE(contains(wecom_text, words)) << words << "\n" << wecom_text;
    }

    // The webhook's JSON: the title and the note exactly, controls escaped by JSON alone.
    const auto arrivals = receiver_.arrivals();
    ASSERT_EQ(arrivals.size(), 1u);
    const Doc payload = parse_json(arrivals[0].body);
    const auto& items = arr(payload, "items");
    ASSERT_EQ(items.Size(), 1u);
    const std::string text = str(items[0], "text");
    EXPECT_TRUE(contains(text, kTitle)) << text;
    EXPECT_TRUE(contains(text, "：" + kNote)) << text;
    EXPECT_EQ(text.substr(text.size() - kNote.size()), kNote);
}

TEST_F(NotifyContentAbi, ASupervisionNoticesTextCannotAddMarkupToTheRobotMessage) {
    const Doc issued = parse_json(host_.call("supervision.issue", Req()
                                                                      .s("task", "1")
                                                                      .s("department", "刑庭")
                                                                      .s("actor", kOffice)
                                                                      .s("content", kNoticeText)
                                                                      .str()));
    ASSERT_EQ(str(issued, "outcome"), "ok") << dump(issued);
    EXPECT_EQ(deliver(), 3);
    ASSERT_EQ(ding_.received().size(), 1u);
    ASSERT_EQ(wecom_.received().size(), 1u);
    for (const auto& [name, text] :
         {std::pair<std::string, std::string>{"DingTalk", markdown_of(ding_.received()[0], "text")},
          {"WeCom", markdown_of(wecom_.received()[0], "content")}}) {
        expect_literal(text, name);
        EXPECT_TRUE(contains(text,
                             "＊＊加粗＊＊ ｀代码｀ !［图］(http：//evil.example/p.png) ｜ 表 ｜ "
                             "～～删～～ ＼"))
            << name << "\n"
            << text;
    }
    const auto arrivals = receiver_.arrivals();
    ASSERT_EQ(arrivals.size(), 1u);
    const Doc payload = parse_json(arrivals[0].body);
    EXPECT_TRUE(contains(str(arr(payload, "items")[0], "text"), "：" + kNoticeText))
        << arrivals[0].body;
}

}  // namespace

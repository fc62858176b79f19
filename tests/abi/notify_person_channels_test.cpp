// The person channels through the real plugin's C ABI: DingTalk 工作通知
// (dingtalk_work_notice) and WeCom 应用消息 (wecom_app_message) against
// loopback stand-ins (Poco HTTPServer on 127.0.0.1) that speak each platform's
// token and send APIs as they are documented: GET gettoken with the app's key
// and secret → {"errcode":0,"access_token","expires_in"}; POST the message with
// ?access_token= → {"errcode":0,…}, 40014/42001 for a token that is not (or no
// longer) good, the "too frequent" codes, WeCom's invaliduser and 81013. The
// stand-ins check what the plugin sends (the app's credentials, agent id,
// user ids, the console link) and the tests check what comes of each answer:
// one token for many messages, one refresh on an expired token, pacing per
// minute and per day, throttling that never makes a dead letter, people
// without a user id as dead letters, and no secret in any error or log line.
#include <gtest/gtest.h>

#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "abi_test_helpers.h"
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

enum class Platform { dingtalk, wecom };

const std::string kAppKey = "dingtestappkey0001";
const std::string kAppSecret = "DtAppSecret-7f3a9c1e5b2d4f6a8c0e";
const std::string kCorpId = "ww00112233aabbccdd";
const std::string kCorpSecret = "WxCorpSecret-2b4d6f8a0c1e3a5b7d9f";
const std::string kAgentId = "2233445566";
const std::string kConsole = "https://oa.court.test/ledger";
const std::string kOffice = "u-sigaiban-head";

// One message the plugin sent to the stand-in, as the platform reads it.
struct Sent {
    std::string token;
    Doc body;
};

// Speaks one platform's token and send APIs on 127.0.0.1. By default it
// answers as the platform does when all is well; the test scripts the rest.
class StandIn {
public:
    explicit StandIn(Platform platform)
        : platform_(platform), server_([this](const Received& r) { return answer(r); }) {}

    std::string url() const { return server_.url(""); }
    // Users the platform knows (WeCom answers the others in invaliduser).
    void know(const std::set<std::string>& users) {
        std::lock_guard<std::mutex> lock(mutex_);
        known_ = users;
    }
    // The next gettoken calls are answered with these (status, body) instead.
    void token_replies(std::deque<std::pair<int, std::string>> replies) {
        std::lock_guard<std::mutex> lock(mutex_);
        token_replies_ = std::move(replies);
    }
    // The next sends are answered with these bodies (HTTP 200) instead.
    void send_replies(std::deque<std::string> replies) {
        std::lock_guard<std::mutex> lock(mutex_);
        send_replies_ = std::move(replies);
    }
    // Tokens issued from now on say they last this many seconds.
    void token_lifetime(int seconds) {
        std::lock_guard<std::mutex> lock(mutex_);
        lifetime_s_ = seconds;
    }
    // The tokens issued so far run out: the next send with one gets 42001.
    void expire_tokens() {
        std::lock_guard<std::mutex> lock(mutex_);
        expired_ = issued_;
    }

    int token_calls() const { return count(token_path()); }
    std::vector<Sent> sends() const {
        std::vector<Sent> out;
        for (const auto& r : server_.received()) {
            if (r.method == "POST" && Poco::URI(r.uri).getPath() == send_path()) {
                out.push_back({query(r, "access_token"), parse_json(r.body)});
            }
        }
        return out;
    }
    std::vector<Received> received() const { return server_.received(); }

    std::string token_path() const {
        return platform_ == Platform::dingtalk ? "/gettoken" : "/cgi-bin/gettoken";
    }
    std::string send_path() const {
        return platform_ == Platform::dingtalk ? "/topapi/message/corpconversation/asyncsend_v2"
                                               : "/cgi-bin/message/send";
    }

private:
    static std::string query(const Received& r, const std::string& name) {
        for (const auto& [key, value] : Poco::URI(r.uri).getQueryParameters()) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }
    static Reply json(const std::string& body, int status = 200) {
        Reply reply;
        reply.status = status;
        reply.body = body;
        return reply;
    }
    int count(const std::string& path) const {
        int n = 0;
        for (const auto& r : server_.received()) {
            n += Poco::URI(r.uri).getPath() == path ? 1 : 0;
        }
        return n;
    }

    Reply answer(const Received& r) {
        std::lock_guard<std::mutex> lock(mutex_);
        const std::string path = Poco::URI(r.uri).getPath();
        if (r.method == "GET" && path == token_path()) {
            if (!token_replies_.empty()) {
                auto [status, body] = token_replies_.front();
                token_replies_.pop_front();
                return json(body, status);
            }
            const bool dingtalk = platform_ == Platform::dingtalk;
            const bool credentials_ok =
                dingtalk ? query(r, "appkey") == kAppKey && query(r, "appsecret") == kAppSecret
                         : query(r, "corpid") == kCorpId && query(r, "corpsecret") == kCorpSecret;
            if (!credentials_ok) {
                return json(dingtalk ? R"({"errcode":40089,"errmsg":"不合法的corpid或corpsecret"})"
                                     : R"({"errcode":40001,"errmsg":"invalid credential"})");
            }
            const std::string token = "tok-" + std::to_string(++tokens_) + "-abcdef";
            issued_.insert(token);
            return json(R"({"errcode":0,"errmsg":"ok","access_token":")" + token +
                        R"(","expires_in":)" + std::to_string(lifetime_s_) + "}");
        }
        if (r.method == "POST" && path == send_path()) {
            const std::string token = query(r, "access_token");
            if (expired_.count(token) != 0) {
                return json(R"({"errcode":42001,"errmsg":"access_token expired"})");
            }
            if (issued_.count(token) == 0) {
                return json(R"({"errcode":40014,"errmsg":"invalid access_token"})");
            }
            if (!send_replies_.empty()) {
                const std::string body = send_replies_.front();
                send_replies_.pop_front();
                return json(body);
            }
            if (platform_ == Platform::dingtalk) {
                const std::string task = std::to_string(++tasks_);
                return json(R"({"errcode":0,"errmsg":"ok","task_id":)" + task +
                            R"(,"request_id":"req)" + task + R"("})");
            }
            // WeCom: users it does not know come back in invaliduser; none known is 81013.
            const Doc body = parse_json(r.body);
            std::string invalid;
            int valid = 0;
            std::string touser = str(body, "touser");
            std::size_t start = 0;
            while (start <= touser.size()) {
                const std::size_t end = std::min(touser.find('|', start), touser.size());
                const std::string user = touser.substr(start, end - start);
                if (known_.count(user) != 0) {
                    ++valid;
                } else {
                    invalid += (invalid.empty() ? "" : "|") + user;
                }
                start = end + 1;
            }
            if (valid == 0) {
                return json(R"({"errcode":81013,"errmsg":"user & party & tag all invalid"})");
            }
            return json(R"({"errcode":0,"errmsg":"ok","invaliduser":")" + invalid +
                        R"(","msgid":"m)" + std::to_string(++tasks_) + R"("})");
        }
        return json(R"({"errcode":404,"errmsg":"no such API"})", 404);
    }

    const Platform platform_;
    mutable std::mutex mutex_;
    std::set<std::string> known_;
    std::deque<std::pair<int, std::string>> token_replies_;
    std::deque<std::string> send_replies_;
    std::set<std::string> issued_;
    std::set<std::string> expired_;
    int tokens_ = 0;
    int tasks_ = 0;
    int lifetime_s_ = 7200;
    LoopbackServer server_;  // last: stopped first, while the state above is alive
};

// The demo org chart with these people's user ids on the platforms.
std::string org_chart_with_ids(
    const std::map<std::string, std::pair<std::string, std::string>>& ids) {
    Doc chart = parse_json(rl::test::demo_org_chart_json());
    for (auto& p : chart["people"].GetArray()) {
        const auto it = ids.find(p["id"].GetString());
        if (it == ids.end()) {
            continue;
        }
        auto& a = chart.GetAllocator();
        if (!it->second.first.empty()) {
            p.AddMember("dingtalk_userid", Val(it->second.first.c_str(), a), a);
        }
        if (!it->second.second.empty()) {
            p.AddMember("wecom_userid", Val(it->second.second.c_str(), a), a);
        }
    }
    return dump(chart);
}

// 刑庭's contact and heads, on both platforms.
const std::map<std::string, std::pair<std::string, std::string>> kIds = {
    {"u-xingting-contact", {"dt-xt-contact", "xt.contact"}},
    {"u-xingting-head", {"dt-xt-head", "xt.head"}},
    {"u-xingting-deputy", {"dt-xt-deputy", "xt.deputy"}},
};

std::string channel_json(Platform platform, const std::string& url, const std::string& extra) {
    if (platform == Platform::dingtalk) {
        return R"({"name":"dt","kind":"dingtalk_work_notice","url":)" + q(url) + R"(,"app_key":)" +
               q(kAppKey) + R"(,"app_secret":)" + q(kAppSecret) + R"(,"agent_id":)" + kAgentId +
               extra + "}";
    }
    return R"({"name":"wx","kind":"wecom_app_message","url":)" + q(url) + R"(,"corp_id":)" +
           q(kCorpId) + R"(,"corp_secret":)" + q(kCorpSecret) + R"(,"agent_id":")" + kAgentId +
           "\"" + extra + "}";
}

std::string config_json(const std::string& db, const std::string& org_chart,
                        const std::string& channels, const std::string& console = kConsole + "/") {
    return "{\"database\":" + rl::test::database_json(db) + ",\"org_chart\":" + org_chart +
           ",\"options\":{\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}"
           ",\"notifications\":{\"channels\":[" +
           channels + "],\"console_base_url\":" + q(console) +
           ",\"urge_min_interval_hours\":0,\"retry\":{\"max_attempts\":3,\"base_ms\":1000,"
           "\"max_ms\":1000},\"worker\":{\"enabled\":false}}}";
}

// The console link of 刑庭's report on task 33 for 2019-10, as contract 1 spells it.
const std::string kTask33Link =
    kConsole + "/#/report?task=33&item=&department=%E5%88%91%E5%BA%AD&period=2019-10";

class PersonChannels : public ::testing::TestWithParam<Platform> {
protected:
    Platform platform() const { return GetParam(); }
    bool dingtalk() const { return platform() == Platform::dingtalk; }

    void open(const std::string& channel_extra = "",
              const std::map<std::string, std::pair<std::string, std::string>>& ids = kIds) {
        stand_in_.know({"xt.contact", "xt.head", "xt.deputy"});
        open_plugin(host_, kNov8,
                    config_json(db_, org_chart_with_ids(ids),
                                channel_json(platform(), stand_in_.url(), channel_extra)));
    }
    Doc call(std::int64_t at, const std::string& method, const std::string& request = "{}") {
        host_.set_clock(at);
        return parse_json(host_.call(method, request));
    }
    // Tasks 刑庭 reports on for 2019-10 (task 33 first).
    std::vector<std::string> tasks() {
        const Doc list = parse_json(host_.call(
            "obligations.list",
            Req().s("user", kOffice).s("period", "2019-10").s("department", "刑庭").str()));
        std::vector<std::string> out{"33"};
        for (const auto& o : arr(list, "obligations").GetArray()) {
            if (str(o, "task") != "33" && str(o, "item").empty() &&
                std::find(out.begin(), out.end(), str(o, "task")) == out.end()) {
                out.push_back(str(o, "task"));
            }
        }
        return out;
    }
    // 刑庭 is urged on the first n of its tasks, one urge (and one message) each.
    void urge_tasks(std::int64_t at, std::size_t n) {
        const auto all = tasks();
        ASSERT_GE(all.size(), n);
        for (std::size_t i = 0; i < n; ++i) {
            urge(at, all[i]);
        }
    }
    // 刑庭 is urged on task 33 (one item: a card with the link).
    void urge(std::int64_t at, const std::string& task = "33") {
        const Doc d = call(at, "urge",
                           Req()
                               .s("task", task)
                               .s("department", "刑庭")
                               .s("period", "2019-10")
                               .s("actor", kOffice)
                               .s("note", "请尽快报送。")
                               .str());
        ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    }
    Doc deliver(std::int64_t at) { return call(at, "notify.deliver"); }
    Doc dead() { return parse_json(host_.call("notify.dead")); }
    // The user ids a send addressed.
    std::string users_of(const Sent& s) const {
        return dingtalk() ? str(s.body, "userid_list") : str(s.body, "touser");
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    StandIn stand_in_{GetParam()};
    PluginHost host_;
};

// ------------------------------------------------------------ what is sent

TEST_P(PersonChannels, AnUrgeReachesTheDepartmentsContactWithTheAppsAgentIdAndALinkToTheReport) {
    open();
    urge(kNov8);
    const Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "delivered"), 1) << dump(d);
    // The token call carries the app's credentials.
    ASSERT_EQ(stand_in_.token_calls(), 1);
    const auto sends = stand_in_.sends();
    ASSERT_EQ(sends.size(), 1u);
    const Doc& body = sends[0].body;
    EXPECT_EQ(users_of(sends[0]), dingtalk() ? "dt-xt-contact" : "xt.contact");
    if (dingtalk()) {
        EXPECT_EQ(dump(at(body, "agent_id")), kAgentId);
        const Val& msg = at(body, "msg");
        ASSERT_EQ(str(msg, "msgtype"), "action_card");
        const Val& card = at(msg, "action_card");
        EXPECT_EQ(str(card, "single_url"), kTask33Link);
        EXPECT_TRUE(contains(str(card, "markdown"), "请填报并提交")) << str(card, "markdown");
        EXPECT_TRUE(contains(str(card, "markdown"), "任务33")) << str(card, "markdown");
        EXPECT_FALSE(str(card, "title").empty());
    } else {
        EXPECT_EQ(dump(at(body, "agentid")), kAgentId);
        ASSERT_EQ(str(body, "msgtype"), "textcard");
        const Val& card = at(body, "textcard");
        EXPECT_EQ(str(card, "url"), kTask33Link);
        EXPECT_TRUE(contains(str(card, "description"), "请填报并提交")) << str(card, "description");
        EXPECT_EQ(num(body, "enable_duplicate_check"), 1);
    }
    // What the OA's webhook would carry names the same report and link.
    const auto got = stand_in_.received();
    for (const auto& r : got) {
        EXPECT_EQ(r.header("content-type").rfind("application/json", 0) == 0, r.method == "POST");
    }
}

TEST_P(PersonChannels, ABulkUrgeListsEachReportWithItsOwnLink) {
    open();
    const Doc d = call(kNov8, "urge.bulk", Req().s("department", "刑庭").s("actor", kOffice).str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const int urged = static_cast<int>(arr(d, "urged").Size());
    ASSERT_GT(urged, 1) << dump(d);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), 1);
    const auto sends = stand_in_.sends();
    ASSERT_EQ(sends.size(), 1u);
    const std::string text = dingtalk() ? str(at(at(sends[0].body, "msg"), "markdown"), "text")
                                        : str(at(sends[0].body, "markdown"), "content");
    EXPECT_EQ(dingtalk() ? str(at(sends[0].body, "msg"), "msgtype") : str(sends[0].body, "msgtype"),
              "markdown");
    int links = 0;
    for (std::size_t pos = text.find("](" + kConsole + "/#/report?task="); pos != std::string::npos;
         pos = text.find("](" + kConsole + "/#/report?task=", pos + 1)) {
        ++links;
        // Whole: the link closes before its line ends.
        EXPECT_LT(text.find(')', pos), text.find('\n', pos)) << text.substr(pos);
    }
    // WeCom's markdown holds 2048 bytes: whole lines, then how many more there are.
    int more = 0;
    const auto rest = text.find("- 另有");
    if (rest != std::string::npos) {
        more = std::stoi(text.substr(rest + std::string("- 另有").size()));
    }
    EXPECT_EQ(links + more, urged) << text;
    EXPECT_GT(links, 0) << text;
    if (!dingtalk()) {
        EXPECT_LE(text.size(), 2048u);
    }
    EXPECT_TRUE(contains(text, "department=%E5%88%91%E5%BA%AD&period=2019-10")) << text;
}

TEST_P(PersonChannels, AHeadWaitingToApproveIsAskedToReviewAtTheHeadsStep) {
    const std::int64_t monday = court_ms(2019, 11, 4, 10, 0);
    stand_in_.know({"xt.contact", "xt.head", "xt.deputy"});
    open_plugin(
        host_, monday,
        config_json(db_, org_chart_with_ids(kIds), channel_json(platform(), stand_in_.url(), "")));
    act_as_xingting_contact(host_, "save_draft",
                            Req()
                                .s("progress_summary", "刑事审判流程标准初稿已形成。")
                                .s("measures", "逐项梳理流程节点")
                                .i("percent_complete", 40)
                                .raw("evidence", "[]")
                                .str());
    act_as_xingting_contact(host_, "submit", "");
    const std::int64_t thursday = court_ms(2019, 11, 7, 10, 0);
    call(thursday, "notify.sweep");
    for (int i = 0; i < 10 && num(deliver(thursday), "delivered") > 0; ++i) {
    }
    std::map<std::string, std::string> to_head;  // user ids → text of the approval reminder
    for (const auto& s : stand_in_.sends()) {
        const std::string users = users_of(s);
        if (users == (dingtalk() ? "dt-xt-head" : "xt.head") ||
            users == (dingtalk() ? "dt-xt-deputy" : "xt.deputy")) {
            to_head[users] = dingtalk() ? str(at(at(s.body, "msg"), "action_card"), "markdown")
                                        : str(at(s.body, "textcard"), "description");
        }
    }
    ASSERT_EQ(to_head.size(), 2u) << "both heads of 刑庭 hold the step";
    for (const auto& [users, text] : to_head) {
        EXPECT_TRUE(contains(text, "请审核（同意或退回）")) << users << ": " << text;
        EXPECT_FALSE(contains(text, "请填报")) << users << ": " << text;
    }
}

// ------------------------------------------------------------ the token

TEST_P(PersonChannels, OneTokenServesEveryMessageUntilItRunsOut) {
    open();
    urge_tasks(kNov8, 3);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), 3);
    EXPECT_EQ(stand_in_.token_calls(), 1);
    const auto sends = stand_in_.sends();
    ASSERT_EQ(sends.size(), 3u);
    for (const auto& s : sends) {
        EXPECT_EQ(s.token, sends[0].token);
    }
}

TEST_P(PersonChannels, ATokenIsFetchedAgainWhenItsExpiresInHasRunOut) {
    // A 2-second token is kept for 1 second (half a short lifetime is the margin): after
    // 1.5 seconds the plugin fetches a new one before sending, without being told.
    stand_in_.token_lifetime(2);
    open();
    const auto all = tasks();
    ASSERT_GE(all.size(), 2u);
    urge(kNov8, all[0]);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    urge(kNov8, all[1]);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), 1);
    EXPECT_EQ(stand_in_.token_calls(), 2);
    const auto sends = stand_in_.sends();
    ASSERT_EQ(sends.size(), 2u);  // no send was refused for an old token
    EXPECT_NE(sends[1].token, sends[0].token);
}

TEST_P(PersonChannels, AnExpiredTokenIsFetchedAgainOnceAndTheSendRepeated) {
    open();
    const auto all = tasks();
    ASSERT_GE(all.size(), 2u);
    urge(kNov8, all[0]);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), 1);
    stand_in_.expire_tokens();
    urge(kNov8, all[1]);
    const Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "delivered"), 1) << dump(d);
    EXPECT_EQ(num(d, "retried"), 0) << dump(d);
    EXPECT_EQ(stand_in_.token_calls(), 2);
    const auto sends = stand_in_.sends();
    ASSERT_EQ(sends.size(), 3u);  // the first message; the second with the old token, then anew
    EXPECT_EQ(sends[1].token, sends[0].token);
    EXPECT_NE(sends[2].token, sends[1].token);
    EXPECT_EQ(dump(sends[2].body), dump(sends[1].body));
}

TEST_P(PersonChannels, ATokenRejectedTwiceIsRetriedLaterNotRefreshedInALoop) {
    open();
    urge(kNov8);
    // Every token the stand-in issues is rejected as invalid.
    stand_in_.send_replies({R"({"errcode":40014,"errmsg":"invalid access_token"})",
                            R"({"errcode":40014,"errmsg":"invalid access_token"})"});
    const Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "retried"), 1) << dump(d);
    EXPECT_EQ(stand_in_.token_calls(), 2);
    EXPECT_EQ(stand_in_.sends().size(), 2u);
    // Later it is good again.
    EXPECT_EQ(num(deliver(kNov8 + 60000), "delivered"), 1);
}

TEST_P(PersonChannels, ATokenCallThatFailsIsRetriedAndWrongCredentialsAreADeadLetter) {
    open();
    urge(kNov8, "33");
    stand_in_.token_replies({{500, "busy"}, {200, R"({"errcode":-1,"errmsg":"系统繁忙"})"}});
    Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "retried"), 1) << dump(d);
    EXPECT_TRUE(stand_in_.sends().empty());
    d = deliver(kNov8 + 60000);
    EXPECT_EQ(num(d, "retried"), 1) << dump(d);
    d = deliver(kNov8 + 120000);
    EXPECT_EQ(num(d, "delivered"), 1) << dump(d);
    EXPECT_EQ(stand_in_.sends().size(), 1u);

    // The platform refuses the app's key and secret: no retry mends that.
    TempDir other;
    StandIn wrong(platform());
    PluginHost host;
    const std::string bad = dingtalk()
                                ? R"({"errcode":40089,"errmsg":"不合法的corpid或corpsecret"})"
                                : R"({"errcode":40001,"errmsg":"invalid credential"})";
    wrong.token_replies({{200, bad}});
    open_plugin(host, kNov8,
                config_json(other.file("l.db"), org_chart_with_ids(kIds),
                            channel_json(platform(), wrong.url(), "")));
    host.call("urge", Req()
                          .s("task", "33")
                          .s("department", "刑庭")
                          .s("period", "2019-10")
                          .s("actor", kOffice)
                          .str());
    testing::internal::CaptureStderr();
    const Doc r = parse_json(host.call("notify.deliver"));
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(num(r, "dead"), 1) << dump(r);
    const Doc letters = parse_json(host.call("notify.dead"));
    ASSERT_EQ(arr(letters, "dead").Size(), 1u);
    const std::string error = str(arr(letters, "dead")[0], "last_error");
    EXPECT_TRUE(contains(error, "access token")) << error;
    EXPECT_TRUE(contains(error, dingtalk() ? "40089" : "40001")) << error;
    EXPECT_TRUE(contains(error, dingtalk() ? "app_key and app_secret" : "corp_id and corp_secret"))
        << error;
    for (const std::string& text : {error, log}) {
        EXPECT_FALSE(contains(text, kAppSecret)) << text;
        EXPECT_FALSE(contains(text, kCorpSecret)) << text;
    }
}

// ------------------------------------------------------------ limits

TEST_P(PersonChannels, TooFrequentRepliesAreTriedAgainLaterWithoutUsingUpAttempts) {
    open();
    urge(kNov8);
    const std::string too_frequent =
        dingtalk() ? R"({"errcode":90018,"errmsg":"当前企业的该API调用频率超过限制"})"
                   : R"({"errcode":45009,"errmsg":"api freq out of limit"})";
    // More throttled answers than max_attempts (3): the message still arrives.
    stand_in_.send_replies({too_frequent, too_frequent, too_frequent, too_frequent});
    std::int64_t at = kNov8;
    for (int i = 0; i < 4; ++i) {
        const Doc d = deliver(at);
        EXPECT_EQ(num(d, "paced"), 1) << i << ": " << dump(d);
        EXPECT_EQ(num(d, "dead"), 0) << dump(d);
        EXPECT_EQ(num(deliver(at + 30000), "paced") + num(deliver(at + 30000), "delivered"), 0)
            << "waits a minute";
        at += 60000;
    }
    EXPECT_EQ(num(deliver(at), "delivered"), 1);
    EXPECT_EQ(stand_in_.sends().size(), 5u);
    EXPECT_EQ(arr(dead(), "dead").Size(), 0u);
}

TEST_P(PersonChannels, ThePerMinuteCapHoldsMessagesBackUntilTheMinuteHasPassed) {
    open(R"(,"per_minute":2)");
    urge_tasks(kNov8, 3);
    Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "delivered"), 2) << dump(d);
    EXPECT_EQ(num(d, "paced"), 1) << dump(d);
    d = deliver(kNov8 + 59000);
    EXPECT_EQ(num(d, "delivered"), 0) << dump(d);
    d = deliver(kNov8 + 60000);
    EXPECT_EQ(num(d, "delivered"), 1) << dump(d);
    EXPECT_EQ(stand_in_.sends().size(), 3u);
}

TEST_P(PersonChannels, ThePerDayCapHoldsMessagesUntilTheNextCourtDay) {
    open(R"(,"per_day":2,"per_minute":0)");
    urge_tasks(kNov8, 3);
    Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "delivered"), 2) << dump(d);
    EXPECT_EQ(num(d, "paced"), 1) << dump(d);
    // Still Friday in court time (23:59), then Saturday 00:00.
    d = deliver(court_ms(2019, 11, 8, 23, 59));
    EXPECT_EQ(num(d, "delivered"), 0) << dump(d);
    d = deliver(court_ms(2019, 11, 9, 0, 0));
    EXPECT_EQ(num(d, "delivered"), 1) << dump(d);
    EXPECT_EQ(stand_in_.sends().size(), 3u);
}

TEST_P(PersonChannels, ThePerDayCapCountsWhatWasSentBeforeARestart) {
    open(R"(,"per_day":2,"per_minute":0)");
    const auto all = tasks();
    ASSERT_GE(all.size(), 3u);
    urge(kNov8, all[0]);
    urge(kNov8, all[1]);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), 2);
    host_.shutdown();
    PluginHost again;
    again.set_clock(kNov8 + 3600000);
    again.load(RL_PLUGIN_PATH);
    again.create(
        config_json(db_, org_chart_with_ids(kIds),
                    channel_json(platform(), stand_in_.url(), R"(,"per_day":2,"per_minute":0)")));
    again.call("urge", Req()
                           .s("task", all[2])
                           .s("department", "刑庭")
                           .s("period", "2019-10")
                           .s("actor", kOffice)
                           .str());
    const Doc d = parse_json(again.call("notify.deliver"));
    EXPECT_EQ(num(d, "delivered"), 0) << dump(d);
    EXPECT_EQ(num(d, "paced"), 1) << dump(d);
}

// ------------------------------------------------------------ who is reached

TEST_P(PersonChannels, APersonWithoutAUserIdIsADeadLetterThatSaysWhatToAdd) {
    // 刑庭's contact has no id on either platform.
    auto ids = kIds;
    ids.erase("u-xingting-contact");
    open("", ids);
    urge(kNov8);
    const Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "dead"), 1) << dump(d);
    EXPECT_EQ(stand_in_.token_calls(), 0);
    EXPECT_TRUE(stand_in_.sends().empty());
    const Doc letters = dead();
    ASSERT_EQ(arr(letters, "dead").Size(), 1u);
    const std::string error = str(arr(letters, "dead")[0], "last_error");
    EXPECT_TRUE(contains(error, "u-xingting-contact")) << error;
    EXPECT_TRUE(contains(error, dingtalk() ? "dingtalk_userid" : "wecom_userid")) << error;
    EXPECT_TRUE(contains(error, "notify.requeue")) << error;
}

TEST(PersonChannelsWecom, AUserWeComDoesNotKnowIsADeadLetterNamingTheId) {
    TempDir dir;
    StandIn stand_in(Platform::wecom);
    stand_in.know({"xt.head"});  // not the contact
    PluginHost host;
    open_plugin(host, kNov8,
                config_json(dir.file("l.db"), org_chart_with_ids(kIds),
                            channel_json(Platform::wecom, stand_in.url(), "")));
    host.call("urge", Req()
                          .s("task", "33")
                          .s("department", "刑庭")
                          .s("period", "2019-10")
                          .s("actor", kOffice)
                          .str());
    const Doc d = parse_json(host.call("notify.deliver"));
    EXPECT_EQ(num(d, "dead"), 1) << dump(d);
    const Doc letters = parse_json(host.call("notify.dead"));
    ASSERT_EQ(arr(letters, "dead").Size(), 1u);
    const std::string error = str(arr(letters, "dead")[0], "last_error");
    EXPECT_TRUE(contains(error, "81013")) << error;
    EXPECT_TRUE(contains(error, "xt.contact")) << error;
}

INSTANTIATE_TEST_SUITE_P(Platforms, PersonChannels,
                         ::testing::Values(Platform::dingtalk, Platform::wecom),
                         [](const ::testing::TestParamInfo<Platform>& info) {
                             return info.param == Platform::dingtalk ? "DingTalkWorkNotice"
                                                                     : "WeComAppMessage";
                         });

// ------------------------------------------------------------ configuration

class PersonChannelConfig : public ::testing::Test {
protected:
    // The create() error for these channels ("" when it succeeds).
    std::string create_error(const std::string& channel, const std::string& console = kConsole) {
        PluginHost host;
        host.set_clock(kNov8);
        host.load(RL_PLUGIN_PATH);
        const std::string config =
            config_json(dir_.file("c.db"), org_chart_with_ids(kIds), channel, console);
        std::string message;
        status_of([&] { host.create(config); }, &message);
        return message;
    }
    TempDir dir_;
};

TEST_F(PersonChannelConfig, MissingCredentialsOrAgentIdAndBadUrlsAreClearErrors) {
    const auto expect_error = [&](const std::string& channel, const std::string& where,
                                  const std::string& what, const std::string& console = kConsole) {
        const std::string e = create_error(channel, console);
        EXPECT_TRUE(contains(e, where)) << e;
        EXPECT_TRUE(contains(e, what)) << e;
        EXPECT_FALSE(contains(e, kAppSecret)) << e;
        EXPECT_FALSE(contains(e, kCorpSecret)) << e;
    };
    expect_error(R"({"name":"dt","kind":"dingtalk_work_notice","app_secret":")" + kAppSecret +
                     R"(","agent_id":1})",
                 "notifications.channels[0].app_key", "app_key");
    expect_error(R"({"name":"dt","kind":"dingtalk_work_notice","app_key":"k","agent_id":1})",
                 "notifications.channels[0].app_secret", "app_secret");
    expect_error(R"({"name":"dt","kind":"dingtalk_work_notice","app_key":"k","app_secret":")" +
                     kAppSecret + R"("})",
                 "notifications.channels[0].agent_id", "agent_id");
    expect_error(R"({"name":"wx","kind":"wecom_app_message","corp_id":"c","corp_secret":")" +
                     kCorpSecret + R"(","agent_id":"10x"})",
                 "notifications.channels[0].agent_id", "positive whole number");
    expect_error(R"({"name":"wx","kind":"wecom_app_message","corp_secret":")" + kCorpSecret +
                     R"(","agent_id":1})",
                 "notifications.channels[0].corp_id", "corp_id");
    expect_error(R"({"name":"wx","kind":"wecom_app_message","corp_id":"c","corp_secret":")" +
                     kCorpSecret + R"(","agent_id":1,"url":"ftp://qyapi.weixin.qq.com"})",
                 "notifications.channels[0].url", "http://");
    expect_error(R"({"name":"wx","kind":"wecom_app_message","corp_id":"c","corp_secret":")" +
                     kCorpSecret + R"(","agent_id":1,"url":"https://qyapi.weixin.qq.com/?x=1"})",
                 "notifications.channels[0].url", "no query");
    // A robot's "secret" is not an app's: the app channel names its own keys.
    expect_error(R"({"name":"dt","kind":"dingtalk_work_notice","app_key":"k","app_secret":"s",)"
                 R"("agent_id":1,"secret":"SECabc"})",
                 "notifications.channels[0]", "secret");
    expect_error(channel_json(Platform::dingtalk, "http://127.0.0.1:9", ""),
                 "notifications.console_base_url", "http://", "oa.court.test/ledger");
    // Well formed: the defaults are the platforms' own API roots.
    EXPECT_EQ(create_error(R"({"name":"dt","kind":"dingtalk_work_notice","app_key":"k",)"
                           R"("app_secret":"s","agent_id":"42"})"),
              "");
}

TEST_F(PersonChannelConfig, UserIdsInTheOrgChartAreCheckedAndShownByOrgChart) {
    PluginHost host;
    host.set_clock(kNov8);
    host.load(RL_PLUGIN_PATH);
    host.create(config_json(dir_.file("o.db"), org_chart_with_ids(kIds),
                            channel_json(Platform::dingtalk, "http://127.0.0.1:9", "")));
    const Doc chart = parse_json(host.call("org.chart"));
    int with_ids = 0;
    for (const auto& p : arr(chart, "people").GetArray()) {
        if (str(p, "id") == "u-xingting-head") {
            EXPECT_EQ(str(p, "dingtalk_userid"), "dt-xt-head");
            EXPECT_EQ(str(p, "wecom_userid"), "xt.head");
        }
        with_ids += p.HasMember("dingtalk_userid") ? 1 : 0;
    }
    EXPECT_EQ(with_ids, 3);
    host.shutdown();

    auto bad = kIds;
    bad["u-xingting-head"] = {"two,people", ""};
    PluginHost other;
    other.set_clock(kNov8);
    other.load(RL_PLUGIN_PATH);
    std::string message;
    EXPECT_NE(status_of(
                  [&] {
                      other.create(
                          config_json(dir_.file("p.db"), org_chart_with_ids(bad),
                                      channel_json(Platform::dingtalk, "http://127.0.0.1:9", "")));
                  },
                  &message),
              RL_OK);
    EXPECT_TRUE(contains(message, "dingtalk_userid")) << message;
}

}  // namespace

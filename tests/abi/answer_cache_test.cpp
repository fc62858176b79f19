// Kept answers (issue 11, item 6): ledger.tasks, ledger.summary and
// ledger.status give an answer again while the request, the court's day and
// the ledger's change count are the same — never one from before a write the
// reader can see, whoever wrote it. The keeping instance is compared with an
// instance on the same ledger that keeps nothing (database.answer_cache_mb 0),
// so each check says "the same answer as computing it now".
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "abi/answer_cache.h"
#include "abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::abi::AnswerCache;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

// plugin_config(db) with database.answer_cache_mb set.
std::string config_keeping(const std::string& db, int megabytes) {
    Doc config = parse_json(rl::test::plugin_config(db));
    auto& database = config["database"];
    database.RemoveMember("answer_cache_mb");
    database.AddMember("answer_cache_mb", megabytes, config.GetAllocator());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    config.Accept(writer);
    return out.GetString();
}

std::uint64_t figure(PluginHost& host, const char* name) {
    const Doc info = parse_json(host.call("plugin.info", "{}"));
    return at(info, "answer_cache")[name].GetUint64();
}

class KeptAnswers : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        // Monday 2019-11-04: the 2019-10 reports are due, nothing is late yet.
        open_plugin(keeping_, court_ms(2019, 11, 4, 10), config_keeping(db_, 32));
        computing_.set_clock(court_ms(2019, 11, 4, 10));
        computing_.load(RL_PLUGIN_PATH);
        computing_.create(config_keeping(db_, 0));
    }

    // The reads that keep their answers, as people make them.
    std::vector<std::pair<std::string, std::string>> reads() const {
        return {
            {"ledger.tasks", Req().s("period", "2019-10").str()},
            {"ledger.tasks", Req().s("period", "2019-10").s("department", "刑庭").str()},
            {"ledger.summary", "{}"},
            {"ledger.status", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()},
        };
    }

    std::vector<std::string> answers(PluginHost& host) {
        std::vector<std::string> out;
        for (const auto& [method, request] : reads()) {
            out.push_back(host.call(method, request));
        }
        return out;
    }

    // The keeping instance answers every read as computing it now does.
    void expect_current(const std::string& when) {
        const auto kept = answers(keeping_);
        const auto computed = answers(computing_);
        for (std::size_t i = 0; i < kept.size(); ++i) {
            EXPECT_EQ(kept[i], computed[i]) << reads()[i].first << " " << reads()[i].second
                                            << ": the kept answer is stale " << when;
        }
    }

    // With every read's answer kept, 刑庭's contact drafts and submits the
    // report on task 33 through writer; the keeping instance's next answers
    // show it.
    void expect_seen_after_a_report_through(PluginHost& writer, const std::string& whose) {
        const auto before = answers(keeping_);
        answers(keeping_);
        ASSERT_EQ(figure(keeping_, "hits"), reads().size());
        act_as_xingting_contact(
            writer, "save_draft",
            Req().s("progress_summary", "初稿").i("percent_complete", 10).str());
        act_as_xingting_contact(writer, "submit");
        const auto after = answers(keeping_);
        EXPECT_NE(after[3], before[3]) << "ledger.status shows 刑庭's submitted report";
        expect_current("after " + whose);
    }

    TempDir dir_;
    std::string db_;
    PluginHost keeping_;
    PluginHost computing_;
};

TEST_F(KeptAnswers, AnUnchangedLedgerIsAnsweredFromMemoryWithTheComputedAnswer) {
    const auto first = answers(keeping_);
    const std::uint64_t misses = figure(keeping_, "misses");
    EXPECT_EQ(misses, reads().size()) << "the first call of each read computes it";
    EXPECT_EQ(figure(keeping_, "hits"), 0u);
    const auto second = answers(keeping_);
    EXPECT_EQ(second, first);
    EXPECT_EQ(figure(keeping_, "hits"), reads().size()) << "the second call of each is kept";
    EXPECT_EQ(figure(keeping_, "misses"), misses);
    EXPECT_EQ(figure(keeping_, "answers"), reads().size());
    EXPECT_GT(figure(keeping_, "bytes"), first[0].size());
    EXPECT_EQ(figure(keeping_, "limit_bytes"), 32u << 20);
    EXPECT_EQ(answers(computing_), first);
    EXPECT_EQ(figure(computing_, "answers"), 0u) << "answer_cache_mb 0 keeps nothing";
    EXPECT_EQ(figure(computing_, "hits"), 0u);
}

TEST_F(KeptAnswers, ThisInstancesWriteIsSeenByItsNextRead) {
    expect_seen_after_a_report_through(keeping_, "this instance's report.act");
}

// An OA cluster's other node, or an oa-stub beside the host, writes to the
// same ledger: the count it raised is what the next read sees.
TEST_F(KeptAnswers, AnotherInstancesWriteIsSeenByTheNextRead) {
    expect_seen_after_a_report_through(computing_, "another instance's report.act");

    // A sweep (another process's, opening the month and queueing reminders).
    computing_.call("notify.sweep", "{}");
    expect_current("after another instance's sweep");
}

TEST_F(KeptAnswers, ANewCourtDayIsComputedAfresh) {
    const auto monday = answers(keeping_);
    answers(keeping_);
    // Friday 2019-11-08: the 2019-10 reports are a working day overdue.
    keeping_.set_clock(court_ms(2019, 11, 8, 10));
    computing_.set_clock(court_ms(2019, 11, 8, 10));
    const auto friday = answers(keeping_);
    EXPECT_NE(friday[3], monday[3]) << "ledger.status says which day it is";
    EXPECT_NE(friday[0], monday[0]) << "ledger.tasks' colours count days from today";
    expect_current("on a new court day");
    // Back on Monday (the host's clock may be set back): Monday's answers.
    keeping_.set_clock(court_ms(2019, 11, 4, 10));
    EXPECT_EQ(answers(keeping_), monday);
}

TEST_F(KeptAnswers, EveryWriteTransactionRaisesTheChangeCountAndNoReadDoes) {
    const auto count = [this] {
        return std::stoll(
            rl::test::sql_rows(db_, "SELECT version FROM ledger_changes", true).at(0).at(0));
    };
    const long long imported = count();
    EXPECT_GT(imported, 0) << "importing the plan wrote";
    answers(keeping_);
    answers(computing_);
    keeping_.call("obligations.list", Req().s("user", "u-sigaiban-head").str());
    EXPECT_EQ(count(), imported) << "a read raised the change count";
    // A delivery round with nothing due (an idle worker's poll) changes no row.
    const Doc idle = parse_json(computing_.call("notify.deliver", "{}"));
    EXPECT_EQ(num(idle, "delivered"), 0) << dump(idle);
    EXPECT_EQ(count(), imported) << "a write transaction that changed nothing raised the count";
    const std::uint64_t hits = figure(keeping_, "hits");
    answers(keeping_);
    EXPECT_EQ(figure(keeping_, "hits"), hits + reads().size());
    act_as_xingting_contact(keeping_, "save_draft",
                            Req().s("progress_summary", "初稿").i("percent_complete", 10).str());
    const long long drafted = count();
    EXPECT_GT(drafted, imported);
    act_as_xingting_contact(computing_, "submit");
    EXPECT_GT(count(), drafted) << "another instance's write";
}

// What the tables' owner changes by hand is the owner's to announce: the
// plugin sees it once the change count is raised (docs/abi.md,
// database.answer_cache_mb).
TEST_F(KeptAnswers, AChangeMadeBehindThePluginsBackIsSeenOnceTheCountIsRaised) {
    const std::string before = keeping_.call("ledger.tasks", Req().s("period", "2019-10").str());
    ASSERT_FALSE(contains(before, "（改）"));
    rl::test::sql_exec(db_, "UPDATE tasks SET title = title || '（改）' WHERE number = '33'");
    rl::test::sql_exec(db_, "UPDATE ledger_changes SET version = version + 1");
    const std::string after = keeping_.call("ledger.tasks", Req().s("period", "2019-10").str());
    EXPECT_TRUE(contains(after, "（改）")) << "the raised count did not reach the kept answer";
    EXPECT_EQ(keeping_.call("ledger.summary", "{}"), computing_.call("ledger.summary", "{}"));
    EXPECT_EQ(after, computing_.call("ledger.tasks", Req().s("period", "2019-10").str()));
}

TEST_F(KeptAnswers, TheKeptAnswersStayWithinTheirLimit) {
    PluginHost small;
    small.set_clock(court_ms(2019, 11, 4, 10));
    small.load(RL_PLUGIN_PATH);
    small.create(config_keeping(db_, 1));
    // The whole ledger (about 100 KB) for each month of 2019: twelve answers
    // of their own, more than 1 MB together.
    std::size_t total = 0;
    for (int round = 0; round < 2; ++round) {
        for (int month = 1; month <= 12; ++month) {
            const std::string request =
                Req()
                    .s("period",
                       "2019-" + std::string(month < 10 ? "0" : "") + std::to_string(month))
                    .str();
            const std::string answer = small.call("ledger.tasks", request);
            EXPECT_EQ(answer, computing_.call("ledger.tasks", request)) << request;
            EXPECT_LE(figure(small, "bytes"), std::uint64_t{1} << 20);
            total += round == 0 ? answer.size() : 0;
        }
    }
    EXPECT_GT(total, std::size_t{1} << 20) << "the twelve answers fit in 1 MB: a test of nothing";
    EXPECT_EQ(figure(small, "limit_bytes"), std::uint64_t{1} << 20);
    EXPECT_LT(figure(small, "answers"), 12u) << "twelve answers of over 1 MB were all kept";
    EXPECT_GT(figure(small, "answers"), 0u);
    EXPECT_EQ(figure(small, "hits"), 0u)
        << "going round the twelve months, the least recently used is always the one gone";
}

// The outbox's own bookkeeping — a message's claim, its attempts and its
// outcome — is not the ledger: delivering reminders leaves the ledger's change
// count, and so the kept answers of the ledger's pages, as they were.
TEST(KeptAnswersAndDelivery, DeliveringRemindersLeavesTheChangeCountAndTheKeptAnswers) {
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    oa_stub::MessageReceiver receiver(kSecret);
    receiver.start();
    Doc config = parse_json(config_keeping(db, 32));
    Doc notifications = parse_json(
        "{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" + q(receiver.url()) +
        ",\"secret\":" + q(kSecret) + "}],\"worker\":{\"enabled\":false}}");
    config.AddMember("notifications", rapidjson::Value(notifications, config.GetAllocator()),
                     config.GetAllocator());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    config.Accept(writer);
    PluginHost host;
    // Friday 2019-11-08: the 2019-10 reports are a working day overdue.
    open_plugin(host, court_ms(2019, 11, 8, 10), out.GetString());
    const Doc swept = parse_json(host.call("notify.sweep", "{}"));
    ASSERT_GT(num(swept, "messages_queued"), 0) << dump(swept);

    const auto count = [&db] {
        return std::stoll(
            rl::test::sql_rows(db, "SELECT version FROM ledger_changes", true).at(0).at(0));
    };
    const std::string request = Req().s("period", "2019-10").str();
    const std::string before = host.call("ledger.tasks", request);
    const long long counted = count();
    const std::uint64_t hits = figure(host, "hits");

    const Doc delivered = parse_json(host.call("notify.deliver", "{}"));
    ASSERT_GT(num(delivered, "delivered"), 0) << dump(delivered);
    EXPECT_GE(receiver.arrivals().size(), static_cast<std::size_t>(num(delivered, "delivered")));
    EXPECT_EQ(count(), counted) << "delivering raised the ledger's change count";
    EXPECT_EQ(host.call("ledger.tasks", request), before);
    EXPECT_EQ(figure(host, "hits"), hits + 1) << "the kept answer was dropped by a delivery";

    // A write of the ledger's own still raises it.
    act_as_xingting_contact(host, "save_draft",
                            Req().s("progress_summary", "初稿").i("percent_complete", 10).str());
    EXPECT_GT(count(), counted);
}

TEST(KeptAnswersConfiguration, AnAnswerCacheSizeOutOfRangeIsRefusedNamingIt) {
    TempDir dir;
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    std::string message;
    const rl_status status =
        status_of([&] { host.create(config_keeping(dir.file("ledger.db"), -1)); }, &message);
    EXPECT_EQ(status, RL_ERR_CONFIG) << message;
    EXPECT_TRUE(contains(message, "database.answer_cache_mb")) << message;
}

// The cache itself, without a ledger.
TEST(AnswerCacheUnit, AnAnswerIsGivenOnlyAtTheCountItWasKeptAt) {
    AnswerCache cache(1 << 20);
    cache.keep("k", 7, std::make_shared<const std::string>("answer"));
    ASSERT_NE(cache.find("k", 7), nullptr);
    EXPECT_EQ(*cache.find("k", 7), "answer");
    EXPECT_EQ(cache.find("k", 8), nullptr) << "a newer count";
    EXPECT_EQ(cache.find("k", 7), nullptr) << "the stale answer was dropped";
    EXPECT_EQ(cache.figures().entries, 0u);
    EXPECT_EQ(cache.figures().bytes, 0u);
    EXPECT_EQ(cache.figures().hits, 2u);
    EXPECT_EQ(cache.figures().misses, 2u);
}

TEST(AnswerCacheUnit, TheLeastRecentlyUsedAnswerGoesFirstAndNoneBiggerThanTheLimitIsKept) {
    AnswerCache cache(1000);
    const auto answer = [](char c) { return std::make_shared<const std::string>(300, c); };
    cache.keep("a", 1, answer('a'));
    cache.keep("b", 1, answer('b'));
    ASSERT_NE(cache.find("a", 1), nullptr);  // a is now the more recently used
    cache.keep("c", 1, answer('c'));         // 3 × (300 + keys + 128) > 1000: b goes
    EXPECT_NE(cache.find("a", 1), nullptr);
    EXPECT_EQ(cache.find("b", 1), nullptr);
    EXPECT_NE(cache.find("c", 1), nullptr);
    EXPECT_LE(cache.figures().bytes, 1000u);
    cache.keep("huge", 1, std::make_shared<const std::string>(2000, 'h'));
    EXPECT_EQ(cache.find("huge", 1), nullptr);
    EXPECT_NE(cache.find("a", 1), nullptr) << "a refused answer drops nothing else";
    cache.keep("a", 2, answer('A'));
    EXPECT_EQ(*cache.find("a", 2), std::string(300, 'A')) << "a newer answer replaces the older";
    EXPECT_EQ(cache.figures().entries, 2u);
    AnswerCache off(0);
    EXPECT_FALSE(off.enabled());
    off.keep("a", 1, answer('a'));
    EXPECT_EQ(off.find("a", 1), nullptr);
}

}  // namespace

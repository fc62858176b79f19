// Several plugin instances on one ledger, as an OA cluster's application
// nodes run them: three real processes (cluster_worker, each loading the
// real plugin with dlopen) sweep, deliver to a real receiver over
// 127.0.0.1 (the stub host's MessageReceiver, which verifies signatures and
// counts duplicates) and act on reports at random, for ten simulated days,
// on one SQLite file or one PostgreSQL schema (RL_TEST_BACKEND=postgresql
// with RL_TEST_POSTGRES_URL; skipped without the URL). Then: every due
// reminder was queued once and none is left unqueued, every queued message
// arrived exactly once, every report action that returned ok is in the audit
// trail exactly once, audit.verify passes, and each month's obligations are
// there once each. A variant has one node kill itself with SIGKILL a few
// milliseconds into a delivery round and starts it again: then at most the
// message that was on the wire may arrive twice. Another checks that a
// robot channel's per-minute cap holds for the three nodes together.
//
// The run is bounded by steps, not by time: the nodes advance through the
// days in lockstep (cluster_worker.cpp), so a loaded machine only makes it
// slower, and every wait has a generous deadline that fails the test.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "abi/abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "support/test_support.h"
#include "transport/loopback_server.h"

extern char** environ;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)
using oa_stub::PluginHost;
using rl::test::SqlRows;
using rl::test::TempDir;

constexpr int kWorkers = 3;
constexpr int kDays = 10;   // 2019-11-04 … 2019-11-13; the drain on 11-14
constexpr int kSteps = 12;  // random steps a node takes each day
constexpr int kObligations = 148;
const std::int64_t kFirstDay = court_ms(2019, 11, 4, 9, 0);
const std::int64_t kLastDay = court_ms(2019, 11, 4 + kDays - 1, 9, 0);

bool on_postgresql() {
    const char* backend = std::getenv("RL_TEST_BACKEND");
    return backend != nullptr && std::string(backend) == "postgresql";
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(text);
    while (std::getline(in, field, separator)) {
        out.push_back(field);
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

class Cluster : public ::testing::Test {
protected:
    void SetUp() override {
        if (on_postgresql() && std::getenv("RL_TEST_POSTGRES_URL") == nullptr) {
            GTEST_SKIP() << "RL_TEST_POSTGRES_URL is not set: the PostgreSQL variant needs a "
                            "server (scripts/test.sh --postgres starts a throwaway cluster)";
        }
        receiver_.start();
    }

    // Writes the nodes' configuration with this "notifications" member, and
    // imports the plan once, before the nodes start (as an OA's administrator
    // imports it). Without one: a webhook channel to the receiver.
    void prepare(std::string notifications = "") {
        if (notifications.empty()) {
            notifications = "{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" +
                            q(receiver_.url()) + ",\"secret\":" + q(kSecret) +
                            "}],\"worker\":{\"enabled\":false}}";
        }
        std::string config = rl::test::plugin_config(
            db_,
            "{\"lead_rule\":\"first_listed\",\"reporting\":{\"cycle\":\"monthly\","
            "\"due_working_day\":5}}");
        config.pop_back();  // the closing brace: the notifications go in too
        config += ",\"notifications\":" + notifications + "}";
        rl::test::write_file(config_path_, config);
        const Doc parsed = parse_json(config);
        if (on_postgresql()) {
            url_ = str(at(parsed, "database"), "url");
            schema_ = str(at(parsed, "database"), "schema");
        }
        PluginHost host;
        open_plugin(host, kFirstDay, config);
        host.shutdown();
    }

    // The ledger's rows for sql, as text, from its own connection.
    SqlRows rows(const std::string& sql) {
        if (!on_postgresql()) {
            return rl::test::sql_rows(db_, sql, true);
        }
        const auto r =
            rl::test::run_command("psql -X -A -t -q -v ON_ERROR_STOP=1 -F \"$(printf '\\037')\" " +
                                  rl::test::shell_quote(url_) + " -c " +
                                  rl::test::shell_quote("SET search_path TO " + schema_) + " -c " +
                                  rl::test::shell_quote(sql));
        if (r.status != 0) {
            throw std::runtime_error("psql failed on " + sql + ": " + r.err);
        }
        SqlRows out;
        for (const auto& line : split(r.out, '\n')) {
            if (!line.empty()) {
                out.push_back(split(line + '\037', '\037'));
            }
        }
        return out;
    }
    int count(const std::string& sql) {
        const auto r = rows(sql);
        return r.empty() || r[0].empty() ? -1 : std::stoi(r[0][0]);
    }

    pid_t spawn(int index, int die_on_day = -1) {
        const std::string out = dir_.file("worker." + std::to_string(index) + ".log");
        std::vector<std::string> args = {RL_CLUSTER_WORKER,
                                         config_path_,
                                         work_.path(),
                                         std::to_string(index),
                                         std::to_string(kWorkers),
                                         std::to_string(1000 + index),
                                         std::to_string(kDays),
                                         std::to_string(kSteps)};
        if (die_on_day >= 0) {
            args.push_back(std::to_string(die_on_day));
        }
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        pid_t pid = 0;
        const int rc =
            posix_spawn(&pid, RL_CLUSTER_WORKER, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            throw std::runtime_error("cannot start " + std::string(RL_CLUSTER_WORKER));
        }
        return pid;
    }

    std::string log_of(int index) {
        return rl::test::read_file(dir_.file("worker." + std::to_string(index) + ".log"));
    }

    int progress_of(int index) {
        const auto l = lines_of(work_.file("progress." + std::to_string(index)));
        return l.empty() ? -1 : std::stoi(l[0]);
    }

    // Waits for each node to exit (bounded); expects each to exit 0.
    void wait_all(std::vector<pid_t> pids) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
        std::vector<bool> done(pids.size(), false);
        for (std::size_t finished = 0; finished < pids.size();) {
            for (std::size_t i = 0; i < pids.size(); ++i) {
                int status = 0;
                if (!done[i] && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
                    done[i] = true;
                    ++finished;
                    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
                        << "node " << i << " ended with status " << status << ":\n"
                        << log_of(static_cast<int>(i));
                }
            }
            if (std::chrono::steady_clock::now() > deadline) {
                for (std::size_t i = 0; i < pids.size(); ++i) {
                    if (!done[i]) {
                        kill(pids[i], SIGKILL);
                        waitpid(pids[i], nullptr, 0);
                    }
                }
                FAIL() << "the nodes did not finish within 300 s";
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    // Runs the three nodes; with kill_one, node 1 kills itself with SIGKILL a
    // few milliseconds into a delivery round on day 4 and is started again.
    void run(bool kill_one) {
        std::vector<pid_t> pids;
        for (int i = 0; i < kWorkers; ++i) {
            pids.push_back(spawn(i, kill_one && i == 1 ? 4 : -1));
        }
        if (kill_one) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
            int status = 0;
            pid_t ended = 0;
            while ((ended = waitpid(pids[1], &status, WNOHANG)) == 0 &&
                   std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            ASSERT_EQ(ended, pids[1]) << "node 1 did not reach day 4:\n" << log_of(1);
            EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
                << "node 1 ended otherwise than killed: " << status << "\n"
                << log_of(1);
            EXPECT_EQ(progress_of(1), 12) << "node 1 died in day 4's mixed stage";
            pids[1] = spawn(1);
        }
        wait_all(pids);
    }

    // Everything the nodes say they did, and what the ledger and the
    // receiver hold, checked against each other.
    void check(bool one_killed) {
        for (int i = 0; i < kWorkers; ++i) {
            ASSERT_EQ(progress_of(i), 3 * kDays) << "node " << i << " did not finish";
        }

        // Obligations: each month opened holds every assignment once.
        for (const auto& r :
             rows("SELECT period, COUNT(*), COUNT(DISTINCT assignment_id) FROM obligations "
                  "GROUP BY period ORDER BY period")) {
            EXPECT_EQ(r[1], std::to_string(kObligations)) << "obligations of " << r[0];
            EXPECT_EQ(r[1], r[2]) << "an obligation of " << r[0] << " is doubled";
        }
        EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE period = '2019-10'"), kObligations);

        // The sweeps: what they say they queued is what the outbox holds.
        int new_items = 0, sweeps = 0;
        for (int i = 0; i < kWorkers; ++i) {
            for (const auto& line : lines_of(work_.file("sweeps." + std::to_string(i)))) {
                new_items += std::stoi(split(line, '\t').at(1));
                ++sweeps;
            }
        }
        EXPECT_GE(sweeps, 2 * kWorkers * kDays);
        const int items = count("SELECT COUNT(*) FROM notification_items");
        EXPECT_GT(items, 0);
        if (one_killed) {
            // A sweep that committed just before the kill has no line.
            EXPECT_LE(new_items, items);
        } else {
            EXPECT_EQ(new_items, items) << "sweeps counted an item twice or queued it twice";
        }
        // Nothing due is left unqueued: another sweep on the last day, after
        // every node's end-of-day sweep, finds nothing new.
        {
            PluginHost host;
            host.set_clock(kLastDay);
            host.load(RL_PLUGIN_PATH);
            host.create(rl::test::read_file(config_path_));
            const Doc s = parse_json(host.call("notify.sweep"));
            EXPECT_EQ(num(s, "new_items"), 0) << dump(s);
            EXPECT_EQ(num(s, "messages_queued"), 0) << dump(s);
            const Doc v = parse_json(host.call("audit.verify"));
            EXPECT_TRUE(at(v, "ok").GetBool()) << dump(v);
            host.shutdown();
        }

        // Delivery: every message arrived, signed, once.
        const auto arrivals = receiver_.arrivals();
        std::set<std::string> arrived;
        for (const auto& a : arrivals) {
            arrived.insert(a.id);
        }
        // Every signature verifies; a request the kill cut off mid-body is
        // refused as shorter than announced (and sent again whole).
        EXPECT_LE(receiver_.rejected(), one_killed ? 1 : 0);
        if (one_killed) {
            EXPECT_LE(receiver_.duplicates(), 1) << "only the message on the wire may come twice";
        } else {
            EXPECT_EQ(receiver_.duplicates(), 0);
        }
        std::set<std::string> delivered;
        for (const auto& r : rows("SELECT message_id, status, last_error FROM notifications")) {
            if (r[1] == "delivered") {
                delivered.insert(r[0]);
            } else {
                ADD_FAILURE() << "message " << r[0] << " is still " << r[1] << " (" << r[2]
                              << ") after the drain";
            }
        }
        EXPECT_EQ(delivered, arrived) << "delivered in the ledger = arrived at the receiver";
        // A message arrives twice only when a node died with it on the wire:
        // its attempt is then found unfinished when the lease runs out.
        const int interrupted =
            count("SELECT COUNT(*) FROM delivery_attempts WHERE verdict = 'interrupted'");
        EXPECT_LE(interrupted, one_killed ? 1 : 0) << "attempts left unfinished";
        EXPECT_LE(receiver_.duplicates(), interrupted);
        EXPECT_GT(delivered.size(), 0u);

        // Report actions: each that returned ok is in the audit trail once.
        std::map<std::string, int> audited;
        for (const auto& r : rows("SELECT actor, action, task_number, item_number, department, "
                                  "period, COALESCE(report_version, 0) FROM audit_log "
                                  "WHERE report_id IS NOT NULL")) {
            std::string key;
            for (const auto& f : r) {
                key += f + "\t";
            }
            ++audited[key];
        }
        std::size_t ok_actions = 0;
        for (int i = 0; i < kWorkers; ++i) {
            for (const auto& line : lines_of(work_.file("actions." + std::to_string(i)))) {
                ++ok_actions;
                const auto it = audited.find(line + "\t");
                if (it == audited.end()) {
                    ADD_FAILURE() << "not in the audit trail: " << line;
                } else if (--it->second < 0) {
                    ADD_FAILURE() << "in the audit trail fewer times than it returned ok: " << line;
                }
            }
        }
        EXPECT_GT(ok_actions, 10u) << "the nodes hardly acted";
        int unclaimed = 0;
        for (const auto& [key, left] : audited) {
            if (left > 0) {
                unclaimed += left;
                if (!one_killed) {
                    ADD_FAILURE() << "audited " << left
                                  << " more time(s) than any node acted: " << key;
                }
            }
        }
        // The killed node may have been stopped after a commit, before its line.
        EXPECT_LE(unclaimed, one_killed ? 1 : 0);
        RecordProperty("ok_actions", static_cast<int>(ok_actions));
        std::cout << "cluster: " << sweeps << " sweeps queued " << items << " items; "
                  << arrivals.size() << " messages arrived (" << receiver_.duplicates()
                  << " twice, " << interrupted << " attempt interrupted, " << receiver_.rejected()
                  << " cut off); " << ok_actions << " report actions ok\n";
    }

    TempDir dir_;
    TempDir work_;  // the nodes' progress and logs
    std::string db_ = dir_.file("ledger.db");
    std::string config_path_ = dir_.file("config.json");
    std::string url_, schema_;
    oa_stub::MessageReceiver receiver_{kSecret};
};

TEST_F(Cluster, ThreeProcessesSweepDeliverAndActOnOneLedger) {
    prepare();
    run(false);
    check(false);
}

TEST_F(Cluster, ThreeProcessesOneKilledAndRestarted) {
    prepare();
    run(true);
    check(true);
}

// A channel's cap is the channel's, not each node's: a DingTalk group robot
// (here a loopback server answering as DingTalk does) takes about 20 messages
// a minute from the court, however many OA nodes send them. With
// robot_per_minute 2 and the nodes' clocks standing at 09:00 each day, no
// minute of the run may carry more than 2 attempts on the channel, from all
// three nodes together; what waits goes on a later day.
TEST_F(Cluster, ThreeProcessesKeepTheChannelsPerMinuteCapTogether) {
    rl::transport::testing::LoopbackServer robot([](const rl::transport::testing::Received&) {
        rl::transport::testing::Reply reply;
        reply.body = "{\"errcode\":0,\"errmsg\":\"ok\"}";
        return reply;
    });
    prepare("{\"channels\":[{\"name\":\"group\",\"kind\":\"dingtalk\",\"url\":" +
            q(robot.url("/robot/send?access_token=cluster")) +
            "}],\"robot_per_minute\":2,\"worker\":{\"enabled\":false}}");
    run(false);
    for (int i = 0; i < kWorkers; ++i) {
        ASSERT_EQ(progress_of(i), 3 * kDays) << "node " << i << " did not finish";
    }
    int attempts = 0;
    for (const auto& r : rows("SELECT a.at_ms / 60000, COUNT(*) FROM delivery_attempts a "
                              "JOIN notifications n ON n.id = a.notification_id "
                              "WHERE n.channel = 'group' GROUP BY a.at_ms / 60000")) {
        attempts += std::stoi(r[1]);
        EXPECT_LE(std::stoi(r[1]), 2) << "attempts in minute " << r[0] << " since the epoch";
    }
    EXPECT_GT(attempts, kDays) << "the nodes hardly sent";
    EXPECT_EQ(static_cast<int>(robot.received().size()), attempts)
        << "every attempt reached the robot once";
    std::cout << "cluster: " << attempts << " attempts on the capped channel\n";
}

}  // namespace

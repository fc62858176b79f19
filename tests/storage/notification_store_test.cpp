// The outbox's leases: a worker whose lease ran out — and another worker took
// the message over — can neither send it again nor undo the other's result;
// the attempt it had begun stays in the record, marked interrupted.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "storage/database.h"
#include "storage/notification_store.h"
#include "support/test_support.h"

namespace {

using rl::storage::ClaimedMessage;
using rl::storage::Database;
using rl::storage::NotificationStore;
using rl::storage::OutboxMessage;

constexpr std::int64_t kT0 = 1573174800000;  // 2019-11-08T09:00+08:00
constexpr std::int64_t kLease = 1000;

class OutboxLease : public ::testing::Test {
protected:
    OutboxLease() : db_(dir_.file("ledger.db"), rl::storage::sqlite_migrations()), store_(db_) {
        OutboxMessage m;
        m.message_id = "msg_lease_test";
        m.channel = "oa";
        m.recipient = "department:刑庭";
        m.kind = "reminder";
        m.title = "t";
        m.body = "b";
        m.payload = "{}";
        m.deliver_after_ms = kT0;
        m.items.push_back({"k1", "overdue", 0});
        store_.enqueue(m, kT0);
    }

    // "attempt:verdict,…" in the order the attempts were begun.
    std::string verdicts() {
        std::string out;
        for (const auto& row : rl::test::sql_rows(
                 dir_.file("ledger.db"),
                 "SELECT attempt || ':' || verdict FROM delivery_attempts ORDER BY id", true)) {
            out += (out.empty() ? "" : ",") + row.at(0);
        }
        return out;
    }

    rl::test::TempDir dir_;
    Database db_;
    NotificationStore store_;
};

TEST_F(OutboxLease, AClaimedMessageIsNotClaimedAgainWhileItsLeaseHolds) {
    ASSERT_EQ(store_.claim(kT0, kLease, 10, "worker-a").size(), 1u);
    EXPECT_TRUE(store_.claim(kT0 + kLease - 1, kLease, 10, "worker-b").empty());
}

TEST_F(OutboxLease, AnExpiredLeaseIsTakenOverAndTheFormerHolderCanNeitherRenewNorSettle) {
    const auto a = store_.claim(kT0, kLease, 10, "worker-a");
    ASSERT_EQ(a.size(), 1u);
    const auto b = store_.claim(kT0 + kLease + 1, kLease, 10, "worker-b");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].id, a[0].id);

    // A's send finally failed; it must not put B's message back in the queue…
    EXPECT_EQ(store_.begin_attempt(a[0], 2, kT0 + 1100, kT0 + 5000), 0);
    EXPECT_FALSE(store_.schedule_retry(a[0], 1, kT0 + 5000, "HTTP 503"));
    // … and B settles it.
    EXPECT_TRUE(store_.mark_delivered(b[0], 1, kT0 + 1200));
    EXPECT_FALSE(store_.mark_dead(a[0], 1, "too late"));
    EXPECT_FALSE(store_.release(a[0], kT0 + 9000));

    const auto status = store_.status(kT0 + 2000);
    EXPECT_EQ(status.delivered, 1);
    EXPECT_EQ(status.pending, 0);
    EXPECT_EQ(status.in_flight, 0);
    // Delivered stays delivered: nothing is claimable again.
    EXPECT_TRUE(store_.claim(kT0 + 100000, kLease, 10, "worker-c").empty());
}

TEST_F(OutboxLease, TheHolderSettlesWithItsToken) {
    const auto a = store_.claim(kT0, kLease, 10, "worker-a");
    ASSERT_EQ(a.size(), 1u);
    EXPECT_NE(store_.begin_attempt(a[0], 1, kT0, kT0 + 2 * kLease), 0);
    // Held for the attempt: not claimable by another worker after the first lease.
    EXPECT_TRUE(store_.claim(kT0 + kLease + 1, kLease, 10, "worker-b").empty());
    EXPECT_TRUE(store_.schedule_retry(a[0], 1, kT0 + 3000, "HTTP 500"));
    EXPECT_EQ(store_.status(kT0).pending, 1);
    EXPECT_EQ(store_.status(kT0).deferred, 1) << "waiting for its retry time";
    const auto again = store_.claim(kT0 + 3000, kLease, 10, "worker-b");
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 1);
}

TEST_F(OutboxLease, AnAttemptBegunByAWorkerThatStoppedIsMarkedInterruptedWhenTakenOver) {
    const auto a = store_.claim(kT0, kLease, 10, "worker-a");
    ASSERT_EQ(a.size(), 1u);
    const std::int64_t row = store_.begin_attempt(a[0], 1, kT0, kT0 + kLease);
    ASSERT_NE(row, 0);
    EXPECT_EQ(verdicts(), "1:sending");
    // Worker A is gone (killed during the send); its lease runs out.
    EXPECT_EQ(store_.reclaim_expired(kT0 + kLease - 1), 0) << "not while the lease holds";
    const auto b = store_.claim(kT0 + kLease + 1, kLease, 10, "worker-b");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].attempts, 1) << "the interrupted attempt counts";
    EXPECT_EQ(verdicts(), "1:interrupted");
    const std::int64_t second = store_.begin_attempt(b[0], 2, kT0 + kLease + 1, kT0 + 3 * kLease);
    store_.end_attempt(second, 200, "delivered", "", 3);
    EXPECT_TRUE(store_.mark_delivered(b[0], 2, kT0 + kLease + 5));
    EXPECT_EQ(verdicts(), "1:interrupted,2:delivered");
    const std::string why =
        rl::test::sql_rows(dir_.file("ledger.db"),
                           "SELECT error FROM delivery_attempts WHERE attempt = 1", true)
            .at(0)
            .at(0);
    EXPECT_NE(why.find("may have arrived"), std::string::npos) << why;
}

// Several plugin instances on one ledger (OA cluster nodes): each has its own
// connection, and each sweeps, claims and delivers on its own.
class InstancesSharingALedger : public ::testing::Test {
protected:
    static OutboxMessage message(const std::string& id, const std::string& key) {
        OutboxMessage m;
        m.message_id = id;
        m.channel = "oa";
        m.recipient = "department:刑庭";
        m.kind = "reminder";
        m.title = "t";
        m.body = "b";
        m.payload = "{}";
        m.deliver_after_ms = kT0;
        m.items.push_back({key, "overdue", 0});
        return m;
    }

    std::string count(const std::string& sql) {
        return rl::test::sql_rows(path_, sql, true).at(0).at(0);
    }

    rl::test::TempDir dir_;
    std::string path_ = dir_.file("ledger.db");
    Database node_a_{path_, rl::storage::sqlite_migrations()};
    Database node_b_{path_, rl::storage::sqlite_migrations()};
    NotificationStore a_{node_a_};
    NotificationStore b_{node_b_};
};

TEST_F(InstancesSharingALedger,
       AKeyBothSweepsFoundUnseenIsQueuedOnceAndTheLaterSweepQueuesNothing) {
    // Both sweeps looked before either queued (unseen() is a transaction of its own).
    ASSERT_EQ(a_.unseen({"overdue|7|department:刑庭|2019-11|oa"}).size(), 1u);
    ASSERT_EQ(b_.unseen({"overdue|7|department:刑庭|2019-11|oa"}).size(), 1u);
    EXPECT_NE(a_.enqueue(message("msg_a", "overdue|7|department:刑庭|2019-11|oa"), kT0), 0);
    EXPECT_EQ(b_.enqueue(message("msg_b", "overdue|7|department:刑庭|2019-11|oa"), kT0), 0)
        << "the key is queued already: the later message is not queued";
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), "1");
    EXPECT_EQ(count("SELECT message_id FROM notifications"), "msg_a");
    EXPECT_EQ(count("SELECT COUNT(*) FROM notification_items"), "1");
}

TEST_F(InstancesSharingALedger,
       AMessageClaimedByAnInstanceThatStoppedIsTakenByAnotherAfterItsLease) {
    a_.enqueue(message("msg_1", "k1"), kT0);
    const auto held = a_.claim(kT0, kLease, 10, "node-a");
    ASSERT_EQ(held.size(), 1u);
    EXPECT_TRUE(b_.claim(kT0 + kLease - 1, kLease, 10, "node-b").empty())
        << "another instance's live claim is not taken";
    // Node A stops without settling; its lease runs out.
    const auto taken = b_.claim(kT0 + kLease + 1, kLease, 10, "node-b");
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].id, held[0].id);
    EXPECT_FALSE(a_.mark_delivered(held[0], 1, kT0 + kLease + 2)) << "node A's lease is gone";
    EXPECT_TRUE(b_.mark_delivered(taken[0], 1, kT0 + kLease + 3));
}

TEST_F(InstancesSharingALedger, InstancesClaimingAtOnceClaimEveryMessageExactlyOnce) {
    constexpr int kMessages = 60;
    for (int i = 0; i < kMessages; ++i) {
        a_.enqueue(message("msg_" + std::to_string(i), "k" + std::to_string(i)), kT0);
    }
    std::vector<std::int64_t> got_a, got_b;
    const auto deliver = [](NotificationStore& store, const std::string& token,
                            std::vector<std::int64_t>& got) {
        for (;;) {
            const auto batch = store.claim(kT0, 60 * kLease, 4, token);
            if (batch.empty()) {
                return;
            }
            for (const auto& m : batch) {
                got.push_back(m.id);
                store.mark_delivered(m, 1, kT0 + 1);
            }
        }
    };
    std::thread node_a([&] { deliver(a_, "node-a", got_a); });
    std::thread node_b([&] { deliver(b_, "node-b", got_b); });
    node_a.join();
    node_b.join();
    std::multiset<std::int64_t> all(got_a.begin(), got_a.end());
    all.insert(got_b.begin(), got_b.end());
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages)) << "no message claimed twice";
    EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(),
              static_cast<std::size_t>(kMessages));
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE status = 'delivered'"),
              std::to_string(kMessages));
}

}  // namespace

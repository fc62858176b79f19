// The outbox's leases: a worker whose lease ran out — and another worker took
// the message over — can neither send it again nor undo the other's result;
// the attempt it had begun stays in the record, marked interrupted.
#include <gtest/gtest.h>

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

}  // namespace

// The outbox's leases: a worker whose lease ran out — and another worker took
// the message over — can neither send it again nor undo the other's result;
// the attempt it had begun stays in the record, marked interrupted.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "storage/database.h"
#include "storage/notification_store.h"
#include "support/test_support.h"

namespace {

using Poco::Data::Keywords::now;
using rl::storage::ClaimedMessage;
using rl::storage::Database;
using rl::storage::NotificationStore;
using rl::storage::OutboxMessage;

constexpr std::int64_t kT0 = 1573174800000;  // 2019-11-08T09:00+08:00
constexpr std::int64_t kLease = 1000;

// A reminder to 刑庭 on the oa channel, due at kT0, queued under key.
OutboxMessage reminder(const std::string& id, const std::string& key) {
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

class OutboxLease : public ::testing::Test {
protected:
    OutboxLease() : db_(dir_.file("ledger.db"), rl::storage::sqlite_migrations()), store_(db_) {
        store_.enqueue(reminder("msg_lease_test", "k1"), kT0);
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
    EXPECT_NE(a_.enqueue(reminder("msg_a", "overdue|7|department:刑庭|2019-11|oa"), kT0), 0);
    EXPECT_EQ(b_.enqueue(reminder("msg_b", "overdue|7|department:刑庭|2019-11|oa"), kT0), 0)
        << "the key is queued already: the later message is not queued";
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), "1");
    EXPECT_EQ(count("SELECT message_id FROM notifications"), "msg_a");
    EXPECT_EQ(count("SELECT COUNT(*) FROM notification_items"), "1");
}

TEST_F(InstancesSharingALedger,
       AMessageClaimedByAnInstanceThatStoppedIsTakenByAnotherAfterItsLease) {
    a_.enqueue(reminder("msg_1", "k1"), kT0);
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
        a_.enqueue(reminder("msg_" + std::to_string(i), "k" + std::to_string(i)), kT0);
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

// A message's words (title, markdown, JSON payload: a reminder's run to 6 KB)
// are written once, when it is queued; a claim and an outcome change its
// delivery state only, and write as few pages of the ledger as they would
// for a message of a few bytes — delivery commits once per message.
class OutboxWords : public ::testing::Test {
protected:
    static OutboxMessage message(const std::string& id, const std::string& words) {
        OutboxMessage m = reminder(id, "k|" + id);
        m.title = "【提醒】" + id;
        m.body = "### 刑庭\n" + words;
        m.payload = "{\"id\":\"" + id + "\",\"text\":\"" + words + "\"}";
        return m;
    }

    // Pages appended to the write-ahead log so far (its size, less its
    // header, in frames of a page and a frame header each).
    std::int64_t wal_frames() {
        std::ifstream wal(path_ + "-wal", std::ios::binary | std::ios::ate);
        const std::int64_t size = wal ? static_cast<std::int64_t>(wal.tellg()) : 0;
        return size <= 32 ? 0 : (size - 32) / (4096 + 24);
    }

    rl::test::TempDir dir_;
    std::string path_ = dir_.file("ledger.db");
    Database db_{path_, rl::storage::sqlite_migrations()};
    NotificationStore store_{db_};
};

TEST_F(OutboxWords, AClaimGivesTheWordsExactlyAsQueued) {
    std::string words;
    for (int i = 0; words.size() < 6000; ++i) {
        words += "任务" + std::to_string(i) + "：本月进展未报送，请于三个工作日内补报。\\n";
    }
    const OutboxMessage queued = message("msg_words", words);
    ASSERT_NE(store_.enqueue(queued, kT0), 0);
    const auto claimed = store_.claim(kT0, kLease, 10, "worker-a");
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].message_id, "msg_words");
    EXPECT_EQ(claimed[0].channel, "oa");
    EXPECT_EQ(claimed[0].title, queued.title);
    EXPECT_EQ(claimed[0].body, queued.body);
    EXPECT_EQ(claimed[0].payload, queued.payload);
    // And as often as it is claimed again, after a retry.
    ASSERT_TRUE(store_.schedule_retry(claimed[0], 1, kT0 + 10, "HTTP 503"));
    const auto again = store_.claim(kT0 + 10, kLease, 10, "worker-b");
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].payload, queued.payload);
    EXPECT_EQ(again[0].attempts, 1);
}

TEST_F(OutboxWords, ClaimsAndOutcomesOfLongMessagesWriteNoMorePagesThanOfShortOnes) {
    std::string long_words;
    while (long_words.size() < 6000) {
        long_words += "刑庭：2019年10月改革任务进展情况逾期未报送。";
    }
    // The pages one message's claim, begun attempt, outcome and recorded
    // attempt add to the log, among 30 queued messages of the same size.
    const auto pages_per_message = [&](const std::string& prefix, const std::string& words) {
        for (int i = 0; i < 30; ++i) {
            store_.enqueue(message(prefix + std::to_string(i), words), kT0);
        }
        std::int64_t pages = 0;
        for (int i = 0; i < 10; ++i) {
            const std::int64_t before = wal_frames();
            std::int64_t row = 0;
            store_.together([&] {
                const auto m = store_.take(kT0, kT0 + kLease, 1, "worker-a");
                ASSERT_EQ(m.size(), 1u);
                row = store_.begin_attempt(m[0], 1, kT0, kT0 + kLease);
                store_.end_attempt(row, 200, "delivered", "", 1);
                ASSERT_TRUE(store_.mark_delivered(m[0], 1, kT0 + 1));
            });
            pages += wal_frames() - before;
        }
        // Out of the way of the next round.
        db_.write([](Poco::Data::Session& s) {
            s << "UPDATE notifications SET status = 'dead' WHERE status = 'pending'", now;
        });
        return pages / 10.0;
    };
    // Every page a commit writes stays in the log: no checkpoint starts it over.
    db_.write([](Poco::Data::Session& s) { s << "PRAGMA wal_autocheckpoint = 0", now; });
    ASSERT_GT(wal_frames(), 0) << "the ledger is not in WAL mode";
    const double short_pages = pages_per_message("msg_short_", "请补报。");
    const double long_pages = pages_per_message("msg_long_", long_words);
    EXPECT_GE(short_pages, 1.0) << "a commit writes a page at least";
    // The message's row and index entries and its attempt's: not the ledger's
    // change count, which the outbox's own transactions leave as it was (5
    // pages a message while they raised it).
    EXPECT_LE(short_pages, 4.5);
    EXPECT_LE(long_pages, short_pages + 0.5) << "a 6 KB message costs " << long_pages
                                             << " pages a delivery, a short one " << short_pages;
}

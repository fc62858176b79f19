// The answers of the heaviest reads (ledger.tasks, ledger.summary,
// ledger.status: the pages every department refreshes), kept while nothing
// they depend on changed, so that the hundredth look at an unchanged ledger
// costs a lookup, not the ledger's queries and JSON again.
//
// An answer depends on the request (plan, month, department, user), the
// court's day (statuses and warnings count days from today), the instance's
// configuration (fixed while it runs) and the ledger. The ledger's part is its
// change count (ledger_changes, migration 0011), which every write
// transaction that changes a row raises — this instance's, another instance's on the same file
// or schema (an OA cluster's nodes), an oa-stub's — and which a read sees as
// of its snapshot. So an answer is kept under (method, day, request) with the
// count it was computed at, and given again only to a read that sees the same
// count: never an answer from before a write the reader could see.
//
// Bounded by bytes (database.answer_cache_mb, 0: off); the least recently
// used answers go first. Thread-safe: reads run in parallel.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rl::abi {

class AnswerCache {
public:
    using Answer = std::shared_ptr<const std::string>;

    struct Figures {
        std::size_t entries = 0;
        std::size_t bytes = 0;
        std::size_t limit_bytes = 0;
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
    };

    explicit AnswerCache(std::size_t limit_bytes) : limit_(limit_bytes) {}

    bool enabled() const { return limit_ > 0; }

    // The answer kept for key at change count `changes`, or null (a miss;
    // an answer kept at another count is dropped).
    Answer find(const std::string& key, std::int64_t changes);

    // Keeps answer for key at `changes`, replacing what was kept for key;
    // drops the least recently used answers beyond the limit. An answer
    // bigger than the whole limit is not kept.
    void keep(const std::string& key, std::int64_t changes, Answer answer);

    Figures figures() const;

private:
    struct Entry {
        std::string key;
        std::int64_t changes = 0;
        Answer answer;
    };
    using Order = std::list<Entry>;  // most recently used first

    void drop(Order::iterator entry);  // with mutex_ held

    const std::size_t limit_;
    mutable std::mutex mutex_;
    Order order_;
    std::unordered_map<std::string, Order::iterator> index_;
    std::size_t bytes_ = 0;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

}  // namespace rl::abi

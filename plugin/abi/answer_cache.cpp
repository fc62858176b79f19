#include "abi/answer_cache.h"

#include <utility>

namespace rl::abi {

namespace {

// What an entry costs beyond its answer: its key (twice: the list and the
// index) and the bookkeeping, roughly.
std::size_t cost_of(const std::string& key, const std::string& answer) {
    return answer.size() + 2 * key.size() + 128;
}

}  // namespace

AnswerCache::Answer AnswerCache::find(const std::string& key, std::int64_t changes) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = index_.find(key);
    if (found == index_.end()) {
        ++misses_;
        return nullptr;
    }
    if (found->second->changes != changes) {
        drop(found->second);
        ++misses_;
        return nullptr;
    }
    order_.splice(order_.begin(), order_, found->second);
    ++hits_;
    return found->second->answer;
}

void AnswerCache::keep(const std::string& key, std::int64_t changes, Answer answer) {
    if (!answer) {
        return;
    }
    const std::size_t cost = cost_of(key, *answer);
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto found = index_.find(key); found != index_.end()) {
        drop(found->second);
    }
    if (cost > limit_) {
        return;
    }
    while (bytes_ + cost > limit_ && !order_.empty()) {
        drop(std::prev(order_.end()));
    }
    order_.push_front(Entry{key, changes, std::move(answer)});
    index_.emplace(key, order_.begin());
    bytes_ += cost;
}

AnswerCache::Figures AnswerCache::figures() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return Figures{order_.size(), bytes_, limit_, hits_, misses_};
}

void AnswerCache::drop(Order::iterator entry) {
    bytes_ -= cost_of(entry->key, *entry->answer);
    index_.erase(entry->key);
    order_.erase(entry);
}

}  // namespace rl::abi

// The buffers call() writes its answers into, kept from one call to the next.
// A ledger's answer runs to hundreds of kilobytes (118 KB for the seed plan's
// ledger.tasks, 2.4 MB for a 999-task plan's); a buffer grown afresh for every
// call has the allocator map those pages anew each time and the kernel fault
// every one of them in — a fifth of the call, measured. A buffer handed back
// is cleared and kept with its capacity, unless it grew past kKeepAtMost.
#pragma once

#include <rapidjson/stringbuffer.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace rl::abi {

class AnswerBuffers {
public:
    // Bigger than this, a buffer is freed rather than kept (a one-off export).
    static constexpr std::size_t kKeepAtMost = std::size_t{8} << 20;
    // As many as calls run at once, usually; more are freed when handed back.
    static constexpr std::size_t kKeepCount = 8;

    // A buffer, empty, for as long as the lease lives.
    class Lease {
    public:
        explicit Lease(AnswerBuffers& owner) : owner_(owner), buffer_(owner.take()) {}
        ~Lease() { owner_.give_back(std::move(buffer_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        rapidjson::StringBuffer& operator*() { return *buffer_; }

    private:
        AnswerBuffers& owner_;
        std::unique_ptr<rapidjson::StringBuffer> buffer_;
    };

    Lease lease() { return Lease(*this); }

    // How many are kept now (for the tests).
    std::size_t kept() {
        std::lock_guard<std::mutex> lock(mutex_);
        return free_.size();
    }

private:
    std::unique_ptr<rapidjson::StringBuffer> take() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_.empty()) {
            return std::make_unique<rapidjson::StringBuffer>();
        }
        auto buffer = std::move(free_.back());
        free_.pop_back();
        return buffer;
    }
    void give_back(std::unique_ptr<rapidjson::StringBuffer> buffer) {
        if (buffer->stack_.GetCapacity() > kKeepAtMost) {
            return;
        }
        buffer->Clear();
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_.size() < kKeepCount) {
            free_.push_back(std::move(buffer));
        }
    }

    std::mutex mutex_;
    std::vector<std::unique_ptr<rapidjson::StringBuffer>> free_;
};

}  // namespace rl::abi

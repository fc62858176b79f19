// Which session each thread's transaction() runs on, for the backends: a
// read() or write() made on that thread inside it joins it.
#pragma once

#include <Poco/Data/Session.h>

#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "storage/database.h"

namespace rl::storage {

class TransactionPins {
public:
    struct Pin {
        Poco::Data::Session* session = nullptr;
        bool writes = false;
    };

    // The calling thread's transaction, if it runs one.
    std::optional<Pin> pinned() const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = pins_.find(std::this_thread::get_id());
        if (it == pins_.end()) {
            return std::nullopt;
        }
        return it->second;
    }
    // The calling thread's transaction, for a read() or write() (writes) that
    // joins it. A write inside a read transaction is refused: reads never
    // write. database() names the ledger in the error (called only then).
    template <typename Name>
    std::optional<Pin> join(bool writes, Name&& database) const {
        auto pin = pinned();
        if (pin && writes && !pin->writes) {
            throw StorageError(database() +
                               ": a write inside a read transaction is refused (reads never "
                               "write); nothing was written");
        }
        return pin;
    }
    void pin(Pin pin) {
        std::lock_guard<std::mutex> lock(mutex_);
        pins_[std::this_thread::get_id()] = pin;
    }
    void unpin() {
        std::lock_guard<std::mutex> lock(mutex_);
        pins_.erase(std::this_thread::get_id());
    }
    // Runs fn as the calling thread's transaction on pin's session: the
    // read()s and write()s it makes join it. Unpinned however fn ends.
    template <typename Fn>
    void run_pinned(Pin pin, Fn&& fn) {
        this->pin(pin);
        struct Unpin {
            TransactionPins& pins;
            ~Unpin() { pins.unpin(); }
        } unpin_at_end{*this};
        fn();
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::thread::id, Pin> pins_;
};

}  // namespace rl::storage

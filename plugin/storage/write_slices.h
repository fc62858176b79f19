// Long writes in slices: a job of many small, idempotent steps (a sweep over a
// big plan, a province's months opening) runs as a series of write
// transactions, each committed before a step that could not end within the
// slice's time, so other writers — a department filing its report — wait at
// most about that long (or one step, when a step takes longer) for the write
// lock instead of for the whole job. Every step must be safe to
// repeat (unique keys, "if not yet"): a crash between slices loses nothing,
// the next run does the rest.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "storage/database.h"

namespace rl::storage {

class WriteSlices {
public:
    WriteSlices(Database& database, std::chrono::milliseconds slice)
        : database_(database), slice_(slice) {}

    // Runs step(0) … step(count - 1), in order, in as many write transactions
    // as the slice time needs (at least one step each). A transaction takes
    // another step only while that step can be expected to end within the
    // slice: the slowest step of this run so far is the guess (each run
    // learns afresh: a sweep's phases run steps of different kinds). So a job of
    // slow steps (a sweep's reminders of one department: 50–100 ms each on
    // PostgreSQL) holds the lock about one step, not the slice plus a step.
    // Inside an enclosing transaction they all join it.
    template <typename Step>
    void run(std::size_t count, Step&& step) {
        std::size_t i = 0;
        Clock::duration slowest{};
        while (i < count) {
            Clock::time_point start;
            database_.transaction(true, [&] {
                start = Clock::now();
                Clock::time_point step_start = start;
                for (;;) {
                    step(i);
                    ++i;
                    const Clock::time_point done = Clock::now();
                    slowest = std::max(slowest, done - step_start);
                    step_start = done;
                    if (i >= count || done - start + slowest > slice_) {
                        break;
                    }
                }
            });
            // Held from the lock taken to the commit done.
            const double held =
                std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            longest_ms_ = held > longest_ms_ ? held : longest_ms_;
            ++count_;
        }
    }

    // How many write transactions run() has used so far.
    int count() const { return count_; }
    // The longest of them, in milliseconds (commit included).
    double longest_ms() const { return longest_ms_; }

private:
    using Clock = std::chrono::steady_clock;
    Database& database_;
    std::chrono::milliseconds slice_;
    int count_ = 0;
    double longest_ms_ = 0;
};

}  // namespace rl::storage

#include "statement_clock.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace rl::bench {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_running{false};
std::mutex g_mutex;  // the sums: statements may end on any of the plugin's threads
StatementTime g_sum;

// When each statement of this thread began its run. A statement runs on one
// thread from its first step to its end (a connection is used by one thread
// at a time).
thread_local std::unordered_map<void*, Clock::time_point> t_started;

// SQLite's own figure for SQLITE_TRACE_PROFILE is not used: it counts from a
// start time read with millisecond resolution.
int on_trace(unsigned kind, void* /*context*/, void* statement, void* /*detail*/) {
    if (!g_running.load(std::memory_order_relaxed)) {
        t_started.clear();
        return 0;
    }
    if (kind == SQLITE_TRACE_STMT) {
        // A trigger's program reports again on the same statement while it
        // runs: the statement began at its first report (its end erases it).
        t_started.try_emplace(statement, Clock::now());
        return 0;
    }
    const auto began = t_started.find(statement);
    if (began == t_started.end()) {
        return 0;  // it began before the clock started
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - began->second).count();
    t_started.erase(began);
    const std::lock_guard<std::mutex> lock(g_mutex);
    g_sum.seconds += seconds;
    ++g_sum.statements;
    return 0;
}

int trace_connection(sqlite3* db, const char** /*error*/, const void* /*api*/) {
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, on_trace, nullptr);
    return SQLITE_OK;
}

}  // namespace

void StatementClock::install() {
    // sqlite3_auto_extension takes a void(*)(void) and calls it with the
    // extension entry point's arguments (its documented use).
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    const int rc = sqlite3_auto_extension(reinterpret_cast<void (*)()>(trace_connection));
    if (rc != SQLITE_OK) {
        throw std::runtime_error("statement clock: sqlite3_auto_extension failed (" +
                                 std::string(sqlite3_errstr(rc)) + ")");
    }
}

void StatementClock::uninstall() {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(trace_connection));
}

void StatementClock::start() {
    {
        const std::lock_guard<std::mutex> lock(g_mutex);
        g_sum = StatementTime{};
    }
    g_running = true;
}

StatementTime StatementClock::stop() {
    g_running = false;
    const std::lock_guard<std::mutex> lock(g_mutex);
    return g_sum;
}

}  // namespace rl::bench

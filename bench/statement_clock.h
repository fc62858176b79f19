// The time a process spends inside SQLite's statements, for the reads'
// "SQL floor" rows: how much of a call its statements alone take.
//
// SQLite is one shared library in the process: the plugin (through Poco Data)
// and the benchmark use the same libsqlite3. StatementClock::install()
// registers an auto extension, so every SQLite connection opened afterwards —
// the plugin's writer and readers included — reports to it when a statement
// starts (SQLITE_TRACE_STMT, its first step) and when it ends
// (SQLITE_TRACE_PROFILE, at its last step or reset). While the clock runs
// (start() .. stop()), it adds up those spans: the statements' own work plus
// the reading of their rows by the caller between steps. Nothing of the
// plugin changes. Connections opened before install() or after uninstall()
// are not seen, so a benchmark opens a plugin instance of its own for the
// clock in between, and its other instances run untraced.
#pragma once

#include <cstdint>

namespace rl::bench {

struct StatementTime {
    double seconds = 0;            // inside statements, added up
    std::uint64_t statements = 0;  // statements that ran to their end
};

class StatementClock {
public:
    // Before the connections to time are opened; uninstall() once they are.
    static void install();
    static void uninstall();
    // Zeroes the sums and starts adding; stop() stops and returns them.
    static void start();
    static StatementTime stop();
};

}  // namespace rl::bench

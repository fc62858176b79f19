// rl_bench: Reform Ledger's benchmarks in one run, printed as one table —
// each measurement next to its baseline or limit measured in the same run.
//
//   rl_bench [--tiny] [--only abi,approval,sweep,memory,delivery,import,reads,province]
//            [--postgres URL] [--work-dir DIR] [--keep] [--plugin SO] [--oa-stub EXE]
//            [--demo-dir DIR]
//
// --postgres URL runs approval and reads a second time on that PostgreSQL
// server (their rows labelled [SQLite] and [PostgreSQL]), and the province
// (100 courts, one schema each) there; each ledger is a schema bench_*,
// dropped before and after use. Without it, province is skipped.
// --tiny runs everything at small sizes (CI: it keeps working, in seconds).
// Database files go to --work-dir (default ./bench-data): every SQLite
// measurement, the raw-commit baseline included, uses that one directory.
#include <Poco/Version.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "common.h"

#ifndef RL_BENCH_PLUGIN
#define RL_BENCH_PLUGIN ""
#endif
#ifndef RL_BENCH_OA_STUB
#define RL_BENCH_OA_STUB ""
#endif
#ifndef RL_BENCH_DEMO_DIR
#define RL_BENCH_DEMO_DIR ""
#endif

namespace {

using namespace rl::bench;

std::string first_line_with(const std::string& file, const std::string& key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0) {
            const auto colon = line.find(':');
            auto value = colon == std::string::npos ? line : line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            return value;
        }
    }
    return "?";
}

// The mount holding path: device, file system, and rotational or not.
std::string disk_of(const std::string& path) {
    char resolved[4096];
    const std::string p = realpath(path.c_str(), resolved) ? resolved : path;
    std::ifstream in("/proc/self/mountinfo");
    std::string line, best_mount, best_desc;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string id, parent, dev, root, mount, opts, field;
        f >> id >> parent >> dev >> root >> mount >> opts;
        while (f >> field && field != "-") {
        }
        std::string fstype, source;
        f >> fstype >> source;
        const bool prefix = p.rfind(mount, 0) == 0 &&
                            (mount == "/" || p.size() == mount.size() || p[mount.size()] == '/');
        if (prefix && mount.size() >= best_mount.size()) {
            best_mount = mount;
            std::string kind;
            const auto slash = source.find_last_of('/');
            if (slash != std::string::npos) {
                std::string base = source.substr(slash + 1);
                // vda1 → vda, nvme0n1p2 → nvme0n1
                std::string dev_name = base;
                std::ifstream rot("/sys/block/" + dev_name + "/queue/rotational");
                while (!rot && !dev_name.empty()) {
                    dev_name.pop_back();
                    rot = std::ifstream("/sys/block/" + dev_name + "/queue/rotational");
                }
                int r = -1;
                if (rot >> r) {
                    kind = r ? ", rotational" : ", non-rotational";
                }
            }
            best_desc = source + " " + fstype + kind + ", mounted at " + mount;
        }
    }
    return best_desc.empty() ? "?" : best_desc;
}

void print_machine(const Options& o) {
    utsname u{};
    uname(&u);
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    std::cout << "Reform Ledger benchmarks" << (o.tiny ? " (--tiny: small sizes, for CI)" : "")
              << "\n"
              << "machine: " << std::thread::hardware_concurrency() << " CPUs (nproc), "
              << first_line_with("/proc/cpuinfo", "model name") << ", "
              << fixed(static_cast<double>(pages) * static_cast<double>(page) / (1 << 30), 1)
              << " GiB RAM\n"
              << "kernel:  " << u.sysname << " " << u.release << " " << u.machine << "\n"
              << "disk:    " << disk_of(o.work_dir) << " (work dir " << o.work_dir << ")\n"
              << "build:   "
              << "g++ " << __VERSION__
#ifdef NDEBUG
              << ", NDEBUG"
#else
              << ", assertions ON (not a Release build)"
#endif
              << ", SQLite " << sqlite3_libversion() << ", Poco " << ((POCO_VERSION >> 24) & 0xFF)
              << "." << ((POCO_VERSION >> 16) & 0xFF) << "." << ((POCO_VERSION >> 8) & 0xFF)
              << "\n\n";
    std::cout.flush();
}

int usage(const std::string& why) {
    std::cerr
        << "rl_bench: " << why
        << "\nusage: rl_bench [--tiny]"
           " [--only abi,approval,sweep,memory,delivery,import,reads,province] [--postgres URL]"
           " [--work-dir DIR] [--keep] [--plugin SO] [--oa-stub EXE] [--demo-dir DIR]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    o.plugin = RL_BENCH_PLUGIN;
    o.oa_stub = RL_BENCH_OA_STUB;
    o.demo_dir = RL_BENCH_DEMO_DIR;
    o.work_dir = "bench-data";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(a + " needs a value");
            }
            return argv[++i];
        };
        try {
            if (a == "--tiny") {
                o.tiny = true;
            } else if (a == "--keep") {
                o.keep = true;
            } else if (a == "--work-dir") {
                o.work_dir = value();
            } else if (a == "--postgres") {
                o.postgres_url = value();
            } else if (a == "--plugin") {
                o.plugin = value();
            } else if (a == "--oa-stub") {
                o.oa_stub = value();
            } else if (a == "--demo-dir") {
                o.demo_dir = value();
            } else if (a == "--only") {
                std::istringstream list(value());
                std::string s;
                while (std::getline(list, s, ',')) {
                    o.only.insert(s);
                }
            } else if (a == "-h" || a == "--help") {
                usage("benchmarks");
                return 0;
            } else {
                return usage("unknown option '" + a + "'");
            }
        } catch (const std::invalid_argument& e) {
            return usage(e.what());
        }
    }
    for (const auto& s : o.only) {
        if (s != "abi" && s != "approval" && s != "sweep" && s != "memory" && s != "delivery" &&
            s != "import" && s != "reads" && s != "province") {
            return usage("unknown section '" + s + "'");
        }
    }
    ::mkdir(o.work_dir.c_str(), 0755);
    char resolved[4096];
    if (realpath(o.work_dir.c_str(), resolved) != nullptr) {
        o.work_dir = resolved;
    }
    if (o.only.count("province") && o.postgres_url.empty()) {
        return usage("the province runs on PostgreSQL: give --postgres URL");
    }
    print_machine(o);
    if (!o.postgres_url.empty()) {
        try {
            Pg pg(o.postgres_url);
            std::cout << "postgres: " << pg.column("SELECT version()").at(0) << "; fsync "
                      << pg.column("SHOW fsync").at(0) << ", synchronous_commit "
                      << pg.column("SHOW synchronous_commit").at(0) << ", max_connections "
                      << pg.column("SHOW max_connections").at(0) << "\n\n";
        } catch (const std::exception& e) {
            std::cerr << "rl_bench: --postgres: " << e.what() << "\n";
            return 1;
        }
    }
    Options pg_o = o;
    pg_o.postgres = true;
    // A section on SQLite, then (with --postgres) on PostgreSQL, rows labelled.
    const auto on_both = [&](void (*section)(const Options&, Table&), Table& table) {
        if (o.postgres_url.empty()) {
            section(o, table);
            return;
        }
        table.set_label("[SQLite] ");
        section(o, table);
        table.set_label("[PostgreSQL] ");
        section(pg_o, table);
        table.set_label("");
    };

    Table table;
    const auto start = Clock::now();
    try {
        if (o.runs("abi")) {
            bench_abi(o, table);
        }
        if (o.runs("approval")) {
            on_both(bench_approval, table);
        }
        if (o.runs("sweep") || o.runs("memory")) {
            bench_sweep_and_memory(o, table);
        }
        if (o.runs("delivery")) {
            bench_delivery(o, table);
        }
        if (o.runs("import")) {
            bench_import(o, table);
            on_both(bench_import_slices, table);
        }
        if (o.runs("reads")) {
            on_both(bench_reads, table);
        }
        if (o.runs("province") && !o.postgres_url.empty()) {
            bench_province(pg_o, table);
        }
    } catch (const std::exception& e) {
        table.print();
        std::cerr << "rl_bench: " << e.what() << "\n";
        return 1;
    }
    table.print();
    std::cout << "\n"
              << table.missed() << " target(s) missed; total run time "
              << human_seconds(seconds_since(start)) << "\n";
    if (!o.keep) {
        for (const char* db : {"abi.db", "approval.db", "delivery.db"}) {
            remove_database(o.file(db));
        }
        for (const char* f : {"wrk-post.lua", "oa-stub-config.json"}) {
            ::unlink(o.file(f).c_str());
        }
        ::rmdir(o.work_dir.c_str());  // only if empty
    }
    return 0;
}

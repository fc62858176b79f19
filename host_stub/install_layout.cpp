#include "install_layout.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RL_DEFAULT_PLUGIN
#error "RL_DEFAULT_PLUGIN must name the built plugin"
#endif
#ifndef RL_DEMO_DIR
#error "RL_DEMO_DIR must point at host_stub/demo"
#endif
#ifndef RL_BUILD_BIN_DIR
#error "RL_BUILD_BIN_DIR must name the build tree's bin/"
#endif
#ifndef RL_INSTALLED_PLUGIN
#error "RL_INSTALLED_PLUGIN must name the plugin relative to the installed bin/"
#endif
#ifndef RL_INSTALLED_DEMO_DIR
#error "RL_INSTALLED_DEMO_DIR must name the demo folder relative to the installed bin/"
#endif

namespace oa_stub {

namespace {

// The folder of the running executable, or "" when /proc is not there.
std::string executable_dir() {
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        return "";
    }
    const std::string path(exe, static_cast<std::size_t>(n));
    return path.substr(0, path.find_last_of('/'));
}

bool readable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), R_OK) == 0;
}

bool directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Whether this executable is the one built in the build tree: only then do the
// build's own paths apply. An installed copy never reaches back into the build
// tree (a missing installed plugin is then reported under its installed name).
bool in_build_tree(const std::string& dir) {
    char here[PATH_MAX];
    char build[PATH_MAX];
    return ::realpath(dir.c_str(), here) != nullptr &&
           ::realpath(RL_BUILD_BIN_DIR, build) != nullptr && std::string(here) == build;
}

}  // namespace

std::string default_plugin_path() {
    const std::string dir = executable_dir();
    if (dir.empty()) {
        return RL_DEFAULT_PLUGIN;
    }
    const std::string beside = dir + "/libreform_ledger.so";
    if (readable_file(beside)) {
        return beside;
    }
    const std::string installed = dir + "/" + RL_INSTALLED_PLUGIN;
    if (readable_file(installed) || !in_build_tree(dir)) {
        return installed;
    }
    return RL_DEFAULT_PLUGIN;
}

std::string default_demo_dir() {
    const std::string dir = executable_dir();
    if (dir.empty()) {
        return RL_DEMO_DIR;
    }
    const std::string installed = dir + "/" + RL_INSTALLED_DEMO_DIR;
    if (directory(installed) || !in_build_tree(dir)) {
        return installed;
    }
    return RL_DEMO_DIR;
}

}  // namespace oa_stub

// oa-stub's command line: every command is a client of the plugin's C ABI.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace oa_stub {

// Runs one command line; returns the process exit status
// (0 success, 1 the plugin or an input failed, 2 usage error).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace oa_stub

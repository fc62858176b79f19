// Where a host of ours (oa-stub, reform-ledger-server) finds the plugin and the
// demo folder when it is not told: in the build tree, or in an installed prefix
// (cmake --install, the Debian package) — found relative to the executable, so
// an install into any prefix (or a staging folder) is self-contained and never
// reaches back into the build tree.
#pragma once

#include <string>

namespace oa_stub {

// The plugin a host loads by default, the first that exists of:
//   libreform_ledger.so beside the executable (the build tree's bin/),
//   <bin>/../<libdir>/libreform_ledger.so.<ABI major> (an installed prefix),
//   the plugin this build made (RL_DEFAULT_PLUGIN) — for the build tree's own
//   executables only; an installed one answers its installed path even when the
//   file is missing, so that the error names what is missing.
std::string default_plugin_path();

// The demo folder (config.json, org-chart.json, the 2019 plan): the installed
// copy (<bin>/../<datadir>/reform-ledger/demo) when there is one, else the
// source tree's host_stub/demo (RL_DEMO_DIR) for the build tree's executables.
std::string default_demo_dir();

}  // namespace oa_stub

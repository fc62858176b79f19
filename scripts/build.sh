#!/usr/bin/env bash
# Configures and builds into ${BUILD_DIR:-build}. Environment:
#   BUILD_DIR     build folder (default: build)
#   BUILD_TYPE    CMake build type (default: RelWithDebInfo)
#   RL_WERROR     ON to treat warnings as errors (CI does)
#   RL_SANITIZE   e.g. address,undefined
#   RL_BUILD_TESTS OFF to build only the plugin and oa-stub
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DRL_WERROR="${RL_WERROR:-OFF}" \
    -DRL_SANITIZE="${RL_SANITIZE:-}" \
    -DRL_BUILD_TESTS="${RL_BUILD_TESTS:-ON}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"

#!/usr/bin/env bash
# Configures and builds into ${BUILD_DIR:-build}; arguments name targets to
# build (default: all). Environment:
#   BUILD_DIR     build folder (default: build)
#   BUILD_TYPE    CMake build type (default: RelWithDebInfo)
#   RL_WERROR     ON to treat warnings as errors (CI does)
#   RL_SANITIZE   e.g. address,undefined
#   RL_BENCH      ON (default) to build the benchmarks too; their smoke run is a test
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DRL_WERROR="${RL_WERROR:-OFF}" \
    -DRL_SANITIZE="${RL_SANITIZE:-}" \
    -DRL_BENCH="${RL_BENCH:-ON}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"

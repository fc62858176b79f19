#!/usr/bin/env bash
# Builds the benchmarks (Release, in ${BUILD_DIR:-build-bench}) and prints one
# table: each measurement next to its baseline or limit from the same run.
#   scripts/bench.sh           full sizes (ledgers up to 1M obligations; a few minutes)
#   scripts/bench.sh --tiny    small sizes, in seconds (what CI runs)
# Other arguments go to rl_bench: --only abi,approval,sweep,memory,delivery,import,reads,
# --keep (keep the databases in build-bench/bench-data), --work-dir DIR.
# Installs what is missing (libbenchmark-dev, wrk and the build dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build-bench}

scripts/setup.sh libbenchmark-dev wrk >&2

start=$(date +%s)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DRL_BENCH=ON >/dev/null
if ! cmake --build "$build_dir" -j"$(nproc)" --target rl_bench >"$build_dir/bench-build.log" 2>&1; then
    tail -n 40 "$build_dir/bench-build.log" >&2
    echo "bench.sh: the build failed (log: $build_dir/bench-build.log)" >&2
    exit 1
fi
echo "[bench] built in $(($(date +%s) - start)) s (Release, $build_dir)" >&2

exec "$build_dir/bin/rl_bench" --work-dir "$build_dir/bench-data" "$@"

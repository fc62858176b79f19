#!/usr/bin/env bash
# Builds the benchmarks (Release, in ${BUILD_DIR:-build-bench}) and prints one
# table: each measurement next to its baseline or limit from the same run.
#   scripts/bench.sh           full sizes (ledgers up to 1M obligations; a few minutes)
#   scripts/bench.sh --tiny    small sizes, in seconds (what CI runs)
#   scripts/bench.sh --postgres [URL]   also on PostgreSQL: approval and reads side by side
#                              with SQLite, and the province (100 courts); without URL a
#                              throwaway cluster (scripts/pg_cluster.sh) is started and stopped
# Other arguments go to rl_bench: --only abi,approval,sweep,memory,delivery,import,reads,province,
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

args=()
postgres=none
while [[ $# -gt 0 ]]; do
    if [[ $1 == --postgres ]]; then
        if [[ $# -gt 1 && $2 =~ ^postgres(ql)?:// ]]; then
            postgres=$2
            shift
        else
            postgres=throwaway
        fi
    else
        args+=("$1")
    fi
    shift
done
if [[ $postgres == none ]]; then
    exec "$build_dir/bin/rl_bench" --work-dir "$build_dir/bench-data" "${args[@]}"
fi
if [[ $postgres == throwaway ]]; then
    # Under /tmp: the cluster runs as the postgres user when we are root.
    pg_dir=$(mktemp -d /tmp/rl-bench-pg.XXXXXX)
    stop_cluster() {
        scripts/pg_cluster.sh stop "$pg_dir" >&2 || true
        rm -rf "$pg_dir"
    }
    trap stop_cluster EXIT
    # The province keeps one connection per court (100).
    postgres=$(PG_CLUSTER_OPTIONS="-c max_connections=250" scripts/pg_cluster.sh start "$pg_dir")
    echo "[bench] throwaway PostgreSQL cluster in $pg_dir" >&2
fi
status=0
"$build_dir/bin/rl_bench" --work-dir "$build_dir/bench-data" --postgres "$postgres" "${args[@]}" ||
    status=$?
exit $status

#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehaviorSanitizer,
# in ${BUILD_DIR:-build-fuzz}) and runs each for SECONDS (default 60), one after another.
#   scripts/fuzz.sh [SECONDS] [TARGET…]     targets: fuzz_plan_text fuzz_plan_office fuzz_config fuzz_abi_request
# Environment:
#   BUILD_DIR    build folder (default build-fuzz)
#   FUZZ_SEED    libFuzzer's -seed (default: a new one each run; CI fixes it so a run repeats)
#   FUZZ_JOBS    parallel fuzzing processes per target (default 1; more use -fork=N)
#   FUZZ_ARGS    more libFuzzer options, e.g. "-max_len=65536 -only_ascii=1"
# Each target starts from its seed corpus (tests/fuzz/corpus/TARGET, only read) and the
# inputs earlier runs kept ($BUILD_DIR/fuzz/corpus/TARGET, where new coverage is written).
# A crash, sanitizer report, leak, timeout (10 s for one input) or out-of-memory (2 GB)
# is saved as $BUILD_DIR/fuzz/findings/TARGET/crash-… (or leak-, timeout-, oom-); replay it
# with $BUILD_DIR/bin/TARGET FILE. Exit status 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_plan_text fuzz_plan_office fuzz_config fuzz_abi_request)
build_dir=${BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-1}

scripts/setup.sh clang libclang-rt-14-dev >&2

start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRL_FUZZ=ON \
    -DRL_BUILD_TESTS=OFF -DRL_BENCH=OFF >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "$t"); done
if ! cmake --build "$build_dir" -j"$(nproc)" "${build_targets[@]}" >"$build_dir/fuzz-build.log" 2>&1; then
    tail -n 40 "$build_dir/fuzz-build.log" >&2
    echo "fuzz.sh: the build failed (log: $build_dir/fuzz-build.log)" >&2
    exit 1
fi
echo "[fuzz] built in $(($(date +%s) - start)) s (clang, ASan+UBSan, $build_dir)"

work="$build_dir/fuzz"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
    mkdir -p "$work/corpus/$t" "$work/findings/$t" "$work/logs"
    # The ABI target's scratch databases live here, not in /tmp.
    scratch="$work/tmp/$t"
    rm -rf "$scratch" && mkdir -p "$scratch"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$work/findings/$t/")
    [ -f "tests/fuzz/$t.dict" ] && options+=(-dict="tests/fuzz/$t.dict")
    [ -n "${FUZZ_SEED:-}" ] && options+=(-seed="$FUZZ_SEED")
    [ "$jobs" -gt 1 ] && options+=(-fork="$jobs")
    # shellcheck disable=SC2206
    options+=(${FUZZ_ARGS:-})
    log="$work/logs/$t.log"
    echo "[fuzz] $t for $seconds s (log: $log)"
    status=0
    TMPDIR="$scratch" "$build_dir/bin/$t" "${options[@]}" "$work/corpus/$t" "tests/fuzz/corpus/$t" \
        >"$log" 2>&1 || status=$?
    runs=$(grep -aE '^stat::number_of_executed_units' "$log" | tail -n 1 | awk '{print $2}')
    found=$(grep -aE '^(==[0-9]+==ERROR|==== fuzz_abi_request finding|SUMMARY:|.*Test unit written to)' "$log" || true)
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "[fuzz] $t: FOUND SOMETHING after ${runs:-?} executions (exit $status):"
        echo "$found" | sed 's/^/    /'
        tail -n 60 "$log" | sed 's/^/    | /'
    else
        echo "[fuzz] $t: ${runs:-?} executions, nothing found; corpus $(ls "$work/corpus/$t" | wc -l) kept inputs"
    fi
    rm -rf "$scratch"
done
exit "$failed"

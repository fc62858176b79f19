#!/usr/bin/env bash
# README command two: install what is missing, build everything, run the
# whole test suite through ctest. CI (.ci/run) runs exactly this.
#
#   scripts/test.sh [--postgres] [ctest arguments…]
#
# --postgres: also against PostgreSQL: starts a throwaway cluster
# (scripts/pg_cluster.sh) in a temporary folder, exports its URL as
# RL_TEST_POSTGRES_URL for the tests that run on both backends, and stops and
# removes it at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres=0
if [[ ${1:-} == --postgres ]]; then
    postgres=1
    shift
fi
scripts/setup.sh
scripts/build.sh
if [[ $postgres -eq 1 ]]; then
    cluster=$(mktemp -d /tmp/reform-ledger-pg.XXXXXX)
    chmod 755 "$cluster"  # the cluster's user (not root) works in it
    trap 'scripts/pg_cluster.sh stop "$cluster/pg" >/dev/null 2>&1 || true; rm -rf "$cluster"' EXIT
    RL_TEST_POSTGRES_URL=$(scripts/pg_cluster.sh start "$cluster/pg")
    export RL_TEST_POSTGRES_URL
    echo "PostgreSQL for the tests: ${RL_TEST_POSTGRES_URL%%:*}://…@${RL_TEST_POSTGRES_URL#*@}"
fi
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" "$@"

#!/usr/bin/env bash
# README command two: install what is missing, build everything, run the
# whole test suite through ctest. CI (.ci/run) runs exactly this.
#
#   scripts/test.sh [--postgres | --postgres-only] [ctest arguments…]
#
# --postgres: the whole suite on SQLite, then again on PostgreSQL. It starts a
# throwaway cluster (scripts/pg_cluster.sh) in a temporary folder and exports
# its URL as RL_TEST_POSTGRES_URL, so that the storage tests run on both
# backends in the first pass; the second pass runs the ABI, CLI and server
# suites (ctest names abi.*, cli.*, server.*) with RL_TEST_BACKEND=postgresql
# (the plan store's own tests, storage.PlanStoreTest.*, open SQLite files and
# stay in the first pass): every plugin they open, every oa-stub and server they start, keeps its ledger
# in a schema of that cluster (one per test database path). The cluster is
# stopped and removed at the end, whatever happens.
# --postgres-only: only what changes with the server: the cluster test's and the storage tests'
# PostgreSQL half, then the second pass (CI runs the SQLite pass on its own).
# ctest arguments apply to every pass.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres=none
case ${1:-} in
--postgres)
    postgres=both
    shift
    ;;
--postgres-only)
    postgres=only
    shift
    ;;
esac
scripts/setup.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
if [[ $postgres == none ]]; then
    exec ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" "$@"
fi
cluster=$(mktemp -d /tmp/reform-ledger-pg.XXXXXX)
chmod 755 "$cluster"  # the cluster's user (not root) works in it
trap 'scripts/pg_cluster.sh stop "$cluster/pg" >/dev/null 2>&1 || true; rm -rf "$cluster"' EXIT
RL_TEST_POSTGRES_URL=$(scripts/pg_cluster.sh start "$cluster/pg")
export RL_TEST_POSTGRES_URL
echo "PostgreSQL for the tests: ${RL_TEST_POSTGRES_URL%%:*}://…@${RL_TEST_POSTGRES_URL#*@}"
status=0
if [[ $postgres == both ]]; then
    echo "== pass 1: the whole suite (SQLite; the storage tests on both backends)"
    ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" "$@" || status=1
else
    echo "== pass 1: the storage tests' PostgreSQL half and the cluster test on PostgreSQL"
    ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" \
        -R '^(storage\..*[Pp]ostgres|cluster\..*postgresql)' "$@" || status=1
fi
echo "== pass 2: the ABI, CLI and server suites on PostgreSQL (RL_TEST_BACKEND=postgresql)"
RL_TEST_BACKEND=postgresql ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" \
    -R '^(abi|cli|server)\.' "$@" || status=1
exit $status

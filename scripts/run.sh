#!/usr/bin/env bash
# README command one: install what is missing, build, and run the main job —
# oa-stub loads the plugin, which registers its forms, workflow and rules,
# imports the bundled 2019 Yanji plan into ./reform_ledger.db (or --db PATH /
# $REFORM_LEDGER_DB) and prints the ledger.
#
#   scripts/run.sh [oa-stub options]            the main job
#   scripts/run.sh --serve [--port N] [--db PATH]
#       the main job, then the console: reform-ledger-server on 127.0.0.1 with
#       the demo sign-in (choose any person of the demo org chart), its clock
#       starting at 2019-11-08 09:00 so that the demo month (2019-10) is the
#       one being reported on. It prints the address; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

serve=false
port=${PORT:-8080}
stub_args=()
db=${REFORM_LEDGER_DB:-reform_ledger.db}
while (($#)); do
    case "$1" in
    --serve) serve=true ;;
    --port)
        port=${2:?--port needs a number}
        shift
        ;;
    --port=*) port=${1#--port=} ;;
    --db)
        db=${2:?--db needs a path}
        stub_args+=(--db "$db")
        shift
        ;;
    --db=*)
        db=${1#--db=}
        stub_args+=(--db "$db")
        ;;
    *) stub_args+=("$1") ;;
    esac
    shift
done

scripts/setup.sh
bin=${BUILD_DIR:-build}/bin
if ! $serve; then
    scripts/build.sh oa-stub reform_ledger
    exec "$bin/oa-stub" demo "${stub_args[@]}"
fi

scripts/build.sh oa-stub reform_ledger reform-ledger-server
"$bin/oa-stub" demo "${stub_args[@]}"
echo
echo "Starting the console (demo sign-in) on the ledger $db …"
exec "$bin/reform-ledger-server" --demo --database="$db" --now=2019-11-08T09:00 \
    --bind=127.0.0.1 --port="$port"

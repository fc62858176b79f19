#!/usr/bin/env bash
# README command one: install what is missing, build, and run the main job —
# oa-stub loads the plugin, which registers its forms, workflow and rules,
# imports the bundled 2019 Yanji plan into ./reform_ledger.db (or --db PATH /
# $REFORM_LEDGER_DB) and prints the ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh oa-stub reform_ledger
exec "${BUILD_DIR:-build}/bin/oa-stub" demo "$@"

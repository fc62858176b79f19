#!/usr/bin/env bash
# Installs the Debian packages Reform Ledger needs, if any is missing, and
# any named as arguments (scripts/fuzz.sh adds clang and libclang-rt-14-dev,
# .ci/run clang-format). Used by scripts/run.sh and scripts/test.sh; safe to
# run again.
set -euo pipefail

packages=(cmake g++ make binutils libpoco-dev libssl-dev rapidjson-dev libsqlite3-dev libgtest-dev
    googletest libbenchmark-dev openssl valgrind)
# The ledger's Excel export (libxlsxwriter, found through pkg-config).
packages+=(libxlsxwriter-dev pkg-config)
# Test-only: python3 runs scripts/score_plans.py (the importer's accuracy tests); the
# scripts that regenerate the committed Word and Excel fixtures
# (tests/fixtures/plans/make_*.py, tests/fixtures/unseen*/make_unseen*.py) use
# python3-docx and python3-openpyxl.
packages+=(python3 python3-docx python3-openpyxl)
# PostgreSQL: Poco's connector and libpq (the plugin's second backend), and the
# server that scripts/pg_cluster.sh starts for `scripts/test.sh --postgres`.
packages+=(libpq-dev postgresql)
packages+=(default-jdk-headless libjna-java) # the Java host (adapters/java): javac, Debian's JNA
packages+=(chromium chromium-driver python3-selenium fonts-wqy-microhei)  # console browser tests
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

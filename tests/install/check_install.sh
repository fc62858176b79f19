#!/usr/bin/env bash
# Installs the build into a staging prefix and uses only the installed files, as
# an integrator and the court's IT would (README.md, "Installing").
#   check_install.sh stage BUILD_DIR STAGE     cmake --install into STAGE (fresh)
#   check_install.sh find_package STAGE WORK   a host's CMake project, find_package(ReformLedger)
#   check_install.sh pkg_config STAGE WORK     cc $(pkg-config --cflags --libs reform-ledger)
#   check_install.sh hosts STAGE WORK          installed oa-stub and server load the installed plugin
#   check_install.sh layout STAGE BUILD_DIR    the files, SONAME, and no path into the build tree
# RL_SANITIZE (the build's sanitizers) is passed to the hosts built here: a plugin
# built with ASan can only be loaded into a host built with it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fail() { echo "check_install: $*" >&2; exit 1; }
sanitize_flags=""
[ -n "${RL_SANITIZE:-}" ] && sanitize_flags="-fsanitize=${RL_SANITIZE}"
abi_major="$(sed -n 's/^#define RL_ABI_VERSION_MAJOR \([0-9]*\).*/\1/p' "$here/../../api/reform_ledger.h")"
version="${RL_VERSION:?RL_VERSION: the project version}"

# The answer of plugin.info from a host: the installed plugin, this version.
check_info() {
    local output="$1" stage="$2"
    grep -q "^plugin: $stage/" <<<"$output" || fail "the host did not load the plugin under $stage: $output"
    grep -q "\"version\":\"$version\"" <<<"$output" || fail "plugin.info has no version $version: $output"
    grep -q '"schema_version":' <<<"$output" || fail "plugin.info has no schema version: $output"
}

case "$1" in
stage)
    build="$2" stage="$3"
    rm -rf "$stage"
    cmake --install "$build" --prefix "$stage" >/dev/null
    ;;
find_package)
    stage="$2" work="$3"
    rm -rf "$work" && mkdir -p "$work"
    cmake -S "$here/host" -B "$work/build" -DCMAKE_PREFIX_PATH="$stage" \
        -DCMAKE_C_FLAGS="$sanitize_flags" -DCMAKE_EXE_LINKER_FLAGS="$sanitize_flags" >/dev/null
    cmake --build "$work/build" >/dev/null
    output="$("$work/build/host" "$work/ledger.db")"
    echo "$output"
    check_info "$output" "$stage"
    ;;
pkg_config)
    stage="$2" work="$3"
    rm -rf "$work" && mkdir -p "$work"
    pc_dir="$(dirname "$(find "$stage" -name reform-ledger.pc)")"
    export PKG_CONFIG_PATH="$pc_dir"
    plugin="$(pkg-config --variable=plugin reform-ledger)"
    [ -f "$plugin" ] || fail "pkg-config names the plugin $plugin, which is not there"
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -pedantic -Werror $sanitize_flags \
        -DRL_INSTALLED_PLUGIN_PATH="\"$plugin\"" "$here/host/host.c" -o "$work/host" \
        $(pkg-config --cflags --libs reform-ledger)
    output="$("$work/host" "$work/ledger.db")"
    echo "$output"
    check_info "$output" "$stage"
    ;;
hosts)
    stage="$2" work="$3"
    rm -rf "$work" && mkdir -p "$work"
    # oa-stub with no --plugin and no --config: the installed plugin and demo.
    # The dynamic loader's trace says which file it opened.
    trace="$(cd "$work" && LD_DEBUG=files "$stage/bin/oa-stub" --db "$work/stub.db" \
        --now 2019-10-08 demo 2>&1 >"$work/demo.txt")" || { cat "$work/demo.txt"; fail "oa-stub demo failed: $trace"; }
    grep -q "file=$stage/.*libreform_ledger.so.$abi_major .*dynamically loaded" <<<"$trace" ||
        fail "installed oa-stub did not load the installed plugin: $(grep libreform_ledger <<<"$trace")"
    grep -q "Reform Ledger $version loaded" "$work/demo.txt" || fail "oa-stub demo: $(head -3 "$work/demo.txt")"
    # The server with the installed server.properties (its plugin.library), the
    # demo's plugin configuration and a database here: it loads and listens.
    LD_DEBUG=files "$stage/bin/reform-ledger-server" \
        --config="$stage/etc/reform-ledger/server.properties" --demo --port=0 \
        --plugin-config="$stage/share/reform-ledger/demo/config.json" \
        --database="$work/server.db" >"$work/server.out" 2>"$work/server.err" &
    server=$!
    for _ in $(seq 1 600); do
        grep -q "listening on" "$work/server.out" && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    listening="$(grep "listening on" "$work/server.out" || true)"
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" || true
    [ -n "$listening" ] || fail "installed server did not start: $(tail -5 "$work/server.err")"
    grep -q "file=$stage/.*libreform_ledger.so.$abi_major .*dynamically loaded" "$work/server.err" ||
        fail "installed server did not load the installed plugin: $(grep libreform_ledger "$work/server.err")"
    echo "oa-stub and reform-ledger-server load $stage's plugin; server: $listening"
    ;;
layout)
    stage="$2" build="$3"
    for f in bin/oa-stub bin/reform-ledger-server include/reform_ledger.h \
        share/doc/reform-ledger/README.md share/doc/reform-ledger/docs/abi.md \
        share/doc/reform-ledger/docs/server.md share/doc/reform-ledger/docs/performance.md \
        share/reform-ledger/demo/org-chart.json \
        etc/reform-ledger/server.properties etc/reform-ledger/plugin.json \
        lib/systemd/system/reform-ledger-server.service; do
        [ -e "$stage/$f" ] || fail "not installed: $f"
    done
    plugin="$(find "$stage" -name "libreform_ledger.so.$abi_major" | head -1)"
    [ -n "$plugin" ] || fail "no libreform_ledger.so.$abi_major installed"
    soname="$(readelf -d "$plugin" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
    [ "$soname" = "libreform_ledger.so.$abi_major" ] || fail "SONAME '$soname'"
    [ -n "$(find "$stage" -name ReformLedgerConfigVersion.cmake)" ] || fail "no package version file"
    # Nothing installed names the build tree (binaries find the plugin relative to bin/).
    if grep -rl --binary-files=text "$(cd "$build" && pwd)/bin" "$stage/etc" "$stage/lib" \
        "$stage/share" >/dev/null 2>&1; then
        fail "installed files name the build tree: $(grep -rl --binary-files=text "$build/bin" "$stage/etc" "$stage/lib" "$stage/share")"
    fi
    grep -q "^auth.hs256_secret\b\|^auth.hs256_secret *=" "$stage/etc/reform-ledger/server.properties" &&
        fail "the default configuration carries a secret"
    grep -q "whsec_" "$stage/etc/reform-ledger/plugin.json" && fail "plugin.json carries a secret"
    unit="$stage/lib/systemd/system/reform-ledger-server.service"
    grep -q "^ExecStart=$stage/bin/reform-ledger-server --config=$stage/etc/reform-ledger/server.properties$" "$unit" ||
        fail "unit ExecStart: $(grep ExecStart "$unit")"
    for key in User=reform-ledger StateDirectory=reform-ledger NoNewPrivileges=yes \
        ProtectSystem=strict Restart=on-failure; do
        grep -q "^$key$" "$unit" || fail "unit lacks $key"
    done
    if command -v systemd-analyze >/dev/null; then
        # Only the unit's own syntax: the user and binary need not exist here.
        out="$(systemd-analyze verify "$unit" 2>&1 || true)"
        if grep -v "reform-ledger-server\b.*\(No such file\|not executable\|Failed to\|User\)" <<<"$out" |
            grep -qi "unknown\|invalid\|failed to parse"; then
            fail "systemd-analyze verify: $out"
        fi
    fi
    echo "layout: ok ($plugin, SONAME $soname)"
    ;;
*) fail "unknown step $1" ;;
esac

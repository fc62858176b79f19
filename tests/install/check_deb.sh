#!/usr/bin/env bash
# Builds the Debian package with CPack and checks what it holds and depends on,
# with dpkg-deb only: nothing is installed on this machine.
#   check_deb.sh BUILD_DIR WORK
set -euo pipefail
build="$1" work="$2"
fail() { echo "check_deb: $*" >&2; exit 1; }
version="${RL_VERSION:?RL_VERSION: the project version}"
rm -rf "$work" && mkdir -p "$work"
cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$(find "$work" -maxdepth 1 -name 'reform-ledger_*.deb')"
[ -n "$deb" ] || fail "no reform-ledger_*.deb in $work: $(ls "$work")"

info="$(dpkg-deb -I "$deb")"
echo "$info"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "reform-ledger" ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends="$(field Depends)"
for dep in libc6 libstdc++6 libpoco libssl libsqlite3 libxlsxwriter adduser; do
    grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
for script in postinst prerm postrm conffiles; do
    grep -q " $script" <<<"$info" || fail "no $script in the control archive"
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = \
  "$(printf '/etc/reform-ledger/server.properties\n/etc/reform-ledger/plugin.json')" ] ||
    fail "conffiles: $(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)"

contents="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/oa-stub ./usr/bin/reform-ledger-server ./usr/lib/libreform_ledger.so.1 \
    ./usr/include/reform_ledger.h ./usr/lib/pkgconfig/reform-ledger.pc \
    ./usr/lib/cmake/ReformLedger/ReformLedgerConfig.cmake \
    ./usr/lib/cmake/ReformLedger/ReformLedgerConfigVersion.cmake \
    ./usr/share/doc/reform-ledger/README.md ./usr/share/doc/reform-ledger/docs/server.md \
    ./usr/share/reform-ledger/demo/org-chart.json ./etc/reform-ledger/server.properties \
    ./etc/reform-ledger/plugin.json ./lib/systemd/system/reform-ledger-server.service; do
    grep -q " $f\( \|$\)" <<<"$contents" || fail "the package lacks $f"
done
# Nothing of the staging folders leaked into the paths the package names. (The
# executables carry the build tree's paths for when they run there, used only
# when they run from it: check_install.sh hosts.)
dpkg-deb -x "$deb" "$work/root"
unit="$work/root/lib/systemd/system/reform-ledger-server.service"
grep -q "^ExecStart=/usr/bin/reform-ledger-server --config=/etc/reform-ledger/server.properties$" "$unit" ||
    fail "unit: $(grep ExecStart "$unit")"
grep -q "^plugin.library = /usr/lib/libreform_ledger.so.1$" "$work/root/etc/reform-ledger/server.properties" ||
    fail "server.properties: $(grep plugin.library "$work/root/etc/reform-ledger/server.properties")"
grep -q "^prefix=/usr$" "$work/root/usr/lib/pkgconfig/reform-ledger.pc" ||
    fail "reform-ledger.pc: $(grep prefix= "$work/root/usr/lib/pkgconfig/reform-ledger.pc")"
named="$(grep -rl --binary-files=text "$work\|$(cd "$build" && pwd)/bin" "$work/root/etc" \
    "$work/root/lib" "$work/root/usr/lib" "$work/root/usr/share" || true)"
[ -z "$named" ] || fail "the package names a build or staging path: $named"
echo "$(basename "$deb"): $(echo "$contents" | wc -l) entries; Depends: $depends"

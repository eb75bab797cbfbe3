#!/usr/bin/env bash
# msi-wine-test.sh [EXE] — the Windows installer end to end under Wine (CI runs it after `make windows`):
#   1. builds two MSIs of EXE (default dist/MotCua.exe): the version of FyneApp.toml (kept as
#      dist/MotCua-VERSION.msi) and a "newer" one (PATCH+1), both Authenticode-signed with a throw-away
#      self-signed certificate (unless SIGN_PFX/SIGN_CERT is given), and verifies the signatures;
#   2. silent install (msiexec /i … /qn): program in C:\Program Files\MotCua, Start-menu and desktop
#      shortcuts "Một Cửa", the uninstall entry (ARP) with its version; the installed .exe is signed;
#   3. the installed program starts (demo data in %AppData%\MotCua) and shows its window: screenshot
#      docs/screenshots/windows-msi.png;
#   4. a file is put in the data folder; the newer MSI upgrades in place: one uninstall entry, the new
#      version, the data folder untouched; the older MSI then refuses to install over the newer one;
#   5. silent uninstall (msiexec /x … /qn): program, shortcuts and uninstall entry gone, data kept;
#   6. when motcua-hub.exe is beside EXE: it installs as a Windows service, answers /v1/health, stops
#      gracefully and uninstalls.
# Any step that does not happen fails the script. Needs wixl, msitools, osslsigncode, openssl, wine64,
# mingw, Xvfb, ImageMagick (scripts/deps.sh windows).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
EXE=$(readlink -f "${1:-dist/MotCua.exe}")
SHOT=${SHOT:-docs/screenshots/windows-msi.png}
[ -f "$EXE" ] || { echo "msi-wine-test: $EXE is missing: run make windows first" >&2; exit 1; }
WINE=$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)
[ -x "$WINE" ] || { echo "msi-wine-test: wine64 is not installed (scripts/deps.sh windows)" >&2; exit 1; }
export PATH="$PATH:/usr/lib/wine"

work=$(mktemp -d)
cleanup() {
  kill "${APP_PID:-}" 2>/dev/null || true
  WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true
  kill "${XVFB_PID:-}" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
  echo "msi-wine-test: FAIL: $*" >&2
  for l in "$work"/*.log; do [ -s "$l" ] && { echo "--- $(basename "$l") (last lines)" >&2; tail -n 15 "$l" >&2; }; done
  exit 1
}
ok() { echo "ok   $*"; }
step() { echo "---- $* ($(($(date +%s) - start)) s)"; }

# ---------------------------------------------------------------- 1. two signed MSIs
step "build and sign"
v1=$(scripts/version.sh msi)
IFS=. read -r ma mi pa <<<"$v1"
v2="$ma.$mi.$((pa + 1))"
if [ -z "${SIGN_PFX:-}" ] && [ -z "${SIGN_CERT:-}" ]; then
  openssl req -x509 -newkey rsa:3072 -sha256 -days 2 -nodes -subj "/CN=Mot Cua CI test (throw-away)/O=Mot Cua" \
    -addext "extendedKeyUsage=codeSigning" -keyout "$work/test.key" -out "$work/test.crt" 2>"$work/openssl.txt" ||
    fail "openssl could not make the test certificate"
  export SIGN_CERT="$work/test.crt" SIGN_KEY="$work/test.key"
  CAFILE="$work/test.crt"
fi
MSI1=dist/MotCua-$v1.msi
MSI2=$work/MotCua-$v2.msi
scripts/msi.sh "$EXE" "$MSI1" >"$work/msi1.log" 2>&1 || fail "scripts/msi.sh $v1"
MOTCUA_VERSION=$v2 scripts/msi.sh "$EXE" "$MSI2" >"$work/msi2.log" 2>&1 || fail "scripts/msi.sh $v2"
ok "built $MSI1 ($(du -k "$MSI1" | cut -f1) KB) and the newer $v2"
verify() { # verify FILE: an Authenticode signature that checks against the test certificate
  local args=(verify -in "$1")
  [ -n "${CAFILE:-}" ] && args+=(-CAfile "$CAFILE")
  osslsigncode "${args[@]}" >"$work/verify.txt" 2>&1 || fail "the signature of $1 does not verify"
  grep -q "Signature verification: ok" "$work/verify.txt" || fail "osslsigncode did not say ok for $1"
}
verify "$MSI1"
verify "$MSI2"
ok "both MSIs carry a valid Authenticode signature"
# a changed byte must break it (the check can fail)
cp "$MSI1" "$work/tampered.msi"
printf 'X' | dd of="$work/tampered.msi" bs=1 seek=$(( $(stat -c %s "$MSI1") / 2 )) conv=notrunc 2>/dev/null
if osslsigncode verify -in "$work/tampered.msi" ${CAFILE:+-CAfile "$CAFILE"} >/dev/null 2>&1; then
  fail "a tampered MSI still verifies"
fi
ok "a tampered MSI fails verification"
product_code() { msiinfo export "$1" Property | awk -F'\t' '$1 == "ProductCode" { print $2 }' | tr -d '\r'; }
PC1=$(product_code "$MSI1"); PC2=$(product_code "$MSI2")
[ -n "$PC1" ] && [ -n "$PC2" ] && [ "$PC1" != "$PC2" ] || fail "product codes: '$PC1' '$PC2'"

# ---------------------------------------------------------------- Wine, Xvfb
step "wine prefix"
# HOME in the work folder: Wine links the user's Desktop to $HOME and winemenubuilder writes menus there.
mkdir -p "$work/home"
export HOME="$work/home" WINEPREFIX="$work/prefix" WINEDEBUG=-all
export WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml=;winemenubuilder.exe="
# Debian's Wine 8 lacks ProcessPrng, which Go ≥ 1.24 programs call at start (shared/toolchain.md).
cat >"$work/prng.c" <<'C'
#include <windows.h>
#define RtlGenRandom SystemFunction036
BOOLEAN NTAPI RtlGenRandom(PVOID, ULONG);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n; len -= n;
  }
  return TRUE;
}
C
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" "$work/prng.c" -ladvapi32 -Wl,--export-all-symbols
DISP=140
while [ -e "/tmp/.X11-unix/X$DISP" ] || [ -e "/tmp/.X$DISP-lock" ]; do DISP=$((DISP + 1)); done
Xvfb ":$DISP" -screen 0 1366x768x24 -nolisten tcp >"$work/xvfb.txt" 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISP"
for _ in $(seq 1 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
"$WINE" wineboot -i >"$work/wineboot.txt" 2>&1 || true
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
C="$WINEPREFIX/drive_c"
PF="$C/Program Files/MotCua"
USERNAME_W=$(ls "$C/users" | grep -v -x Public | head -n1)
DATA="$C/users/$USERNAME_W/AppData/Roaming/MotCua"
# Windows puts per-machine shortcuts in the common folders; Wine 8's msi uses the user's folders.
STARTMENU=("$C/ProgramData/Microsoft/Windows/Start Menu/Programs/Một Cửa.lnk"
  "$C/users/$USERNAME_W/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Một Cửa.lnk")
DESKTOP=("$C/users/Public/Desktop/Một Cửa.lnk" "$C/users/$USERNAME_W/Desktop/Một Cửa.lnk")
any_exists() { for f in "$@"; do [ -e "$f" ] && return 0; done; return 1; }
UNINST='HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\Uninstall'

msiexec() { # msiexec LOG ARGS… → msiexec's exit status
  local log=$1; shift
  local rc=0
  "$WINE" msiexec "$@" /qn /l*v "$("$WINE" winepath -w "$work/$log")" >>"$work/wine.txt" 2>&1 || rc=$?
  "$WINE" wineserver -w 2>/dev/null || WINEPREFIX="$WINEPREFIX" wineserver -w 2>/dev/null || true
  return $rc
}
# `reg query` prints in the console's ANSI code page (Vietnamese becomes "?"): export as UTF-16 instead.
reg_dump() { # reg_dump KEY → the key and its subkeys as UTF-8 .reg text, empty if missing
  rm -f "$work/reg.reg"
  "$WINE" reg export "$1" "$("$WINE" winepath -w "$work/reg.reg")" /y >/dev/null 2>&1 || return 0
  iconv -f utf-16 -t utf-8 "$work/reg.reg" | tr -d '\r'
}
reg_value() { # reg_value KEY NAME → the string value's data, empty if missing
  reg_dump "$1" | K="[$1]" N="\"$2\"=" awk '/^\[/ { on = (toupper($0) == toupper(ENVIRON["K"])) }
    on && index($0, ENVIRON["N"]) == 1 { v = substr($0, length(ENVIRON["N"]) + 1); gsub(/^"|"$/, "", v); print v; exit }'
}
arp_entries() { # the number of uninstall entries named Một Cửa
  reg_dump "$UNINST" | grep -c '^"DisplayName"="Một Cửa"$' || true
}

# ---------------------------------------------------------------- 2. silent install
step "install $v1"
msiexec install1.log /i "$("$WINE" winepath -w "$MSI1")" || fail "msiexec /i $v1 /qn exited $?"
[ -f "$PF/MotCua.exe" ] || fail "C:\\Program Files\\MotCua\\MotCua.exe is not there after the install"
cmp -s "$PF/MotCua.exe" "$EXE" && fail "the installed MotCua.exe is not signed (same bytes as the unsigned build)"
verify "$PF/MotCua.exe"
ok "MotCua.exe installed in C:\\Program Files\\MotCua, Authenticode-signed"
any_exists "${STARTMENU[@]}" || fail "no Start-menu shortcut 'Một Cửa'"
any_exists "${DESKTOP[@]}" || fail "no desktop shortcut 'Một Cửa'"
ok "Start-menu and desktop shortcuts 'Một Cửa'"
[ "$(reg_value "$UNINST\\$PC1" DisplayName)" = "Một Cửa" ] || fail "no uninstall entry $PC1 named Một Cửa"
[ "$(reg_value "$UNINST\\$PC1" DisplayVersion)" = "$v1" ] || fail "the uninstall entry does not say version $v1"
ok "uninstall entry: Một Cửa $v1"
[ -e "$DATA" ] && fail "the installer created the data folder (it belongs to the program)"

# ---------------------------------------------------------------- 3. the installed program shows its window
step "start the installed program"
big_window() {
  xwininfo -root -children 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+-?[0-9]+\+-?[0-9]+$/) { split($i, a, /[x+]/); if (a[1] >= 640 && a[2] >= 400) { print $i; exit } } }'
}
run_program() { # run_program: starts the installed program with demo data, waits for its window
  "$WINE" 'C:\Program Files\MotCua\MotCua.exe' --demo >"$work/app.txt" 2>&1 &
  APP_PID=$!
  geo=""
  for _ in $(seq 1 240); do
    geo=$(big_window)
    [ -n "$geo" ] && break
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$geo" ] || { tail -n 20 "$work/app.txt" >&2; fail "the installed program never showed a window"; }
}
stop_program() {
  kill "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  "$WINE" wineserver -k 2>/dev/null || true
  for _ in $(seq 1 40); do [ -z "$(big_window)" ] && break; sleep 0.25; done
}
run_program
sleep 4 # let the first frames render
mkdir -p "$(dirname "$SHOT")"
import -window root "$SHOT"
ok "the installed program shows its window ($geo); screenshot $SHOT"
stop_program
[ -f "$DATA/motcua.db" ] || fail "the program wrote no database in %AppData%\\MotCua"
ok "the program keeps its data in %AppData%\\MotCua"

# ---------------------------------------------------------------- 4. upgrade in place
step "upgrade to $v2"
echo "hồ sơ của văn phòng — phải còn sau nâng cấp và gỡ cài đặt" >"$DATA/giu-lai.txt"
before=$(cd "$DATA" && find . -type f -exec sha256sum {} + | sort)
msiexec upgrade.log /i "$("$WINE" winepath -w "$MSI2")" || fail "msiexec /i $v2 /qn (upgrade) exited $?"
[ -f "$PF/MotCua.exe" ] || fail "MotCua.exe is gone after the upgrade"
[ "$(reg_value "$UNINST\\$PC2" DisplayVersion)" = "$v2" ] || fail "no uninstall entry for $v2 after the upgrade"
[ -z "$(reg_value "$UNINST\\$PC1" DisplayVersion)" ] || fail "the $v1 uninstall entry is still there: not an in-place upgrade"
[ "$(arp_entries)" = 1 ] || fail "$(arp_entries) uninstall entries named Một Cửa after the upgrade (want 1)"
[ "$(reg_value 'HKEY_LOCAL_MACHINE\Software\MotCua' Version)" = "$v2" ] || fail "HKLM\\Software\\MotCua Version is not $v2"
ok "upgraded in place: one uninstall entry, version $v2"
after=$(cd "$DATA" && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] || fail "the upgrade changed the data folder"
ok "data folder untouched by the upgrade ($(echo "$after" | wc -l) files)"
if msiexec downgrade.log /i "$("$WINE" winepath -w "$MSI1")"; then
  fail "the older $v1 installed over $v2"
fi
[ "$(reg_value "$UNINST\\$PC2" DisplayVersion)" = "$v2" ] || fail "the refused downgrade removed $v2"
ok "the older MSI refuses to replace the newer one"

# ---------------------------------------------------------------- 5. silent uninstall
step "uninstall"
msiexec uninstall.log /x "$PC2" || fail "msiexec /x $PC2 /qn exited $?"
[ -e "$PF/MotCua.exe" ] && fail "MotCua.exe is still there after the uninstall"
[ -e "$PF" ] && fail "C:\\Program Files\\MotCua is still there after the uninstall"
any_exists "${STARTMENU[@]}" && fail "the Start-menu shortcut is still there"
any_exists "${DESKTOP[@]}" && fail "the desktop shortcut is still there"
[ "$(arp_entries)" = 0 ] || fail "an uninstall entry is left"
ok "uninstalled: program, shortcuts and uninstall entry gone"
after=$(cd "$DATA" && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] || fail "the uninstall touched the data folder"
ok "data folder kept by the uninstall"

# ---------------------------------------------------------------- 6. the hub as a Windows service
HUBEXE=${HUBEXE:-$(dirname "$EXE")/motcua-hub.exe}
if [ -f "$HUBEXE" ]; then
  step "motcua-hub as a Windows service"
  cp "$HUBEXE" "$C/motcua-hub.exe"
  port=$((20000 + RANDOM % 20000))
  http_get() { # http_get PORT PATH → the body (bash's /dev/tcp: no curl needed)
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    timeout 5 cat <&3 | tr -d '\r' | sed '1,/^$/d'
    exec 3<&-
  }
  hub() { "$WINE" 'C:\motcua-hub.exe' "$@" >>"$work/hub.txt" 2>&1; }
  wineserver -p 120 # keep the service manager up between the commands
  hub service install --data 'C:\hubdata' --addr "127.0.0.1:$port" || fail "motcua-hub service install"
  hub service start || grep -q "already running" "$work/hub.txt" || fail "motcua-hub service start"
  health=""
  for _ in $(seq 1 60); do
    health=$(http_get "$port" /v1/health || true)
    [ -n "$health" ] && break
    sleep 0.5
  done
  [ "$health" = '{"status":"ok"}' ] || fail "the hub service does not answer /v1/health ($health)"
  ok "the hub runs as the Windows service motcua-hub and answers /v1/health"
  hub service stop || fail "motcua-hub service stop"
  for _ in $(seq 1 40); do grep -q "shutting down" "$C/hubdata/logs/hub.log" 2>/dev/null && break; sleep 0.25; done
  grep -q "shutting down" "$C/hubdata/logs/hub.log" || fail "the service did not shut down gracefully (DATA\\logs\\hub.log)"
  hub service uninstall || fail "motcua-hub service uninstall"
  [ -f "$C/hubdata/hub.db" ] || fail "the hub's data folder is gone after service uninstall"
  ok "stopped gracefully (logged in C:\\hubdata\\logs\\hub.log), uninstalled, data kept"
fi
step "done: $MSI1 passed install, start, upgrade, downgrade refusal and uninstall under Wine"

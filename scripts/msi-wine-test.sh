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
#   4b. update through the hub: a hub on loopback publishes the signed v3 (a copy of the program linked
#      with a throw-away release key); the program, signed in as the demo administrator, shows
#      "Có phiên bản mới" (screenshot …-update.png), the click and the confirmation run the installer,
#      v3 replaces v2 in place and the program starts again;
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
  kill "${APP_PID:-}" "${HUB_PID:-}" 2>/dev/null || true
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
v3="$ma.$mi.$((pa + 2))"
ARTIFACT=dist/MotCua-$v1.msi
scripts/msi.sh "$EXE" "$ARTIFACT" >"$work/msi0.log" 2>&1 || fail "scripts/msi.sh $v1"
ok "built $ARTIFACT ($(du -k "$ARTIFACT" | cut -f1) KB) from $(basename "$EXE")"
# The hub, the seeder and the release tool (pure Go, Linux); a throw-away release key, linked into a copy
# of the program (-X motcua/release.extraKeys: a relink, the compiled packages come from the cache), from
# which the three test MSIs are built: v1, v2 (upgrade with msiexec), v3 (update through the hub).
mkdir -p "$work/bin"
go build -o "$work/bin/" ./cmd/hub ./cmd/motcua-seed ./cmd/release-sign >"$work/gobuild.txt" 2>&1 || fail "go build of the Linux tools"
"$work/bin/release-sign" keygen --out "$work/relkey" >/dev/null || fail "release keygen"
TESTEXE=$work/MotCua.exe
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc go build \
  -ldflags "-H windowsgui -s -w -X 'motcua/release.extraKeys=$(cat "$work/relkey.pub")'" -o "$TESTEXE" . \
  >>"$work/gobuild.txt" 2>&1 || fail "linking MotCua.exe with the test release key"
MSI1=$work/MotCua-$v1.msi
MSI2=$work/MotCua-$v2.msi
MSI3=$work/MotCua-$v3.msi
scripts/msi.sh "$TESTEXE" "$MSI1" >"$work/msi1.log" 2>&1 || fail "scripts/msi.sh $v1"
MOTCUA_VERSION=$v2 scripts/msi.sh "$TESTEXE" "$MSI2" >"$work/msi2.log" 2>&1 || fail "scripts/msi.sh $v2"
MOTCUA_VERSION=$v3 scripts/msi.sh "$TESTEXE" "$MSI3" >"$work/msi3.log" 2>&1 || fail "scripts/msi.sh $v3"
ok "test MSIs $v1, $v2, $v3 of MotCua.exe with a throw-away release key"
verify() { # verify FILE: an Authenticode signature that checks against the test certificate
  local args=(verify -in "$1")
  [ -n "${CAFILE:-}" ] && args+=(-CAfile "$CAFILE")
  osslsigncode "${args[@]}" >"$work/verify.txt" 2>&1 || fail "the signature of $1 does not verify"
  grep -q "Signature verification: ok" "$work/verify.txt" || fail "osslsigncode did not say ok for $1"
}
verify "$ARTIFACT"
verify "$MSI1"
verify "$MSI2"
verify "$MSI3"
ok "the MSIs carry a valid Authenticode signature"
# a changed byte must break it (the check can fail)
cp "$MSI1" "$work/tampered.msi"
printf 'X' | dd of="$work/tampered.msi" bs=1 seek=$(( $(stat -c %s "$MSI1") / 2 )) conv=notrunc 2>/dev/null
if osslsigncode verify -in "$work/tampered.msi" ${CAFILE:+-CAfile "$CAFILE"} >/dev/null 2>&1; then
  fail "a tampered MSI still verifies"
fi
ok "a tampered MSI fails verification"
product_code() { msiinfo export "$1" Property | awk -F'\t' '$1 == "ProductCode" { print $2 }' | tr -d '\r'; }
PC1=$(product_code "$MSI1"); PC2=$(product_code "$MSI2"); PC3=$(product_code "$MSI3")
[ -n "$PC1" ] && [ -n "$PC2" ] && [ -n "$PC3" ] && [ "$PC1" != "$PC2" ] && [ "$PC2" != "$PC3" ] ||
  fail "product codes: '$PC1' '$PC2' '$PC3'"

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
  wineserver -w 2>/dev/null || true
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
cmp -s "$PF/MotCua.exe" "$TESTEXE" && fail "the installed MotCua.exe is not signed (same bytes as the unsigned build)"
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
  wineserver -k 2>/dev/null || true
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

data_state() { (cd "$DATA" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# ---------------------------------------------------------------- 4. upgrade in place
step "upgrade to $v2"
echo "hồ sơ của văn phòng — phải còn sau nâng cấp và gỡ cài đặt" >"$DATA/giu-lai.txt"
before=$(data_state)
msiexec upgrade.log /i "$("$WINE" winepath -w "$MSI2")" || fail "msiexec /i $v2 /qn (upgrade) exited $?"
[ -f "$PF/MotCua.exe" ] || fail "MotCua.exe is gone after the upgrade"
[ "$(reg_value "$UNINST\\$PC2" DisplayVersion)" = "$v2" ] || fail "no uninstall entry for $v2 after the upgrade"
[ -z "$(reg_value "$UNINST\\$PC1" DisplayVersion)" ] || fail "the $v1 uninstall entry is still there: not an in-place upgrade"
[ "$(arp_entries)" = 1 ] || fail "$(arp_entries) uninstall entries named Một Cửa after the upgrade (want 1)"
[ "$(reg_value 'HKEY_LOCAL_MACHINE\Software\MotCua' Version)" = "$v2" ] || fail "HKLM\\Software\\MotCua Version is not $v2"
ok "upgraded in place: one uninstall entry, version $v2"
after=$(data_state)
[ "$before" = "$after" ] || fail "the upgrade changed the data folder"
ok "data folder untouched by the upgrade ($(echo "$after" | wc -l) files)"
if msiexec downgrade.log /i "$("$WINE" winepath -w "$MSI1")"; then
  fail "the older $v1 installed over $v2"
fi
[ "$(reg_value "$UNINST\\$PC2" DisplayVersion)" = "$v2" ] || fail "the refused downgrade removed $v2"
ok "the older MSI refuses to replace the newer one"

# ---------------------------------------------------------------- 4b. update through the hub
step "update to $v3 through the hub"
# a hub on loopback with the office's agency and the signed release (administration commands first,
# then serve), and the office's settings pointing at it
HUBDATA=$work/hubdata
"$work/bin/hub" agency add --data "$HUBDATA" --code 000.00.31.H56 --name "UBND xã Tân Lập" --level commune \
  >"$work/agency.key" 2>/dev/null || fail "hub agency add"
"$work/bin/release-sign" sign --key "$work/relkey.key" --msi "$MSI3" --version "$v3" >/dev/null || fail "release sign"
"$work/bin/hub" release publish --data "$HUBDATA" --msi "$MSI3" --version "$v3" --sig "$MSI3.sig" \
  --notes "Bản thử nghiệm $v3: mẫu phiếu tiếp nhận mới" --pub "$work/relkey.pub" >/dev/null || fail "hub release publish"
hubport=$((20000 + RANDOM % 20000))
"$work/bin/hub" serve --data "$HUBDATA" --addr "127.0.0.1:$hubport" --rate 0 2>"$work/hub-serve.txt" &
HUB_PID=$!
"$work/bin/motcua-seed" --data "$DATA" --hub "http://127.0.0.1:$hubport" --key-file "$work/agency.key" 2>/dev/null ||
  fail "motcua-seed could not point the office at the hub"
blue_center() { # blue_center X Y W H → "x y" of the primary-coloured pixels in that screen rectangle, if many
  import -window root "$work/screen.png"
  convert "$work/screen.png" -crop "$3x$4+$1+$2" txt:- | awk -v ox="$1" -v oy="$2" 'NR > 1 {
    split($2, c, /[(),]/); if (c[4] > 200 && c[2] < 140 && c[3] > 120 && c[3] < 190) { split($1, p, /[,:]/); n++; sx += p[1]; sy += p[2] } }
    END { if (n > 150) printf "%d %d\n", ox + sx / n, oy + sy / n }'
}
"$WINE" 'C:\Program Files\MotCua\MotCua.exe' >"$work/app2.txt" 2>&1 &
APP_PID=$!
geo=""
for _ in $(seq 1 240); do geo=$(big_window); [ -n "$geo" ] && break; sleep 0.5; done
[ -n "$geo" ] || fail "the upgraded program never showed a window"
IFS='x+' read -r gw gh gx gy <<<"$geo"
sleep 3
# sign in as the demo administrator (the user name field has the focus)
xdotool mousemove $((gx + gw / 2)) $((gy + gh / 2))
xdotool type --delay 60 quantri && xdotool key Return && xdotool type --delay 60 demo && xdotool key Return
# the updater checks 20 s after start: wait for the status bar's "Có phiên bản mới"
btn=""
for _ in $(seq 1 90); do
  btn=$(blue_center $((gx + gw / 3)) $((gy + gh - 44)) $((gw * 2 / 3)) 44)
  [ -n "$btn" ] && break
  sleep 1
done
[ -n "$btn" ] || { cp "$work/screen.png" "$work/no-update.png"; fail "the status bar never showed the update (see the hub log: $(tail -n 3 "$work/hub-serve.txt"))"; }
cp "$work/screen.png" "${SHOT%.png}-update.png"
ok "the program found $v3 on the hub and shows it in the status bar; screenshot ${SHOT%.png}-update.png"
xdotool mousemove $btn click 1
sleep 2
confirm=""
for _ in $(seq 1 10); do
  confirm=$(blue_center $((gx + gw / 5)) $((gy + gh / 5)) $((gw * 3 / 5)) $((gh * 3 / 5)))
  [ -n "$confirm" ] && break
  sleep 0.5
done
[ -n "$confirm" ] || fail "no install button in the update dialog"
cp "$work/screen.png" "${SHOT%.png}-update-dialog.png"
xdotool mousemove $confirm click 1
# the program quits; msiexec upgrades it in place; the program starts again
for _ in $(seq 1 180); do
  [ "$(reg_value "$UNINST\\$PC3" DisplayVersion)" = "$v3" ] && break
  sleep 1
done
[ "$(reg_value "$UNINST\\$PC3" DisplayVersion)" = "$v3" ] || fail "the update through the hub did not install $v3"
[ "$(arp_entries)" = 1 ] || fail "$(arp_entries) uninstall entries after the update (want 1)"
ok "the office administrator's click installed $v3 in place (msiexec log in %AppData%\\MotCua\\updates)"
[ -f "$DATA/updates/MotCua-$v3.msi" ] && [ -f "$DATA/updates/MotCua-$v3.log" ] || fail "no verified download and installer log in the updates folder"
geo=""
for _ in $(seq 1 120); do geo=$(big_window); [ -n "$geo" ] && break; sleep 0.5; done
[ -n "$geo" ] || fail "the program did not start again after the update"
ok "the program started again after the update"
stop_program
kill "$HUB_PID" 2>/dev/null || true
grep -q "phải còn sau nâng cấp" "$DATA/giu-lai.txt" 2>/dev/null || fail "the update lost the data folder's file"
ok "data folder kept by the update"
before=$(data_state)

# ---------------------------------------------------------------- 5. silent uninstall
step "uninstall"
msiexec uninstall.log /x "$PC3" || fail "msiexec /x $PC3 /qn exited $?"
[ -e "$PF/MotCua.exe" ] && fail "MotCua.exe is still there after the uninstall"
[ -e "$PF" ] && fail "C:\\Program Files\\MotCua is still there after the uninstall"
any_exists "${STARTMENU[@]}" && fail "the Start-menu shortcut is still there"
any_exists "${DESKTOP[@]}" && fail "the desktop shortcut is still there"
[ "$(arp_entries)" = 0 ] || fail "an uninstall entry is left"
ok "uninstalled: program, shortcuts and uninstall entry gone"
after=$(data_state)
[ "$before" = "$after" ] || fail "the uninstall touched the data folder"
ok "data folder kept by the uninstall"

# ---------------------------------------------------------------- 6. the hub as a Windows service
HUBEXE=${HUBEXE:-$(dirname "$EXE")/motcua-hub.exe}
if [ -f "$HUBEXE" ]; then
  step "motcua-hub as a Windows service"
  cp "$HUBEXE" "$C/motcua-hub.exe"
  port=$((20000 + RANDOM % 20000))
  http_get() { # http_get PORT PATH → the body (bash's /dev/tcp: no curl needed)
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    timeout 5 cat <&3 | tr -d '\r' | sed '1,/^$/d'
    exec 3<&-
  }
  hub() { "$WINE" 'C:\motcua-hub.exe' "$@" >>"$work/hub.txt" 2>&1; }
  # a persistent wineserver keeps the service manager (and the service) up between the commands
  wineserver -k 2>/dev/null || true
  wineserver -w 2>/dev/null || true
  wineserver -p 120
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
step "done: $ARTIFACT built and signed; install, start, upgrade, downgrade refusal, update through the hub, uninstall and the hub service passed under Wine"

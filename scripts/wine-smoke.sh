#!/usr/bin/env bash
# wine-smoke.sh EXE [OUT.png] — starts the Windows build under Wine + Xvfb
# with demo data and takes a screenshot; fails if no window appears.
#
# Debian's Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Go ≥ 1.24
# programs call at start: a tiny stub DLL built with mingw forwards it to
# RtlGenRandom (shared/toolchain.md).
set -euo pipefail
cd "$(dirname "$0")/.."
EXE=$(readlink -f "${1:-dist/MotCua.exe}")
OUT=${2:-docs/screenshots/windows-wine.png}
mkdir -p "$(dirname "$OUT")"
WINE=$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)
[ -x "$WINE" ] || { echo "wine64 is not installed (scripts/deps.sh windows)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml="
export PATH="$PATH:/usr/lib/wine"

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
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" "$work/prng.c" -ladvapi32 \
  -Wl,--export-all-symbols

DISP=120
while [ -e "/tmp/.X11-unix/X$DISP" ] || [ -e "/tmp/.X$DISP-lock" ]; do DISP=$((DISP + 1)); done
Xvfb ":$DISP" -screen 0 1366x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISP"
for _ in $(seq 1 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done

"$WINE" wineboot -i >"$work/wineboot.log" 2>&1 || true
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

DATA_WIN='C:\motcua-demo'
"$WINE" "$EXE" --demo --data "$DATA_WIN" >"$work/app.log" 2>&1 &
APP_PID=$!

# Wait up to 120 s for a large top-level window.
geo=""
for _ in $(seq 1 240); do
  geo=$(xwininfo -root -children 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+-?[0-9]+\+-?[0-9]+$/) { split($i, a, /[x+]/); if (a[1] >= 640 && a[2] >= 400) { print $i; exit } } }')
  [ -n "$geo" ] && break
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$geo" ]; then
  echo "the Windows build never showed a window under Wine" >&2
  tail -n 30 "$work/app.log" >&2
  exit 1
fi
sleep 4 # let the first frames render
import -window root "$OUT"
echo "window $geo; screenshot $OUT"
log="$WINEPREFIX/drive_c/motcua-demo/logs/motcua.log"
[ -f "$log" ] && grep -q "starting" "$log" && echo "log file written in the data folder"

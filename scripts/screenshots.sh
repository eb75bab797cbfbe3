#!/usr/bin/env bash
# screenshots.sh [OUTDIR] — build the real binary, run it under Xvfb with demo
# data (--demo --data <new temp dir>) and take a PNG of each main screen
# (setup, home, receive, dossiers, detail, stats, settings, calendar, catalogue, backup), opened with the
# hidden --screen flag. Fails when the window never appears or never settles.
# Default OUTDIR: docs/screenshots.
#
# Needs: go, gcc + X11/GL headers, xvfb, imagemagick (import, compare), x11-utils (xwininfo).
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${1:-docs/screenshots}
# A screen is a --screen value; "receive=words" also picks a procedure.
SCREENS=${SCREENS:-"setup home receive=chung+thuc+ban+sao dossiers detail stats settings calendar catalogue backup"}
SIZE=${SIZE:-1366x768}
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Build. When go.sum lacks Fyne's transitive modules, build from a copy of
# go.mod/go.sum that the go command may complete (the tree stays untouched).
if ! go build -o "$WORK/motcua" . 2>"$WORK/build.err"; then
  if grep -q "missing go.sum entry" "$WORK/build.err"; then
    cp go.mod go.sum "$WORK/"
    GOFLAGS="-modfile=$WORK/go.mod -mod=mod" go build -o "$WORK/motcua" .
  else
    cat "$WORK/build.err" >&2
    exit 1
  fi
fi

# A free display number.
DISP=99
while [ -e "/tmp/.X11-unix/X$DISP" ] || [ -e "/tmp/.X$DISP-lock" ]; do DISP=$((DISP + 1)); done
Xvfb ":$DISP" -screen 0 "${SIZE}x24" -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISP"
for _ in $(seq 1 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
xwininfo -root >/dev/null 2>&1 || { echo "Xvfb did not start" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }

# window_geometry prints WxH+X+Y of the application's top-level window, if any.
window_geometry() {
  xwininfo -root -children 2>/dev/null | awk '/[0-9]+x[0-9]+\+-?[0-9]+\+-?[0-9]+/ {
    for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+-?[0-9]+\+-?[0-9]+$/) {
      split($i, a, /[x+]/); if (a[1] >= 640 && a[2] >= 400) { print $i; exit } } }'
}

for screen in $SCREENS; do
  DATA=$(mktemp -d -p "$WORK")
  demo=--demo
  [ "$screen" = setup ] && demo= # the first-run wizard: an empty folder, no demo data
  LANG=en_US.UTF-8 "$WORK/motcua" $demo --data "$DATA" --screen "$screen" >"$WORK/$screen.log" 2>&1 &
  APP_PID=$!
  geo=""
  for _ in $(seq 1 300); do # 30 s
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      echo "motcua exited before its window appeared ($screen):" >&2; cat "$WORK/$screen.log" >&2; exit 1
    fi
    geo=$(window_geometry || true)
    [ -n "$geo" ] && break
    sleep 0.1
  done
  if [ -z "$geo" ]; then
    echo "the window never appeared ($screen)" >&2; cat "$WORK/$screen.log" >&2; exit 1
  fi
  # Wait until two captures a moment apart are the same but for a blinking
  # text cursor (a few dozen pixels): drawing has settled.
  prev="$WORK/prev.png"; cur="$WORK/cur.png"
  import -window root -crop "$geo" +repage "$prev"
  settled=""
  for _ in $(seq 1 40); do
    sleep 0.25
    # The window is fitted and centred once the app has started: follow it.
    geo=$(window_geometry || echo "$geo")
    import -window root -crop "$geo" +repage "$cur"
    diff=$(compare -metric AE "$prev" "$cur" /dev/null 2>&1 || true)
    diff=${diff%% *}
    if [ "${diff%.*}" -lt 100 ] 2>/dev/null && [ "$(convert "$cur" -format '%[fx:standard_deviation>0.01]' info:)" = "1" ]; then
      settled=1; break
    fi
    mv "$cur" "$prev"
  done
  [ -n "$settled" ] || { echo "the $screen screen never settled" >&2; exit 1; }
  name=${screen%%=*}
  cp "$cur" "$OUT/$name.png"
  echo "$OUT/$name.png ($geo)"
  kill "$APP_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$APP_PID" 2>/dev/null; then # never wait forever (see walkthrough.sh)
    echo "screenshots: motcua did not quit within 10 s of SIGTERM ($screen); killed" >&2
    kill -9 "$APP_PID" 2>/dev/null || true
  fi
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
done

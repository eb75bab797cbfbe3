#!/usr/bin/env bash
# transfer-demo.sh — a local liên thông demonstration: a hub with two agencies
# (a commune and a department), two pre-configured data folders, and one app
# window for each office.
#
#   scripts/transfer-demo.sh            # everything under a fresh /tmp folder
#   WORK=/tmp/lt ADDR=127.0.0.1:8090 scripts/transfer-demo.sh
#
# Both windows sign in as the receiving officer (password "demo" for every
# demo user). Close both windows (or press Ctrl+C) to stop the hub.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/motcua-lienthong.XXXXXX")}
ADDR=${ADDR:-127.0.0.1:8088}
COMMUNE=000.00.31.H56
DEPT=000.00.01.H56
BIN="$WORK/bin"

cd "$ROOT"
echo "== building into $BIN"
mkdir -p "$BIN"
go build -o "$BIN/motcua-hub" ./cmd/hub
go build -o "$BIN/motcua-seed" ./cmd/motcua-seed
go build -o "$BIN/motcua" .

if [ ! -f "$WORK/hub/hub.db" ]; then
	echo "== registering the agencies on the hub ($WORK/hub)"
	umask 077
	"$BIN/motcua-hub" agency add --data "$WORK/hub" --code "$COMMUNE" --name "UBND xã Tân Lập" \
		--parent 000.00.00.H56 --level commune >"$WORK/commune.key"
	"$BIN/motcua-hub" agency add --data "$WORK/hub" --code "$DEPT" --name "Sở Tư pháp tỉnh Thanh Hóa" \
		--parent 000.00.00.H56 --level department >"$WORK/department.key"
fi
echo "   key of $COMMUNE (UBND xã Tân Lập):        $(cat "$WORK/commune.key")"
echo "   key of $DEPT (Sở Tư pháp tỉnh Thanh Hóa): $(cat "$WORK/department.key")"

echo "== starting the hub on http://$ADDR"
"$BIN/motcua-hub" serve --data "$WORK/hub" --addr "$ADDR" 2>"$WORK/hub.log" &
HUB_PID=$!
APP_PIDS=()
cleanup() {
	for p in "${APP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	kill "$HUB_PID" 2>/dev/null || true
	wait "$HUB_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do
	if curl -fsS "http://$ADDR/v1/health" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$HUB_PID" 2>/dev/null; then echo "the hub did not start, see $WORK/hub.log" >&2; exit 1; fi
	sleep 0.1
done

echo "== preparing the data folders"
"$BIN/motcua-seed" --data "$WORK/xa-tan-lap" --hub "http://$ADDR" --key-file "$WORK/commune.key"
"$BIN/motcua-seed" --data "$WORK/so-tu-phap" --code "$DEPT" --name "Sở Tư pháp tỉnh Thanh Hóa" --level department \
	--hub "http://$ADDR" --key-file "$WORK/department.key"

echo "== starting two windows (commune: $WORK/xa-tan-lap, department: $WORK/so-tu-phap)"
"$BIN/motcua" --data "$WORK/xa-tan-lap" --demo &
APP_PIDS+=($!)
"$BIN/motcua" --data "$WORK/so-tu-phap" --demo &
APP_PIDS+=($!)
echo "   hub log: $WORK/hub.log — Ctrl+C stops everything"
wait "${APP_PIDS[@]}"

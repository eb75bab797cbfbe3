#!/usr/bin/env bash
# online-demo.sh — online dossiers (dịch vụ công trực tuyến) through a local
# hub, with the stand-in portal (hub/portaltest) on one side and the office's
# calls made with curl on the other; the citizen's look-up page is printed
# (as text) after each step, and screenshotted when chromium is installed.
#
#   scripts/online-demo.sh                    # everything under a fresh /tmp folder
#   WORK=/tmp/online ADDR=127.0.0.1:8097 scripts/online-demo.sh
#
# The agency and the portal are registered while the hub is serving (the
# administration commands go through the hub's admin socket).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/motcua-online.XXXXXX")}
ADDR=${ADDR:-127.0.0.1:8097}
BASE="http://$ADDR"
OFFICE=000.00.01.H22
BIN="$WORK/bin"
RECV=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%dT%H:%M:00+07:00)
DUE=$(TZ=Asia/Ho_Chi_Minh date -d '+5 days' +%Y-%m-%dT17:00:00+07:00)
DONE=$(TZ=Asia/Ho_Chi_Minh date -d '+4 days' +%Y-%m-%dT15:00:00+07:00)
BACK=$(TZ=Asia/Ho_Chi_Minh date -d '+5 days' +%Y-%m-%dT09:00:00+07:00)
cd "$ROOT"

echo "== building into $BIN"
mkdir -p "$BIN"
go build -o "$BIN/motcua-hub" ./cmd/hub
go build -o "$BIN/standin" ./hub/portaltest/standin

echo "== starting the hub on $BASE (data $WORK/hub)"
"$BIN/motcua-hub" serve --data "$WORK/hub" --addr "$ADDR" 2>"$WORK/hub.log" &
HUB_PID=$!
trap 'kill $HUB_PID 2>/dev/null || true; wait $HUB_PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS "$BASE/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done

echo "== registering the office and the portal while the hub serves"
umask 077
"$BIN/motcua-hub" agency add --data "$WORK/hub" --code "$OFFICE" --name "UBND xã Tân Lập" --level commune 2>/dev/null >"$WORK/office.key"
"$BIN/motcua-hub" portal add --data "$WORK/hub" --code DVC-H56 --name "Cổng dịch vụ công tỉnh Thanh Hóa" 2>/dev/null >"$WORK/portal.key"
OKEY=$(cat "$WORK/office.key")
PKEY=$(cat "$WORK/portal.key")

page() { # the look-up page as text
	echo "-- $BASE/tra-cuu?ma=$1"
	curl -sS "$BASE/tra-cuu?ma=$1" | sed -n '/<\/form>/,/<\/main>/p' | sed -e 's/<[^>]*>/ /g' -e 's/  */ /g' |
		grep -v '^ *$' | head -16 | sed 's/^ */   /'
	if command -v chromium >/dev/null; then
		chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
			--disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$(mktemp -d)" \
			--window-size=360,740 --screenshot="$WORK/tra-cuu-$2.png" "$BASE/tra-cuu?ma=$1" >/dev/null 2>&1 &&
			echo "   (screenshot $WORK/tra-cuu-$2.png)"
	fi
}
office() { curl -fsS -H "Authorization: Bearer $OKEY" "$@"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
publish() { # code version status [extra json]
	office -X PUT -H 'Content-Type: application/json' "$BASE/v1/public-status/$1" -d "{\"version\":$2,\"procedure_code\":\"1.001193\",
		\"procedure_name\":\"Thủ tục đăng ký khai sinh\",\"agency_name\":\"UBND xã Tân Lập\",\"status_code\":$3,
		\"received_at\":\"$RECV\",\"due_at\":\"$DUE\",\"applicant_masked\":\"Lê T** M**\"${4:-}}" >/dev/null
}

echo "== the citizen submits on the portal: two scans and the form"
printf '%%PDF-1.4\n%% Tờ khai đăng ký khai sinh\n' >"$WORK/to-khai.pdf"
printf '%%PDF-1.4\n%% Giấy chứng sinh\n' >"$WORK/giay-chung-sinh.pdf"
SUB=$("$BIN/standin" submit --hub "$BASE" --key "$PKEY" --to "$OFFICE" --ref "G22.99-$(date +%s)" "$WORK/to-khai.pdf" "$WORK/giay-chung-sinh.pdf")
ID=$(echo "$SUB" | sed -n 's/^  "id": "\(.*\)",$/\1/p')
echo "   submission $ID, state $(echo "$SUB" | sed -n 's/^  "state": "\(.*\)",$/\1/p')"

echo "== the office finds it in its inbox (submission.received) and accepts it"
office "$BASE/v1/inbox" | grep -o '"type":"submission.received"' | head -1 | sed 's/^/   /'
CODE="$OFFICE-$(date +%y%m%d)-0001"
printf '%%PDF-1.4\n%% Giấy tiếp nhận hồ sơ và hẹn trả kết quả %s\n' "$CODE" >"$WORK/receipt.pdf"
office -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/receipt.pdf" "$BASE/v1/blobs/sha256/$(sha "$WORK/receipt.pdf")" >/dev/null
office -X POST -H 'Content-Type: application/json' "$BASE/v1/submissions/$ID/decision" -d "{\"decision\":\"accepted\",
	\"dossier_code\":\"$CODE\",\"received_at\":\"$RECV\",\"due_at\":\"$DUE\",
	\"receipt_sha256\":\"$(sha "$WORK/receipt.pdf")\",\"actor\":{\"name\":\"Phạm Văn Tâm\",\"title\":\"Công chức Tư pháp - Hộ tịch\"}}" >/dev/null
publish "$CODE" 1 2
echo "== the portal hears the decision"
"$BIN/standin" wait --hub "$BASE" --key "$PKEY" --id "$ID" --timeout 10s | grep -E '"(state|dossier_code)"' | sed 's/^ */   /'
page "$CODE" 1-tiep-nhan

echo "== processing, result ready, result returned"
publish "$CODE" 2 4
page "$CODE" 2-dang-xu-ly
publish "$CODE" 3 9 ',"finished_at":"'"$DONE"'"'
page "$CODE" 3-co-ket-qua
publish "$CODE" 4 10 ',"finished_at":"'"$DONE"'","returned_at":"'"$BACK"'"'
page "$CODE" 4-da-tra

echo "== an unknown code"
page "$OFFICE-260101-9999" 5-khong-thay
echo "== done; files in $WORK"

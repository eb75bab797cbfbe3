#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that building, running and testing
# Một Cửa need, skipping the ones already there (a warm machine runs no apt).
#   scripts/deps.sh            build + run + tests (default)
#   scripts/deps.sh windows    + the mingw cross-compiler, Wine, wixl/msitools and osslsigncode (Windows build, MSI, signing, Wine tests)
set -euo pipefail

pkgs=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev
  libxxf86vm-dev xvfb xauth x11-utils imagemagick poppler-utils file zbar-tools
  postgresql         # the tests start a private throw-away cluster (internal/pgtest)
  chromium fonts-noto-core) # the /tra-cuu page is tested in headless Chromium
if [ "${1:-}" = windows ]; then
  pkgs+=(gcc-mingw-w64-x86-64-win32 wine64 wixl msitools osslsigncode openssl xdotool)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
  echo "Go is not installed: install Go 1.25 or later from the Go website, then run this again." >&2
  exit 1
fi
go mod download

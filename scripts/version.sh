#!/usr/bin/env bash
# version.sh [field] — the version of Một Cửa from FyneApp.toml, the one
# source of truth for the .exe resources, the MSI and the release.
#   scripts/version.sh          0.1.0      (Details.Version)
#   scripts/version.sh build    1          (Details.Build)
#   scripts/version.sh full     0.1.0.1    (Version.Build: file versions)
#   scripts/version.sh msi      0.1.0      (MSI ProductVersion; MSI compares only the first three fields)
# MOTCUA_VERSION overrides Details.Version (the Wine test builds a "newer" MSI with it).
set -euo pipefail
cd "$(dirname "$0")/.."
toml() { sed -n "s/^ *$1 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" FyneApp.toml | head -n1; }
version=${MOTCUA_VERSION:-$(toml Version)}
build=$(toml Build)
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "version.sh: version \"$version\" is not MAJOR.MINOR.PATCH" >&2
  exit 1
fi
case "${1:-}" in
  "") echo "$version" ;;
  build) echo "${build:-0}" ;;
  full) echo "$version.${build:-0}" ;;
  msi) echo "$version" ;;
  *) echo "version.sh: unknown field $1" >&2; exit 2 ;;
esac

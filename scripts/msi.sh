#!/usr/bin/env bash
# msi.sh [EXE] [OUT.msi] — the Windows installer of Một Cửa from packaging/windows/MotCua.wxs with wixl
# (Debian's msitools), the version from FyneApp.toml (scripts/version.sh; MOTCUA_VERSION overrides it).
# EXE defaults to dist/MotCua.exe (`make windows`), OUT to dist/MotCua-VERSION.msi. The .exe and the
# .msi are Authenticode-signed when SIGN_PFX or SIGN_CERT is set (scripts/sign.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
EXE=${1:-dist/MotCua.exe}
version=$(scripts/version.sh msi)
OUT=${2:-dist/MotCua-$version.msi}
[ -f "$EXE" ] || { echo "msi.sh: $EXE is missing: run make windows first" >&2; exit 1; }
command -v wixl >/dev/null || { echo "msi.sh: wixl is not installed (apt-get install wixl)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert resources/icon.png -define icon:auto-resize=256,64,48,32,16 "$work/MotCua.ico"
cp "$EXE" "$work/MotCua.exe"
scripts/sign.sh "$work/MotCua.exe"
cp packaging/windows/MotCua.wxs packaging/windows/DOCTHEM.txt "$work/"

# wixl crashes on text outside Windows-1252: the Vietnamese strings go in as ASCII tokens ~KEY~ …
defs=()
while IFS=$'\t' read -r key text; do
  [[ -z $key || $key == \#* ]] && continue
  defs+=(-D "$key=~$key~")
done <packaging/windows/strings-vi.txt
# (wixl resolves sources relative to the current folder and refuses absolute paths)
(cd "$work" && wixl -a x64 -o out.msi -D Version="$version" -D Exe=MotCua.exe -D Icon=MotCua.ico \
  -D Readme=DOCTHEM.txt "${defs[@]}" MotCua.wxs)

# … then the database is switched to UTF-8 (codepage 65001) and every table holding a token is
# exported, given its Vietnamese text and imported again.
printf '\n\n65001\t_ForceCodepage\n' >"$work/_ForceCodepage.idt"
imports=(-i "$work/_ForceCodepage.idt")
for table in $(msiinfo tables "$work/out.msi"); do
  case $table in _*) continue ;; esac
  # (run in $work: msiinfo writes a table's binary streams into a folder named after it)
  (cd "$work" && msiinfo export out.msi "$table" >"$table.idt" 2>/dev/null) || continue
  grep -q '~[A-Za-z]*~' "$work/$table.idt" || continue
  while IFS=$'\t' read -r key text; do
    [[ -z $key || $key == \#* ]] && continue
    esc=$(printf '%s' "$text" | sed 's/[\\&|]/\\&/g')
    sed -i "s|~$key~|$esc|g" "$work/$table.idt"
  done <packaging/windows/strings-vi.txt
  if grep -q '~[A-Za-z]*~' "$work/$table.idt"; then
    echo "msi.sh: table $table keeps an unknown token: $(grep -o '~[A-Za-z]*~' "$work/$table.idt" | head -n1)" >&2
    exit 1
  fi
  imports+=(-i "$work/$table.idt")
done
(cd "$work" && msibuild out.msi "${imports[@]}" &&
  msibuild out.msi -s "Mot Cua $version" "Bo phan Mot cua" "x64;1066" \
    "{$(tr a-z A-Z </proc/sys/kernel/random/uuid)}")
mkdir -p "$(dirname "$OUT")"
mv "$work/out.msi" "$OUT"
scripts/sign.sh "$OUT"
echo "$OUT: Một Cửa $version, $(du -k "$OUT" | cut -f1) KB"

#!/usr/bin/env bash
# Writes rsrc_windows_amd64.syso (icon + version information from
# FyneApp.toml) so that `GOOS=windows go build .` gives MotCua.exe its icon
# and Explorer properties. Needs ImageMagick and the mingw binutils (windres).
set -euo pipefail
cd "$(dirname "$0")/.."
toml() { sed -n "s/^ *$1 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" FyneApp.toml | head -n1; }
name=$(toml Name); version=$(toml Version); build=$(toml Build); id=$(toml ID)
IFS=. read -r major minor patch <<<"$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert resources/icon.png -define icon:auto-resize=256,64,48,32,16 "$work/icon.ico"
cat >"$work/app.rc" <<RC
1 ICON "$work/icon.ico"
1 VERSIONINFO
FILEVERSION ${major:-0},${minor:-0},${patch:-0},${build:-0}
PRODUCTVERSION ${major:-0},${minor:-0},${patch:-0},${build:-0}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "042a04b0"
    BEGIN
      VALUE "CompanyName", "Bộ phận Một cửa"
      VALUE "FileDescription", "Một Cửa — tiếp nhận và trả kết quả hồ sơ hành chính"
      VALUE "FileVersion", "$version.$build"
      VALUE "InternalName", "$id"
      VALUE "OriginalFilename", "$name.exe"
      VALUE "ProductName", "Một Cửa"
      VALUE "ProductVersion", "$version"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x042a, 1200
  END
END
RC
x86_64-w64-mingw32-windres -c 65001 -O coff -i "$work/app.rc" -o rsrc_windows_amd64.syso
echo "rsrc_windows_amd64.syso: $name $version build $build"

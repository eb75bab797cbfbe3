#!/usr/bin/env bash
# Writes the Windows resources of both programs from FyneApp.toml:
#   rsrc_windows_amd64.syso          MotCua.exe: icon, Vietnamese version information, manifest
#   cmd/hub/rsrc_windows_amd64.syso  motcua-hub.exe: the same for the hub
# so that `GOOS=windows go build` gives each .exe its icon, Explorer properties and
# application manifest (packaging/windows/app.manifest: per-monitor DPI awareness v2,
# Windows 10/11, asInvoker). Needs ImageMagick and the mingw binutils (windres).
set -euo pipefail
cd "$(dirname "$0")/.."
toml() { sed -n "s/^ *$1 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" FyneApp.toml | head -n1; }
id=$(toml ID)
version=$(scripts/version.sh); build=$(scripts/version.sh build); full=$(scripts/version.sh full)
IFS=. read -r major minor patch <<<"$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert resources/icon.png -define icon:auto-resize=256,64,48,32,16 "$work/icon.ico"

# resource OUT NAME ORIGINAL DESCRIPTION PRODUCT
resource() {
  local out=$1 name=$2 original=$3 desc=$4 product=$5
  sed -e "s|@NAME@|$name|" -e "s|@VERSION@|$full|" -e "s|@DESCRIPTION@|$desc|" \
    packaging/windows/app.manifest >"$work/$name.manifest"
  cat >"$work/$name.rc" <<RC
1 ICON "$work/icon.ico"
1 24 "$work/$name.manifest"
1 VERSIONINFO
FILEVERSION $major,$minor,$patch,$build
PRODUCTVERSION $major,$minor,$patch,$build
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "042a04b0"
    BEGIN
      VALUE "CompanyName", "Bộ phận Một cửa"
      VALUE "FileDescription", "$desc"
      VALUE "FileVersion", "$full"
      VALUE "InternalName", "$name"
      VALUE "LegalCopyright", "Phần mềm Một Cửa"
      VALUE "OriginalFilename", "$original"
      VALUE "ProductName", "$product"
      VALUE "ProductVersion", "$version"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x042a, 1200
  END
END
RC
  x86_64-w64-mingw32-windres -c 65001 -O coff -i "$work/$name.rc" -o "$out"
  echo "$out: $original $full"
}

resource rsrc_windows_amd64.syso "$id" MotCua.exe \
  "Một Cửa — tiếp nhận và trả kết quả hồ sơ hành chính" "Một Cửa"
resource cmd/hub/rsrc_windows_amd64.syso "$id.hub" motcua-hub.exe \
  "Máy chủ liên thông Một Cửa (motcua-hub)" "Một Cửa — máy chủ liên thông"

#!/usr/bin/env bash
# sign.sh FILE... — Authenticode-signs Windows files (.exe, .msi) in place with osslsigncode,
# SHA-256, with the certificate given by the environment:
#   SIGN_PFX=cert.pfx [SIGN_PASS=…]          a PKCS#12 file (the province's code-signing certificate), or
#   SIGN_CERT=cert.pem SIGN_KEY=key.pem      PEM certificate (chain) and private key
#   SIGN_TIMESTAMP=http://timestamp.digicert.com   optional RFC 3161 time-stamp server (needs the network;
#                                            keeps signatures valid after the certificate expires)
# Without SIGN_PFX or SIGN_CERT it signs nothing and says so.
set -euo pipefail
if [ -z "${SIGN_PFX:-}" ] && [ -z "${SIGN_CERT:-}" ]; then
  echo "sign.sh: no SIGN_PFX or SIGN_CERT: $* left unsigned" >&2
  exit 0
fi
command -v osslsigncode >/dev/null || { echo "sign.sh: osslsigncode is not installed (apt-get install osslsigncode)" >&2; exit 1; }
args=(-h sha256 -n "Một Cửa" -i "https://dichvucong.gov.vn")
if [ -n "${SIGN_PFX:-}" ]; then
  args+=(-pkcs12 "$SIGN_PFX")
  [ -n "${SIGN_PASS:-}" ] && args+=(-pass "$SIGN_PASS")
else
  args+=(-certs "$SIGN_CERT" -key "$SIGN_KEY")
fi
[ -n "${SIGN_TIMESTAMP:-}" ] && args+=(-ts "$SIGN_TIMESTAMP")
for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  osslsigncode remove-signature -in "$f" -out "$tmp" >/dev/null 2>&1 && mv "$tmp" "$f" || rm -f "$tmp"
  osslsigncode sign "${args[@]}" -in "$f" -out "$tmp" >/dev/null
  mv "$tmp" "$f"
  echo "signed $f"
done

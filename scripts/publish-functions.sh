#!/usr/bin/env bash
# Publishes the Functions app with a bundled static Linux x64 ffmpeg/ffprobe and zips it for deployment.
# usage: scripts/publish-functions.sh <ffmpeg path-or-URL> <sha256> [<ffprobe path-or-URL> <sha256>] [OUT_DIR=artifacts/functions]
# Zip deployment drops the exec bit and wwwroot is read-only on Flex Consumption; Core's FfmpegLocator copies a
# non-executable binary to a temp dir and chmods it, so Ffmpeg__FfmpegPath=/home/site/wwwroot/tools/ffmpeg just works.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
(( $# == 2 || $# == 4 )) || { echo "usage: $0 <ffmpeg> <sha256> [<ffprobe> <sha256>]" >&2; exit 2; }
out="${OUT_DIR:-artifacts/functions}"
rm -rf "$out" && dotnet publish FfmpegFunctions/FfmpegFunctions.csproj -c Release -o "$out" --nologo
mkdir -p "$out/tools"
fetch() { # source sha256 name
  local target="$out/tools/$3"
  if [[ "$1" =~ ^https?:// ]]; then curl -fsSL "$1" -o "$target"; else cp "$1" "$target"; fi
  local actual; actual="$(sha256sum "$target" | cut -d' ' -f1)"
  [[ "$actual" == "${2,,}" ]] || { echo "SHA-256 MISMATCH for $3: expected $2, got $actual" >&2; rm -f "$target"; exit 1; }
  chmod 0755 "$target"
}
fetch "$1" "$2" ffmpeg
(( $# == 4 )) && fetch "$3" "$4" ffprobe
zip="$out.zip"; rm -f "$zip"
(cd "$out" && zip -qr "../$(basename "$zip")" .)
echo "$zip"

#!/usr/bin/env bash
# Builds the Azure Functions host (FfmpegFunctions/), which is not in FfmpegFunctions.sln: its worker,
# Durable Task and SignalR packages are not served by every NuGet feed. Where they cannot be restored it
# prints one line and exits 0; where they can, build errors fail the script.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
project=FfmpegFunctions/FfmpegFunctions.csproj

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet restore "$project" --nologo -v quiet >"$log" 2>&1; then
  # NU1101: no such package on the feed; NU1102: no such version; NU1103: only prereleases; NU1301: feed unreachable.
  if grep -Eq 'NU110[123]|NU1301' "$log"; then
    echo "skipped FfmpegFunctions (Azure Functions worker packages are not served by this NuGet feed); it builds wherever they restore"
    exit 0
  fi
  cat "$log"
  echo "restore of $project failed"
  exit 1
fi
dotnet build "$project" --no-restore -c "${CONFIGURATION:-Release}" --nologo -v quiet

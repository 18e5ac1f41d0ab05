#!/usr/bin/env bash
# Says whether this NuGet feed serves the one Functions package that not every feed has
# (Microsoft.Azure.Functions.Worker.Extensions.SignalRService, needed only by the negotiate and
# SubscribeComposition binding functions). Prints a line to eval:
#   eval "$(scripts/functions-feed.sh)"     -> export WithSignalRService=true|false
# MSBuild reads environment variables as properties, so every later dotnet restore/build/test of the
# solution then builds the Functions app with or without those two functions. Where they are left
# out it says so in one line on stderr.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if dotnet restore FfmpegFunctions/FfmpegFunctions.csproj -p:WithSignalRService=true --nologo -v quiet >"$log" 2>&1; then
  echo "export WithSignalRService=true"
elif grep -q 'NU110[123].*SignalRService' "$log"; then
  echo "FfmpegFunctions: built without negotiate and SubscribeComposition (Realtime/SignalRServiceFunctions.cs): Microsoft.Azure.Functions.Worker.Extensions.SignalRService is not served by this NuGet feed" >&2
  echo "export WithSignalRService=false"
else
  # Some other restore problem: keep the full app so the real build reports it.
  cat "$log" >&2
  echo "export WithSignalRService=true"
fi

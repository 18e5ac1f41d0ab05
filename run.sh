#!/usr/bin/env bash
# Brings up the local stack (PostgreSQL, Redis, the S3 emulator, Azurite; installs what is missing)
# and runs the Server in the foreground on http://127.0.0.1:5080. Ctrl+C stops the Server;
# `scripts/stack.sh down` stops the stack. Arguments go to the Server (e.g. --urls http://127.0.0.1:5081).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
stack="${STACK_NAME:-dev}"
scripts/stack.sh up
# shellcheck disable=SC1091
source ".stack/$stack/env"
# Webhooks are signed; a local secret is made once per stack (production sets Webhooks__SigningSecret itself).
secret_file=".stack/$stack/webhook-signing-secret"
[[ -s "$secret_file" ]] || (umask 077 && openssl rand -hex 32 >"$secret_file")
export Webhooks__SigningSecret="${Webhooks__SigningSecret:-$(cat "$secret_file")}"
# Sources by URL from a local server (http://localhost:...) while developing; production keeps https and public hosts.
export Sources__AllowHttp="${Sources__AllowHttp:-true}"
export Sources__AllowPrivateTargets="${Sources__AllowPrivateTargets:-true}"
# Local development keys (override any of these from the environment). The bootstrap key is refused
# in Production, hence the Development environment; the internal key guards /metrics and /admin.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Auth__BootstrapKey="${Auth__BootstrapKey:-dev-api-key}"
internal_key="${FFMPEGFUNCTIONS_INTERNAL_KEY:-dev-internal-key}"
export Auth__InternalKeyHash="${Auth__InternalKeyHash:-$(printf %s "$internal_key" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')}"
echo "API key (X-API-Key): $Auth__BootstrapKey   internal key (/metrics, /admin): $internal_key"
# Build, then replace this shell with the Server's own executable: no `dotnet run` (an SDK process of
# ~200 MB kept beside the Server for its whole life), and Ctrl+C reaches the Server directly, which
# hands running jobs back to the queue and exits. The content root is the project folder, where
# appsettings.json and wwwroot (the console) live.
# Progress and errors stay visible (a silent minute looks like a hang, and a hidden compile error like a stack
# problem); warnings are for the test build.
echo "Building the Server (about a minute the first time)..."
if ! dotnet build -c Release --nologo -v minimal -clp:NoSummary FfmpegFunctions.Server 2>&1 | { grep -v ': warning ' || true; }; then
  echo "run.sh: the Server did not build (errors above)." >&2
  exit 1
fi
cd FfmpegFunctions.Server
exec bin/Release/net10.0/FfmpegFunctions.Server --contentRoot "$PWD" "$@"

#!/usr/bin/env bash
# Brings up the local stack (PostgreSQL, Redis, the S3 emulator, Azurite; installs what is missing)
# and runs the Server in the foreground on http://127.0.0.1:5080. Ctrl+C stops the Server;
# `scripts/stack.sh down` stops the stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/stack.sh up
# shellcheck disable=SC1091
source .stack/dev/env
exec dotnet run -c Release --project FfmpegFunctions.Server -- "$@"

#!/usr/bin/env bash
# API and live-progress benchmarks against a real Server on loopback, on a private stack.
#   bench/api.sh [clients=50] [seconds=10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export STACK_NAME=bench PG_PORT=55434 REDIS_PORT=56381 S3_PORT=4570
# Stop, at the end, exactly the services this run started (one already up before it is left alone).
started=()
while read -r service state _; do
  [[ "$state" == down && "$service" =~ ^(postgres|redis|s3)$ ]] && started+=("$service")
done < <(scripts/stack.sh status)
stop_stack() { (( ${#started[@]} == 0 )) || scripts/stack.sh down "${started[@]}"; }
trap 'kill ${api_pid:-} ${engine_pid:-} 2>/dev/null || true; wait 2>/dev/null || true; stop_stack' EXIT
scripts/stack.sh up postgres redis s3
# shellcheck disable=SC1091
source .stack/bench/env
export FFMPEGFUNCTIONS_API_KEY=bench-api-key-0123456789
for p in FfmpegFunctions.Server bench/FfmpegFunctions.Bench.Api; do dotnet build -c Release --nologo -v quiet "$p" >/dev/null; done

server() { # port engine
  # A non-Production environment so the plaintext bootstrap key is accepted; the limit is out of the way.
  Urls="http://127.0.0.1:$1" Workflow__Enabled="$2" Webhooks__Enabled=false Logging__LogLevel__Default=Warning DOTNET_ENVIRONMENT=Benchmark \
    Auth__BootstrapKey="$FFMPEGFUNCTIONS_API_KEY" RateLimit__PermitsPerSecond=100000 RateLimit__Burst=100000 \
    dotnet FfmpegFunctions.Server/bin/Release/net10.0/FfmpegFunctions.Server.dll >".stack/bench/server-$1.log" 2>&1 &
  echo $!
}
wait_ready() { for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0; sleep 0.5; done; echo "server on $1 not ready"; exit 1; }

api_pid=$(server 5091 false)
wait_ready 5091
dotnet bench/FfmpegFunctions.Bench.Api/bin/Release/net10.0/FfmpegFunctions.Bench.Api.dll api http://127.0.0.1:5091 "${1:-50}" "${2:-10}"
kill $api_pid; wait $api_pid 2>/dev/null || true
# The load phase queued thousands of compositions with made-up inputs; start the next phase clean.
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres ffmpegfunctions -c "TRUNCATE compositions CASCADE"

# Progress is produced by the engine on one instance and reaches the client through another
# instance's hub via the Redis backplane, as it would behind a load balancer.
engine_pid=$(server 5092 true)
api_pid=$(server 5091 false)
wait_ready 5092; wait_ready 5091
dotnet bench/FfmpegFunctions.Bench.Api/bin/Release/net10.0/FfmpegFunctions.Bench.Api.dll progress http://127.0.0.1:5091

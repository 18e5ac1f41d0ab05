#!/usr/bin/env bash
# Runs the whole test suite against its own local stack (PostgreSQL, Redis, the S3 emulator on
# test ports, beside any developer stack), then prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export STACK_NAME=test DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

started_stack=0
scripts/stack.sh status | grep -q '^redis *up' || started_stack=1
scripts/stack.sh up postgres redis s3 azurite || { echo "the local stack failed to start"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
source .stack/test/env
# The console's browser tests drive Debian's chromium (Playwright's own browser download is never used).
scripts/stack.sh install-browser || echo "chromium is not installed: the console browser tests will fail"
# The monitoring tests run Debian's Prometheus (and promtool) against a running Server.
scripts/stack.sh install-prometheus || echo "prometheus is not installed: the monitoring tests will fail"

results="$PWD/TestResults"
rm -rf "$results"
# The Functions app is in the solution; only its two SignalR Service binding functions depend on a package
# that not every feed serves, and they are left out (with one line saying so) where it is missing.
eval "$(scripts/functions-feed.sh)"
dotnet build FfmpegFunctions.sln -c Release --nologo -v quiet
build=$?
if (( build == 0 )); then
  dotnet test FfmpegFunctions.Tests -c Release --no-build --nologo \
    --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" \
    -- xUnit.MaxParallelThreads=2
fi

(( started_stack )) && scripts/stack.sh down postgres redis s3 azurite

trx="$results/results.trx"
if (( build != 0 )) || [[ ! -f "$trx" ]]; then
  echo "build or test run failed before producing results"
  echo "0 passed, 1 failed"
  exit 1
fi
counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
passed="$(count passed)"; failed="$(count failed)"; total="$(count total)"; executed="$(count executed)"
skipped=$(( total - executed ))
errors="$(count error)"; failed=$(( failed + ${errors:-0} ))
# Name what failed, with the first lines of its message, so a red run can be read from its tail alone.
if (( ${failed:-0} > 0 )); then
  python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") in ("Failed", "Error"):
        message = r.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=ns).strip().splitlines()
        print(f"FAILED {r.get('testName')} ({r.get('duration')})")
        for line in message[:6]:
            print(f"    {line[:300]}")
PY
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
(( ${failed:-1} == 0 && ${passed:-0} > 0 ))

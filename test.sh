#!/usr/bin/env bash
# Runs every test. Needs only the .NET 10 SDK: packages come from NuGet (libsodium ships
# inside NSec's package), and the tests start their own loopback HTTP servers.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build SecureUpdate.sln -c Release --nologo -v quiet -clp:NoSummary

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test tests/SecureUpdate.Tests/SecureUpdate.Tests.csproj -c Release --no-build --nologo \
  --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -vE '^\s+Passed ' 
status=${PIPESTATUS[0]}
set -e

# One plain summary line for whoever reads the log.
count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -n 1 | sed -E 's/[^0-9]*([0-9]+).*/\1/' || true; }
passed="$(count Passed)"; failed="$(count Failed)"; skipped="$(count Skipped)"
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${skipped:-0}" != "0" ]; then
  echo "skipped tests are defects" >&2
  exit 1
fi
exit "$status"

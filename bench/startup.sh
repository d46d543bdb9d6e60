#!/usr/bin/env bash
# Benchmark (not a test): start-up time of the NativeAOT `secure-update` against the JIT build,
# and the size of what ships. Start-up matters because the companion's swap window is
# "old process gone -> new process started", and agents may run `status` or `verify` often.
#   bench/startup.sh [RUNS]     (default 30 runs of each command)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-30}"
cd "$root"

dotnet build src/SecureUpdate.Cli -c Release --nologo -v quiet -clp:NoSummary
dotnet publish src/SecureUpdate.Cli -c Release -r linux-x64 -o artifacts/native --nologo -v quiet -clp:NoSummary
native="$root/artifacts/native/secure-update"
jit="$root/src/SecureUpdate.Cli/bin/Release/net10.0/secure-update.dll"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$native" keygen --out "$work/keys" > /dev/null
mkdir -p "$work/in" && head -c 1048576 /dev/urandom > "$work/in/app.bin"
"$native" release --feed "$work/feed" --app bench --version 1.0.0 --input "$work/in" --key "$work/keys/release.key" > /dev/null
"$native" apply --feed "$work/feed" --trust "$work/keys/release.pub" --target "$work/target" --app bench > /dev/null

# time_ms CMD...: median and mean wall-clock milliseconds over $runs runs.
time_ms() {
  local samples=()
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    samples+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{ a[NR] = $1; s += $1 } END { printf "median %7.1f ms   mean %7.1f ms\n", a[int((NR + 1) / 2)] / 1000, s / NR / 1000 }'
}

echo "start-up, $runs runs each (lower is better)"
printf '  %-34s ' "native  --version";            time_ms "$native" --version
printf '  %-34s ' "JIT     --version";            time_ms dotnet "$jit" --version
printf '  %-34s ' "native  status";               time_ms "$native" status --target "$work/target"
printf '  %-34s ' "JIT     status";               time_ms dotnet "$jit" status --target "$work/target"
printf '  %-34s ' "native  verify (1 MiB release)"; time_ms "$native" verify --target "$work/target" --trust "$work/keys/release.pub"
printf '  %-34s ' "JIT     verify (1 MiB release)"; time_ms dotnet "$jit" verify --target "$work/target" --trust "$work/keys/release.pub"

echo
echo "size of what ships (artifacts/native, debug symbols excluded)"
find artifacts/native -maxdepth 1 -type f ! -name '*.dbg' ! -name '*.pdb' -printf '  %-20f %10s bytes\n' | sort
echo "  dynamic dependencies of secure-update:"
ldd "$native" | sed 's/^/    /'

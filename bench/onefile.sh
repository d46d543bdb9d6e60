#!/usr/bin/env bash
# Measurement (not a test) of the one-file property of a published `secure-update`: the files in the publish
# folder and their sizes, what `ldd` lists, the glibc symbol versions the executable needs, and the median
# start-up time of `--version` (no crypto) and of `verify` (loads libsodium).
#   bench/onefile.sh [FOLDER [RUNS]]   (default: a fresh linux-x64 publish into a temp folder, 21 runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${2:-21}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

folder="${1:-}"
if [ -z "$folder" ]; then
  folder="$work/publish"
  dotnet publish "$root/src/SecureUpdate.Cli" -c Release -r linux-x64 -o "$folder" --nologo -v quiet -clp:NoSummary
fi
exe="$folder/secure-update"

echo "files:"
(cd "$folder" && ls -l | awk 'NR > 1 { printf "  %12d  %s\n", $5, $9 }')
echo "ldd:"
ldd "$exe" | sed 's/^/  /'
echo "glibc floor (highest GLIBC_ symbol version the executable needs):"
objdump -T "$exe" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 | sed 's/^/  /'

"$exe" keygen --out "$work/keys" > /dev/null
mkdir -p "$work/in" && head -c 65536 /dev/urandom > "$work/in/app.bin"
"$exe" release --feed "$work/feed" --app bench --version 1.0.0 --input "$work/in" --key "$work/keys/release.key" > /dev/null
"$exe" apply --feed "$work/feed" --trust "$work/keys/release.pub" --target "$work/target" --app bench > /dev/null

median_ms() {
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
  done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f ms\n", a[int((NR + 1) / 2)] / 1000 }'
}

echo "start-up, median of $runs runs:"
printf '  %-10s ' "--version"; median_ms "$exe" --version
printf '  %-10s ' "verify";    median_ms "$exe" verify --target "$work/target" --trust "$work/keys/release.pub"

#!/usr/bin/env bash
# Packs the SecureUpdate library and publishes the samples against that package, as a consumer would:
#   OUT/agent-1.0.0/  OUT/agent-1.1.0/   SelfUpdatingAgent, framework-dependent (run: dotnet SelfUpdatingAgent.dll)
#   OUT/tool-1.0.0/   OUT/tool-1.1.0/    ToolWithUpdateCheck: exactly one file, `tool` (framework-dependent single file)
# Usage: samples/build.sh OUT        (idempotent; prints one line unless something fails)
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: samples/build.sh OUT" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
quiet=(--nologo -v quiet -clp:NoSummary)

case "${SAMPLES_RID:-$(uname -m)}" in
  x86_64 | amd64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  linux-*) rid="$SAMPLES_RID" ;;
  *) echo "samples/build.sh: unknown machine $(uname -m); set SAMPLES_RID" >&2; exit 2 ;;
esac

# One build at a time: it rewrites artifacts/packages, artifacts/sample-packages and the samples' obj/ folders.
mkdir -p "$root/artifacts"
exec 9> "$root/artifacts/samples-build.lock"
flock 9

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
fail() { # fail MESSAGE [LOG]: the message, then the log of the step that failed
  echo "samples/build.sh: $1" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then cat "$2" >&2; fi
  exit 1
}

# 1. Pack the library, and check that the package holds what a consumer needs.
packages="$root/artifacts/packages"
rm -f "$packages"/SecureUpdate.*nupkg
dotnet pack "$root/src/SecureUpdate" -c Release "${quiet[@]}" > "$logs/pack" 2>&1 || fail "dotnet pack failed" "$logs/pack"
nupkg="$packages/SecureUpdate.0.1.0.nupkg"
[ -f "$nupkg" ] || fail "dotnet pack made no $(basename "$nupkg")"
[ -f "$packages/SecureUpdate.0.1.0.snupkg" ] || fail "dotnet pack made no symbol package (SecureUpdate.0.1.0.snupkg)"
if ! command -v unzip > /dev/null; then
  { apt-get update -qq && apt-get install -y -qq unzip; } > "$logs/apt" 2>&1 || fail "unzip is missing and could not be installed" "$logs/apt"
fi
listing="$(unzip -Z1 "$nupkg")"
for entry in README.md LICENSE lib/net10.0/SecureUpdate.dll lib/net10.0/SecureUpdate.xml; do
  grep -qxF "$entry" <<< "$listing" || fail "$(basename "$nupkg") lacks $entry"
done

# 2. Restore the samples into their own packages folder, without the previous 0.1.0 (a re-pack keeps the
#    version), and check that what was restored is the package just packed (not a stale or foreign copy).
cache="$root/artifacts/sample-packages"
rm -rf "$cache/secureupdate"
agent="$root/samples/SelfUpdatingAgent/SelfUpdatingAgent.csproj"
tool="$root/samples/ToolWithUpdateCheck/ToolWithUpdateCheck.csproj"
dotnet restore "$agent" -r "$rid" "${quiet[@]}" > "$logs/restore-agent" 2>&1 &
restore_agent=$!
dotnet restore "$tool" -r "$rid" "${quiet[@]}" > "$logs/restore-tool" 2>&1 &
restore_tool=$!
wait "$restore_agent" || fail "restoring SelfUpdatingAgent failed" "$logs/restore-agent"
wait "$restore_tool" || fail "restoring ToolWithUpdateCheck failed" "$logs/restore-tool"
expected="$(openssl dgst -sha512 -binary "$nupkg" | base64 -w0)"
restored="$(cat "$cache/secureupdate/0.1.0/secureupdate.0.1.0.nupkg.sha512" 2>/dev/null || true)"
[ "$restored" = "$expected" ] || fail "the restored SecureUpdate 0.1.0 is not the package just packed"
# Its files carry the time of the library build rather than of this pack, so that samples built against an
# unchanged library stay up to date (and a rebuilt library still makes them build again).
find "$cache/secureupdate" -type f -exec touch -r "$root/src/SecureUpdate/bin/Release/net10.0/SecureUpdate.dll" {} +

# 3. Publish both versions of both samples at once. Each version has its own bin/ and obj/ folders, so the
#    builds do not collide and a second run finds its previous build up to date.
publish() { # publish PROJECT NAME VERSION
  local dest="$out/$2-$3"
  rm -rf "$dest"
  dotnet publish "$1" -c Release -r "$rid" --self-contained false --no-restore "${quiet[@]}" -o "$dest" \
    -p:Version="$3" -p:OutputPath="bin/v$3/" -p:IntermediateOutputPath="obj/v$3/" > "$logs/$2-$3" 2>&1
}
pids=()
for version in 1.0.0 1.1.0; do
  publish "$agent" agent "$version" & pids+=("$!:agent-$version")
  publish "$tool" tool "$version" & pids+=("$!:tool-$version")
done
for entry in "${pids[@]}"; do
  wait "${entry%%:*}" || fail "publishing ${entry#*:} failed" "$logs/${entry#*:}"
done
for version in 1.0.0 1.1.0; do
  files="$(ls -A "$out/tool-$version")"
  [ "$files" = "tool" ] || fail "tool-$version must be exactly one file, not: $(tr '\n' ' ' <<< "$files")"
done

echo "samples: SecureUpdate 0.1.0 packed; agent and tool 1.0.0 and 1.1.0 published to $out"

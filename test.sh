#!/usr/bin/env bash
# Runs every test. Needs the .NET 10 SDK: packages come from NuGet (libsodium ships inside
# NSec's package), and the tests start their own loopback HTTP servers. The PKCS#11 tests sign in
# SoftHSM2 tokens they make in temp folders; SoftHSM2 is installed from Debian when missing.
#   first: the build (warnings are errors, banned APIs included) and the folder-graph check;
#   pass 1: every test, with the CLI run as a JIT build (`dotnet secure-update.dll`);
#   pass 2: the process-level tests again, against the published NativeAOT executable,
#           plus the crash suite (which needs the real executable to kill) and the one-file tests
#           (SelfContained: the executable alone in a chroot, which only the native executable can pass).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The static OpenSSL libraries (libssl.a, libcrypto.a) that the one-file NativeAOT executable links in, from Debian's
# libssl-dev, when missing: without them the publish fails.
if [ ! -e /usr/lib/x86_64-linux-gnu/libssl.a ] || [ ! -e /usr/lib/x86_64-linux-gnu/libcrypto.a ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libssl-dev >/dev/null; } ||
    echo "test.sh: could not install libssl-dev (apt-get install libssl-dev); the NativeAOT publish will fail" >&2
fi

# SoftHSM2 (softhsm2-util and libsofthsm2.so), quietly and only once. Without it the PKCS#11 tests
# fail and say so: they never skip.
if ! command -v softhsm2-util >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq softhsm2 >/dev/null; } ||
    echo "test.sh: could not install softhsm2 (apt-get install softhsm2); the PKCS#11 tests will fail" >&2
fi
# openssl runs the commands of docs/verify-with-openssl.md (EndToEnd/OpenSslVerificationTests).
if ! command -v openssl >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openssl >/dev/null; } ||
    echo "test.sh: could not install openssl (apt-get install openssl); the stock-tools tests will fail" >&2
fi

# xfsprogs (mkfs.xfs) for the reflink tests (Staging/TamperedReuseTests clone installed files on a loop-mounted XFS),
# and strace for the durability-order tests (Staging/BatchedDurabilityTests read the CLI's system calls).
for tool in mkfs.xfs:xfsprogs strace:strace; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${tool#*:}" >/dev/null; } ||
      echo "test.sh: could not install ${tool#*:} (apt-get install ${tool#*:}); the staging tests will fail" >&2
  fi
done

dotnet build SecureUpdate.sln -c Release --nologo -v quiet -clp:NoSummary
# The library's folders are layers: fail on any folder-level reference cycle (docs/architecture.md).
eng/check-folder-graph.sh
# A fresh folder: the one-file tests check that nothing but the executable (and its symbols) is published.
rm -rf artifacts/native
dotnet publish src/SecureUpdate.Cli -c Release -r linux-x64 -o artifacts/native --nologo -v quiet -clp:NoSummary
# The samples, built once against the packed library, for the sample tests of both passes.
samples/build.sh artifacts/samples
export SECURE_UPDATE_SAMPLES="$PWD/artifacts/samples"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
project=tests/SecureUpdate.Tests/SecureUpdate.Tests.csproj
process='FullyQualifiedName~SecureUpdate.Tests.EndToEnd|FullyQualifiedName~SecureUpdate.Tests.Attacks|FullyQualifiedName~SecureUpdate.Tests.Companion|FullyQualifiedName~SecureUpdate.Tests.Crash|FullyQualifiedName~SecureUpdate.Tests.SingleFile|FullyQualifiedName~SecureUpdate.Tests.Samples|FullyQualifiedName~SecureUpdate.Tests.SelfContained'

run_pass() { # run_pass NAME FILTER [ENV...]
  local name="$1" filter="$2"
  shift 2
  echo "== $name"
  set +e
  env "$@" dotnet test "$project" -c Release --no-build --nologo --filter "$filter" \
    --logger "console;verbosity=normal" 2>&1 | tee -a "$log" | grep -vE '^\s+Passed '
  local status=${PIPESTATUS[0]}
  set -e
  return "$status"
}

status=0
run_pass "all tests, JIT build of the CLI" 'FullyQualifiedName!~SecureUpdate.Tests.Crash&FullyQualifiedName!~SecureUpdate.Tests.SelfContained' || status=1
run_pass "process-level tests, NativeAOT executable" "$process" SECURE_UPDATE_CLI="$PWD/artifacts/native/secure-update" || status=1

# One plain summary line over both passes.
sum() { { grep -E "^\s+$1: [0-9]+" "$log" || true; } | sed -E 's/[^0-9]*([0-9]+).*/\1/' | awk '{ s += $1 } END { print s + 0 }'; }
passed="$(sum Passed)"; failed="$(sum Failed)"; skipped="$(sum Skipped)"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$skipped" != "0" ]; then
  echo "skipped tests are defects" >&2
  exit 1
fi
exit "$status"

#!/usr/bin/env bash
# The main job, end to end, on an embedded default: a throwaway signing key, a small sample
# app released as 1.0.0 and 1.1.0 into a local feed, the feed served over loopback HTTP,
# the app installed and then updated, and a tampered release refused. Prints each step.
set -euo pipefail

root="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d -t secure-update-demo.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ secure-update %s\n' "$*"; dotnet "$cli" "$@"; }

step "Build"
dotnet build "$root/SecureUpdate.sln" -c Release --nologo -v quiet -clp:NoSummary
cli="$root/src/SecureUpdate.Cli/bin/Release/net10.0/secure-update.dll"
server="$root/samples/StaticFeedServer/bin/Release/net10.0/StaticFeedServer.dll"

make_app() { # make_app DIR VERSION: a tiny app whose launcher prints its version
  mkdir -p "$1/bin"
  printf '#!/bin/sh\necho "hello from demo-app %s"\n' "$2" > "$1/bin/hello"
  chmod +x "$1/bin/hello"
  printf 'demo-app %s\n' "$2" > "$1/VERSION"
  printf 'This file is the same in every release, so it is stored once and never downloaded twice.\n' > "$1/LICENSE"
}

step "A release engineer creates a signing key (throwaway, in a temporary folder)"
run keygen --out "$work/keys" --name demo

step "Release 1.0.0 into a static feed folder"
make_app "$work/app-1.0.0" 1.0.0
run release --feed "$work/feed" --app demo-app --version 1.0.0 --input "$work/app-1.0.0" --key "$work/keys/demo.key"

step "Serve the feed over loopback HTTP"
dotnet "$server" "$work/feed" "$work/url" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url="$(cat "$work/url")"
echo "feed at $url"

step "Install: the target gets exactly the signed files"
run apply --feed "$url" --trust "$work/keys/demo.pub" --target "$work/target" --app demo-app
"$work/target/current/bin/hello"

step "Release 1.1.0 and update"
make_app "$work/app-1.1.0" 1.1.0
run release --feed "$work/feed" --app demo-app --version 1.1.0 --input "$work/app-1.1.0" --key "$work/keys/demo.key"
run apply --feed "$url" --trust "$work/keys/demo.pub" --target "$work/target"
"$work/target/current/bin/hello"

step "Apply again: nothing new, nothing changes"
run apply --feed "$url" --trust "$work/keys/demo.pub" --target "$work/target"

step "Status and verification of what is installed"
run status --target "$work/target"
run verify --target "$work/target" --trust "$work/keys/demo.pub"

step "An attacker swaps a payload of release 1.2.0 on the server: the update is refused"
make_app "$work/app-1.2.0" 1.2.0
printf '#!/bin/sh\necho "hello from demo-app 1.2.0"\n# not what was signed\n' > "$work/evil"
run release --feed "$work/feed" --app demo-app --version 1.2.0 --input "$work/app-1.2.0" --key "$work/keys/demo.key" --json > "$work/release.json"
blob="$(sha256sum "$work/app-1.2.0/bin/hello" | cut -d' ' -f1)"
cp "$work/evil" "$work/feed/blobs/sha256/$blob"
set +e
run apply --feed "$url" --trust "$work/keys/demo.pub" --target "$work/target"
code=$?
set -e
echo "exit code $code (3 = refused: signature, hash or policy)"
"$work/target/current/bin/hello"
[ "$code" -eq 3 ]

step "Done: the target still runs the last verified release"
run verify --target "$work/target" --trust "$work/keys/demo.pub"

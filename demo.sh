#!/usr/bin/env bash
# The main job, end to end, on an embedded default: a throwaway signing key, a small sample
# app released as 1.0.0 and 1.1.0 into a local feed, the feed served over loopback HTTP,
# the app installed and then updated, and a tampered release refused. Then a long-running
# agent (samples/SelfUpdatingAgent, built against the SecureUpdate package) updates itself:
# it stages 1.1.0, hands off to the companion, and comes back as 1.1.0, confirmed healthy.
# Prints each step; exits 0 only if all of that happened.
set -euo pipefail

root="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d -t secure-update-demo.XXXXXX)"
server_pid=""
agent_pid=""
cleanup() {
  # Every process this demo started: the feed server, and the agents and companions, which all name $work.
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; fi
  local proc cmdline
  for proc in /proc/[0-9]*; do
    [ "${proc#/proc/}" = "$$" ] && continue
    cmdline="$( { tr '\0' ' ' < "$proc/cmdline"; } 2>/dev/null)" || continue
    if [[ "$cmdline" == *"$work"* ]]; then kill "${proc#/proc/}" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ secure-update %s\n' "$*"; "${cli[@]}" "$@"; }

step "Build"
dotnet build "$root/SecureUpdate.sln" -c Release --nologo -v quiet -clp:NoSummary
server="$root/samples/StaticFeedServer/bin/Release/net10.0/StaticFeedServer.dll"
# The native executable when test.sh has published it, else the JIT build. The agent's companion is the
# same program: the native executable itself, or a two-line script that runs the JIT build.
mkdir -p "$work/bin"
if [ -x "$root/artifacts/native/secure-update" ]; then
  cli=("$root/artifacts/native/secure-update")
  companion="$root/artifacts/native/secure-update"
else
  cli=(dotnet "$root/src/SecureUpdate.Cli/bin/Release/net10.0/secure-update.dll")
  companion="$work/bin/secure-update"
  printf '#!/bin/sh\nexec dotnet %q "$@"\n' "${cli[1]}" > "$companion"
  chmod +x "$companion"
fi
echo "secure-update: ${cli[*]}"

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

# --- A long-running agent that updates itself -------------------------------------------------
agent_target="$work/agent"
status_file="$work/agent-status.json"
log="$work/agent.log"
field() { sed -nE "s/^ *\"$1\": \"?([^\",]*)\"?,?$/\1/p" "$status_file" 2>/dev/null; }
wait_for_agent() { # wait_for_agent VERSION OLD_PID: until the status file says VERSION, confirmed, from another pid
  for _ in $(seq 1 600); do
    if [ "$(field version)" = "$1" ] && [ "$(field state)" = confirmed ] && [ "$(field pid)" != "$2" ]; then return 0; fi
    sleep 0.1
  done
  echo "the agent did not report $1 confirmed within 60 s; its log:" >&2
  cat "$log" >&2
  return 1
}

step "Build the samples against the SecureUpdate package (samples/build.sh)"
"$root/samples/build.sh" "$work/samples"

step "A long-running agent: release SelfUpdatingAgent 1.0.0 and install it"
run release --feed "$work/feed" --app self-updating-agent --version 1.0.0 --input "$work/samples/agent-1.0.0" --key "$work/keys/demo.key"
run apply --feed "$url" --trust "$work/keys/demo.pub" --target "$agent_target" --app self-updating-agent

step "Start the agent from TARGET/current: it checks the feed every 2 s (+ up to 1 s of jitter)"
agent_args=(--feed "$url" --trust "$work/keys/demo.pub" --target "$agent_target" --companion "$companion"
  --interval 2s --jitter 1s --confirm-within 20s --status-file "$status_file" --log "$log")
printf '$ cd TARGET/current && dotnet ./SelfUpdatingAgent.dll %s >> agent.log 2>&1 &\n' "${agent_args[*]}"
(cd "$agent_target/current" && exec dotnet ./SelfUpdatingAgent.dll "${agent_args[@]}" < /dev/null >> "$log" 2>&1) &
agent_pid=$!
wait_for_agent 1.0.0 ""
first_pid="$(field pid)"
cat "$status_file"; echo

step "Release 1.1.0: the agent finds it, stages it, hands off to the companion, and exits"
seen="$(wc -l < "$log")"
run release --feed "$work/feed" --app self-updating-agent --version 1.1.0 --input "$work/samples/agent-1.1.0" --key "$work/keys/demo.key"
wait_for_agent 1.1.0 "$first_pid"
echo "The agent's log (and the companion's), from the release on:"
tail -n +"$((seen + 1))" "$log" | grep -vE 'Staging 1\.1\.0: [0-9]+/|Microsoft\.Hosting\.Lifetime|NotModified' | sed 's/^/  | /'

step "The companion swapped and restarted it: the new process runs 1.1.0 and confirmed itself healthy"
cat "$status_file"; echo
new_pid="$(field pid)"
run status --target "$agent_target" | tee "$work/agent-status.txt"
run events --target "$agent_target"
failed=""
[ "$new_pid" != "$first_pid" ] || failed="the agent's pid did not change"
! kill -0 "$first_pid" 2>/dev/null || failed="the 1.0.0 agent (pid $first_pid) still runs"
kill -0 "$new_pid" 2>/dev/null || failed="the 1.1.0 agent (pid $new_pid) is not running"
grep -qE '^current: +1\.1\.0$' "$work/agent-status.txt" || failed="status does not show current 1.1.0"
grep -qE '^floor: +1\.1\.0$' "$work/agent-status.txt" || failed="the floor is not 1.1.0: the update was not confirmed"
! grep -q pendingConfirmation "$agent_target/.secure-update/state.json" || failed="a confirmation is still pending"
if [ -n "$failed" ]; then
  echo "FAILED: $failed" >&2
  exit 1
fi

step "Done: the agent updated itself from 1.0.0 (pid $first_pid) to 1.1.0 (pid $new_pid), verified and confirmed"

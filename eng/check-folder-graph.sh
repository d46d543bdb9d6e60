#!/usr/bin/env bash
# Fails when the library's folders (src/SecureUpdate/Trust, Feed, ..., the root folder) reference
# each other's types in a cycle: they are meant to be layers. See eng/FolderGraph/Program.cs.
# First proves on two fixtures that the checker can fail and can pass.
# Assumes `dotnet build SecureUpdate.sln -c Release` ran: the library's NuGet dependencies are
# read from the CLI's build output.
set -euo pipefail
cd "$(dirname "$0")/.."

references=src/SecureUpdate.Cli/bin/Release/net10.0
if [ ! -d "$references" ]; then
  echo "folder graph: $references not found; run 'dotnet build SecureUpdate.sln -c Release' first" >&2
  exit 2
fi

# Built once, then run as a dll: three `dotnet run`s would each check the build again.
# Its build log is shown only when the build fails, so that a passing run prints just the layers.
if ! build_log="$(dotnet build eng/FolderGraph -c Release --nologo -v quiet -clp:NoSummary 2>&1)"; then
  echo "$build_log" >&2
  exit 1
fi
tool=eng/FolderGraph/bin/Release/net10.0/FolderGraph.dll
fixtures=eng/FolderGraph/testdata

expect() { # expect EXIT_CODE TEXT FIXTURE: the run exits with EXIT_CODE and prints TEXT
  local code="$1" text="$2" fixture="$3" output status=0
  output="$(dotnet "$tool" "$fixtures/$fixture" 2>&1)" || status=$?
  if [ "$status" != "$code" ] || [[ "$output" != *"$text"* ]]; then
    echo "folder graph: the $fixture fixture exited $status (expected $code, printing '$text'):" >&2
    echo "$output" >&2
    exit 1
  fi
}
expect 1 "cycle: A, B" cycle
expect 0 "A -> B" acyclic

dotnet "$tool" src/SecureUpdate --references "$references"

#!/usr/bin/env bash
# Crash safety of the real server (issue 7): builds it in Release, then runs
# tests/Credentials.CrashTest, which issues certificates from several clients (unary calls and
# batches), kills the server with SIGKILL mid-load, restarts it and checks that every
# acknowledged certificate is there and unchanged, that the ledger's Merkle tree recomputed from
# its events matches the stored one, and that PRAGMA integrity_check says ok; several rounds.
#
#   tests/crash/crash-test.sh [--rounds 5] [--clients 8] [--seed N]
#   tests/crash/crash-test.sh --help     # this text; builds and runs nothing
#
# Loopback only, bounded: each round loads for 1.5 to 4 s. Prints the numbers and a closing
# "crash: N passed, N failed" line; exits non-zero on any lost or changed write.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
for argument in "$@"; do
  if [[ $argument == -h || $argument == --help ]]; then
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
  fi
done
# shellcheck source=bench/server.sh
source bench/server.sh
server_build
log="$(mktemp -t crash-build.XXXXXX)"
trap 'rm -f "$log"' EXIT
if ! dotnet build tests/Credentials.CrashTest -c Release -nologo -v q >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
tool="$(find tests/Credentials.CrashTest/bin/Release -name credentials-crash-test.dll -print -quit)"
exec dotnet "$tool" --server-dll "$SERVER_DLL" "$@"

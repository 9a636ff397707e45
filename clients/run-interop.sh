#!/usr/bin/env bash
# The peer suites: real gRPC clients, Python grpcio (clients/python/peer_suite.py) and Node
# @grpc/grpc-js (clients/node/peer_suite.js), against the real Credentials server. Builds
# src/Credentials.Server (Release), starts it on a free loopback port over a temp data dir, seeds
# the committees, adds a committee (DL-S01), a platform and an employer principal with the admin
# commands, runs both suites (reflection, health, metadata, deadlines, status details, streaming,
# compression), one line per case and client, and stops the server again, also on failure or Ctrl-C.
#
#   clients/run-interop.sh
#
# Installs nothing, except `npm ci` in clients/node when node_modules is missing. Prerequisites:
# dotnet, /usr/bin/python3 with Debian's python3-grpcio and python3-protobuf, protoc
# (protobuf-compiler), /usr/share/grpc-proto (grpc-proto), node (>= 20) and npm; google/rpc and
# google/type come from the Google.Api.CommonProtos package the server build restores. Exits 0
# when every case passed, 1 when one failed, 2 when a prerequisite is missing or the server did
# not start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON=/usr/bin/python3
NODE_DIR="$ROOT/clients/node"
COMMITTEE=DL-S01
SUITE_TIMEOUT_S=300

started=$SECONDS

check_prerequisites() {
  local missing=()
  command -v dotnet >/dev/null || missing+=("dotnet (the .NET SDK of global.json)")
  if [[ ! -x $PYTHON ]]; then
    missing+=("$PYTHON (Debian's python3)")
  else
    local module package
    for module in grpc:python3-grpcio google.protobuf:python3-protobuf; do
      package=${module#*:}
      module=${module%%:*}
      "$PYTHON" -c "import $module" 2>/dev/null || missing+=("$package (apt-get install -y $package)")
    done
  fi
  command -v protoc >/dev/null || missing+=("protoc (apt-get install -y protobuf-compiler)")
  [[ -d /usr/share/grpc-proto/grpc ]] || missing+=("/usr/share/grpc-proto (apt-get install -y grpc-proto)")
  if ! command -v node >/dev/null; then
    missing+=("node >= 20 (apt-get install -y nodejs)")
  elif (($(node -p 'process.versions.node.split(".")[0]') < 20)); then
    missing+=("node >= 20 (found $(node --version))")
  fi
  command -v npm >/dev/null || missing+=("npm (apt-get install -y npm)")
  command -v timeout >/dev/null || missing+=("timeout (coreutils)")
  if ((${#missing[@]} > 0)); then
    echo "run-interop: missing prerequisites:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
  fi
}

check_prerequisites

if [[ ! -d $NODE_DIR/node_modules ]]; then
  echo "run-interop: npm ci in clients/node"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

# shellcheck source=bench/server.sh
source bench/server.sh
# Private (mktemp -d is 0700): the server log and the admin output hold tokens.
work="$(mktemp -d -t run-interop.XXXXXX)"
trap 'server_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "run-interop: building src/Credentials.Server (Release)"
server_build || exit 2
server_start "$work/data" "$work/server.log" || exit 2
echo "run-interop: server listening on $SERVER_ADDRESS"

admin() { dotnet "$SERVER_DLL" "$@" --data-dir "$work/data"; }
token_of() { sed -n 's/^[[:space:]]*\(crd_[[:alnum:]]*\)[[:space:]]*$/\1/p' | head -n 1; }
if ! admin committees seed >"$work/seed.out" 2>&1; then
  cat "$work/seed.out" >&2
  echo "run-interop: committees seed failed" >&2
  exit 2
fi
export CREDENTIALS_ADDRESS=$SERVER_ADDRESS PEERS_COMMITTEE=$COMMITTEE
PEERS_COMMITTEE_TOKEN="$(admin principals add peers-committee --role committee --committee "$COMMITTEE" | token_of)"
PEERS_PLATFORM_TOKEN="$(admin principals add peers-platform --role platform | token_of)"
PEERS_EMPLOYER_TOKEN="$(admin principals add peers-employer --role employer | token_of)"
export PEERS_COMMITTEE_TOKEN PEERS_PLATFORM_TOKEN PEERS_EMPLOYER_TOKEN
if [[ -z $PEERS_COMMITTEE_TOKEN || -z $PEERS_PLATFORM_TOKEN || -z $PEERS_EMPLOYER_TOKEN ]]; then
  echo "run-interop: principals add printed no token" >&2
  exit 2
fi

passed=0
failed=0
# run_suite NAME COMMAND...: runs one suite under a time limit, prints its case lines prefixed
# with NAME and counts them; a suite that dies or hangs counts as one more failure.
run_suite() {
  local name=$1 out="$work/$1.out" code=0
  shift
  timeout "$SUITE_TIMEOUT_S" "$@" >"$out" 2>"$work/$name.err" || code=$?
  sed -n "s/^\(PASS\|FAIL\) /$(printf '%-7s' "$name") \1 /p" "$out"
  local pass fail
  pass="$(grep -c '^PASS ' "$out" || true)"
  fail="$(grep -c '^FAIL ' "$out" || true)"
  passed=$((passed + pass))
  failed=$((failed + fail))
  if ((code != 0 && fail == 0)); then
    if ((code == 124)); then
      echo "$name: timed out after ${SUITE_TIMEOUT_S}s"
    else
      echo "$name: exited with code $code"
    fi
    sed 's/crd_[[:alnum:]]*/crd_<redacted>/g' "$work/$name.err" | tail -n 20
    failed=$((failed + 1))
  elif [[ -s $work/$name.err ]] && ((fail > 0)); then
    sed 's/crd_[[:alnum:]]*/crd_<redacted>/g' "$work/$name.err" | tail -n 40
  fi
}

run_suite python "$PYTHON" clients/python/peer_suite.py
run_suite node node "$NODE_DIR/peer_suite.js"

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "run-interop: the server exited during the run:" >&2
  sed 's/crd_[[:alnum:]]*/crd_<redacted>/g' "$work/server.log" | tail -n 40 >&2
  failed=$((failed + 1))
fi

echo "run-interop: $((SECONDS - started))s"
echo "interop: $passed passed, $failed failed"
((failed == 0))

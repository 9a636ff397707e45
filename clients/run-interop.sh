#!/usr/bin/env bash
# Runs the gRPC interop suites (grpc/grpc doc/interop-test-descriptions.md) of the Python grpcio
# and Node grpc-js clients against our own gRPC layer: builds tests/Credentials.Grpc.Interop
# (Release), starts it on a free port, runs every case with both clients, one line per case and
# client, and stops the server again, also on failure or Ctrl-C.
#
#   clients/run-interop.sh
#
# Installs nothing, except `npm ci` in clients/node/interop when node_modules is missing.
# Prerequisites: dotnet, /usr/bin/python3 with Debian's python3-grpcio, python3-protobuf and
# python3-grpc-tools, node (>= 20) and npm. Exits 0 when every case passed, 1 when one failed,
# 2 when a prerequisite is missing or the server did not start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=/usr/bin/python3
PYTHON_CLIENT="$ROOT/clients/python/interop/interop_client.py"
NODE_DIR="$ROOT/clients/node/interop"
SERVER_PROJECT="$ROOT/tests/Credentials.Grpc.Interop"
CASES=(
  empty_unary large_unary client_streaming server_streaming ping_pong empty_stream
  cancel_after_begin cancel_after_first_response timeout_on_sleeping_server
  custom_metadata status_code_and_message special_status_message
  unimplemented_method unimplemented_service
  client_compressed_unary server_compressed_unary
)
CASE_TIMEOUT_S=30
START_TIMEOUT_S=30

started=$SECONDS

check_prerequisites() {
  local missing=()
  command -v dotnet >/dev/null || missing+=("dotnet (the .NET SDK of global.json)")
  if [[ ! -x $PYTHON ]]; then
    missing+=("$PYTHON (Debian's python3)")
  else
    local module package
    for module in grpc:python3-grpcio google.protobuf:python3-protobuf grpc_tools.protoc:python3-grpc-tools; do
      package=${module#*:}
      module=${module%%:*}
      "$PYTHON" -c "import $module" 2>/dev/null || missing+=("$package (apt-get install -y $package)")
    done
  fi
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
  echo "run-interop: npm ci in clients/node/interop"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

work="$(mktemp -d -t run-interop.XXXXXX)"
server_pid=""
stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # Kestrel drains on SIGTERM; give it a few seconds, then force it.
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

echo "run-interop: building tests/Credentials.Grpc.Interop (Release)"
if ! dotnet build "$SERVER_PROJECT" -c Release -nologo -v q >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "run-interop: the interop server did not build" >&2
  exit 2
fi
server_dll="$(find "$SERVER_PROJECT/bin/Release" -name credentials-interop-server.dll -print -quit)"
if [[ -z $server_dll ]]; then
  echo "run-interop: credentials-interop-server.dll not found under $SERVER_PROJECT/bin/Release" >&2
  exit 2
fi

# Created before the server starts: the background job opens it only once it runs, and the
# loop below may read first.
: >"$work/server.out"
dotnet "$server_dll" --port=0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port=""
for _ in $(seq $((START_TIMEOUT_S * 10))); do
  port="$(sed -n 's/^listening on \([0-9][0-9]*\)$/\1/p' "$work/server.out")"
  [[ -n $port ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [[ -z $port ]]; then
  cat "$work/server.out" "$work/server.err" >&2
  echo "run-interop: the interop server did not print 'listening on PORT' within ${START_TIMEOUT_S}s" >&2
  exit 2
fi
echo "run-interop: server listening on 127.0.0.1:$port"

passed=0
failed=0
# Each case runs in its own client process under a time limit, so a hung or crashed case is
# reported as that case's failure and the others still run.
run_case() {
  local client=$1 name=$2 result
  shift 2
  local out="$work/$client-$name.out"
  local code=0
  timeout "$CASE_TIMEOUT_S" "$@" --server_host=127.0.0.1 --server_port="$port" --test_case="$name" \
    >"$out" 2>&1 || code=$?
  if ((code == 0)) && grep -qx "PASS $name" "$out"; then
    result=PASS
    passed=$((passed + 1))
  else
    local reason
    reason="$(grep -m1 "^FAIL $name: " "$out" | sed "s/^FAIL $name: //" || true)"
    if [[ -z $reason ]]; then
      if ((code == 124)); then
        reason="timed out after ${CASE_TIMEOUT_S}s"
      else
        reason="exit code $code: $(tail -n 1 "$out")"
      fi
    fi
    result="FAIL  $reason"
    failed=$((failed + 1))
  fi
  printf '%-7s %-28s %s\n' "$client" "$name" "$result"
}

for name in "${CASES[@]}"; do
  run_case python "$name" "$PYTHON" "$PYTHON_CLIENT"
done
for name in "${CASES[@]}"; do
  run_case node "$name" node "$NODE_DIR/interop_client.js"
done

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "run-interop: the interop server exited during the run:" >&2
  cat "$work/server.err" >&2
  failed=$((failed + 1))
fi

echo "run-interop: $((SECONDS - started))s"
echo "interop: $passed passed, $failed failed"
((failed == 0))

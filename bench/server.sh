# shellcheck shell=bash
# shellcheck disable=SC2034  # SERVER_* are read by the scripts that source this file
# Runs the real server (src/Credentials.Server, Release) for a script; source it, do not execute it.
#
#   source bench/server.sh
#   server_build                     # dotnet build -c Release; sets SERVER_DLL
#   server_start DATA_DIR LOG [ARG...]  # sets SERVER_PID, SERVER_ADDRESS (127.0.0.1:PORT), SERVER_TOKEN;
#                                    # ARGs go to the server (e.g. --Telemetry:Prometheus:Url=http://127.0.0.1:0)
#   server_stop                      # SIGTERM, then SIGKILL after 5 s; safe to call twice
#   listening_address LOG PID        # prints 127.0.0.1:PORT once the ASP.NET Core app PID logs it in LOG
#   process_stop PID                 # SIGTERM, then SIGKILL after 5 s; waits for it to end
#
# On a fresh data directory the server creates the first authority and prints its token once on
# its standard output; SERVER_TOKEN is that token (empty over an existing store, or a server that
# prints none). LOG holds it too: keep LOG in a private temp dir and delete it afterwards.
# The caller owns the trap: call server_stop from its EXIT trap. Functions return non-zero (with
# the reason on stderr) instead of exiting, so a caller under `set -e` stops at the first failure.

SERVER_PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/Credentials.Server"
SERVER_START_TIMEOUT_S=60
SERVER_DLL=""
SERVER_PID=""
SERVER_ADDRESS=""
SERVER_TOKEN=""

server_build() {
  local log
  log="$(mktemp -t server-build.XXXXXX)"
  if ! dotnet build "$SERVER_PROJECT" -c Release -nologo -v q >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "server: src/Credentials.Server did not build" >&2
    return 1
  fi
  rm -f "$log"
  SERVER_DLL="$(find "$SERVER_PROJECT/bin/Release" -name credentials-server.dll -print -quit)"
  if [[ -z $SERVER_DLL ]]; then
    echo "server: credentials-server.dll not found under $SERVER_PROJECT/bin/Release" >&2
    return 1
  fi
}

server_start() {
  local data_dir=$1 log=$2
  shift 2
  mkdir -p "$data_dir"
  dotnet "$SERVER_DLL" --urls http://127.0.0.1:0 --data-dir "$data_dir" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_ADDRESS=""
  SERVER_TOKEN=""
  if ! SERVER_ADDRESS="$(listening_address "$log" "$SERVER_PID")"; then
    sed 's/crd_[[:alnum:]]*/crd_<redacted>/g' "$log" >&2
    echo "server: did not report its address within ${SERVER_START_TIMEOUT_S}s" >&2
    return 1
  fi
  # Printed before the server listens: "Authority token (shown once; ...):", a blank line, the token.
  SERVER_TOKEN="$(sed -n '/Authority token/,$ s/^[[:space:]]*\(crd_[[:alnum:]]*\)[[:space:]]*$/\1/p' "$log" | head -n 1)"
}

listening_address() {
  local log=$1 pid=$2 address _
  # Port 0: the kernel picks a free port and Kestrel logs it, so no other process can race for it.
  for _ in $(seq $((SERVER_START_TIMEOUT_S * 10))); do
    address="$(sed -n 's|.*Now listening on: http://\(127\.0\.0\.1:[0-9]*\).*|\1|p' "$log" | head -n 1)"
    if [[ -n $address ]]; then
      echo "$address"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

server_stop() {
  [[ -z $SERVER_PID ]] || process_stop "$SERVER_PID"
  SERVER_PID=""
}

process_stop() {
  local pid=$1 _
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

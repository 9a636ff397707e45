#!/usr/bin/env bash
# The transport ceiling: loads one gRPC method of the real server with h2load over loopback and
# reports requests/s, p50 and p99 latency, and whether every call really ended with grpc-status OK.
#
#   bench/transport.sh [options]
#
# By default it builds src/Credentials.Server (Release), starts it on a free 127.0.0.1 port over a
# temp --data-dir, warms up, measures /credentials.v1.DiagnosticsService/Ping and stops the server
# again, also on failure or Ctrl-C.
#
# Options:
#   --method PATH        gRPC method to load (default /credentials.v1.DiagnosticsService/Ping)
#   --body FILE          request body: gRPC message frame(s), 5-byte prefix + protobuf (default: the
#                        empty message, 00 00 00 00 00). Make one with
#                        clients/python/grpc_call.py encode ADDRESS METHOD '{json}' > FILE
#   --token TOKEN        send 'authorization: Bearer TOKEN' with every loaded call (default none;
#                        h2load takes it on its command line, visible to ps: use a throwaway one)
#   --stats-token TOKEN  authority or platform token for GetCallStatistics (default
#                        $CREDENTIALS_TOKEN, else the first authority token that a server started
#                        over a fresh data dir prints)
#   -n, --requests N     measured requests (default 200000)
#   --warmup N           requests before measuring, not counted (default 20000)
#   -c, --connections N  HTTP/2 connections (default 8)
#   -m, --streams N      concurrent streams per connection (default 10)
#   -t, --threads N      h2load threads (default 1)
#   -D, --max-seconds S  wall-clock cap of each h2load run; exceeding it fails (default 300)
#   --address HOST:PORT  load an already running cleartext server instead of starting one
#   --data-dir DIR       start the server over DIR instead of a temp dir (kept afterwards)
#
# Requests are counted (h2load -n), not timed: h2load's own -D switches it to timing mode and
# ignores -n, and calls cut off at the end of a timed run would spoil the exact status check. The
# duration cap is therefore enforced with timeout(1).
#
# "grpc-status checked": h2load sees only HTTP 200. Before and after the measured run the script
# reads DiagnosticsService/GetCallStatistics (bench/call_statistics.py) and requires the method's
# OK count to grow by exactly the number of requests h2load reports as succeeded, and no other
# status to appear. Exits 0 when the run and the check passed, 1 when they did not, 2 on bad usage
# or a missing prerequisite.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=/usr/bin/python3
STATISTICS="$ROOT/bench/call_statistics.py"

method=/credentials.v1.DiagnosticsService/Ping
body=""
token=""
stats_token="${CREDENTIALS_TOKEN:-}"
requests=200000
warmup=20000
connections=8
streams=10
threads=1
max_seconds=300
address=""
data_dir=""

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

fail_usage() {
  echo "transport: $1" >&2
  exit 2
}

positive() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || fail_usage "$1 must be a positive integer, got '$2'"
}

while (($# > 0)); do
  (($# >= 2)) || [[ $1 == -h || $1 == --help ]] || fail_usage "$1 needs a value"
  case $1 in
    --method) method=$2 ;;
    --body) body=$2 ;;
    --token) token=$2 ;;
    --stats-token) stats_token=$2 ;;
    -n | --requests) requests=$2 ;;
    --warmup) warmup=$2 ;;
    -c | --connections) connections=$2 ;;
    -m | --streams) streams=$2 ;;
    -t | --threads) threads=$2 ;;
    -D | --max-seconds) max_seconds=$2 ;;
    --address) address=$2 ;;
    --data-dir) data_dir=$2 ;;
    -h | --help) usage ;;
    *) fail_usage "unknown option $1 (see --help)" ;;
  esac
  shift 2
done
for option in requests connections streams threads max_seconds; do
  positive "--${option/_/-}" "${!option}"
done
[[ $warmup =~ ^[0-9]+$ ]] || fail_usage "--warmup must be a number, got '$warmup'"
[[ $method =~ ^/[A-Za-z0-9_.]+/[A-Za-z0-9_]+$ ]] || fail_usage "--method must look like /pkg.Service/Method, got '$method'"

missing=()
command -v h2load >/dev/null || missing+=("h2load (apt-get install -y nghttp2-client)")
command -v timeout >/dev/null || missing+=("timeout (coreutils)")
"$PYTHON" -c 'import grpc, grpc_tools' 2>/dev/null || missing+=("$PYTHON with python3-grpcio and python3-grpc-tools")
[[ -n $address ]] || command -v dotnet >/dev/null || missing+=("dotnet (the .NET SDK of global.json)")
if ((${#missing[@]} > 0)); then
  echo "transport: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

# shellcheck source=bench/server.sh
source "$ROOT/bench/server.sh"
work="$(mktemp -d -t transport.XXXXXX)"
cleanup() {
  server_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z $body ]]; then
  body="$work/empty.bin"
  printf '\0\0\0\0\0' >"$body"
fi
[[ -r $body ]] || fail_usage "--body $body is not a readable file"
# The body must be whole gRPC frames: a wrong one would only show up as failed calls.
"$PYTHON" - "$body" <<'EOF' || fail_usage "--body $body is not a sequence of uncompressed gRPC message frames"
import sys
data = open(sys.argv[1], "rb").read()
offset = 0
while offset < len(data):
    if len(data) - offset < 5 or data[offset] != 0:
        sys.exit(1)
    offset += 5 + int.from_bytes(data[offset + 1:offset + 5], "big")
sys.exit(0 if data and offset == len(data) else 1)
EOF

if [[ -z $address ]]; then
  echo "transport: building src/Credentials.Server (Release)"
  server_build || exit 1
  server_start "${data_dir:-$work/data}" "$work/server.log" || exit 1
  address=$SERVER_ADDRESS
  stats_token=${stats_token:-$SERVER_TOKEN}
fi
echo "transport: server at $address; $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"

url="http://$address$method"
h2load_args=(-c "$connections" -m "$streams" -t "$threads" -H 'content-type: application/grpc' -H 'te: trailers' -d "$body")
[[ -z $token ]] || h2load_args+=(-H "authorization: Bearer $token")

# run_h2load REQUESTS OUTPUT [more h2load options]
run_h2load() {
  local count=$1 output=$2
  shift 2
  if ! timeout "$max_seconds" h2load -n "$count" "${h2load_args[@]}" "$@" "$url" >"$output" 2>&1; then
    grep -v '^progress:' "$output" >&2 || true
    echo "transport: h2load failed or exceeded ${max_seconds}s" >&2
    exit 1
  fi
}

# field OUTPUT SED-EXPRESSION: one number from h2load's summary.
field() {
  sed -n "$2" "$1" | head -n 1
}

if ((warmup > 0)); then
  echo "transport: warming up with $warmup requests"
  run_h2load "$warmup" "$work/warmup.out"
fi

snapshot() {
  CREDENTIALS_TOKEN="$stats_token" "$PYTHON" "$STATISTICS" snapshot "$address" >"$1" || exit 1
}
snapshot "$work/before.json"
echo "transport: h2load -n $requests -c $connections -m $streams -t $threads $method"
run_h2load "$requests" "$work/h2load.out" --log-file="$work/requests.log"
snapshot "$work/after.json"

out="$work/h2load.out"
rate="$(field "$out" 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p')"
succeeded="$(field "$out" 's/^requests: .* \([0-9]*\) succeeded.*/\1/p')"
failed="$(field "$out" 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\1 failed, \2 errored, \3 timeout/p')"
if [[ -z $rate || -z $succeeded ]]; then
  cat "$out" >&2
  echo "transport: could not read h2load's summary" >&2
  exit 1
fi

# Latency from h2load's per-request log (start µs, HTTP status, duration µs), nearest-rank percentiles.
read -r rows p50 p99 < <(cut -f 3 "$work/requests.log" | sort -n | awk '
  { v[NR] = $1 }
  function rank(p) { i = int((p * NR + 99) / 100); return v[i < 1 ? 1 : i] / 1000 }
  END { if (NR == 0) print 0, "-", "-"; else printf "%d %.2f %.2f\n", NR, rank(50), rank(99) }')

passed=true
verdict="$("$PYTHON" "$STATISTICS" check "$work/before.json" "$work/after.json" --method "$method" --ok "$succeeded")" || passed=false
if ((succeeded != requests)); then
  passed=false
  verdict="$verdict; h2load: $succeeded of $requests succeeded ($failed)"
fi

echo
echo "method:       $method"
echo "settings:     -n $requests -c $connections -m $streams -t $threads (warm-up $warmup)"
echo "requests/s:   $rate"
echo "latency:      p50 $p50 ms, p99 $p99 ms ($rows requests logged)"
echo "grpc-status:  $verdict"
$passed

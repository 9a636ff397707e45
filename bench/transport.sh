#!/usr/bin/env bash
# The transport ceiling, against a yardstick: loads one gRPC method of the real server with h2load
# over loopback and, in the same run and in alternating rounds, the one constant-reply method of a
# bare Grpc.AspNetCore server (bench/Credentials.Bench.BareServer: `dotnet new grpc` with nothing
# added). Reports both servers' requests/s, p50 and p99 latency and the ratio (target: the server's
# Ping at least 85% of the bare server's: what our interceptors, authentication and telemetry cost),
# and checks that every call really ended with grpc-status OK.
#
#   bench/transport.sh [options]
#
# By default it builds src/Credentials.Server and the bare server (Release), starts both on free
# 127.0.0.1 ports (the server over a temp --data-dir), warms each up, measures
# /credentials.v1.DiagnosticsService/Ping against /bare.v1.Bare/Ping and stops both again, also on
# failure or Ctrl-C.
#
# Options:
#   --method PATH        gRPC method of the server to load (default /credentials.v1.DiagnosticsService/Ping);
#                        the bare server always answers its Ping, so the ratio is PATH / bare Ping
#   --body FILE          request body for --method: gRPC message frame(s), 5-byte prefix + protobuf
#                        (default: the empty message, 00 00 00 00 00). Make one with
#                        clients/python/grpc_call.py encode ADDRESS METHOD '{json}' > FILE
#   --token TOKEN        send 'authorization: Bearer TOKEN' with every call to the server (default none;
#                        h2load takes it on its command line, visible to ps: use a throwaway one)
#   --stats-token TOKEN  authority or platform token for GetCallStatistics (default
#                        $CREDENTIALS_TOKEN, else the first authority token that a server started
#                        over a fresh data dir prints)
#   -n, --requests N     measured requests per server, split evenly over the rounds, rounded up
#                        (default 200000)
#   --warmup N           requests to each server before measuring, not counted (default 100000:
#                        enough for the JIT's tiers to settle, which 20000 was not)
#   --rounds R           rounds; each loads both servers one after the other, the order
#                        alternating from round to round (default 3)
#   -c, --connections N  HTTP/2 connections (default 8)
#   -m, --streams N      concurrent streams per connection (default 10)
#   -t, --threads N      h2load threads (default 1)
#   -D, --max-seconds S  wall-clock cap of each h2load run; exceeding it fails (default 300)
#   --address HOST:PORT  load an already running cleartext server instead of starting one
#   --data-dir DIR       start the server over DIR instead of a temp dir (kept afterwards)
#   --telemetry MODE     what the server it starts records (default metrics):
#                          metrics  its Prometheus endpoint on a free loopback port, as deployed;
#                                   scraped at the end: the metrics must count the calls too
#                          traces   metrics, plus a span of every call, metrics and logs exported
#                                   over OTLP/HTTP to a local sink that discards them (the sink
#                                   shares the CPU, so this prices tracing at the worst)
#                          off      the defaults: nothing listens to the instruments
#
# Requests are counted (h2load -n), not timed: h2load's own -D switches it to timing mode and
# ignores -n, and calls cut off at the end of a timed run would spoil the exact status check. The
# duration cap is therefore enforced with timeout(1).
#
# "grpc-status checked": h2load sees only HTTP 200, and a gRPC failure still answers HTTP 200. For
# the server, the script reads DiagnosticsService/GetCallStatistics (bench/call_statistics.py)
# before the first and after the last measured run, and requires the method's OK count to grow by
# exactly the number of requests h2load reports as succeeded, and no other status to appear. The
# bare server has nothing but its method; it counts the calls its handler answered (it has no
# failure path, so each ended OK) and prints the total when it stops, which must equal the requests
# h2load reports as succeeded against it, warm-up included. Exits 0 when every run and both checks
# passed (whatever the ratio), 1 when they did not, 2 on bad usage or a missing prerequisite.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=/usr/bin/python3
STATISTICS="$ROOT/bench/call_statistics.py"
BARE_PROJECT="$ROOT/bench/Credentials.Bench.BareServer"
BARE_METHOD=/bare.v1.Bare/Ping
TARGET_RATIO=0.85

method=/credentials.v1.DiagnosticsService/Ping
body=""
token=""
stats_token="${CREDENTIALS_TOKEN:-}"
requests=200000
warmup=100000
rounds=3
connections=8
streams=10
threads=1
max_seconds=300
telemetry=metrics
address=""
data_dir=""

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit 0
}

fail_usage() {
  echo "transport: $1" >&2
  exit 2
}

positive() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || fail_usage "$1 must be a positive integer, got '$2'"
}

while (($# > 0)); do
  [[ $1 != -h && $1 != --help ]] || usage
  (($# >= 2)) || fail_usage "$1 needs a value"
  case $1 in
    --method) method=$2 ;;
    --body) body=$2 ;;
    --token) token=$2 ;;
    --stats-token) stats_token=$2 ;;
    -n | --requests) requests=$2 ;;
    --warmup) warmup=$2 ;;
    --rounds) rounds=$2 ;;
    -c | --connections) connections=$2 ;;
    -m | --streams) streams=$2 ;;
    -t | --threads) threads=$2 ;;
    -D | --max-seconds) max_seconds=$2 ;;
    --address) address=$2 ;;
    --data-dir) data_dir=$2 ;;
    --telemetry) telemetry=$2 ;;
    *) fail_usage "unknown option $1 (see --help)" ;;
  esac
  shift 2
done
for option in requests rounds connections streams threads max_seconds; do
  positive "--${option/_/-}" "${!option}"
done
[[ $warmup =~ ^[0-9]+$ ]] || fail_usage "--warmup must be a number, got '$warmup'"
[[ $method =~ ^/[A-Za-z0-9_.]+/[A-Za-z0-9_]+$ ]] || fail_usage "--method must look like /pkg.Service/Method, got '$method'"
[[ $telemetry =~ ^(metrics|traces|off)$ ]] || fail_usage "--telemetry must be metrics, traces or off, got '$telemetry'"
per_round=$(((requests + rounds - 1) / rounds))

missing=()
command -v h2load >/dev/null || missing+=("h2load (apt-get install -y nghttp2-client)")
command -v timeout >/dev/null || missing+=("timeout (coreutils)")
"$PYTHON" -c 'import grpc, grpc_tools' 2>/dev/null || missing+=("$PYTHON with python3-grpcio and python3-grpc-tools")
command -v dotnet >/dev/null || missing+=("dotnet (the .NET SDK of global.json)")
if ((${#missing[@]} > 0)); then
  echo "transport: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

# shellcheck source=bench/server.sh
source "$ROOT/bench/server.sh"
work="$(mktemp -d -t transport.XXXXXX)"
BARE_PID=""
SINK_PID=""
# SIGTERM, so that the bare server prints its count.
bare_stop() {
  [[ -z $BARE_PID ]] || process_stop "$BARE_PID"
  BARE_PID=""
}
cleanup() {
  server_stop
  [[ -z $SINK_PID ]] || process_stop "$SINK_PID"
  bare_stop
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
"$PYTHON" - "$body" <<'PY' || fail_usage "--body $body is not a sequence of uncompressed gRPC message frames"
import sys
data = open(sys.argv[1], "rb").read()
offset = 0
while offset < len(data):
    if len(data) - offset < 5 or data[offset] != 0:
        sys.exit(1)
    offset += 5 + int.from_bytes(data[offset + 1:offset + 5], "big")
sys.exit(0 if data and offset == len(data) else 1)
PY
printf '\0\0\0\0\0' >"$work/bare-body.bin"

echo "transport: building bench/Credentials.Bench.BareServer (Release)"
if ! dotnet build "$BARE_PROJECT" -c Release -nologo -v q >"$work/bare-build.log" 2>&1; then
  cat "$work/bare-build.log" >&2
  echo "transport: the bare server did not build" >&2
  exit 1
fi
bare_dll="$(find "$BARE_PROJECT/bin/Release" -name bare-grpc-server.dll -print -quit)"
if [[ -z $address ]]; then
  echo "transport: building src/Credentials.Server (Release)"
  server_build || exit 1
  server_telemetry=()
  if [[ $telemetry != off ]]; then
    server_telemetry+=(--Telemetry:Prometheus:Url=http://127.0.0.1:0)
  fi
  if [[ $telemetry == traces ]]; then
    "$PYTHON" "$ROOT/bench/otlp_sink.py" >"$work/sink.port" &
    SINK_PID=$!
    for _ in $(seq 50); do [[ -s $work/sink.port ]] && break; sleep 0.1; done
    [[ -s $work/sink.port ]] || { echo "transport: the OTLP sink did not start" >&2; exit 1; }
    server_telemetry+=(--Telemetry:Otlp:Endpoint="http://127.0.0.1:$(cat "$work/sink.port")" --Telemetry:Otlp:Protocol=http/protobuf)
  fi
  server_start "${data_dir:-$work/data}" "$work/server.log" "${server_telemetry[@]}" || exit 1
  address=$SERVER_ADDRESS
  stats_token=${stats_token:-$SERVER_TOKEN}
fi
dotnet "$bare_dll" --urls http://127.0.0.1:0 >"$work/bare.log" 2>&1 &
BARE_PID=$!
if ! bare_address="$(listening_address "$work/bare.log" "$BARE_PID")"; then
  cat "$work/bare.log" >&2
  echo "transport: the bare server did not report its address" >&2
  exit 1
fi
echo "transport: server at $address, bare server at $bare_address; $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"

common_args=(-c "$connections" -m "$streams" -t "$threads" -H 'content-type: application/grpc' -H 'te: trailers')
server_args=("${common_args[@]}" -d "$body")
[[ -z $token ]] || server_args+=(-H "authorization: Bearer $token")
bare_args=("${common_args[@]}" -d "$work/bare-body.bin")

# load TARGET REQUESTS NAME: h2load against TARGET (server or bare), output in $work/NAME.out and
# its per-request log in $work/NAME.log; sets RATE and SUCCEEDED from its summary.
load() {
  local target=$1 count=$2 name=$3 url
  local -n args="${target}_args"
  if [[ $target == server ]]; then url="http://$address$method"; else url="http://$bare_address$BARE_METHOD"; fi
  if ! timeout "$max_seconds" h2load -n "$count" "${args[@]}" --log-file="$work/$name.log" "$url" >"$work/$name.out" 2>&1; then
    grep -v '^progress:' "$work/$name.out" >&2 || true
    echo "transport: h2load against the $target failed or exceeded ${max_seconds}s" >&2
    exit 1
  fi
  RATE="$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$work/$name.out" | head -n 1)"
  SUCCEEDED="$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$work/$name.out" | head -n 1)"
  if [[ -z $RATE || -z $SUCCEEDED ]]; then
    cat "$work/$name.out" >&2
    echo "transport: could not read h2load's summary" >&2
    exit 1
  fi
}

# cpu_ticks PID: user + system CPU time of PID so far, in clock ticks ("" when PID is unknown).
cpu_ticks() {
  if [[ -n ${1:-} && -r /proc/$1/stat ]]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; fi
}
clock_ticks="$(getconf CLK_TCK)"
declare -A ticks_total=([server]=0 [bare]=0) pid_of=([server]="${SERVER_PID:-}" [bare]="$BARE_PID")

bare_succeeded=0
if ((warmup > 0)); then
  echo "transport: warming up each server with $warmup requests"
  load server "$warmup" warmup-server
  load bare "$warmup" warmup-bare
  bare_succeeded=$((bare_succeeded + SUCCEEDED))
fi

CREDENTIALS_TOKEN="$stats_token" "$PYTHON" "$STATISTICS" snapshot "$address" >"$work/before.json" || exit 1
load_before="$(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "transport: $rounds rounds of h2load -n $per_round -c $connections -m $streams -t $threads against each server"
passed=true
declare -A succeeded_total=([server]=0 [bare]=0) seconds_total=([server]=0 [bare]=0)
round_lines=()
round_ratios=()
for round in $(seq "$rounds"); do
  if ((round % 2 == 1)); then order=(server bare); else order=(bare server); fi
  declare -A round_rate=()
  for target in "${order[@]}"; do
    ticks_before="$(cpu_ticks "${pid_of[$target]}")"
    load "$target" "$per_round" "round$round-$target"
    ticks_after="$(cpu_ticks "${pid_of[$target]}")"
    if [[ -n $ticks_before && -n $ticks_after ]]; then
      ticks_total[$target]=$((ticks_total[$target] + ticks_after - ticks_before))
    else
      ticks_total[$target]=""
    fi
    round_rate[$target]=$RATE
    cut -f 3 "$work/round$round-$target.log" >>"$work/$target-latencies"
    succeeded_total[$target]=$((succeeded_total[$target] + SUCCEEDED))
    seconds_total[$target]="$(awk -v s="${seconds_total[$target]}" -v n="$per_round" -v r="$RATE" 'BEGIN { printf "%.6f", s + n / r }')"
    [[ $target == server ]] || bare_succeeded=$((bare_succeeded + SUCCEEDED))
    if ((SUCCEEDED != per_round)); then
      passed=false
      echo "transport: round $round, $target: h2load: $SUCCEEDED of $per_round succeeded" >&2
    fi
  done
  round_ratios+=("$(awk -v s="${round_rate[server]}" -v r="${round_rate[bare]}" 'BEGIN { printf "%.4f", s / r }')")
  round_lines+=("$(awk -v first="${order[0]}" -v a="${round_rate[${order[0]}]}" -v second="${order[1]}" -v b="${round_rate[${order[1]}]}" \
    -v s="${round_rate[server]}" -v r="${round_rate[bare]}" -v k="$round" \
    'BEGIN { printf "round %d:      %s %.0f req/s, then %s %.0f req/s: server / bare %.2f", k, first, a, second, b, s / r }')")
done
load_after="$(cut -d ' ' -f 1-3 /proc/loadavg)"
CREDENTIALS_TOKEN="$stats_token" "$PYTHON" "$STATISTICS" snapshot "$address" >"$work/after.json" || exit 1
verdict="$("$PYTHON" "$STATISTICS" check "$work/before.json" "$work/after.json" --method "$method" --ok "${succeeded_total[server]}")" || passed=false
metrics_verdict="not checked (--telemetry off or --address)"
metrics_url="$(sed -n 's|.*Metrics for Prometheus at \(http://[^ ]*\).*|\1|p' "$work/server.log" 2>/dev/null | head -n 1)"
if [[ -n $metrics_url ]]; then
  metrics_verdict="$("$PYTHON" "$STATISTICS" check-metrics "$work/after.json" "$metrics_url" --method "$method")" || passed=false
fi

bare_stop
answered="$(sed -n 's/^bare: answered \([0-9]*\) calls$/\1/p' "$work/bare.log" | head -n 1)"
if [[ $answered == "$bare_succeeded" ]]; then
  bare_verdict="PASS: $BARE_METHOD answered $answered calls = requests h2load reports succeeded (warm-up included)"
else
  passed=false
  bare_verdict="FAIL: $BARE_METHOD answered ${answered:-no count printed} calls, h2load reports $bare_succeeded succeeded"
fi

# latency TARGET: "p50 X ms, p99 Y ms" over every measured request (h2load logs start µs, status, duration µs).
latency() {
  sort -n "$work/$1-latencies" | awk '
    { v[NR] = $1 }
    function rank(p) { i = int((p * NR + 99) / 100); return v[i < 1 ? 1 : i] / 1000 }
    END { if (NR == 0) print "no requests logged"; else printf "p50 %.2f ms, p99 %.2f ms\n", rank(50), rank(99) }'
}
rate_of() {
  awk -v n="${succeeded_total[$1]}" -v s="${seconds_total[$1]}" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'
}
server_rate="$(rate_of server)"
bare_rate="$(rate_of bare)"
ratio="$(awk -v a="$server_rate" -v b="$bare_rate" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
median_ratio="$(printf '%s\n' "${round_ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
target="$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t ? "met" : "NOT met") }')"

echo
echo "server:       $method at $address"
echo "bare:         $BARE_METHOD at $bare_address (bench/Credentials.Bench.BareServer)"
echo "settings:     $rounds rounds of -n $per_round per server, -c $connections -m $streams -t $threads (warm-up $warmup each)"
printf '%s\n' "${round_lines[@]}"
echo "requests/s:   server $server_rate, bare $bare_rate (all measured requests / their time)"
echo "latency:      server $(latency server); bare $(latency bare)"
if [[ -n ${ticks_total[server]} && -n ${ticks_total[bare]} ]]; then
  awk -v s="${ticks_total[server]}" -v b="${ticks_total[bare]}" -v n="${succeeded_total[server]}" -v m="${succeeded_total[bare]}" -v hz="$clock_ticks" \
    'BEGIN { cs = s / hz / n * 1e6; cb = b / hz / m * 1e6; printf "CPU per call: server %.2f us, bare %.2f us (process CPU time / measured requests): bare / server %.2f\n", cs, cb, cb / cs }'
fi
echo "ratio:        $ratio server / bare (target >= $TARGET_RATIO: $target); median of the rounds' ratios $median_ratio"
echo "telemetry:    $telemetry"
echo "load average: $load_before before the first round, $load_after after the last (1, 5, 15 min; $(nproc) cores)"
echo "grpc-status:  server $verdict"
echo "              metrics $metrics_verdict"
echo "              bare $bare_verdict"
$passed

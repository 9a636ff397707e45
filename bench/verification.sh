#!/usr/bin/env bash
# VerifyCertificate on a store of generated certificates, against the constant-reply Ping in the
# same run: requests/s, p50/p99 latency, and the ratio (target: >= 60% of Ping, p99 <= 20 ms).
#
#   bench/verification.sh --data-dir DIR [options]
#
# DIR is a store made by `credentials-bench generate` (its numbers.txt lists the numbers and
# holder names). The script builds src/Credentials.Server (Release), adds a throwaway platform
# principal to read the call statistics, starts the server over DIR on a free 127.0.0.1 port with
# rate limits off (CREDENTIALS_RATELIMITS__*__PERMITS=0), and runs h2load in rounds: in each round
# P h2load processes (one HTTP/2 connection each, -m streams) load Ping, then P processes load
# VerifyCertificate, each with a request for another random existing number (h2load sends one body
# per process, so a run covers P x rounds distinct numbers). Ping and VerifyCertificate are run
# the same way, alternately, so the ratio compares like with like on a shared machine.
#
# Options:
#   -n, --requests N     measured requests per method, split over rounds and processes (default 160000)
#   --warmup N           requests per method before measuring (default 100000: with 16000 the JIT had not
#                        settled, and the first round cost twice the server CPU per call of the last)
#   -P, --processes P    h2load processes (connections) per round (default 8)
#   -m, --streams N      concurrent streams per connection (default 10)
#   --rounds R           rounds (default 4)
#   -D, --max-seconds S  cap of each h2load run (default 300)
#
# Besides the rates it prints each round, and the server's CPU time per call of each method (from
# /proc/PID/stat): on a shared machine the rates move with the other work, the CPU per call much less.
#
# grpc-status checked as in bench/transport.sh: GetCallStatistics before and after, and each
# method's OK count must grow by exactly the requests h2load reports as succeeded. Every body must
# also answer VALID or REVOKED (not NOT_FOUND): the script calls VerifyCertificate once with each
# body through grpcio before loading it. Exits 0 when every run and check passed, 1 otherwise, 2
# on bad usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=/usr/bin/python3
STATISTICS="$ROOT/bench/call_statistics.py"

requests=160000
warmup=100000
processes=8
streams=10
rounds=4
max_seconds=300
data_dir=""

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit 0
}
fail_usage() {
  echo "verification: $1" >&2
  exit 2
}
while (($# > 0)); do
  (($# >= 2)) || [[ $1 == -h || $1 == --help ]] || fail_usage "$1 needs a value"
  case $1 in
    -n | --requests) requests=$2 ;;
    --warmup) warmup=$2 ;;
    -P | --processes) processes=$2 ;;
    -m | --streams) streams=$2 ;;
    --rounds) rounds=$2 ;;
    -D | --max-seconds) max_seconds=$2 ;;
    --data-dir) data_dir=$2 ;;
    -h | --help) usage ;;
    *) fail_usage "unknown option $1 (see --help)" ;;
  esac
  shift 2
done
for option in requests processes streams rounds max_seconds; do
  [[ ${!option} =~ ^[1-9][0-9]*$ ]] || fail_usage "--${option/_/-} must be a positive integer"
done
[[ $warmup =~ ^[0-9]+$ ]] || fail_usage "--warmup must be a number"
[[ -n $data_dir && -r $data_dir/numbers.txt && -r $data_dir/credentials.db ]] ||
  fail_usage "--data-dir must be a store made by 'credentials-bench generate' (credentials.db and numbers.txt)"
command -v h2load >/dev/null || fail_usage "h2load missing (apt-get install -y nghttp2-client)"
"$PYTHON" -c 'import grpc, grpc_tools' 2>/dev/null || fail_usage "$PYTHON needs python3-grpcio and python3-grpc-tools"

# shellcheck source=bench/server.sh
source "$ROOT/bench/server.sh"
work="$(mktemp -d -t verification.XXXXXX)"
cleanup() {
  server_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "verification: building src/Credentials.Server (Release)"
server_build || exit 1
# A throwaway platform principal for GetCallStatistics (its token stays in this private temp dir).
dotnet "$SERVER_DLL" principals add "bench-$$" --role platform --data-dir "$data_dir" >"$work/principal.out" 2>&1 ||
  { cat "$work/principal.out" >&2; exit 1; }
stats_token="$(sed -n 's/^[[:space:]]*\(crd_[[:alnum:]]*\)[[:space:]]*$/\1/p' "$work/principal.out" | head -n 1)"
CREDENTIALS_RATELIMITS__ANONYMOUS__PERMITS=0 CREDENTIALS_RATELIMITS__EMPLOYER__PERMITS=0 \
  server_start "$data_dir" "$work/server.log" || exit 1
address=$SERVER_ADDRESS
echo "verification: server at $address over $data_dir ($(wc -l <"$data_dir/numbers.txt") certificates); $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg)"

printf '\0\0\0\0\0' >"$work/ping.bin"
# body FILE: a VerifyCertificateRequest frame for a random line of numbers.txt.
body() {
  shuf -n 1 "$data_dir/numbers.txt" | "$PYTHON" -c '
import sys
number, name = sys.stdin.readline().rstrip("\n").split("\t")
def field(tag, text):
    data = text.encode()
    return bytes([tag << 3 | 2, len(data)]) + data
message = field(1, number) + field(2, name)
sys.stdout.buffer.write(b"\0" + len(message).to_bytes(4, "big") + message)' >"$1"
  # The answer must be VALID (1) or REVOKED (2): field 1, varint.
  "$PYTHON" - "$address" "$1" <<'PY' || { echo "verification: a generated number did not verify" >&2; exit 1; }
import sys, grpc
body = open(sys.argv[2], "rb").read()[5:]
with grpc.insecure_channel(sys.argv[1]) as channel:
    answer = channel.unary_unary("/credentials.v1.VerificationService/VerifyCertificate")(body, timeout=10)
sys.exit(0 if answer[:2] in (b"\x08\x01", b"\x08\x02") else 1)
PY
}

# server_cpu: the server's user + system CPU time so far, in clock ticks (/proc/PID/stat fields 14 and 15).
server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
ticks=$(getconf CLK_TCK)

# load METHOD BODY_PREFIX COUNT TAG: P h2load processes in parallel, COUNT requests in all.
# Appends per-request durations to $work/TAG.lat and the wall time to $work/TAG.time.
load() {
  local method=$1 prefix=$2 count=$3 tag=$4 p pids=() started ended
  local per=$((count / processes)) cpu_before cpu_after
  cpu_before=$(server_cpu)
  started=$(date +%s.%N)
  for ((p = 0; p < processes; p++)); do
    timeout "$max_seconds" h2load -n "$per" -c 1 -m "$streams" -t 1 -H 'content-type: application/grpc' -H 'te: trailers' \
      -d "$prefix.$p.bin" --log-file="$work/$tag.$p.log" "http://$address$method" >"$work/$tag.$p.out" 2>&1 &
    pids+=($!)
  done
  for p in "${!pids[@]}"; do
    wait "${pids[$p]}" || { grep -v '^progress:' "$work/$tag.$p.out" >&2; echo "verification: h2load failed" >&2; exit 1; }
  done
  ended=$(date +%s.%N)
  cpu_after=$(server_cpu)
  for ((p = 0; p < processes; p++)); do
    cut -f 3 "$work/$tag.$p.log" >>"$work/$tag.lat"
    sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$work/$tag.$p.out" >>"$work/$tag.ok"
  done
  echo "$started $ended $count $cpu_before $cpu_after" >>"$work/$tag.time"
}

ping=/credentials.v1.DiagnosticsService/Ping
verify=/credentials.v1.VerificationService/VerifyCertificate
# bodies ROUND: a Ping body and a VerifyCertificate body per process; all made (and checked) before measuring.
bodies() {
  local p
  for ((p = 0; p < processes; p++)); do
    cp "$work/ping.bin" "$work/ping.$1.$p.bin"
    body "$work/verify.$1.$p.bin"
  done
}
bodies warm
for ((r = 0; r < rounds; r++)); do
  bodies "$r"
done

if ((warmup > 0)); then
  echo "verification: warming up ($warmup requests per method)"
  load "$ping" "$work/ping.warm" "$warmup" warm-ping
  load "$verify" "$work/verify.warm" "$warmup" warm-verify
fi
snapshot() {
  CREDENTIALS_TOKEN="$stats_token" "$PYTHON" "$STATISTICS" snapshot "$address" >"$1" || exit 1
}
snapshot "$work/before.json"
for ((r = 0; r < rounds; r++)); do
  echo "verification: round $((r + 1))/$rounds: $processes x h2load -c 1 -m $streams, $((requests / rounds)) requests per method"
  load "$ping" "$work/ping.$r" $((requests / rounds)) ping
  load "$verify" "$work/verify.$r" $((requests / rounds)) verify
done
snapshot "$work/after.json"

# summary TAG: requests/s (requests over the summed wall time of its runs), p50, p99 (ms), succeeded.
summary() {
  local rate succeeded
  rate="$(awk '{ t += $2 - $1; n += $3 } END { printf "%.0f", n / t }' "$work/$1.time")"
  succeeded="$(awk '{ s += $1 } END { print s + 0 }' "$work/$1.ok")"
  read -r p50 p99 < <(sort -n "$work/$1.lat" | awk '
    { v[NR] = $1 }
    function rank(p) { i = int((p * NR + 99) / 100); return v[i < 1 ? 1 : i] / 1000 }
    END { printf "%.2f %.2f\n", rank(50), rank(99) }')
  echo "$rate $p50 $p99 $succeeded"
}
read -r ping_rate ping_p50 ping_p99 ping_ok < <(summary ping)
read -r verify_rate verify_p50 verify_p99 verify_ok < <(summary verify)

passed=true
# The check allows no change but its method's: credit each check's "before" with the other method's calls.
credit() {
  "$PYTHON" - "$work/before.json" "$1" "$2" >"$3" <<'PY'
import json, sys
counts = json.load(open(sys.argv[1]))
counts.setdefault(sys.argv[2], {})
counts[sys.argv[2]]["OK"] = counts[sys.argv[2]].get("OK", 0) + int(sys.argv[3])
json.dump(counts, sys.stdout)
PY
}
credit "$verify" "$verify_ok" "$work/before-ping.json"
credit "$ping" "$ping_ok" "$work/before-verify.json"
ping_check="$("$PYTHON" "$STATISTICS" check "$work/before-ping.json" "$work/after.json" --method "$ping" --ok "$ping_ok" 2>&1)" || passed=false
verify_check="$("$PYTHON" "$STATISTICS" check "$work/before-verify.json" "$work/after.json" --method "$verify" --ok "$verify_ok" 2>&1)" || passed=false
((ping_ok == requests / rounds / processes * processes * rounds && verify_ok == ping_ok)) || passed=false

ratio="$(awk -v v="$verify_rate" -v p="$ping_rate" 'BEGIN { printf "%.0f", 100 * v / p }')"
# The server's CPU per call: on a shared machine it moves much less than the rates do.
cpu_per_call() { awk -v t="$ticks" '{ c += $5 - $4; n += $3 } END { printf "%.1f", c / t * 1e6 / n }' "$work/$1.time"; }
echo
echo "round  Ping req/s  VerifyCertificate req/s  ratio  server CPU per call: Ping, VerifyCertificate"
paste -d ' ' "$work/ping.time" "$work/verify.time" | awk -v t="$ticks" '{
  p = $3 / ($2 - $1); v = $8 / ($7 - $6)
  printf "%5d  %10.0f  %23.0f  %4.0f%%  %.1f us, %.1f us\n", NR, p, v, 100 * v / p, ($5 - $4) / t * 1e6 / $3, ($10 - $9) / t * 1e6 / $8 }'
echo
echo "settings:          -n $requests in $rounds rounds of $processes h2load processes, -c 1 -m $streams each (warm-up $warmup); load $(cut -d ' ' -f 1-3 /proc/loadavg) at the end"
echo "server CPU:        $(cpu_per_call ping) us per Ping, $(cpu_per_call verify) us per VerifyCertificate"
echo "Ping:              $ping_rate req/s, p50 $ping_p50 ms, p99 $ping_p99 ms ($ping_ok OK)"
echo "VerifyCertificate: $verify_rate req/s, p50 $verify_p50 ms, p99 $verify_p99 ms ($verify_ok OK)"
echo "ratio:             $ratio% of Ping (target >= 60%), p99 target <= 20 ms"
echo "grpc-status:       Ping: $ping_check; VerifyCertificate: $verify_check"
$passed

#!/usr/bin/python3
"""Reads and compares credentials.v1.DiagnosticsService/GetCallStatistics.

h2load sees only HTTP statuses; a gRPC failure still answers HTTP 200 with the
failure in grpc-status. The server counts every call by method and final
status, so a benchmark snapshots the counts before and after its run and
checks that exactly the calls it made ended OK, and nothing else happened:

    call_statistics.py snapshot ADDRESS > before.json
    ... load ...
    call_statistics.py snapshot ADDRESS > after.json
    call_statistics.py check before.json after.json --method /pkg.Service/Method --ok N
    call_statistics.py check-metrics after.json http://127.0.0.1:PORT/metrics --method /pkg.Service/Method

`snapshot` sends 'authorization: Bearer $CREDENTIALS_TOKEN' when that variable
is set (read from the environment, so the token stays out of process lists).
`check` prints one verdict line and exits 0 when it holds, 1 when it does not.
`check-metrics` scrapes the server's Prometheus endpoint and checks that its
metric of calls (credentials_rpc_server_calls_total, by method
and status) counts the method's calls exactly as the snapshot does.
Messages come from protos/credentials/v1/diagnostics.proto, compiled at run
time with grpc_tools; nothing generated is written into the repository.
"""

import argparse
import json
import os
import pathlib
import re
import sys
import urllib.request

import grpc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "clients" / "python"))
import protoset  # noqa: E402  (found through the line above)

STATISTICS_METHOD = "/credentials.v1.DiagnosticsService/GetCallStatistics"
TIMEOUT_S = 10.0


def snapshot(address):
    """{method: {status: count}} as the server reports it now."""
    pool = protoset.build_pool(protoset.compile_protos(["credentials/v1/diagnostics.proto"]))
    request_class = protoset.message_class(pool, "credentials.v1.GetCallStatisticsRequest")
    response_class = protoset.message_class(pool, "credentials.v1.GetCallStatisticsResponse")
    token = os.environ.get("CREDENTIALS_TOKEN")
    metadata = [("authorization", f"Bearer {token}")] if token else []
    with grpc.insecure_channel(address) as channel:
        get = channel.unary_unary(STATISTICS_METHOD, request_serializer=request_class.SerializeToString,
                                  response_deserializer=response_class.FromString)
        response = get(request_class(), metadata=metadata, timeout=TIMEOUT_S)
    counts = {}
    for count in response.counts:
        counts.setdefault(count.method, {})[count.status] = count.count
    return counts


def check(before, after, method, expected_ok):
    """(passed, verdict line): method's OK count grew by expected_ok and no
    other (method, status) count changed, but for the snapshots' own calls."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        for status in sorted(set(before.get(name, {})) | set(after.get(name, {}))):
            delta = after.get(name, {}).get(status, 0) - before.get(name, {}).get(status, 0)
            if delta != 0:
                changes[(name, status)] = delta
    ok = changes.pop((method, "OK"), 0)
    if method != STATISTICS_METHOD:
        changes.pop((STATISTICS_METHOD, "OK"), None)
    problems = []
    if ok != expected_ok:
        problems.append(f"{method} OK grew by {ok}, expected {expected_ok}")
    problems += [f"{name} {status} {delta:+d}" for (name, status), delta in changes.items()]
    if problems:
        return False, "FAIL: " + "; ".join(problems)
    return True, f"PASS: {method} OK +{ok} = requests succeeded, no other status"


CALLS_METRIC = "credentials_rpc_server_calls_total"
SAMPLE = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>.*)\})? (?P<value>\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def metric_counts(url):
    """{method: {status: count}} from the call metric of a Prometheus scrape."""
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        text = response.read().decode("utf-8")
    counts = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if not match or match["name"] != CALLS_METRIC:
            continue
        labels = dict(LABEL.findall(match["labels"] or ""))
        method = "/" + labels.get("rpc_method", "")
        status = labels.get("rpc_response_status_code", "")
        counts.setdefault(method, {})[status] = counts.get(method, {}).get(status, 0) + int(float(match["value"]))
    return counts


def check_metrics(snapshot_counts, metrics, method):
    """(passed, verdict line): the metric counts method's calls by status as the snapshot does."""
    expected = snapshot_counts.get(method, {})
    counted = metrics.get(method, {})
    if expected == counted and expected:
        total = sum(expected.values())
        return True, f"PASS: {CALLS_METRIC} counts {total} calls of {method}, as GetCallStatistics does"
    return False, f"FAIL: {CALLS_METRIC} counts {counted or 'nothing'} for {method}, GetCallStatistics {expected or 'nothing'}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("snapshot", help="print the counts as JSON")
    read.add_argument("address", help="host:port of a cleartext server")
    compare = commands.add_parser("check", help="compare two snapshots")
    compare.add_argument("before")
    compare.add_argument("after")
    compare.add_argument("--method", required=True, help="full path, /pkg.Service/Method")
    compare.add_argument("--ok", type=int, required=True, help="how many calls of --method succeeded")
    scrape = commands.add_parser("check-metrics", help="compare a snapshot with the server's metrics")
    scrape.add_argument("snapshot")
    scrape.add_argument("url", help="the Prometheus endpoint, http://HOST:PORT/metrics")
    scrape.add_argument("--method", required=True, help="full path, /pkg.Service/Method")
    options = parser.parse_args(argv)

    if options.command == "snapshot":
        try:
            print(json.dumps(snapshot(options.address), sort_keys=True))
        except grpc.RpcError as error:
            hint = " (set CREDENTIALS_TOKEN to an authority or platform token)" if error.code() in (
                grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED) else ""
            print(f"call_statistics.py: {STATISTICS_METHOD}: {error.code().name}: {error.details()}{hint}", file=sys.stderr)
            return 1
        return 0
    if options.command == "check-metrics":
        with open(options.snapshot, encoding="utf-8") as s:
            passed, verdict = check_metrics(json.load(s), metric_counts(options.url), options.method)
        print(verdict)
        return 0 if passed else 1
    with open(options.before, encoding="utf-8") as b, open(options.after, encoding="utf-8") as a:
        passed, verdict = check(json.load(b), json.load(a), options.method, options.ok)
    print(verdict)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

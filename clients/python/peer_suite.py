#!/usr/bin/python3
"""The Python grpcio peer suite: real grpcio against the real Credentials server.

    peer_suite.py [--case NAME]...

Every case calls the server's own services as a grpcio application would, and checks only
what the gRPC protocol documents (reflection, health, metadata, deadlines, status details,
streaming, compression) or what the Credentials contract says (protos/credentials/v1, README).
clients/run-interop.sh starts the server and passes what the cases need in the environment:

    CREDENTIALS_ADDRESS      host:port of the server (cleartext HTTP/2)
    PEERS_COMMITTEE          a seeded committee's code, e.g. DL-S01
    PEERS_COMMITTEE_TOKEN    a committee principal of PEERS_COMMITTEE
    PEERS_PLATFORM_TOKEN     a platform principal
    PEERS_EMPLOYER_TOKEN     an employer principal

Prints "PASS <case>" or "FAIL <case>: <reason>" per case and "python: N passed, N failed";
exits 1 when a case failed. Message classes come from protos/credentials/v1, grpc-proto and
Google.Api.CommonProtos through protoset.py; nothing is generated on disk.
"""

import argparse
import os
import sys
import threading
import time
import traceback

import grpc
from google.protobuf import descriptor_pb2

import protoset
from peer import (CALL_TIMEOUT_S, CREDENTIALS_SERVICES, CaseFailure, Peer, check, enum_name, expect_error, mistyped,
                  resident_id)


# --- Reflection ----------------------------------------------------------------------------

def reflect(peer, version, requests):
    """Sends the requests on one ServerReflectionInfo call of grpc.reflection.<version>; the answers."""
    path = f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo"
    pool_request = f"grpc.reflection.{version}.ServerReflectionRequest"
    call = peer.method(path)
    answers = list(call(iter([peer.message(pool_request, r) for r in requests]), timeout=CALL_TIMEOUT_S))
    check(len(answers) == len(requests), f"{len(requests)} reflection requests got {len(answers)} answers")
    return answers


def list_services_case(version):
    def case(peer):
        (answer,) = reflect(peer, version, [{"listServices": ""}])
        check(answer.WhichOneof("message_response") == "list_services_response",
              f"answered {answer.WhichOneof('message_response')}")
        names = {service.name for service in answer.list_services_response.service}
        missing = [name for name in CREDENTIALS_SERVICES + ["grpc.health.v1.Health"] if name not in names]
        check(not missing, f"the list lacks {', '.join(missing)} (got {', '.join(sorted(names))})")
    return case


def resolve_files(peer, symbol):
    """The FileDescriptorProtos of the file defining symbol and of all it imports, by name,
    asked through reflection (file_containing_symbol, then file_by_filename for what is missing)."""
    files = {}

    def add(answer):
        check(answer.WhichOneof("message_response") == "file_descriptor_response",
              f"answered {answer.WhichOneof('message_response')}: {answer.error_response.error_message}")
        for serialized in answer.file_descriptor_response.file_descriptor_proto:
            file = descriptor_pb2.FileDescriptorProto.FromString(serialized)
            files.setdefault(file.name, file)

    (answer,) = reflect(peer, "v1", [{"fileContainingSymbol": symbol}])
    add(answer)
    while missing := sorted({d for f in files.values() for d in f.dependency if d not in files}):
        for answer in reflect(peer, "v1", [{"fileByFilename": name} for name in missing]):
            add(answer)
    return files


def reflection_file_descriptors(peer):
    files = resolve_files(peer, "credentials.v1.CertificateService")
    for name in ("credentials/v1/certificates.proto", "google/type/date.proto", "google/protobuf/timestamp.proto"):
        check(name in files, f"the resolved files lack {name} (got {', '.join(sorted(files))})")
    reflected = protoset.build_pool(files.values()).FindServiceByName("credentials.v1.CertificateService")
    local = peer.pool.FindServiceByName("credentials.v1.CertificateService")

    def shape(service):
        return sorted((m.name, m.input_type.full_name, m.output_type.full_name, m.client_streaming, m.server_streaming)
                      for m in service.methods)

    check(shape(reflected) == shape(local), f"reflection describes {shape(reflected)}, the protos {shape(local)}")
    (answer,) = reflect(peer, "v1", [{"fileContainingSymbol": "credentials.v1.NoSuchMessage"}])
    check(answer.WhichOneof("message_response") == "error_response" and answer.error_response.error_code != 0,
          f"an unknown symbol answered {answer.WhichOneof('message_response')}")


def reflection_descriptors_call(peer):
    # Only what reflection said: the request and response classes come from its descriptors.
    pool = protoset.build_pool(resolve_files(peer, "credentials.v1.VerificationService").values())
    call = peer.method("/credentials.v1.VerificationService/ListSigningKeys", pool)
    request = protoset.message_class(pool, "credentials.v1.ListSigningKeysRequest")()
    response = call(request, timeout=CALL_TIMEOUT_S)
    check(len(response.keys) >= 1 and response.keys[0].key_id, f"ListSigningKeys answered {response}")


# --- Health --------------------------------------------------------------------------------

def health_check(peer):
    check_method = peer.method("/grpc.health.v1.Health/Check")
    response = check_method(peer.message("grpc.health.v1.HealthCheckRequest"), timeout=CALL_TIMEOUT_S)
    check(enum_name(response, "status") == "SERVING", f"the server is {enum_name(response, 'status')}")
    # The health protocol: a service the server does not know is NOT_FOUND.
    unknown = peer.message("grpc.health.v1.HealthCheckRequest", {"service": "credentials.v1.NoSuchService"})
    expect_error(grpc.StatusCode.NOT_FOUND, lambda: check_method(unknown, timeout=CALL_TIMEOUT_S))


def health_watch(peer):
    watch = peer.method("/grpc.health.v1.Health/Watch")
    for service, expected in (("", "SERVING"), ("credentials.v1.NoSuchService", "SERVICE_UNKNOWN")):
        call = watch(peer.message("grpc.health.v1.HealthCheckRequest", {"service": service}), timeout=CALL_TIMEOUT_S)
        try:
            first = next(call)
        finally:
            call.cancel()  # a watch never ends by itself
        check(enum_name(first, "status") == expected, f"watch {service!r}: first status {enum_name(first, 'status')}, expected {expected}")


# --- A real method with metadata -----------------------------------------------------------

def metadata_issue_get_verify(peer):
    # The bearer token says who calls; the x-request-id the client sends comes back in the response headers.
    request_id = f"peers-py-{peer.run_id}-issue"
    response, call = peer.issue("metadata", [("x-request-id", request_id)])
    echoed = dict(call.initial_metadata()).get("x-request-id")
    check(echoed == request_id, f"IssueCertificate: x-request-id came back as {echoed!r}, sent {request_id!r}")
    certificate = response.certificate
    check(certificate.number.startswith(f"{peer.committee}-2024-"), f"issued number {certificate.number!r}")
    check(enum_name(certificate, "state") == "CERTIFICATE_STATE_VALID", f"issued in state {enum_name(certificate, 'state')}")
    request_id = f"peers-py-{peer.run_id}-get"
    get = peer.method("/credentials.v1.CertificateService/GetCertificate")
    got, call = get.with_call(peer.message("credentials.v1.GetCertificateRequest", {"number": certificate.number}),
                              metadata=peer.auth("committee") + [("x-request-id", request_id)], timeout=CALL_TIMEOUT_S)
    echoed = dict(call.initial_metadata()).get("x-request-id")
    check(echoed == request_id, f"GetCertificate: x-request-id came back as {echoed!r}, sent {request_id!r}")
    check(got.certificate.number == certificate.number and got.certificate.qr_text == certificate.qr_text,
          "GetCertificate answered another certificate")
    verified = peer.method("/credentials.v1.VerificationService/VerifyCertificate")(
        peer.verify_request(certificate.number), timeout=CALL_TIMEOUT_S)
    check(enum_name(verified, "result") == "VERIFICATION_RESULT_VALID", f"verified {enum_name(verified, 'result')}")
    peer.certificate = certificate


# --- Deadlines -----------------------------------------------------------------------------

def deadline_exceeded(peer):
    # A bidi VerifyStream the client keeps open (nothing sent, not half-closed): the server waits
    # for requests, so nothing can end the call before its 1 s deadline.
    release = threading.Event()

    def requests():
        release.wait(CALL_TIMEOUT_S)
        return
        yield  # a generator that sends nothing

    stream = peer.method("/credentials.v1.VerificationService/VerifyStream")
    started = time.monotonic()
    try:
        error = expect_error(grpc.StatusCode.DEADLINE_EXCEEDED,
                             lambda: list(stream(requests(), metadata=peer.auth("employer"), timeout=1.0)))
    finally:
        release.set()
    took = time.monotonic() - started
    check(0.9 <= took < 5, f"DEADLINE_EXCEEDED after {took:.2f}s with a 1 s deadline ({error.details()!r})")
    # The server is still there for the next call.
    ping = peer.method("/credentials.v1.DiagnosticsService/Ping")(peer.message("credentials.v1.PingRequest"), timeout=CALL_TIMEOUT_S)
    check(ping.message == "pong", f"Ping after the deadline answered {ping.message!r}")


def deadline_generous(peer):
    number = peer.issued().number
    verified = peer.method("/credentials.v1.VerificationService/VerifyCertificate")(peer.verify_request(number), timeout=120)
    check(enum_name(verified, "result") == "VERIFICATION_RESULT_VALID", f"verified {enum_name(verified, 'result')}")
    stream = peer.method("/credentials.v1.LedgerService/StreamEvents")
    messages = list(stream(peer.message("credentials.v1.StreamEventsRequest"), metadata=peer.auth("platform"), timeout=120))
    check(messages and messages[-1].HasField("checkpoint"), "StreamEvents with a 120 s deadline did not end with its checkpoint")


# --- Status details ------------------------------------------------------------------------

def error_invalid_argument(peer):
    number = peer.issued().number
    verify = peer.method("/credentials.v1.VerificationService/VerifyCertificate")
    for what, thunk, field in (
        ("a mistyped number", lambda: verify(peer.verify_request(mistyped(number)), timeout=CALL_TIMEOUT_S), "number"),
        ("a bad check character in the ID number",
         lambda: peer.method("/credentials.v1.CertificateService/IssueCertificate")(
             peer.message("credentials.v1.IssueCertificateRequest", {
                 "requestId": f"peers-py-{peer.run_id}-invalid", "committeeCode": peer.committee,
                 "spec": peer.spec(mistyped(resident_id()))}),
             metadata=peer.auth("committee"), timeout=CALL_TIMEOUT_S),
         "spec.holder.document_number"),
    ):
        error = expect_error(grpc.StatusCode.INVALID_ARGUMENT, thunk)
        status, details = peer.status_details(error)
        check(status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0] and status.message == error.details(),
              f"{what}: google.rpc.Status is {status.code} {status.message!r}, the call's status {error.details()!r}")
        check("google.rpc.BadRequest" in details, f"{what}: details are {sorted(details)}, no BadRequest")
        fields = [v.field for v in details["google.rpc.BadRequest"].field_violations]
        check(field in fields, f"{what}: BadRequest names {fields}, not {field}")


def error_failed_precondition(peer):
    response, _ = peer.issue("revoked")
    revoke = peer.method("/credentials.v1.CertificateService/RevokeCertificate")
    request = peer.message("credentials.v1.RevokeCertificateRequest", {
        "number": response.certificate.number,
        "revocation": {"reason": "REVOCATION_REASON_ISSUED_IN_ERROR", "decisionDocument": "大人社发〔2024〕40号"}})
    revoke(request, metadata=peer.auth("committee"), timeout=CALL_TIMEOUT_S)
    error = expect_error(grpc.StatusCode.FAILED_PRECONDITION,
                         lambda: revoke(request, metadata=peer.auth("committee"), timeout=CALL_TIMEOUT_S))
    _, details = peer.status_details(error)
    info = details.get("google.rpc.ErrorInfo")
    check(info is not None, f"details are {sorted(details)}, no ErrorInfo")
    check(info.reason == "CERTIFICATE_ALREADY_REVOKED" and info.domain == "credentials.v1",
          f"ErrorInfo reason {info.reason!r}, domain {info.domain!r}")


def error_unauthenticated(peer):
    issue = peer.method("/credentials.v1.CertificateService/IssueCertificate")
    request = peer.message("credentials.v1.IssueCertificateRequest")
    unknown = peer.tokens["committee"][:-1] + ("a" if peer.tokens["committee"][-1] != "a" else "b")
    for what, metadata in (("no token", []), ("an unknown token", [("authorization", f"Bearer {unknown}")])):
        error = expect_error(grpc.StatusCode.UNAUTHENTICATED, lambda: issue(request, metadata=metadata, timeout=CALL_TIMEOUT_S))
        # The server's reason, not an HTTP 401 that grpcio translated into a status of its own.
        check("token" in (error.details() or "").lower(), f"{what}: the message {error.details()!r} does not say what is wrong")


def error_permission_denied(peer):
    for path, request, role in (("/credentials.v1.AuditService/ListAuditRecords", "ListAuditRecordsRequest", "committee"),
                                ("/credentials.v1.CertificateService/IssueCertificate", "IssueCertificateRequest", "platform")):
        call = peer.method(path)
        error = expect_error(grpc.StatusCode.PERMISSION_DENIED, lambda: call(
            peer.message("credentials.v1." + request), metadata=peer.auth(role), timeout=CALL_TIMEOUT_S))
        # A message from the server, not grpcio's translation of an HTTP 403 ("Received http2 header with status: 403").
        check(error.details() and not error.details().startswith("Received http2 header"),
              f"{path} as {role}: PERMISSION_DENIED with the message {error.details()!r}")


# --- Streaming, compression, unknown methods -----------------------------------------------

def server_streaming(peer):
    peer.issued()
    stream = peer.method("/credentials.v1.LedgerService/StreamEvents")
    messages = list(stream(peer.message("credentials.v1.StreamEventsRequest", {"batchSize": 1}),
                           metadata=peer.auth("platform"), timeout=CALL_TIMEOUT_S))
    check(len(messages) >= 2, f"{len(messages)} messages")
    *batches, last = messages
    indexes = [entry.leaf_index for batch in batches for entry in batch.entries]
    check(indexes == list(range(len(indexes))) and all(len(b.entries) == 1 for b in batches),
          f"leaf indexes {indexes[:10]}... in batches of 1")
    check(last.HasField("checkpoint") and not last.entries, "the last message is not the closing checkpoint")
    check(last.checkpoint.tree_size == last.next_index == len(indexes),
          f"checkpoint of {last.checkpoint.tree_size}, next_index {last.next_index}, {len(indexes)} events")


def bidi_streaming(peer):
    number = peer.issued().number
    outgoing = []
    ready = threading.Condition()
    closed = False

    def requests():
        # Sends each request only when the test hands it over: one in flight at a time.
        while True:
            with ready:
                ready.wait_for(lambda: outgoing or closed, timeout=CALL_TIMEOUT_S)
                if not outgoing:
                    return
                item = outgoing.pop(0)
            yield item

    def send(correlation_id, **verify):
        with ready:
            outgoing.append(peer.message("credentials.v1.VerifyStreamRequest",
                                         {"correlationId": correlation_id, "certificate": verify}))
            ready.notify_all()

    stream = peer.method("/credentials.v1.VerificationService/VerifyStream")
    call = stream(requests(), metadata=peer.auth("employer"), timeout=CALL_TIMEOUT_S)
    try:
        for correlation_id, verify, expected in (
            ("valid", {"number": number, "holderName": "张伟"}, "VERIFICATION_RESULT_VALID"),
            ("wrong-name", {"number": number, "holderName": "李四"}, "VERIFICATION_RESULT_NOT_FOUND"),
            ("mistyped", {"number": mistyped(number), "holderName": "张伟"}, None),
        ):
            send(correlation_id, **verify)
            answer = next(call)
            check(answer.correlation_id == correlation_id, f"answer for {answer.correlation_id!r}, expected {correlation_id!r}")
            if expected:
                got = enum_name(answer.certificate, "result") if answer.HasField("certificate") else answer.WhichOneof("result")
                check(got == expected, f"{correlation_id}: {got}, expected {expected}")
            else:
                check(answer.HasField("error") and answer.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
                      and "number" in answer.error.fields, f"{correlation_id}: {answer}")
    finally:
        with ready:
            closed = True
            ready.notify_all()
    rest = list(call)
    check(not rest and call.code() == grpc.StatusCode.OK, f"after half-close: {len(rest)} more, {call.code().name}")


def gzip_request(peer):
    number = peer.issued().number
    verify = peer.method("/credentials.v1.VerificationService/VerifyCertificate")
    response, call = verify.with_call(peer.verify_request(number), timeout=CALL_TIMEOUT_S, compression=grpc.Compression.Gzip)
    check(enum_name(response, "result") == "VERIFICATION_RESULT_VALID", f"verified {enum_name(response, 'result')}")
    envelope = peer.method("/credentials.v1.VerificationService/VerifyEnvelope")
    response = envelope(peer.message("credentials.v1.VerifyEnvelopeRequest", {"qrText": peer.issued().qr_text}),
                        timeout=CALL_TIMEOUT_S, compression=grpc.Compression.Gzip)
    check(enum_name(response, "verdict") == "ENVELOPE_VERDICT_VALID", f"envelope verdict {enum_name(response, 'verdict')}")


def unimplemented(peer):
    for path in ("/credentials.v1.CertificateService/NoSuchMethod", "/credentials.v1.NoSuchService/Ping"):
        call = peer.channel.unary_unary(path, request_serializer=bytes, response_deserializer=bytes)
        expect_error(grpc.StatusCode.UNIMPLEMENTED, lambda: call(b"", timeout=CALL_TIMEOUT_S))


CASES = {
    "reflection_list_v1": list_services_case("v1"),
    "reflection_list_v1alpha": list_services_case("v1alpha"),
    "reflection_file_descriptors": reflection_file_descriptors,
    "reflection_descriptors_call": reflection_descriptors_call,
    "health_check": health_check,
    "health_watch": health_watch,
    "metadata_issue_get_verify": metadata_issue_get_verify,
    "deadline_exceeded": deadline_exceeded,
    "deadline_generous": deadline_generous,
    "error_invalid_argument": error_invalid_argument,
    "error_failed_precondition": error_failed_precondition,
    "error_unauthenticated": error_unauthenticated,
    "error_permission_denied": error_permission_denied,
    "server_streaming": server_streaming,
    "bidi_streaming": bidi_streaming,
    "gzip_request": gzip_request,
    "unimplemented": unimplemented,
}


def main(argv):
    parser = argparse.ArgumentParser(prog="peer_suite.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", choices=CASES, help="run only this case (repeatable)")
    options = parser.parse_args(argv)
    missing = [name for name in ("CREDENTIALS_ADDRESS", "PEERS_COMMITTEE", "PEERS_COMMITTEE_TOKEN", "PEERS_PLATFORM_TOKEN",
                                 "PEERS_EMPLOYER_TOKEN") if not os.environ.get(name)]
    if missing:
        print(f"peer_suite.py: set {', '.join(missing)} (clients/run-interop.sh does)", file=sys.stderr)
        return 2
    try:
        peer = Peer(os.environ["CREDENTIALS_ADDRESS"], os.environ)
    except protoset.ProtosNotFound as error:
        print(f"peer_suite.py: {error}", file=sys.stderr)
        return 2
    passed = failed = 0
    with peer.channel:
        for name in options.case or CASES:
            try:
                CASES[name](peer)
            except CaseFailure as failure:
                print(f"FAIL {name}: {failure}", flush=True)
                failed += 1
            except grpc.RpcError as error:
                print(f"FAIL {name}: unexpected {error.code().name}: {error.details()}", flush=True)
                failed += 1
            except Exception:  # a broken case is reported as that case's failure; the others still run
                print(f"FAIL {name}: {traceback.format_exc().strip().splitlines()[-1]}", flush=True)
                traceback.print_exc()
                failed += 1
            else:
                print(f"PASS {name}", flush=True)
                passed += 1
    print(f"python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The client side of the peer suite (peer_suite.py): a grpcio channel to the real server, message
classes compiled from the protos (protoset.py), typed callables, and the checks the cases share."""

import datetime
import os
import random

import grpc
from google.protobuf import json_format

import protoset

CALL_TIMEOUT_S = 10.0
DETAILS_KEY = "grpc-status-details-bin"
CREDENTIALS_SERVICES = [
    "credentials.v1." + name for name in (
        "AuditService", "CertificateService", "CommitteeService", "DiagnosticsService", "IntegrityService",
        "LedgerService", "VerificationService")
]
PROTOS = [f"credentials/v1/{name}.proto" for name in (
    "audit", "certificates", "committees", "diagnostics", "integrity", "ledger", "verification")] + [
    "google/rpc/status.proto", "google/rpc/error_details.proto", "grpc/health/v1/health.proto",
    "grpc/reflection/v1/reflection.proto", "grpc/reflection/v1alpha/reflection.proto"]


class CaseFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailure(message)


def resident_id():
    """A random, well-formed resident ID number (GB 11643 check character) born 1960-1999."""
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=random.randrange(40 * 365))
    body = f"210202{born:%Y%m%d}{random.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


class Peer:
    """The channel, the message classes and typed callables for the methods the cases use."""

    def __init__(self, address, env):
        self.pool = protoset.build_pool(protoset.compile_protos(PROTOS))
        self.channel = grpc.insecure_channel(address)
        self.committee = env["PEERS_COMMITTEE"]
        self.tokens = {role: env[f"PEERS_{role.upper()}_TOKEN"] for role in ("committee", "platform", "employer")}
        self.run_id = f"{os.getpid():x}{random.getrandbits(24):06x}"
        self.certificate = None  # issued by the metadata case, read by later ones

    def message(self, full_name, fields=None):
        message = protoset.message_class(self.pool, full_name)()
        return json_format.ParseDict(fields or {}, message, descriptor_pool=self.pool)

    def method(self, path, pool=None):
        """A grpcio callable for /package.Service/Method, typed from the pool's descriptors."""
        pool = pool or self.pool
        service_name, method_name = path.lstrip("/").split("/")
        method = pool.FindServiceByName(service_name).methods_by_name[method_name]
        request = protoset.message_class(pool, method.input_type.full_name)
        response = protoset.message_class(pool, method.output_type.full_name)
        kind = {(False, False): self.channel.unary_unary, (False, True): self.channel.unary_stream,
                (True, False): self.channel.stream_unary, (True, True): self.channel.stream_stream}
        return kind[(method.client_streaming, method.server_streaming)](
            path, request_serializer=request.SerializeToString, response_deserializer=response.FromString)

    def auth(self, role):
        return [("authorization", f"Bearer {self.tokens[role]}")]

    def status_details(self, error):
        """The google.rpc.Status of grpc-status-details-bin, with its details unpacked."""
        raw = dict(error.trailing_metadata() or ()).get(DETAILS_KEY)
        check(raw is not None, f"{error.code().name} has no {DETAILS_KEY} trailer")
        status = self.message("google.rpc.Status")
        status.MergeFromString(raw)
        details = {}
        for detail in status.details:
            name = detail.type_url.rpartition("/")[2]
            details[name] = protoset.message_class(self.pool, name).FromString(detail.value)
        return status, details

    def spec(self, document_number):
        return {
            "holder": {"name": "张伟", "documentType": "DOCUMENT_TYPE_RESIDENT_ID_CARD", "documentNumber": document_number},
            "series": "工程系列", "specialty": "建筑工程", "level": "TITLE_LEVEL_DEPUTY_SENIOR", "titleName": "高级工程师",
            "reviewMeetingDate": {"year": 2024, "month": 10, "day": 25}, "reviewYear": 2024,
            "qualificationDate": {"year": 2024, "month": 12, "day": 1}, "approvalDocument": "大人社发〔2024〕15号",
        }

    def issue(self, name, metadata=()):
        request = self.message("credentials.v1.IssueCertificateRequest", {
            "requestId": f"peers-py-{self.run_id}-{name}", "committeeCode": self.committee,
            "spec": self.spec(resident_id())})
        return self.method("/credentials.v1.CertificateService/IssueCertificate").with_call(
            request, metadata=self.auth("committee") + list(metadata), timeout=CALL_TIMEOUT_S)

    def issued(self):
        if self.certificate is None:
            self.certificate = self.issue("shared")[0].certificate
        return self.certificate

    def verify_request(self, number, name="张伟"):
        return self.message("credentials.v1.VerifyCertificateRequest", {"number": number, "holderName": name})


def expect_error(code, thunk):
    """Runs thunk, which must fail with code; returns the grpc.RpcError."""
    try:
        thunk()
    except grpc.RpcError as error:
        check(error.code() == code, f"got {error.code().name} ({error.details()!r}), expected {code.name}")
        return error
    raise CaseFailure(f"the call succeeded, expected {code.name}")


def enum_name(message, field):
    return message.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[getattr(message, field)].name


def mistyped(number):
    """The same number with another check character: a typo the check character catches."""
    return number[:-1] + ("1" if number[-1] == "0" else "0")

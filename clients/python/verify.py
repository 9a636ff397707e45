#!/usr/bin/python3
"""An employer's verifier of electronic title certificates (电子职称证书).

    verify.py verify NUMBER --name NAME [--document-type T --document-number N]
    verify.py verify --code CODE
    verify.py verify-envelope SOURCE [--offline [--keys keys.json]]
    verify.py keys-save FILE

SOURCE is the certificate's QR text ("TC1:..."), a file holding that text or the
envelope's bytes, or - for standard input.

CODE is a share code (在线验证码) the holder made for you, e.g. 7KQM-2XWD-9FHT-A3CN: it alone
names the certificate (VerifyShareCode), and says whether the holder has an active integrity
record only if the holder chose to share that.

Online (the default) the service decides: VerificationService.VerifyCertificate,
VerifyShareCode or VerifyEnvelope over grpcio. Offline (--offline) nothing about the certificate is sent:
the QR text is decoded here (Base45 per RFC 9285, zlib, protobuf Envelope), the DSSE
pre-authentication encoding PAE(payload_type, payload) is rebuilt, and the signature is
checked against the published keys - a key set saved by `credctl keys save` or
`verify.py keys-save` (--keys), or fetched with ListSigningKeys when --keys is not given -
with openssl (SM2 with SM3, distinguishing ID 1234567812345678) or Python's cryptography
(ECDSA P-256, Ed25519). Then the document is parsed and the key's validity and compromise
are checked at the time the document says it was issued. Documents of version 2 (payload type
...certificate.v2+protobuf) and of version 1 (v1, with a salted digest of the ID number) are
both accepted; a version 2 document that carries a digest is malformed. Offline cannot know
about a revocation: the record and status steps are reported as skipped.

Options anywhere: --server ADDRESS (host:port or http://host:port; default
$CREDENTIALS_URL, else 127.0.0.1:50051), --token TOKEN (default $CREDENTIALS_TOKEN; not
needed to verify), --json (one JSON document on stdout), --timeout SECONDS.

Exit codes, as credctl's:
  0  valid (or done)
  1  usage error: wrong arguments, unreadable or malformed input file or key set
  2  checked and not valid: revoked, not found (or wrong name), bad signature, unknown
     key, key compromised or not valid, malformed envelope, not on record
  3  server or transport error (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ...)
  4  refused: INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED, ...

Message classes are built at run time from protos/credentials/v1 with protoc
(clients/python/protoset.py, which also says where google/type/date.proto comes from); nothing
generated is written next to the sources. Runs on /usr/bin/python3 with Debian's python3-grpcio,
python3-protobuf, protobuf-compiler, python3-grpc-tools and python3-cryptography, and the
openssl command for SM2.
"""

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zlib

import protoset

EXIT_OK, EXIT_USAGE, EXIT_NOT_VALID, EXIT_SERVER, EXIT_REFUSED = 0, 1, 2, 3, 4
DEFAULT_SERVER = "127.0.0.1:50051"
QR_PREFIX = "TC1:"
PAYLOAD_TYPE_V1 = "application/vnd.credentials.certificate.v1+protobuf"
PAYLOAD_TYPE = "application/vnd.credentials.certificate.v2+protobuf"
DOCUMENT_VERSIONS = {PAYLOAD_TYPE_V1: 1, PAYLOAD_TYPE: 2}
MAX_ENVELOPE = 64 * 1024
MAX_QR_TEXT = 4296
MAX_SIGNATURES = 8
SM2_DISTINGUISHING_ID = "1234567812345678"
KEY_ID_PREFIXES = {"SM2-SM3": "sm2", "ECDSA-P256-SHA256": "p256", "Ed25519": "ed25519"}
REFUSED_CODES = {"INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED", "UNAUTHENTICATED",
                 "ALREADY_EXISTS", "OUT_OF_RANGE"}
STEPS = ["DECODE", "KEY_LOOKUP", "SIGNATURE", "DOCUMENT", "KEY_VALIDITY", "RECORD", "STATUS"]
OFFLINE_NOTE = "Offline: not checked (verify online for the record and the current status)."


class UsageError(Exception):
    pass


class Messages:
    """The credentials.v1 message classes, compiled once from the repository's protos (offline
    verification needs them too, so they do not come from the server's reflection)."""

    _pool = None

    @classmethod
    def get(cls, name):
        if cls._pool is None:
            cls._pool = protoset.build_pool(protoset.compile_protos(["credentials/v1/verification.proto"]))
        return protoset.message_class(cls._pool, "credentials.v1." + name)


# --- Base45 (RFC 9285) and the TC1: text ---------------------------------------------------

BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
BASE45_VALUES = {c: i for i, c in enumerate(BASE45_ALPHABET)}


def base45_decode(text):
    """RFC 9285: each 3 characters c d e are c + 45 d + 2025 e, two bytes big-endian; 2 trailing
    characters are one byte. Raises ValueError on a character outside the alphabet, a length
    of 3n+1, or a group out of range."""
    if len(text) % 3 == 1:
        raise ValueError(f"Base45 text of {len(text)} characters (3n+1) is not valid")
    out = bytearray()
    for start in range(0, len(text), 3):
        group = text[start:start + 3]
        try:
            digits = [BASE45_VALUES[c] for c in group]
        except KeyError as error:
            raise ValueError(f"{error.args[0]!r} is not a Base45 character") from None
        value = sum(d * 45 ** i for i, d in enumerate(digits))
        if len(group) == 3:
            if value > 0xFFFF:
                raise ValueError(f"Base45 group {group!r} is out of range")
            out += bytes((value >> 8, value & 0xFF))
        else:
            if value > 0xFF:
                raise ValueError(f"Base45 group {group!r} is out of range")
            out.append(value)
    return bytes(out)


def base45_encode(data):
    out = []
    for start in range(0, len(data), 2):
        chunk = data[start:start + 2]
        value = chunk[0] * 256 + chunk[1] if len(chunk) == 2 else chunk[0]
        digits = 3 if len(chunk) == 2 else 2
        for _ in range(digits):
            value, digit = divmod(value, 45)
            out.append(BASE45_ALPHABET[digit])
    return "".join(out)


def decode_qr_text(text):
    """TC1: + Base45(zlib(Envelope bytes)) -> the envelope bytes. Raises ValueError."""
    if not text.startswith(QR_PREFIX):
        raise ValueError(f"the text does not start with {QR_PREFIX!r}")
    if len(text) > MAX_QR_TEXT:
        raise ValueError(f"the QR text has {len(text)} characters; at most {MAX_QR_TEXT} are allowed")
    compressed = base45_decode(text[len(QR_PREFIX):])
    inflater = zlib.decompressobj()
    try:
        envelope = inflater.decompress(compressed, MAX_ENVELOPE + 1)
    except zlib.error as error:
        raise ValueError(f"the QR text's content is not valid zlib data ({error})") from None
    if len(envelope) > MAX_ENVELOPE:
        raise ValueError(f"the QR text decompresses to more than {MAX_ENVELOPE} bytes")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("the QR text's zlib data is truncated or has trailing bytes")
    return envelope


def pae(payload_type, payload):
    """DSSE pre-authentication encoding: the bytes a signature covers."""
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(type_bytes), type_bytes, len(payload), payload)


# --- Keys and signatures -------------------------------------------------------------------

class KnownKey:
    """A published key, its id recomputed from its public key so a key set entry cannot lend
    its validity to another key."""

    def __init__(self, info):
        self.info = info
        spki = bytes(info.public_key_spki)
        if not spki:
            raise UsageError(f"key set entry {info.key_id} has no publicKeySpki")
        prefix = KEY_ID_PREFIXES.get(info.algorithm)
        if prefix is None:
            raise UsageError(f"key set entry {info.key_id} has an unknown algorithm {info.algorithm!r}")
        computed = prefix + "-" + hashlib.sha256(spki).hexdigest()[:16]
        if computed != info.key_id:
            raise UsageError(f"key set entry {info.key_id} holds the key {computed}")
        if not info.HasField("valid_from"):
            raise UsageError(f"key set entry {info.key_id} has no validFrom")
        self.key_id = info.key_id
        self.algorithm = info.algorithm
        self.spki = spki
        self.pem = info.public_key_pem

    def compromised_at(self, issued_at):
        return self.info.HasField("compromised_at") and _instant(self.info.compromised_at) <= issued_at

    def valid_at(self, issued_at):
        if issued_at < _instant(self.info.valid_from):
            return False
        return not self.info.HasField("valid_until") or issued_at < _instant(self.info.valid_until)

    def verify(self, message, signature):
        if self.algorithm == "SM2-SM3":
            return _openssl_verify(self.spki, message, signature,
                                   ["-rawin", "-digest", "sm3", "-pkeyopt", "distid:" + SM2_DISTINGUISHING_ID])
        try:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
        except ImportError:  # no python3-cryptography: openssl does these too
            options = ["-rawin", "-digest", "sha256"] if self.algorithm == "ECDSA-P256-SHA256" else ["-rawin"]
            return _openssl_verify(self.spki, message, signature, options)
        key = serialization.load_der_public_key(self.spki)
        try:
            if self.algorithm == "ECDSA-P256-SHA256":
                key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
            else:
                key.verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False


def _openssl_verify(spki, message, signature, options):
    with tempfile.TemporaryDirectory(prefix="verify-") as temp:
        paths = {}
        for name, content in (("key.der", spki), ("message.bin", message), ("signature.bin", signature)):
            paths[name] = os.path.join(temp, name)
            with open(paths[name], "wb") as stream:
                stream.write(content)
        try:
            result = subprocess.run(
                ["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", paths["key.der"], *options,
                 "-in", paths["message.bin"], "-sigfile", paths["signature.bin"]],
                capture_output=True, text=True, timeout=60, check=False)
        except FileNotFoundError:
            raise UsageError("the openssl command is needed to verify SM2 signatures (apt-get install openssl)") from None
        return result.returncode == 0 and "Signature Verified Successfully" in result.stdout


def _instant(timestamp):
    return timestamp.seconds + timestamp.nanos / 1e9


def _format(timestamp):
    return datetime.datetime.fromtimestamp(timestamp.seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_key_set(path):
    """A key set saved by credctl keys save / verify.py keys-save: the JSON of ListSigningKeysResponse."""
    from google.protobuf import json_format

    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as error:
        raise UsageError(f"--keys: cannot read {path}: {error.strerror}") from None
    response = Messages.get("ListSigningKeysResponse")()
    try:
        json_format.Parse(text, response, ignore_unknown_fields=True)
    except json_format.ParseError as error:
        raise UsageError(f"--keys: {path} is not a key set: {error}") from None
    return keys_by_id(response)


def keys_by_id(response):
    keys = {}
    for info in response.keys:
        key = KnownKey(info)
        keys[key.key_id] = key
    if not keys:
        raise UsageError("the key set holds no keys")
    return keys


# --- Offline verification ------------------------------------------------------------------

class CheckList:
    def __init__(self):
        self.checks = []
        self.verdict = None

    def passed(self, step, detail):
        self.checks.append((step, "PASSED", detail))

    def fail(self, step, verdict, detail):
        self.checks.append((step, "FAILED", detail))
        self.verdict = verdict
        for later in STEPS[STEPS.index(step) + 1:]:
            self.checks.append((later, "SKIPPED", "Not run: an earlier step failed."))
        return self


def verify_offline(source, keys):
    """The steps of VerifyEnvelope that need no server. Returns (CheckList, document or None, key id)."""
    Envelope = Messages.get("Envelope")
    CertificateDocument = Messages.get("CertificateDocument")
    from google.protobuf.message import DecodeError

    checks = CheckList()
    try:
        if isinstance(source, str):
            raw, form = decode_qr_text(source), "TC1 text (Base45, zlib, protobuf)"
        else:
            if not source or len(source) > MAX_ENVELOPE:
                raise ValueError(f"the envelope has {len(source)} bytes; expected 1 to {MAX_ENVELOPE}")
            raw, form = source, "envelope bytes"
        envelope = Envelope.FromString(raw)
    except (ValueError, DecodeError) as error:
        return checks.fail("DECODE", "MALFORMED", f"Not decodable: {error or 'not a protobuf Envelope'}."), None, ""
    version = DOCUMENT_VERSIONS.get(envelope.payload_type)
    if version is None:
        return checks.fail("DECODE", "MALFORMED", f"payload_type is {envelope.payload_type[:80]!r}; "
                           f"expected {PAYLOAD_TYPE!r} (or {PAYLOAD_TYPE_V1!r})."), None, ""
    signatures = list(envelope.signatures)
    if not 1 <= len(signatures) <= MAX_SIGNATURES or any(not s.keyid for s in signatures):
        return checks.fail("DECODE", "MALFORMED", f"The envelope has {len(signatures)} signatures; expected 1 to {MAX_SIGNATURES}, each naming its key."), None, ""
    checks.passed("DECODE", f"Decoded the {form}; payload type {envelope.payload_type} (document version {version}).")

    signature = next((s for s in signatures if s.keyid in keys), None)
    if signature is None:
        named = ", ".join(s.keyid[:80] for s in signatures)
        return checks.fail("KEY_LOOKUP", "UNKNOWN_KEY", f"No key in the key set has the id {named}."), None, signatures[0].keyid[:80]
    key = keys[signature.keyid]
    checks.passed("KEY_LOOKUP", f"The signature names {key.key_id} ({key.algorithm}), a published key.")

    if not key.verify(pae(envelope.payload_type, envelope.payload), signature.sig):
        return checks.fail("SIGNATURE", "BAD_SIGNATURE", f"The signature does not verify under {key.key_id}."), None, key.key_id
    checks.passed("SIGNATURE", f"Signed by {key.key_id} ({key.algorithm}); checked with "
                  + ("openssl" if key.algorithm == "SM2-SM3" else "cryptography") + ".")

    try:
        document = CertificateDocument.FromString(envelope.payload)
    except DecodeError:
        return checks.fail("DOCUMENT", "MALFORMED", "The payload is not a CertificateDocument."), None, key.key_id
    if not document.number or not document.HasField("issued_at"):
        return checks.fail("DOCUMENT", "MALFORMED", "The document has no number or no issue time."), None, key.key_id
    if document.key_id != key.key_id:
        return checks.fail("DOCUMENT", "MALFORMED", f"The document names key {document.key_id[:80]!r} but is signed by {key.key_id}."), None, key.key_id
    if version >= 2 and (document.holder_document_digest or document.holder_document_salt):
        return checks.fail("DOCUMENT", "MALFORMED", "A version 2 document carries no holder digest or salt."), None, key.key_id
    checks.passed("DOCUMENT", f"Certificate {document.number}, issued {_format(document.issued_at)}.")

    issued_at = _instant(document.issued_at)
    if key.compromised_at(issued_at):
        checks.fail("KEY_VALIDITY", "KEY_COMPROMISED",
                    f"{key.key_id} was marked compromised from {_format(key.info.compromised_at)}, at or before the issue time.")
    elif not key.valid_at(issued_at):
        checks.fail("KEY_VALIDITY", "KEY_NOT_VALID", f"{key.key_id} was not valid at the issue time.")
    else:
        checks.passed("KEY_VALIDITY", f"{key.key_id} was valid and not compromised at the issue time.")
        checks.checks.append(("RECORD", "SKIPPED", OFFLINE_NOTE))
        checks.checks.append(("STATUS", "SKIPPED", OFFLINE_NOTE))
        checks.verdict = "VALID"
    return checks, document, key.key_id


def offline_response(checks, document, key_id):
    """The offline result as a VerifyEnvelopeResponse, so online and offline print alike."""
    response = Messages.get("VerifyEnvelopeResponse")(verdict="ENVELOPE_VERDICT_" + checks.verdict, key_id=key_id)
    for step, outcome, detail in checks.checks:
        response.checks.add(step="VERIFICATION_STEP_" + step, outcome="CHECK_OUTCOME_" + outcome, detail=detail)
    if document is not None:
        certificate = response.certificate
        for field in ("number", "holder_name", "holder_document_type", "holder_document_masked", "series", "specialty",
                      "level", "title_name", "committee_code", "committee_name", "review_year", "approval_document"):
            setattr(certificate, field, getattr(document, field))
        certificate.qualification_date.CopyFrom(document.qualification_date)
        certificate.issue_time.CopyFrom(document.issued_at)
    return response


# --- Online --------------------------------------------------------------------------------

class Service:
    def __init__(self, server, token, timeout):
        import grpc

        address = server[len("http://"):] if server.startswith("http://") else server
        if "://" in address or "/" in address.rstrip("/"):
            raise UsageError(f"--server: {server!r} is not host:port or http://host:port (this client speaks cleartext only)")
        self._channel = grpc.insecure_channel(address.rstrip("/"))
        self._metadata = [("authorization", "Bearer " + token)] if token else []
        self._timeout = timeout

    def call(self, method, request, response_name):
        response_class = Messages.get(response_name)
        stub = self._channel.unary_unary("/credentials.v1.VerificationService/" + method,
                                         request_serializer=lambda m: m.SerializeToString(),
                                         response_deserializer=response_class.FromString)
        return stub(request, metadata=self._metadata, timeout=self._timeout)


class CallFailed(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.exit_code = EXIT_NOT_VALID if code == "NOT_FOUND" else EXIT_REFUSED if code in REFUSED_CODES else EXIT_SERVER


def _call(service, method, request, response_name):
    import grpc

    try:
        return service.call(method, request, response_name)
    except grpc.RpcError as error:
        raise CallFailed(error.code().name, error.details() or "") from None


# --- Output --------------------------------------------------------------------------------

def _enum_name(message, field):
    descriptor = message.DESCRIPTOR.fields_by_name[field].enum_type
    return descriptor.values_by_number[getattr(message, field)].name


def _short(name):
    for prefix in ("ENVELOPE_VERDICT_", "VERIFICATION_RESULT_", "VERIFICATION_STEP_", "CHECK_OUTCOME_", "TITLE_LEVEL_",
                   "DOCUMENT_TYPE_", "REVOCATION_REASON_"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def print_certificate(certificate, more=()):
    """The certificate's lines, and MORE (label, value) pairs aligned with them."""
    date = certificate.qualification_date
    lines = [
        ("number", certificate.number),
        ("holder", f"{certificate.holder_name} ({_short(_enum_name(certificate, 'holder_document_type'))} {certificate.holder_document_masked})"),
        ("title", f"{certificate.title_name} ({_short(_enum_name(certificate, 'level'))}), {certificate.series} / {certificate.specialty}"),
        ("committee", f"{certificate.committee_code} {certificate.committee_name}"),
        ("review year", str(certificate.review_year) if certificate.review_year else ""),
        ("qualified on", f"{date.year:04d}-{date.month:02d}-{date.day:02d}" if date.year else ""),
        ("approval", certificate.approval_document),
        ("issued at", _format(certificate.issue_time) if certificate.HasField("issue_time") else ""),
    ]
    if certificate.HasField("revocation"):
        effective = certificate.revocation.effective_date
        lines.append(("revoked", f"{effective.year:04d}-{effective.month:02d}-{effective.day:02d} "
                                 f"({_short(_enum_name(certificate.revocation, 'reason'))})"))
    lines.extend(more)
    width = max(len(label) for label, value in lines if value) + 1
    for label, value in lines:
        if value:
            print(f"  {(label + ':').ljust(width)} {value}")


def print_json(message, **extra):
    from google.protobuf import json_format

    document = json_format.MessageToDict(message)
    document.update(extra)
    print(json.dumps(document, ensure_ascii=False, indent=2))


def report_envelope(response, offline, as_json):
    verdict = _short(_enum_name(response, "verdict"))
    if as_json:
        print_json(response, offline=offline)
    else:
        number = response.certificate.number if response.HasField("certificate") else ""
        print(f"{verdict}{' (offline)' if offline else ''}" + (f": {number}" if number else ""))
        for check in response.checks:
            mark = {"PASSED": "pass", "FAILED": "FAIL"}.get(_short(_enum_name(check, "outcome")), "skip")
            step = _short(_enum_name(check, "step")).lower().replace("_", " ")
            print(f"  [{mark}] {step:<12} {check.detail}")
        if response.HasField("certificate"):
            print_certificate(response.certificate)
    return EXIT_OK if verdict == "VALID" else EXIT_NOT_VALID


# --- Commands ------------------------------------------------------------------------------

def read_source(argument):
    """A TC1: text (str) or envelope bytes, from the argument, a file or standard input."""
    if argument.startswith(QR_PREFIX):
        return argument.strip()
    try:
        if argument == "-":
            data = sys.stdin.buffer.read(4 * MAX_ENVELOPE + 1)
        else:
            with open(argument, "rb") as stream:
                data = stream.read(4 * MAX_ENVELOPE + 1)
    except OSError as error:
        raise UsageError(f"cannot read {argument}: {error.strerror}") from None
    if len(data) > 4 * MAX_ENVELOPE:
        raise UsageError(f"{argument} is larger than any certificate envelope")
    stripped = data.strip()
    if stripped.startswith(QR_PREFIX.encode("ascii")):
        try:
            return stripped.decode("ascii")
        except UnicodeDecodeError:
            raise UsageError(f"{argument}: the TC1: text is not ASCII") from None
    return data


def command_verify(args, service):
    if args.code is not None:
        return command_verify_code(args, service)
    request = Messages.get("VerifyCertificateRequest")(number=args.number, holder_name=args.name)
    if args.document_number:
        request.document_number = args.document_number
        kinds = request.DESCRIPTOR.fields_by_name["document_type"].enum_type.values_by_name
        kind = "DOCUMENT_TYPE_" + args.document_type.upper().replace("-", "_")
        if kind not in kinds or kinds[kind].number == 0:
            choices = ", ".join(n[len("DOCUMENT_TYPE_"):].lower().replace("_", "-") for n, v in kinds.items() if v.number)
            raise UsageError(f"--document-type: {args.document_type!r} is not one of {choices}")
        request.document_type = kinds[kind].number
    elif args.document_type != "resident-id-card":
        raise UsageError("--document-type needs --document-number")
    response = _call(service(), "VerifyCertificate", request, "VerifyCertificateResponse")
    result = _short(_enum_name(response, "result"))
    if args.json:
        print_json(response)
    else:
        print({"VALID": f"VALID: {response.certificate.number} is a valid certificate.",
               "REVOKED": f"REVOKED: {response.certificate.number} was revoked.",
               "NOT_FOUND": f"NOT_FOUND: no certificate {args.number.strip().upper()} held by this name (and document)."}
              .get(result, result))
        if response.HasField("certificate"):
            print_certificate(response.certificate)
    return EXIT_OK if result == "VALID" else EXIT_NOT_VALID


def command_verify_code(args, service):
    request = Messages.get("VerifyShareCodeRequest")(code=args.code)
    response = _call(service(), "VerifyShareCode", request, "VerifyShareCodeResponse")
    result = _short(_enum_name(response, "result"))
    if args.json:
        print_json(response)
    else:
        print({"VALID": f"VALID: {response.certificate.number} is a valid certificate.",
               "REVOKED": f"REVOKED: {response.certificate.number} was revoked.",
               "NOT_FOUND": "NOT_FOUND: no valid share code is this one (unknown, expired or revoked by its holder)."}
              .get(result, result))
        if response.HasField("certificate"):
            integrity = "not shared by the holder"
            if response.HasField("integrity"):
                day = response.integrity.as_of
                state = "an active misconduct record exists" if response.integrity.has_active_record else "no active misconduct record"
                integrity = f"{state} (as of {day.year:04d}-{day.month:02d}-{day.day:02d})"
            print_certificate(response.certificate, [("shared for", response.purpose),
                                                     ("code valid until", _format(response.code_expire_time)),
                                                     ("integrity", integrity)])
    return EXIT_OK if result == "VALID" else EXIT_NOT_VALID


def command_verify_envelope(args, service):
    source = read_source(args.source)
    if args.keys and not args.offline:
        raise UsageError("--keys goes with --offline")
    if args.offline:
        if args.keys:
            keys = load_key_set(args.keys)
        else:
            keys = keys_by_id(_call(service(), "ListSigningKeys", Messages.get("ListSigningKeysRequest")(), "ListSigningKeysResponse"))
        response = offline_response(*verify_offline(source, keys))
        return report_envelope(response, True, args.json)
    request = Messages.get("VerifyEnvelopeRequest")()
    if isinstance(source, str):
        request.qr_text = source
    else:
        request.envelope = source
    response = _call(service(), "VerifyEnvelope", request, "VerifyEnvelopeResponse")
    return report_envelope(response, False, args.json)


def command_keys_save(args, service):
    from google.protobuf import json_format

    response = _call(service(), "ListSigningKeys", Messages.get("ListSigningKeysRequest")(), "ListSigningKeysResponse")
    keys_by_id(response)  # refuse to save a key set that would not load
    try:
        with open(args.file, "w", encoding="utf-8") as stream:
            stream.write(json_format.MessageToJson(response, indent=2) + "\n")
    except OSError as error:
        raise UsageError(f"cannot write {args.file}: {error.strerror}") from None
    if args.json:
        print(json.dumps({"file": args.file, "keys": len(response.keys)}))
    else:
        print(f"Saved {len(response.keys)} key(s) to {args.file}:")
        for key in response.keys:
            print(f"  {key.key_id}  {key.algorithm}  valid from {_format(key.valid_from)}"
                  + (f" until {_format(key.valid_until)}" if key.HasField("valid_until") else "")
                  + (f"  COMPROMISED at {_format(key.compromised_at)}" if key.HasField("compromised_at") else ""))
    return EXIT_OK


class Parser(argparse.ArgumentParser):
    """argparse exits with 2 on a usage error; 2 means "not valid" here, so usage is 1."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parse_arguments(argv):
    def options(parser, defaults):
        # On the subcommands too, so options may stand anywhere; there they default to
        # SUPPRESS, or a subcommand's default would overwrite a value given before it.
        value = (lambda v: v) if defaults else (lambda v: argparse.SUPPRESS)
        parser.add_argument("--server", default=value(os.environ.get("CREDENTIALS_URL") or DEFAULT_SERVER))
        parser.add_argument("--token", default=value(os.environ.get("CREDENTIALS_TOKEN") or None))
        parser.add_argument("--json", action="store_true", default=value(False))
        parser.add_argument("--timeout", type=float, default=value(30.0))
        return parser

    common = options(Parser(add_help=False), defaults=False)
    parser = options(Parser(prog="verify.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter), defaults=True)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    verify = commands.add_parser("verify", parents=[common], help="verify by number and holder name, or by a share code (online)")
    verify.add_argument("number", nargs="?")
    verify.add_argument("--name")
    verify.add_argument("--document-type", default="resident-id-card")
    verify.add_argument("--document-number")
    verify.add_argument("--code", help="a share code the holder made, instead of NUMBER and --name")
    verify.set_defaults(handler=command_verify)
    envelope = commands.add_parser("verify-envelope", parents=[common], help="verify a TC1: text or envelope file")
    envelope.add_argument("source")
    envelope.add_argument("--offline", action="store_true")
    envelope.add_argument("--keys")
    envelope.set_defaults(handler=command_verify_envelope)
    save = commands.add_parser("keys-save", parents=[common], help="save the published keys for offline use")
    save.add_argument("file")
    save.set_defaults(handler=command_keys_save)
    args = parser.parse_args(argv)
    if args.command == "verify":
        if args.code is not None and (args.number or args.name or args.document_number):
            verify.error("--code takes no NUMBER, --name or --document-number: the code alone names the certificate")
        if args.code is None and not (args.number and args.name):
            verify.error("give NUMBER and --name, or --code")
    return args


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    service = None

    def connect():
        nonlocal service
        if service is None:
            service = Service(args.server, args.token, args.timeout)
        return service

    try:
        return args.handler(args, connect)
    except (UsageError, protoset.ProtosNotFound) as error:  # wrong arguments, or a proto not installed
        if args.json:
            print(json.dumps({"error": {"code": "USAGE", "message": str(error), "exitCode": EXIT_USAGE}}))
        else:
            print(f"verify.py: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CallFailed as error:
        if args.json:
            print(json.dumps({"error": {"code": error.code, "message": str(error), "exitCode": error.exit_code}}, ensure_ascii=False))
        else:
            print(f"verify.py: {error.code}: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())

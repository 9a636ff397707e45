#!/usr/bin/python3
"""Offline tests of verify.py: Base45 (RFC 9285 examples), the TC1: text, DSSE PAE, and
offline verdicts for envelopes signed here with SM2 (openssl), ECDSA P-256 and Ed25519
(cryptography). The online path runs against a real server in .ci/run ("employer path").

    /usr/bin/python3 clients/python/test_verify.py
"""

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import verify  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519  # noqa: E402
from google.protobuf import json_format  # noqa: E402

ISSUED_AT = 1734660000  # 2024-12-20T02:00:00Z


class Signer:
    """A key of one algorithm that signs PAE bytes, and its entry in a published key set."""

    def __init__(self, algorithm, temp):
        self.algorithm = algorithm
        self._temp = temp
        if algorithm == "SM2-SM3":
            self._pem = os.path.join(temp, f"sm2-{id(self)}.pem")
            subprocess.run(["openssl", "genpkey", "-algorithm", "SM2", "-out", self._pem], check=True, capture_output=True)
            self.spki = subprocess.run(["openssl", "pkey", "-in", self._pem, "-pubout", "-outform", "DER"],
                                       check=True, capture_output=True).stdout
        else:
            self._key = ec.generate_private_key(ec.SECP256R1()) if algorithm == "ECDSA-P256-SHA256" else ed25519.Ed25519PrivateKey.generate()
            self.spki = self._key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.key_id = verify.KEY_ID_PREFIXES[algorithm] + "-" + hashlib.sha256(self.spki).hexdigest()[:16]

    def sign(self, message):
        if self.algorithm == "SM2-SM3":
            message_path, signature_path = os.path.join(self._temp, "m.bin"), os.path.join(self._temp, "s.bin")
            with open(message_path, "wb") as stream:
                stream.write(message)
            subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", self._pem, "-rawin", "-digest", "sm3", "-pkeyopt",
                            "distid:" + verify.SM2_DISTINGUISHING_ID, "-in", message_path, "-out", signature_path],
                           check=True, capture_output=True)
            with open(signature_path, "rb") as stream:
                return stream.read()
        if self.algorithm == "ECDSA-P256-SHA256":
            return self._key.sign(message, ec.ECDSA(hashes.SHA256()))
        return self._key.sign(message)

    def info(self, valid_from=ISSUED_AT - 3600, valid_until=None, compromised_at=None):
        info = verify.Messages.get("SigningKeyInfo")(key_id=self.key_id, algorithm=self.algorithm, public_key_spki=self.spki)
        info.valid_from.seconds = valid_from
        if valid_until is not None:
            info.valid_until.seconds = valid_until
        if compromised_at is not None:
            info.compromised_at.seconds = compromised_at
        return info


def document(key_id, number="DL-S01-2024-000001X"):
    doc = verify.Messages.get("CertificateDocument")(
        number=number, holder_name="张伟", holder_document_type="DOCUMENT_TYPE_RESIDENT_ID_CARD",
        holder_document_masked="11**************2X", series="工程系列", specialty="建筑工程",
        level="TITLE_LEVEL_DEPUTY_SENIOR", title_name="高级工程师", committee_code="DL-S01",
        committee_name="大连市工程系列城乡建设行业高级专业技术资格评审委员会", review_year=2024,
        approval_document="大人社发〔2024〕15号", key_id=key_id)
    doc.issued_at.seconds = ISSUED_AT
    doc.qualification_date.year, doc.qualification_date.month, doc.qualification_date.day = 2024, 12, 1
    return doc


def envelope(signer, payload, payload_type=verify.PAYLOAD_TYPE, signature=None):
    env = verify.Messages.get("Envelope")(payload=payload, payload_type=payload_type)
    env.signatures.add(sig=signature if signature is not None else signer.sign(verify.pae(payload_type, payload)), keyid=signer.key_id)
    return env


def qr_text(env):
    return verify.QR_PREFIX + verify.base45_encode(zlib.compress(env.SerializeToString(), 9))


class Base45Tests(unittest.TestCase):
    def test_decode_rfc9285_examples(self):
        self.assertEqual(verify.base45_decode("BB8"), b"AB")
        self.assertEqual(verify.base45_decode("%69 VD92EX0"), b"Hello!!")
        self.assertEqual(verify.base45_decode("UJCLQE7W581"), b"base-45")
        self.assertEqual(verify.base45_decode("QED8WEX0"), b"ietf!")

    def test_encode_rfc9285_examples(self):
        self.assertEqual(verify.base45_encode(b"AB"), "BB8")
        self.assertEqual(verify.base45_encode(b"Hello!!"), "%69 VD92EX0")

    def test_decode_invalid_input_raises(self):
        for text in ("A", "ABCD", "GGW", "a00", "ZZ"):  # 3n+1, 3n+1, > 65535, lower case, > 255
            with self.subTest(text=text), self.assertRaises(ValueError):
                verify.base45_decode(text)

    def test_round_trip_every_byte(self):
        data = bytes(range(256)) + b"\x00"
        self.assertEqual(verify.base45_decode(verify.base45_encode(data)), data)


class QrTextTests(unittest.TestCase):
    def test_truncated_zlib_is_refused(self):
        compressed = zlib.compress(b"x" * 100)
        with self.assertRaisesRegex(ValueError, "truncated"):
            verify.decode_qr_text("TC1:" + verify.base45_encode(compressed[:-3]))

    def test_trailing_bytes_are_refused(self):
        with self.assertRaisesRegex(ValueError, "trailing"):
            verify.decode_qr_text("TC1:" + verify.base45_encode(zlib.compress(b"x") + b"\x00"))

    def test_zlib_bomb_is_refused(self):
        with self.assertRaisesRegex(ValueError, "more than"):
            verify.decode_qr_text("TC1:" + verify.base45_encode(zlib.compress(b"\x00" * (verify.MAX_ENVELOPE + 10), 9)))

    def test_pae_is_dsse(self):
        self.assertEqual(verify.pae("t/x", b"ab"), b"DSSEv1 3 t/x 2 ab")


class OfflineVerificationTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._temp = tempfile.TemporaryDirectory(prefix="test-verify-")
        cls.signers = {name: Signer(name, cls._temp.name) for name in ("SM2-SM3", "ECDSA-P256-SHA256", "Ed25519")}

    @classmethod
    def tearDownClass(cls):
        cls._temp.cleanup()

    def keys(self, *infos):
        return verify.keys_by_id(verify.Messages.get("ListSigningKeysResponse")(keys=infos))

    def run_offline(self, source, keys):
        checks, doc, key_id = verify.verify_offline(source, keys)
        return checks.verdict, [(step, outcome) for step, outcome, _ in checks.checks], doc

    def test_each_algorithm_qr_text_is_valid_with_record_and_status_skipped(self):
        for name, signer in self.signers.items():
            with self.subTest(algorithm=name):
                env = envelope(signer, document(signer.key_id).SerializeToString())

                verdict, steps, doc = self.run_offline(qr_text(env), self.keys(signer.info()))

                self.assertEqual(verdict, "VALID")
                self.assertEqual([o for _, o in steps], ["PASSED"] * 5 + ["SKIPPED"] * 2)
                self.assertEqual(doc.number, "DL-S01-2024-000001X")

    def test_envelope_bytes_are_valid(self):
        signer = self.signers["Ed25519"]
        env = envelope(signer, document(signer.key_id).SerializeToString())

        verdict, _, _ = self.run_offline(env.SerializeToString(), self.keys(signer.info()))

        self.assertEqual(verdict, "VALID")

    def test_each_algorithm_tampered_payload_is_bad_signature(self):
        for name, signer in self.signers.items():
            with self.subTest(algorithm=name):
                signed = document(signer.key_id).SerializeToString()
                tampered = document(signer.key_id, number="DL-S01-2024-000002V").SerializeToString()
                env = envelope(signer, tampered, signature=signer.sign(verify.pae(verify.PAYLOAD_TYPE, signed)))

                verdict, steps, _ = self.run_offline(qr_text(env), self.keys(signer.info()))

                self.assertEqual(verdict, "BAD_SIGNATURE")
                self.assertEqual(steps[2], ("SIGNATURE", "FAILED"))

    def test_signature_over_another_payload_type_is_bad_signature(self):
        signer = self.signers["ECDSA-P256-SHA256"]
        payload = document(signer.key_id).SerializeToString()
        env = envelope(signer, payload, signature=signer.sign(verify.pae("application/other", payload)))

        verdict, _, _ = self.run_offline(qr_text(env), self.keys(signer.info()))

        self.assertEqual(verdict, "BAD_SIGNATURE")

    def test_key_not_in_set_is_unknown_key(self):
        signer, other = self.signers["Ed25519"], self.signers["ECDSA-P256-SHA256"]
        env = envelope(signer, document(signer.key_id).SerializeToString())

        verdict, steps, _ = self.run_offline(qr_text(env), self.keys(other.info()))

        self.assertEqual(verdict, "UNKNOWN_KEY")
        self.assertEqual(steps[1], ("KEY_LOOKUP", "FAILED"))

    def test_key_compromised_at_issue_time_is_key_compromised(self):
        signer = self.signers["SM2-SM3"]
        env = envelope(signer, document(signer.key_id).SerializeToString())

        at_issue, _, _ = self.run_offline(qr_text(env), self.keys(signer.info(compromised_at=ISSUED_AT)))
        after_issue, _, _ = self.run_offline(qr_text(env), self.keys(signer.info(compromised_at=ISSUED_AT + 1)))

        self.assertEqual(at_issue, "KEY_COMPROMISED")
        self.assertEqual(after_issue, "VALID")

    def test_issued_outside_key_validity_is_key_not_valid(self):
        signer = self.signers["Ed25519"]
        env = envelope(signer, document(signer.key_id).SerializeToString())

        before, _, _ = self.run_offline(qr_text(env), self.keys(signer.info(valid_from=ISSUED_AT + 1)))
        after, _, _ = self.run_offline(qr_text(env), self.keys(signer.info(valid_until=ISSUED_AT)))

        self.assertEqual(before, "KEY_NOT_VALID")
        self.assertEqual(after, "KEY_NOT_VALID")

    def test_document_naming_another_key_is_malformed(self):
        signer = self.signers["Ed25519"]
        env = envelope(signer, document("ed25519-0000000000000000").SerializeToString())

        verdict, steps, _ = self.run_offline(qr_text(env), self.keys(signer.info()))

        self.assertEqual(verdict, "MALFORMED")
        self.assertEqual(steps[3], ("DOCUMENT", "FAILED"))

    def test_undecodable_inputs_are_malformed(self):
        signer = self.signers["Ed25519"]
        wrong_type = envelope(signer, b"x", payload_type="text/plain")
        for source in ("TC1:", "TC1:%%%", "TC1:" + verify.base45_encode(b"not zlib"), b"\xff\xff\xff", qr_text(wrong_type)):
            with self.subTest(source=source[:20]):
                verdict, steps, _ = self.run_offline(source, self.keys(signer.info()))

                self.assertEqual(verdict, "MALFORMED")
                self.assertEqual(steps[0], ("DECODE", "FAILED"))
                self.assertEqual(len(steps), 7)

    def test_version_one_document_with_its_digest_is_still_valid(self):
        signer = self.signers["Ed25519"]
        doc = document(signer.key_id)
        doc.holder_document_salt = bytes(16)
        doc.holder_document_digest = hashlib.sha256(bytes(16) + b"11010519491231002X").digest()
        env = envelope(signer, doc.SerializeToString(), payload_type=verify.PAYLOAD_TYPE_V1)

        checks, _, _ = verify.verify_offline(qr_text(env), self.keys(signer.info()))

        self.assertEqual(checks.verdict, "VALID")
        self.assertIn("document version 1", checks.checks[0][2])

    def test_version_two_document_with_a_digest_is_malformed(self):
        signer = self.signers["Ed25519"]
        doc = document(signer.key_id)
        doc.holder_document_digest = bytes(32)
        env = envelope(signer, doc.SerializeToString())

        verdict, steps, _ = self.run_offline(qr_text(env), self.keys(signer.info()))

        self.assertEqual(verdict, "MALFORMED")
        self.assertEqual(steps[3], ("DOCUMENT", "FAILED"))

    def test_key_set_entry_holding_another_key_is_refused(self):
        signer, other = self.signers["Ed25519"], self.signers["SM2-SM3"]
        info = signer.info()
        info.public_key_spki = other.spki

        with self.assertRaisesRegex(verify.UsageError, "holds the key"):
            self.keys(info)

    def test_main_offline_with_saved_key_set_exits_ok_then_not_valid(self):
        signer = self.signers["SM2-SM3"]
        env = envelope(signer, document(signer.key_id).SerializeToString())
        path = os.path.join(self._temp.name, "keys.json")
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(json_format.MessageToJson(verify.Messages.get("ListSigningKeysResponse")(keys=[signer.info()])))

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            valid = verify.main(["verify-envelope", qr_text(env), "--offline", "--keys", path, "--json"])
            unknown_key = verify.main(["verify-envelope", qr_text(envelope(self.signers["Ed25519"], b"x")), "--offline", "--keys", path])

        self.assertEqual(valid, verify.EXIT_OK)
        self.assertEqual(json.loads(out.getvalue().split("\n}\n")[0] + "\n}")["verdict"], "ENVELOPE_VERDICT_VALID")
        self.assertEqual(unknown_key, verify.EXIT_NOT_VALID)

    def test_main_usage_errors_exit_1(self):
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            missing_keys = verify.main(["verify-envelope", "TC1:AAA", "--offline", "--keys", "/nonexistent/keys.json"])
            with self.assertRaises(SystemExit) as bad_option:
                verify.main(["verify", "DL-S01-2024-000001X"])
        self.assertEqual(missing_keys, verify.EXIT_USAGE)
        self.assertEqual(bad_option.exception.code, verify.EXIT_USAGE)

    def test_main_code_with_a_number_or_nothing_is_a_usage_error(self):
        for argv in (["verify", "--code", "7KQM-2XWD-9FHT-A3CN", "DL-S01-2024-000001X"], ["verify"],
                     ["verify", "--code", "7KQM-2XWD-9FHT-A3CN", "--name", "张伟"]):
            with self.subTest(argv=argv), contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as error:
                verify.main(argv)
            self.assertEqual(error.exception.code, verify.EXIT_USAGE)


if __name__ == "__main__":
    unittest.main(verbosity=2)

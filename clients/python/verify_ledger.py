#!/usr/bin/env python3
"""Checks a credentials-sync mirror with code that shares nothing with the C# implementation.

    verify_ledger.py MIRROR_DB VERIFIER_KEY [INCLUSION_JSON]

MIRROR_DB is the SQLite mirror credentials-sync wrote; VERIFIER_KEY the log's verifier key
("name+hexkeyid+base64(0x01||ed25519 public key)", `credentials-server ledger key`). Checks:
  * the key id is SHA-256(name || "\\n" || 0x01 || key)[:4] (golang.org/x/mod/sumdb/note);
  * the newest checkpoint in the mirror is a C2SP signed note with a valid Ed25519 signature by that key;
  * its root equals MTH of the mirrored events, computed by the RFC 9162 recursion (2.1.1);
  * INCLUSION_JSON, if given, is a GetInclusionProof response (as grpc_call.py prints it) that verifies
    against that root by the RFC 9162 2.1.3.2 algorithm, for the mirrored event at its leaf index.
Prints one line per check; exits 1 at the first failure.
"""
import base64
import hashlib
import json
import sqlite3
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(leaves):
    """MTH(D[n]) of RFC 9162 2.1.1, over leaf hashes."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2, step by step."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def parse_verifier_key(text):
    name, key_id, key = text.split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if len(raw) != 33 or raw[0] != 1:
        raise ValueError("not an Ed25519 note key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected.hex() != key_id:
        raise ValueError(f"key id {key_id} does not match the key ({expected.hex()})")
    return name, bytes.fromhex(key_id), Ed25519PublicKey.from_public_bytes(raw[1:])


def open_checkpoint(note, name, key_id, public_key):
    text_end = note.rindex(b"\n\n") + 1
    text, signatures = note[:text_end], note[text_end + 1:].decode().splitlines()
    for line in signatures:
        dash, signer, blob = line.split(" ")
        raw = base64.b64decode(blob, validate=True)
        if dash == "\u2014" and signer == name and raw[:4] == key_id:
            public_key.verify(raw[4:], text)  # raises InvalidSignature
            origin, size, root = text.decode().split("\n")[:3]
            return origin, int(size), base64.b64decode(root, validate=True)
    raise ValueError("no signature by the log key")


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    failed = False

    def check(ok, what):
        nonlocal failed
        print(("ok   " if ok else "FAIL ") + what)
        failed = failed or not ok

    name, key_id, public_key = parse_verifier_key(argv[2])
    check(True, f"verifier key {name}+{key_id.hex()}: key id matches")
    db = sqlite3.connect(argv[1])
    note, = db.execute("SELECT note FROM checkpoints ORDER BY tree_size DESC LIMIT 1").fetchone()
    try:
        origin, size, root = open_checkpoint(note, name, key_id, public_key)
        check(True, f"checkpoint {origin} size {size}: Ed25519 signature verifies")
    except (InvalidSignature, ValueError) as e:
        check(False, f"checkpoint signature: {e!r}")
        return 1
    bodies = [row[0] for row in db.execute("SELECT body FROM events WHERE leaf_index < ? ORDER BY leaf_index", (size,))]
    leaves = [leaf_hash(b) for b in bodies]
    check(len(leaves) == size, f"mirror holds {len(leaves)} events for a tree of {size}")
    check(mth(leaves) == root, "root recomputed from the events by the RFC 9162 recursion equals the signed root")
    if len(argv) == 4:
        with open(argv[3], encoding="utf-8") as f:
            response = json.load(f)
        index, tree = int(response.get("leafIndex", 0)), int(response["treeSize"])
        proof = [base64.b64decode(h) for h in response.get("hashes", [])]
        check(tree == size, f"inclusion proof is for the checkpoint's tree ({tree})")
        check(base64.b64decode(response["leafHash"]) == leaves[index], f"inclusion proof leaf hash is the mirrored event {index}")
        check(verify_inclusion(index, tree, leaves[index], proof, root), f"inclusion proof of leaf {index} ({len(proof)} hashes) verifies")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

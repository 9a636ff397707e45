-- Holders (持证人): reissued documents, share codes, and which code an access-log row used.

-- A certificate signed again (ReissueCertificate): the certificate_reissued ledger event whose
-- envelope is the one on record now. NULL: the issuing event's (event_seq) is.
ALTER TABLE certificates ADD COLUMN document_seq INTEGER REFERENCES ledger_events (seq);

-- Share codes (在线验证码): a holder lets whoever has the code verify one certificate until it
-- expires or the holder revokes it. The code is kept only as its SHA-256: 80 random bits, so a
-- copy of the database cannot turn a hash back into a code that answers. holder_digest is the
-- holder's keyed HMAC, as in certificates.
CREATE TABLE share_codes (
    id                 INTEGER PRIMARY KEY,
    holder_digest      BLOB    NOT NULL,
    certificate_number TEXT    NOT NULL REFERENCES certificates (number),
    code_hash          BLOB    NOT NULL UNIQUE,
    purpose            TEXT    NOT NULL,
    include_integrity  INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    revoked_at         INTEGER
);
CREATE INDEX share_codes_by_holder ON share_codes (holder_digest, id);

-- A verification by share code names the code it used (never the code); NULL for the other methods
-- and for a code that matched none.
ALTER TABLE verifications ADD COLUMN share_code_id INTEGER;

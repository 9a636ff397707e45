-- Mutual TLS: a principal may be bound to one client certificate, kept as the SHA-256 of the
-- certificate's DER encoding (what `openssl x509 -fingerprint -sha256` prints). A bound
-- principal's token is accepted only on a TLS connection that presented that certificate.
ALTER TABLE principals ADD COLUMN certificate_sha256 BLOB
    CHECK (certificate_sha256 IS NULL OR length(certificate_sha256) = 32);

-- The store health probe writes a scratch row here inside a savepoint it always rolls back:
-- a write that needs new pages fails exactly when the disk is full or the file read-only.
CREATE TABLE store_probe (
    payload BLOB NOT NULL
);

-- The access log (查询记录): every answered verification, by number or by envelope, of any
-- caller. Never the name or document number asked with. Written in batches, after the answer
-- (see VerificationLog in the server): a crash may lose the last few rows, never a certificate.
CREATE TABLE verifications (
    id                 INTEGER PRIMARY KEY,
    at                 INTEGER NOT NULL,
    principal          TEXT    NOT NULL,             -- '' for an anonymous caller
    role               TEXT    NOT NULL,             -- 'anonymous', 'employer', ...
    client_address     TEXT    NOT NULL,
    request_id         TEXT    NOT NULL,
    method             INTEGER NOT NULL,             -- VerificationMethod
    certificate_number TEXT    NOT NULL,             -- '' when an envelope named none
    result             INTEGER NOT NULL              -- VerificationResult (number) or EnvelopeVerdict (envelope)
);
CREATE INDEX verifications_by_certificate ON verifications (certificate_number, id);
CREATE INDEX verifications_by_principal ON verifications (principal, id);

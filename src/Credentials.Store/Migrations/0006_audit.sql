-- The audit trail: who made each write, when, from where, with which request id, and which
-- ledger events it appended. Written in the same transaction as the write it describes.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    principal      TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    client_address TEXT    NOT NULL,
    request_id     TEXT    NOT NULL,
    first_event    INTEGER,
    last_event     INTEGER
);
CREATE INDEX audit_log_by_principal ON audit_log (principal, id);

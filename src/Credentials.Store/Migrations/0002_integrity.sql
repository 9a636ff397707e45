-- The integrity record (诚信档案): misconduct records, appended and never deleted. The content of a
-- record is its MisconductRecorded ledger event (name, masked document, facts, ...); these columns
-- are what lookups and filters need. The document number exists only as subject_digest, the same
-- keyed HMAC as certificates.holder_digest, so a person's records and certificates match.
CREATE TABLE misconduct_records (
    id             TEXT    PRIMARY KEY,
    record_year    INTEGER NOT NULL,
    serial         INTEGER NOT NULL,
    subject_digest BLOB    NOT NULL,
    subject_role   INTEGER NOT NULL,
    type           INTEGER NOT NULL,
    committee_code TEXT    REFERENCES committees (code),
    decision_date  TEXT    NOT NULL,
    event_seq      INTEGER NOT NULL REFERENCES ledger_events (seq),
    UNIQUE (record_year, serial)
) WITHOUT ROWID;
CREATE INDEX misconduct_records_by_subject ON misconduct_records (subject_digest, subject_role, decision_date);
CREATE INDEX misconduct_records_by_committee ON misconduct_records (committee_code, id) WHERE committee_code IS NOT NULL;

-- The certificates a record of applicant fraud revoked.
CREATE TABLE misconduct_certificates (
    record_id TEXT    NOT NULL REFERENCES misconduct_records (id),
    number    TEXT    NOT NULL REFERENCES certificates (number),
    position  INTEGER NOT NULL,
    PRIMARY KEY (record_id, number)
) WITHOUT ROWID;
CREATE INDEX misconduct_certificates_by_number ON misconduct_certificates (number);

-- Rescissions (appeal or review upheld): at most one per record, final; the content is the
-- MisconductRescinded ledger event.
CREATE TABLE misconduct_rescissions (
    record_id     TEXT    PRIMARY KEY REFERENCES misconduct_records (id),
    decision_date TEXT    NOT NULL,
    event_seq     INTEGER NOT NULL REFERENCES ledger_events (seq)
) WITHOUT ROWID;

-- Principals: who may call, by bearer token (only its SHA-256 is kept).
CREATE TABLE principals (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL CHECK (role IN ('authority', 'committee', 'employer', 'platform')),
    committee_code TEXT    REFERENCES committees (code),
    token_hash     BLOB    NOT NULL UNIQUE,
    token_hint     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    created_by     TEXT    NOT NULL,
    revoked_at     INTEGER,
    CHECK ((role = 'committee') = (committee_code IS NOT NULL))
);

-- Review committees and their accredited scope (核准备案).
CREATE TABLE committees (
    code             TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    organizer        TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    series           TEXT    NOT NULL,
    accredited_from  TEXT    NOT NULL,
    accredited_until TEXT    NOT NULL,
    state            INTEGER NOT NULL,
    meeting_schedule TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE committee_specialties (
    committee_code TEXT NOT NULL REFERENCES committees (code),
    specialty      TEXT NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (committee_code, specialty)
) WITHOUT ROWID;

CREATE TABLE committee_levels (
    committee_code TEXT    NOT NULL REFERENCES committees (code),
    level          INTEGER NOT NULL,
    PRIMARY KEY (committee_code, level)
) WITHOUT ROWID;

-- Suspensions, restorations, withdrawals: appended, never changed.
CREATE TABLE committee_state_changes (
    id                INTEGER PRIMARY KEY,
    committee_code    TEXT    NOT NULL REFERENCES committees (code),
    state             INTEGER NOT NULL,
    reason            TEXT    NOT NULL,
    decision_document TEXT    NOT NULL,
    effective_date    TEXT    NOT NULL,
    recorded_at       INTEGER NOT NULL,
    recorded_by       TEXT    NOT NULL
);
CREATE INDEX committee_state_changes_by_committee ON committee_state_changes (committee_code, id);

-- Signing keys: public parts only; private keys live in files outside the database.
CREATE TABLE signing_keys (
    key_id            TEXT    PRIMARY KEY,
    algorithm         TEXT    NOT NULL,
    public_key        BLOB    NOT NULL,
    valid_from        INTEGER NOT NULL,
    valid_until       INTEGER,
    compromised_at    INTEGER,
    compromise_reason TEXT
) WITHOUT ROWID;

-- The ledger: every state change, in order. body is the exact LedgerEvent bytes (a Merkle leaf).
CREATE TABLE ledger_events (
    seq            INTEGER PRIMARY KEY,
    type           INTEGER NOT NULL,
    committee_code TEXT,
    review_year    INTEGER,
    body           BLOB    NOT NULL
);
CREATE INDEX ledger_events_by_committee ON ledger_events (committee_code, seq) WHERE committee_code IS NOT NULL;
CREATE INDEX ledger_events_by_type ON ledger_events (type, seq);

-- Hashes of the complete subtrees of the RFC 9162 Merkle tree over ledger_events.
CREATE TABLE merkle_nodes (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB    NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Certificates: what queries and rules need; the signed envelope lives in the issuing event.
CREATE TABLE certificates (
    number         TEXT    PRIMARY KEY,
    committee_code TEXT    NOT NULL REFERENCES committees (code),
    review_year    INTEGER NOT NULL,
    serial         INTEGER NOT NULL,
    level          INTEGER NOT NULL,
    series         TEXT    NOT NULL,
    holder_digest  BLOB    NOT NULL,
    event_seq      INTEGER NOT NULL REFERENCES ledger_events (seq),
    issued_by      TEXT    NOT NULL,
    UNIQUE (committee_code, review_year, serial)
) WITHOUT ROWID;
CREATE INDEX certificates_by_holder ON certificates (holder_digest, review_year, level);

-- Revocations (撤销职称): at most one per certificate, final.
CREATE TABLE revocations (
    number               TEXT    PRIMARY KEY REFERENCES certificates (number),
    reason               INTEGER NOT NULL,
    details              TEXT    NOT NULL,
    decision_document    TEXT    NOT NULL,
    effective_date       TEXT    NOT NULL,
    recorded_at          INTEGER NOT NULL,
    recorded_by          TEXT    NOT NULL,
    misconduct_record_id TEXT,
    event_seq            INTEGER NOT NULL REFERENCES ledger_events (seq)
) WITHOUT ROWID;

-- Idempotent creation: what a request id produced, and a hash of the request it came with.
CREATE TABLE idempotency (
    principal    TEXT    NOT NULL,
    method       TEXT    NOT NULL,
    request_id   TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    result       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (principal, method, request_id)
) WITHOUT ROWID;

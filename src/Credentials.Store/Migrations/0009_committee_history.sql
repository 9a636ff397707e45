-- The history of a committee's accreditation (核准备案), appended and never changed, so that a
-- certificate issued under an earlier scope or window can still be judged by it. committees.series,
-- committee_specialties and committee_levels hold the scope in force (the last of committee_scopes),
-- committees.accredited_from/until the latest window (the last of committee_accreditations).

-- Accreditation windows: the one a committee was created with (no decision document), then each renewal.
CREATE TABLE committee_accreditations (
    id                INTEGER PRIMARY KEY,
    committee_code    TEXT    NOT NULL REFERENCES committees (code),
    valid_from        TEXT    NOT NULL,
    valid_until       TEXT    NOT NULL,
    decision_document TEXT    NOT NULL,
    recorded_at       INTEGER NOT NULL,
    recorded_by       TEXT    NOT NULL,
    CHECK (valid_until >= valid_from)
);
CREATE INDEX committee_accreditations_by_committee ON committee_accreditations (committee_code, id);

-- Accredited scopes: the one a committee was created with (in force from its first window), then each update.
CREATE TABLE committee_scopes (
    id                INTEGER PRIMARY KEY,
    committee_code    TEXT    NOT NULL REFERENCES committees (code),
    series            TEXT    NOT NULL,
    decision_document TEXT    NOT NULL,
    effective_date    TEXT    NOT NULL,
    recorded_at       INTEGER NOT NULL,
    recorded_by       TEXT    NOT NULL
);
CREATE INDEX committee_scopes_by_committee ON committee_scopes (committee_code, id);

CREATE TABLE committee_scope_specialties (
    scope_id  INTEGER NOT NULL REFERENCES committee_scopes (id),
    position  INTEGER NOT NULL,
    specialty TEXT    NOT NULL,
    PRIMARY KEY (scope_id, position)
);

CREATE TABLE committee_scope_levels (
    scope_id INTEGER NOT NULL REFERENCES committee_scopes (id),
    level    INTEGER NOT NULL,
    PRIMARY KEY (scope_id, level)
);

-- Committees accredited before this migration: their window and scope as the first entries (who
-- recorded them is in their CommitteeAccredited ledger event).
INSERT INTO committee_accreditations (committee_code, valid_from, valid_until, decision_document, recorded_at, recorded_by)
SELECT code, accredited_from, accredited_until, '', created_at, '' FROM committees ORDER BY code;

INSERT INTO committee_scopes (committee_code, series, decision_document, effective_date, recorded_at, recorded_by)
SELECT code, series, '', accredited_from, created_at, '' FROM committees ORDER BY code;

INSERT INTO committee_scope_specialties (scope_id, position, specialty)
SELECT s.id, cs.position, cs.specialty
FROM committee_specialties cs JOIN committee_scopes s ON s.committee_code = cs.committee_code;

INSERT INTO committee_scope_levels (scope_id, level)
SELECT s.id, cl.level
FROM committee_levels cl JOIN committee_scopes s ON s.committee_code = cl.committee_code;

-- The access log is listed by principal only for callers that have one: anonymous verifications
-- (principal '') need no entry in the principal index, and they are most of the log. Listing by
-- principal states the index's condition (principal <> '') so that SQLite uses it.
DROP INDEX verifications_by_principal;
CREATE INDEX verifications_by_principal ON verifications (principal, id) WHERE principal <> '';

-- Signed checkpoints of the ledger, one per tree size and log key, kept as issued: the exact note a
-- platform received for a size (and the root it names) can be produced again and compared. Append-only.
CREATE TABLE ledger_checkpoints (
    tree_size    INTEGER NOT NULL,
    root_hash    BLOB    NOT NULL,
    note         BLOB    NOT NULL,
    verifier_key TEXT    NOT NULL,
    signed_at    INTEGER NOT NULL,
    PRIMARY KEY (tree_size, verifier_key)
) WITHOUT ROWID;

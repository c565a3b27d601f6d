-- Feed entries that could not be stored (no text anywhere), with the fingerprint they had: the
-- next run sees them as unchanged and neither processes nor records them again until they change.
CREATE TABLE IF NOT EXISTS dropped_entries (
    article_id  VARCHAR PRIMARY KEY,
    entry_hash  VARCHAR NOT NULL,
    source_id   VARCHAR,
    reason      VARCHAR NOT NULL,
    dropped_at  TIMESTAMPTZ NOT NULL
);

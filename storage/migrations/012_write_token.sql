-- One row every write transaction on a DuckLake updates: two writers that meet then conflict,
-- and the one that retries sees what the other stored. DuckLake would otherwise commit both of
-- two concurrent inserts of the same article (it has no keys to refuse the second). A DuckDB
-- file has one writer at a time and does not touch it.
CREATE TABLE IF NOT EXISTS write_token (id INTEGER NOT NULL, n BIGINT NOT NULL);
INSERT INTO write_token SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM write_token);

-- Why a run failed (a full disk, say), and which process ran it, so that a later run can tell a
-- run that is still going from one whose process is gone.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS failure VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;

-- Per-feed polling cadence: a feed is polled again only once this time has passed.
ALTER TABLE sources ADD COLUMN IF NOT EXISTS next_poll TIMESTAMPTZ;

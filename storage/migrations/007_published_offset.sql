-- The UTC offset (minutes) of the source's own timestamp, so that re-extraction reads relative
-- days ("on Monday") on the same calendar as the first extraction did. NULL: UTC or none given.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_offset INTEGER;

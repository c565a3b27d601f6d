-- Which extractor produced an article's facts, so an upgrade can re-extract stored articles.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS extractor VARCHAR;

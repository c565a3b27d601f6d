-- A feed taken out of the feed list is kept (its articles and history stay) but retired: feed
-- health and `status` show the feeds being polled. A feed put back in the list is active again.
ALTER TABLE sources ADD COLUMN IF NOT EXISTS retired_at TIMESTAMPTZ;

-- The feed-health view of 004, for the sources not retired (its columns: those of `sources`
-- but the validators and tags, then the article and recent error counts).
CREATE OR REPLACE VIEW v_feed_health AS
SELECT * EXCLUDE (tags, etag, last_modified, retired_at),
       (SELECT count(*) FROM articles a WHERE a.source_id = s.source_id) AS articles,
       (SELECT count(*) FROM errors r WHERE r.source_id = s.source_id AND r.occurred_at > now() - INTERVAL 7 DAY) AS errors_7d
FROM sources s
WHERE retired_at IS NULL;

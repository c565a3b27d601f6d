-- An undated seed (a background file of the seed corpus) has no day: it is never dated by the
-- time it was stored, so it never appears in the talks timeline or the mentions as current news.
CREATE OR REPLACE VIEW v_talks_timeline AS
SELECT CASE WHEN a.origin = 'seed' THEN CAST(a.published AS DATE)
            ELSE CAST(coalesce(a.published, a.first_seen) AS DATE) END AS reported_on,
       d.kind, d.venue, d.parties, d.delegation_heads, d.status, d.duration_hours, a.source_id, a.url, a.title,
       d.evidence
FROM diplomacy d JOIN articles a USING (article_id);

CREATE OR REPLACE VIEW v_entity_mentions AS
SELECT CASE WHEN a.origin = 'seed' THEN CAST(a.published AS DATE)
            ELSE CAST(coalesce(a.published, a.first_seen) AS DATE) END AS day,
       e.kind, e.name, count(*) AS mentions, count(DISTINCT e.article_id) AS articles
FROM entities e JOIN articles a USING (article_id)
GROUP BY ALL;

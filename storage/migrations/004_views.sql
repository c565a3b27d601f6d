-- Analyst views. Figures per strike come from events (reports of one strike clustered across
-- outlets), using the conservative figure, so a strike reported by ten outlets counts once.

CREATE OR REPLACE VIEW v_attack_events AS
SELECT e.event_id, e.event_date, e.attacker, e.target_country, e.reports, e.sources,
       max(w.launched_min) FILTER (WHERE w.category = 'drone')       AS drones_launched,
       max(w.launched_max) FILTER (WHERE w.category = 'drone')       AS drones_launched_max,
       max(w.intercepted_min) FILTER (WHERE w.category = 'drone')    AS drones_intercepted,
       max(w.launched_min) FILTER (WHERE w.category = 'missile')     AS missiles_launched,
       max(w.launched_max) FILTER (WHERE w.category = 'missile')     AS missiles_launched_max,
       max(w.intercepted_min) FILTER (WHERE w.category = 'missile')  AS missiles_intercepted,
       e.killed_min AS killed, e.injured_min AS injured, e.regions_max AS regions, e.places, e.services,
       e.first_published, e.first_seen, e.headline, e.evidence
FROM events e LEFT JOIN event_weapons w USING (event_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW v_daily_launches AS
SELECT e.event_date AS day, w.category, list_distinct(flatten(list(w.models))) AS models,
       count(DISTINCT e.event_id) AS strikes,
       sum(w.launched_min) AS launched, sum(w.intercepted_min) AS intercepted,
       round(sum(w.intercepted_min) FILTER (WHERE w.launched_min IS NOT NULL)
             / nullif(sum(w.launched_min) FILTER (WHERE w.intercepted_min IS NOT NULL), 0), 3) AS interception_rate
FROM events e JOIN event_weapons w USING (event_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW v_weekly_launches AS
SELECT CAST(date_trunc('week', day) AS DATE) AS week, category, sum(strikes) AS strikes,
       sum(launched) AS launched, sum(intercepted) AS intercepted,
       round(sum(intercepted) / nullif(sum(launched), 0), 3) AS interception_rate
FROM v_daily_launches
GROUP BY ALL;

CREATE OR REPLACE VIEW v_strikes_by_place AS
WITH places AS (
    SELECT e.event_id, e.event_date, e.attacker, e.target_country, unnest(e.places) AS place FROM events e
), coords AS (
    SELECT name, any_value(admin_level) AS admin_level, any_value(country) AS country,
           any_value(latitude) AS latitude, any_value(longitude) AS longitude, any_value(precision) AS precision
    FROM locations GROUP BY name
)
SELECT p.place, c.admin_level, c.country, c.latitude, c.longitude, c.precision,
       count(*) AS strikes, min(p.event_date) AS first_strike, max(p.event_date) AS last_strike,
       list_distinct(list(p.attacker)) AS attackers
FROM places p LEFT JOIN coords c ON c.name = p.place
GROUP BY ALL;

CREATE OR REPLACE VIEW v_talks_timeline AS
SELECT CAST(coalesce(a.published, a.first_seen) AS DATE) AS reported_on, d.kind, d.venue, d.parties,
       d.delegation_heads, d.status, d.duration_hours, a.source_id, a.url, a.title, d.evidence
FROM diplomacy d JOIN articles a USING (article_id);

CREATE OR REPLACE VIEW v_feed_health AS
SELECT source_id, kind, url, last_status, last_http_status, consecutive_errors, last_attempt, last_success,
       next_poll, entries_seen, last_error,
       (SELECT count(*) FROM articles a WHERE a.source_id = s.source_id) AS articles,
       (SELECT count(*) FROM errors r WHERE r.source_id = s.source_id
          AND r.occurred_at > now() - INTERVAL 7 DAY) AS errors_7d
FROM sources s;

CREATE OR REPLACE VIEW v_entity_mentions AS
SELECT CAST(coalesce(a.published, a.first_seen) AS DATE) AS day, e.kind, e.name,
       count(*) AS mentions, count(DISTINCT e.article_id) AS articles
FROM entities e JOIN articles a USING (article_id)
GROUP BY ALL;

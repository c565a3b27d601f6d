-- Interception rates from figures that belong together: an event's launched/intercepted pair
-- comes from one report that gives both (the conservative min/max columns may come from
-- different reports), and the launch views compute their rate over such pairs only.
ALTER TABLE event_weapons ADD COLUMN IF NOT EXISTS launched_paired INTEGER;
ALTER TABLE event_weapons ADD COLUMN IF NOT EXISTS intercepted_paired INTEGER;
-- Events stored before: where every report agreed on both figures, they are a pair.
UPDATE event_weapons SET launched_paired = launched_min, intercepted_paired = intercepted_min
WHERE launched_paired IS NULL AND launched_min IS NOT NULL AND intercepted_min IS NOT NULL
  AND launched_min = launched_max AND intercepted_min = intercepted_max;

CREATE OR REPLACE VIEW v_daily_launches AS
SELECT e.event_date AS day, w.category, list_distinct(flatten(list(w.models))) AS models,
       count(DISTINCT e.event_id) AS strikes,
       sum(w.launched_min) AS launched, sum(w.intercepted_min) AS intercepted,
       sum(w.launched_paired) AS launched_paired, sum(w.intercepted_paired) AS intercepted_paired,
       round(sum(w.intercepted_paired) / nullif(sum(w.launched_paired), 0), 3) AS interception_rate
FROM events e JOIN event_weapons w USING (event_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW v_weekly_launches AS
SELECT CAST(date_trunc('week', day) AS DATE) AS week, category, sum(strikes) AS strikes,
       sum(launched) AS launched, sum(intercepted) AS intercepted,
       sum(launched_paired) AS launched_paired, sum(intercepted_paired) AS intercepted_paired,
       round(sum(intercepted_paired) / nullif(sum(launched_paired), 0), 3) AS interception_rate
FROM v_daily_launches
GROUP BY ALL;

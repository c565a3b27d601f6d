-- Attack events: reports of the same strike from several articles and outlets, clustered.
CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR PRIMARY KEY,
    attacker          VARCHAR,
    target_country    VARCHAR,
    event_date        DATE,
    first_seen        TIMESTAMPTZ NOT NULL,       -- when newswatch first stored a report of it
    first_published   TIMESTAMPTZ,                -- earliest publication time among its reports
    last_updated      TIMESTAMPTZ NOT NULL,
    reports           INTEGER NOT NULL,
    sources           INTEGER NOT NULL,
    places            VARCHAR[],
    regions_max       INTEGER,
    killed_min        INTEGER,
    killed_max        INTEGER,
    injured_min       INTEGER,
    injured_max       INTEGER,
    children          BOOLEAN,
    services          VARCHAR[],
    headline          VARCHAR,
    evidence          VARCHAR
);

-- Consolidated figures per weapon category: the most conservative and the highest reported.
CREATE TABLE IF NOT EXISTS event_weapons (
    event_id         VARCHAR NOT NULL,
    category         VARCHAR NOT NULL,            -- drone | missile | glide_bomb | rocket | artillery
    models           VARCHAR[],
    launched_min     INTEGER,
    launched_max     INTEGER,
    intercepted_min  INTEGER,
    intercepted_max  INTEGER,
    PRIMARY KEY (event_id, category)
);

CREATE TABLE IF NOT EXISTS event_articles (
    attack_id   VARCHAR PRIMARY KEY,              -- each attack report belongs to one event
    event_id    VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    joined_at   TIMESTAMPTZ NOT NULL
);

-- One alert per (event, rule); status per channel in alert_deliveries.
CREATE TABLE IF NOT EXISTS alerts (
    alert_key    VARCHAR PRIMARY KEY,             -- <event_id>:<rule>
    event_id     VARCHAR NOT NULL,
    rule         VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,                -- new | escalation
    created_at   TIMESTAMPTZ NOT NULL,
    title        VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,                -- pending | delivered | recorded (no channel configured)
    delivered_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_key    VARCHAR NOT NULL,
    channel_id   VARCHAR NOT NULL,                -- hash of the channel URL; the URL is never stored
    channel      VARCHAR NOT NULL,                -- redacted form, e.g. slack://…#3f2a91c0
    status       VARCHAR NOT NULL,                -- delivered | failed
    attempts     INTEGER NOT NULL,
    last_error   VARCHAR,
    last_attempt TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ,
    PRIMARY KEY (alert_key, channel_id)
);

-- Sources (feeds and the seed corpus) with their polling state.
CREATE TABLE IF NOT EXISTS sources (
    source_id            VARCHAR PRIMARY KEY,
    kind                 VARCHAR NOT NULL,          -- feed | seeds
    url                  VARCHAR,
    tags                 VARCHAR[],
    etag                 VARCHAR,
    last_modified        VARCHAR,
    last_status          VARCHAR,                   -- ok | not_modified | error
    last_http_status     INTEGER,
    last_error           VARCHAR,
    consecutive_errors   INTEGER NOT NULL DEFAULT 0,
    last_attempt         TIMESTAMPTZ,
    last_success         TIMESTAMPTZ,
    entries_seen         INTEGER
);

-- One row per article; the id is derived from the canonical URL (from the content for seeds).
CREATE TABLE IF NOT EXISTS articles (
    article_id       VARCHAR PRIMARY KEY,
    source_id        VARCHAR NOT NULL,
    url              VARCHAR,
    title            VARCHAR,
    published        TIMESTAMPTZ,
    author           VARCHAR,
    sitename         VARCHAR,
    language         VARCHAR,
    text             VARCHAR NOT NULL,
    content_hash     VARCHAR NOT NULL,
    entry_hash       VARCHAR,
    origin           VARCHAR NOT NULL,              -- page | feed | seed
    fallback_reason  VARCHAR,
    is_attack_report BOOLEAN,
    first_seen       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    run_id           VARCHAR
);

CREATE TABLE IF NOT EXISTS attacks (
    attack_id          VARCHAR PRIMARY KEY,
    article_id         VARCHAR NOT NULL,
    ordinal            INTEGER NOT NULL,
    attacker           VARCHAR,
    target_country     VARCHAR,
    attack_date        DATE,
    regions_count      INTEGER,
    killed             INTEGER,
    injured            INTEGER,
    children           BOOLEAN,
    targets            VARCHAR[],
    services_disrupted VARCHAR[],
    sentence           INTEGER NOT NULL,
    span_start         INTEGER NOT NULL,
    span_end           INTEGER NOT NULL,
    evidence           VARCHAR NOT NULL,
    rule               VARCHAR NOT NULL,
    confidence         DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS weapons (
    article_id            VARCHAR NOT NULL,
    attack_id             VARCHAR NOT NULL,
    ordinal               INTEGER NOT NULL,
    category              VARCHAR NOT NULL,
    model                 VARCHAR,
    launched              INTEGER,
    launched_qualifier    VARCHAR,
    intercepted           INTEGER,
    intercepted_qualifier VARCHAR,
    sentence              INTEGER NOT NULL,
    span_start            INTEGER NOT NULL,
    span_end              INTEGER NOT NULL,
    evidence              VARCHAR NOT NULL,
    rule                  VARCHAR NOT NULL,
    confidence            DOUBLE NOT NULL,
    PRIMARY KEY (attack_id, ordinal)
);

CREATE TABLE IF NOT EXISTS casualties (
    article_id  VARCHAR NOT NULL,
    attack_id   VARCHAR NOT NULL,
    ordinal     INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,                   -- killed | injured
    count       INTEGER,
    qualifier   VARCHAR,
    children    BOOLEAN,
    sentence    INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    evidence    VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,
    confidence  DOUBLE NOT NULL,
    PRIMARY KEY (attack_id, ordinal)
);

-- Places: attack locations (attack_id set) and every place mentioned (attack_id NULL).
CREATE TABLE IF NOT EXISTS locations (
    article_id  VARCHAR NOT NULL,
    attack_id   VARCHAR,
    ordinal     INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    admin_level VARCHAR NOT NULL,
    country     VARCHAR,
    latitude    DOUBLE,
    longitude   DOUBLE,
    precision   VARCHAR NOT NULL,
    sentence    INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    rule        VARCHAR NOT NULL,
    confidence  DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS diplomacy (
    diplomacy_id     VARCHAR PRIMARY KEY,
    article_id       VARCHAR NOT NULL,
    ordinal          INTEGER NOT NULL,
    kind             VARCHAR NOT NULL,
    venue            VARCHAR,
    parties          VARCHAR[],
    format           VARCHAR[],
    delegation_heads MAP(VARCHAR, VARCHAR),
    duration_hours   DOUBLE,
    status           VARCHAR,
    sentence         INTEGER NOT NULL,
    span_start       INTEGER NOT NULL,
    span_end         INTEGER NOT NULL,
    evidence         VARCHAR NOT NULL,
    rule             VARCHAR NOT NULL,
    confidence       DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    article_id  VARCHAR NOT NULL,
    ordinal     INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,                   -- person | place
    text        VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    sentence    INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    rule        VARCHAR NOT NULL,
    confidence  DOUBLE NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);

CREATE TABLE IF NOT EXISTS errors (
    error_id    VARCHAR PRIMARY KEY,
    run_id      VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL,
    stage       VARCHAR NOT NULL,                   -- config | feed | page | clean | extract | store
    source_id   VARCHAR,
    url         VARCHAR,
    error_class VARCHAR NOT NULL,                   -- transient | terminal
    reason      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id             VARCHAR PRIMARY KEY,
    flow_run_id        VARCHAR,
    started_at         TIMESTAMPTZ NOT NULL,
    finished_at        TIMESTAMPTZ,
    status             VARCHAR NOT NULL,            -- running | completed | failed
    feeds_ok           INTEGER,
    feeds_not_modified INTEGER,
    feeds_failed       INTEGER,
    articles_new       INTEGER,
    articles_updated   INTEGER,
    articles_unchanged INTEGER,
    facts              INTEGER,
    errors             INTEGER
);

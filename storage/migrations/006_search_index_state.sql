-- When the full-text index was last built: articles stored after that are searched by substring
-- until the next build (a build reads every article, so it is not redone on every run).
CREATE TABLE IF NOT EXISTS search_index_state (
    built_at  TIMESTAMPTZ NOT NULL,
    articles  BIGINT NOT NULL
);

-- The GitHub mirror of each project: its settings, the item <-> issue entries and what sdd last
-- wrote, as one JSON document per project (a few hundred entries; read and written whole, under
-- a row lock).

-- Up Migration

CREATE TABLE github_mirrors (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  state jsonb NOT NULL
);

-- Decisions: an append-only log per project, numbered D1, D2, ... in the order they were recorded.
-- Each row keeps the version of the change that added it, so a server refreshing its snapshot reads
-- only the decisions added since the version it holds (as items are, by changed_in). No foreign key
-- to items: a change that rewrites the items whole deletes and inserts them again.

-- Up Migration

CREATE TABLE decisions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id text NOT NULL,
  seq integer NOT NULL,
  item text NOT NULL,
  question text NOT NULL,
  options text[] NOT NULL,
  choice text NOT NULL,
  rationale text NOT NULL,
  actor text NOT NULL,
  session_id text,
  session_time double precision,
  source text NOT NULL,
  at timestamptz NOT NULL,
  added_in bigint NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX decisions_added_in ON decisions (project_id, added_in);

-- Down Migration

DROP TABLE decisions;

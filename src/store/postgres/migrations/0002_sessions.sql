-- Recorded sessions: each session's record as JSON (with the columns sessions are listed by), and
-- the bytes of its files as append-only chunk rows of at most 1 MiB, never one growing value
-- (node-postgres reads big bytea values slowly). session_files holds each file's size: an append
-- locks that row, checks the offset against it and moves it, in one transaction.

-- Up Migration

CREATE TABLE sessions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id text COLLATE "C" NOT NULL,
  record jsonb NOT NULL,
  -- ISO 8601 text as the record has it, compared as bytes: the order the other stores list in.
  started_at text COLLATE "C" NOT NULL,
  item_id text NOT NULL,
  status text NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX sessions_newest ON sessions (project_id, started_at DESC, id DESC);
CREATE INDEX sessions_item ON sessions (project_id, item_id);

CREATE TABLE session_files (
  project_id text NOT NULL,
  session_id text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  size bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, session_id, name),
  FOREIGN KEY (project_id, session_id) REFERENCES sessions (project_id, id) ON DELETE CASCADE
);

CREATE TABLE session_chunks (
  project_id text NOT NULL,
  session_id text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  "offset" bigint NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (project_id, session_id, name, "offset"),
  FOREIGN KEY (project_id, session_id, name) REFERENCES session_files (project_id, session_id, name)
    ON DELETE CASCADE
);
-- Chunks are written once and read whole: compressing them would cost more CPU than it saves.
ALTER TABLE session_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- Down Migration

DROP TABLE session_chunks;
DROP TABLE session_files;
DROP TABLE sessions;

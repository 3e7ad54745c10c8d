-- The team server's schema: projects with their tracker counters, the tracker's rows, and tokens.
-- Every write to a project's tree locks its projects row and bumps `version`; each item row keeps
-- the version that last wrote it (or its notes or claim), so a server refreshes its snapshot with
-- only the rows changed since the version it holds.

-- Up Migration

CREATE TABLE projects (
  id text PRIMARY KEY,
  name text NOT NULL,
  id_prefix text NOT NULL,
  next_id integer NOT NULL DEFAULT 1,
  version bigint NOT NULL DEFAULT 0,
  -- The version that last changed the dependencies: they are reloaded whole, and only then.
  dependencies_version bigint NOT NULL DEFAULT 0,
  -- The version that rewrote the items whole (a change that removed or reordered some): readers reload.
  items_rewritten_version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);

CREATE TABLE items (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id text NOT NULL,
  -- Position in the tracker's list of items (creation order): lists and trees follow it.
  seq integer NOT NULL,
  type text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  status text NOT NULL,
  priority integer NOT NULL,
  labels text[] NOT NULL,
  parent text,
  "order" double precision,
  mvp boolean NOT NULL,
  source jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  closed_at timestamptz,
  changed_in bigint NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX items_changed_in ON items (project_id, changed_in);

CREATE TABLE notes (
  project_id text NOT NULL,
  item text NOT NULL,
  seq integer NOT NULL,
  author text NOT NULL,
  at timestamptz NOT NULL,
  text text NOT NULL,
  PRIMARY KEY (project_id, item, seq),
  FOREIGN KEY (project_id, item) REFERENCES items (project_id, id) ON DELETE CASCADE
);

CREATE TABLE claims (
  project_id text NOT NULL,
  item text NOT NULL,
  actor text NOT NULL,
  claimed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, item),
  FOREIGN KEY (project_id, item) REFERENCES items (project_id, id) ON DELETE CASCADE
);

CREATE TABLE dependencies (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  "from" text NOT NULL,
  "to" text NOT NULL,
  type text NOT NULL,
  origin text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Their order in the tracker: the version that added each edge, then its place in that change.
  added_in bigint NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (project_id, "from", "to", type)
);

CREATE TABLE tokens (
  id text PRIMARY KEY,
  "user" text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'member', 'agent', 'viewer')),
  project text,
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  revoked_at timestamptz
);

-- Times travel as ISO 8601 in UTC with milliseconds, the form the core writes (Date.toISOString).
CREATE FUNCTION sdd_iso(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- Down Migration

DROP FUNCTION sdd_iso(timestamptz);
DROP TABLE tokens;
DROP TABLE dependencies;
DROP TABLE claims;
DROP TABLE notes;
DROP TABLE items;
DROP TABLE projects;

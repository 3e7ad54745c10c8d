-- The team context: every version of each context document (constitution, product, tech-stack,
-- workflow, ...) of a project, with its author. Versions are only ever added; the primary key makes
-- two saves of the same next version at once one success and one conflict.

-- Up Migration

CREATE TABLE context_versions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  text text NOT NULL,
  author text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (project_id, name, version)
);

-- Down Migration

DROP TABLE context_versions;

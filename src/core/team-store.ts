// What a team server keeps beside each project's tracker: the projects themselves, the access
// tokens and the recorded sessions. Two implementations: a data folder of lowdb files
// (src/store/lowdb-team-store.ts) and PostgreSQL (src/store/postgres/). The core sees only this port.

import type { ContextLog } from './context-log.js';
import type { LiveRelay } from './live-relay.js';
import type { SessionStore } from './session-store.js';
import type { Store } from './store.js';

export const ROLES = ['admin', 'member', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A project's id travels in URLs and names a file on lowdb: letters, digits, `.`, `_`, `-`; no `..`. */
export const PROJECT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export interface ProjectRecord {
  id: string;
  /** What people call it: the clone's folder name at `sdd remote set`, unless told otherwise. */
  name: string;
  /** Ids of its items start with this: `sd` makes sd-1, sd-2... */
  idPrefix: string;
  createdAt: string;
  createdBy: string;
}

export interface TokenRecord {
  /** Public part of the token, shown by `token list`; the secret is never stored. */
  id: string;
  user: string;
  role: Role;
  /** The one project the token may reach, or null for all of them. */
  project: string | null;
  /** SHA-256 of the token's secret, hex. */
  secretHash: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export interface TeamStore {
  listProjects(): Promise<ProjectRecord[]>;
  getProject(id: string): Promise<ProjectRecord | null>;
  /** Throws AlreadyExistsError when a project with that id exists. */
  createProject(project: ProjectRecord): Promise<ProjectRecord>;
  /** The tracker of an existing project (callers check that it exists first). */
  trackerStore(projectId: string): Store;
  /** The recorded sessions of an existing project (callers check that it exists first). */
  sessionStore(projectId: string): SessionStore;
  /** The team context of an existing project, every version kept (callers check that it exists first). */
  contextLog(projectId: string): ContextLog;

  addToken(token: TokenRecord): Promise<void>;
  /**
   * Adds `token` only when the store holds no token at all, in one atomic step (two servers
   * starting at once on one database create one admin token, not two). Returns whether it did.
   */
  addFirstToken(token: TokenRecord): Promise<boolean>;
  getToken(id: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  /** Throws NotFoundError for an unknown id; revoking twice keeps the first time. */
  revokeToken(id: string, at: string): Promise<TokenRecord>;

  /** Where several server processes on one store share live sessions; none for a single process. */
  liveRelay?(): Promise<LiveRelay>;

  close(): Promise<void>;
}

// A team server's data folder: team.json holds the projects and the access tokens (hashes only),
// projects/<id>.json each project's tracker, one lowdb file apiece, sessions/<id>/ its recorded
// sessions and context/<id>.json its team context. Zero set-up for a small team.

import { join } from 'node:path';
import type { ContextLog } from '../core/context-log.js';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../core/errors.js';
import type { SessionStore } from '../core/session-store.js';
import type { Store } from '../core/store.js';
import {
  PROJECT_ID_PATTERN,
  type ProjectRecord,
  type TeamStore,
  type TokenRecord,
} from '../core/team-store.js';
import { damagedFileError } from './backup.js';
import { LowdbContextLog } from './context/lowdb-context-log.js';
import { JsonDocument } from './json-document.js';
import { LowdbStore } from './lowdb-store.js';
import { LowdbSessionStore } from './sessions/lowdb-session-store.js';

interface TeamData {
  schema: 1;
  projects: ProjectRecord[];
  tokens: TokenRecord[];
}

const PROJECT_ID = new RegExp(PROJECT_ID_PATTERN);

export class LowdbTeamStore implements TeamStore {
  private readonly team: JsonDocument<TeamData>;
  private readonly trackers = new Map<string, LowdbStore>();
  private readonly sessions = new Map<string, LowdbSessionStore>();
  private readonly contexts = new Map<string, LowdbContextLog>();

  constructor(readonly dataDir: string) {
    const path = join(dataDir, 'team.json');
    this.team = new JsonDocument<TeamData>(path, {
      empty: () => ({ schema: 1, projects: [], tokens: [] }),
      check: (data) => checkTeamData(data, path),
      keepSnapshot: true,
    });
  }

  async listProjects(): Promise<ProjectRecord[]> {
    return (await this.team.read()).projects;
  }

  async getProject(id: string): Promise<ProjectRecord | null> {
    return (await this.team.read()).projects.find((p) => p.id === id) ?? null;
  }

  async createProject(project: ProjectRecord): Promise<ProjectRecord> {
    checkProjectId(project.id);
    if (await this.getProject(project.id)) throw projectExists(project.id);
    // The tracker file is made first, with the project's id prefix: a project listed in team.json
    // always has one, and an empty file left by a failed creation is harmless.
    await new LowdbStore(this.trackerPath(project.id), project.idPrefix).update(() => undefined);
    return this.team.update((data) => {
      if (data.projects.some((p) => p.id === project.id)) throw projectExists(project.id);
      data.projects.push(project);
      return project;
    });
  }

  trackerStore(projectId: string): Store {
    let store = this.trackers.get(projectId);
    if (!store) {
      // The id prefix given here is never used: createProject made the file with the project's own.
      store = new LowdbStore(this.trackerPath(projectId), 'sd', { keepSnapshot: true });
      this.trackers.set(projectId, store);
    }
    return store;
  }

  /** sessions/<project>/<id>/: one folder per session (src/store/sessions/lowdb-session-store.ts). */
  sessionStore(projectId: string): SessionStore {
    let store = this.sessions.get(projectId);
    if (!store) {
      store = new LowdbSessionStore(join(this.dataDir, 'sessions', checkProjectId(projectId)));
      this.sessions.set(projectId, store);
    }
    return store;
  }

  /** context/<project>.json: every version of its context documents. */
  contextLog(projectId: string): ContextLog {
    let log = this.contexts.get(projectId);
    if (!log) {
      log = new LowdbContextLog(join(this.dataDir, 'context', `${checkProjectId(projectId)}.json`));
      this.contexts.set(projectId, log);
    }
    return log;
  }

  private trackerPath(projectId: string): string {
    return join(this.dataDir, 'projects', `${checkProjectId(projectId)}.json`);
  }

  async addToken(token: TokenRecord): Promise<void> {
    await this.team.update((data) => {
      data.tokens.push(token);
    });
  }

  addFirstToken(token: TokenRecord): Promise<boolean> {
    return this.team.update((data) => {
      if (data.tokens.length > 0) return false;
      data.tokens.push(token);
      return true;
    });
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    return (await this.team.read()).tokens.find((t) => t.id === id) ?? null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.team.read()).tokens;
  }

  revokeToken(id: string, at: string): Promise<TokenRecord> {
    return this.team.update((data) => {
      const token = data.tokens.find((t) => t.id === id);
      if (!token) throw new NotFoundError(`No token "${id}" on this server (see \`sdd server token list\`).`);
      token.revokedAt ??= at;
      return token;
    });
  }

  async close(): Promise<void> {
    this.trackers.clear();
    this.sessions.clear();
    this.contexts.clear();
  }
}

function projectExists(id: string): AlreadyExistsError {
  return new AlreadyExistsError(`A project "${id}" exists on this server already.`, { project: id });
}

export function checkProjectId(id: string): string {
  if (!PROJECT_ID.test(id) || id.includes('..')) {
    throw new InvalidInputError(
      `A project id is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${id}".`,
    );
  }
  return id;
}

async function checkTeamData(data: TeamData, path: string): Promise<TeamData> {
  if (typeof data.schema === 'number' && data.schema !== 1) {
    throw new InvalidInputError(`${path} is from another version of sdd (schema ${data.schema}).`);
  }
  if (data.schema !== 1 || !Array.isArray(data.projects) || !Array.isArray(data.tokens)) {
    throw await damagedFileError(path, 'it is not an sdd server file: no schema, projects or tokens');
  }
  return data;
}

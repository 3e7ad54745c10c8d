// The sessions a clone of a linked project sees: its own spool first, and on the team server the
// sessions teammates recorded. Writes go to the spool (the upload carries them to the server);
// reads of a session this clone never recorded go to the server. With the server unreachable, the
// clone's own sessions are still listed, and the caller is told once.

import { NotFoundError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import type { SessionFileInfo, SessionFilter, SessionStore } from '../core/session-store.js';
import type { LocalSessionStore } from './local-session-store.js';

export class TeamSessionStore implements SessionStore {
  constructor(
    readonly local: LocalSessionStore,
    private readonly server: SessionStore,
    private readonly warn: (message: string) => void,
  ) {}

  async list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const { limit, ...rest } = filter;
    const mine = await this.local.list(rest);
    let theirs: SessionRecord[] = [];
    try {
      theirs = await this.server.list(rest);
    } catch (error) {
      this.warn(`sdd: warning: only this clone's sessions are listed: ${(error as Error).message}`);
    }
    const byId = new Map(theirs.map((r) => [r.id, r]));
    for (const record of mine) byId.set(record.id, record); // the spool is the source of truth
    const all = [...byId.values()].sort(
      (a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id),
    );
    return limit === undefined ? all : all.slice(0, limit);
  }

  async get(id: string): Promise<SessionRecord> {
    try {
      return await this.local.get(id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
    }
    return this.server.get(id).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'NOT_FOUND') {
        throw new NotFoundError(
          `No session "${id}" here or on the team server; \`sdd sessions\` lists them.`,
        );
      }
      throw error;
    });
  }

  putRecord(record: SessionRecord): Promise<void> {
    return this.local.putRecord(record);
  }

  appendFile(id: string, name: string, offset: number, bytes: Uint8Array): Promise<number> {
    return this.local.appendFile(id, name, offset, bytes);
  }

  async listFiles(id: string): Promise<SessionFileInfo[]> {
    return (await this.isMine(id)) ? this.local.listFiles(id) : this.server.listFiles(id);
  }

  async readFile(id: string, name: string, offset?: number, length?: number): Promise<Uint8Array> {
    return (await this.isMine(id))
      ? this.local.readFile(id, name, offset, length)
      : this.server.readFile(id, name, offset, length);
  }

  /** The file's path on this machine when the session was recorded here, else null. */
  async localPath(id: string, name: string): Promise<string | null> {
    return (await this.isMine(id)) ? this.local.filePath(id, name) : null;
  }

  private async isMine(id: string): Promise<boolean> {
    try {
      await this.local.get(id);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'NOT_FOUND') return false;
      throw error;
    }
  }
}

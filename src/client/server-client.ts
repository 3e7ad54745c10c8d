// Calls about the server rather than one project's tracker: who a token is, the projects, push.

import type { Principal } from '../core/access.js';
import type { ProjectRecord } from '../core/team-store.js';
import type { TrackerData } from '../core/types.js';
import { connectionOf, requestJson, type ServerConnection } from './http-json.js';

export class ServerClient {
  private readonly connection: ServerConnection;

  constructor(options: { url: string; token: string | null; timeoutMs?: number }) {
    this.connection = connectionOf(options);
  }

  whoami(): Promise<Principal> {
    return requestJson(this.connection, { method: 'GET', path: '/api/v1/whoami' });
  }

  listProjects(): Promise<ProjectRecord[]> {
    return requestJson(this.connection, { method: 'GET', path: '/api/v1/projects' });
  }

  /** null when there is none (or the token may not see it: the server does not say which). */
  async getProject(id: string): Promise<ProjectRecord | null> {
    try {
      return await requestJson<ProjectRecord>(this.connection, {
        method: 'GET',
        path: `/api/v1/projects/${encodeURIComponent(id)}`,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  createProject(project: { id: string; name: string; idPrefix: string }): Promise<ProjectRecord> {
    return requestJson(this.connection, { method: 'POST', path: '/api/v1/projects', body: project });
  }

  pushProject(id: string, data: TrackerData): Promise<{ items: number; dependencies: number }> {
    return requestJson(this.connection, {
      method: 'POST',
      path: `/api/v1/projects/${encodeURIComponent(id)}/push`,
      body: {
        nextId: data.nextId,
        items: data.items,
        dependencies: data.dependencies,
        ...(data.decisions?.length && { decisions: data.decisions }),
      },
      // a large tracker takes a while to write on the server
    }).then((r) => r as { items: number; dependencies: number });
  }
}

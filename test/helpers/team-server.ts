// A real team server on a loopback port for tests, over any TeamStore, with an admin token and
// helpers to make projects and tokens of other roles.

import { randomUUID } from 'node:crypto';
import { newToken } from '../../src/auth/tokens.js';
import { RemoteService } from '../../src/client/remote-service.js';
import type { Role, TeamStore } from '../../src/core/team-store.js';
import { type RunningServer, type ServerOptions, startServer } from '../../src/server/start.js';

export interface TestServer {
  server: RunningServer;
  url: string;
  team: TeamStore;
  adminToken: string;
  /** A new project; its id is returned. */
  createProject(idPrefix?: string): Promise<string>;
  token(role: Role, project?: string | null, user?: string): Promise<string>;
  service(projectId: string, token?: string): RemoteService;
  close(): Promise<void>;
}

export async function startTestServer(
  team: TeamStore,
  log?: (line: string) => void,
  options: Partial<ServerOptions> = {},
): Promise<TestServer> {
  const admin = newToken({ user: 'admin', role: 'admin', project: null, createdBy: 'test' });
  await team.addToken(admin.record);
  const server = await startServer({ team, host: '127.0.0.1', port: 0, ...(log && { log }), ...options });
  return {
    server,
    url: server.url,
    team,
    adminToken: admin.token,
    async createProject(idPrefix = 'sd') {
      const id = randomUUID();
      await team.createProject({
        id,
        name: `p-${id.slice(0, 4)}`,
        idPrefix,
        createdAt: new Date().toISOString(),
        createdBy: 'test',
      });
      return id;
    },
    async token(role, project = null, user = `${role}-user`) {
      const made = newToken({ user, role, project, createdBy: 'test' });
      await team.addToken(made.record);
      return made.token;
    },
    service(projectId, token = admin.token) {
      return new RemoteService({ url: server.url, projectId, token });
    },
    close: () => server.close(),
  };
}

// One real team server on lowdb in a temp data folder for a test file, and a project seeded with
// an epic, a feature and tasks, made through the API by the admin.

import { join } from 'node:path';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { Seed } from './endpoints.js';

export interface ServerFixture {
  server: TestServer;
  dataDir: string;
  /** A new project with an epic, a feature, two tasks and a recorded session. */
  seed(): Promise<Seed>;
  close(): Promise<void>;
}

export async function startServerFixture(): Promise<ServerFixture> {
  const dir = await makeTempDir('sdd-server-');
  const dataDir = join(dir.path, 'data');
  const server = await startTestServer(new LowdbTeamStore(dataDir));
  return {
    server,
    dataDir,
    async seed() {
      const project = await server.createProject();
      const service = server.service(project);
      const epic = await service.createItem({ type: 'epic', title: 'Epic' }, 'admin');
      const feature = await service.createItem(
        { type: 'feature', title: 'Feature', parent: epic.id },
        'admin',
      );
      const task = await service.createItem({ title: 'Task', parent: feature.id }, 'admin');
      const other = await service.createItem({ title: 'Other', parent: feature.id }, 'admin');
      const session = sessionRecord({ itemId: task.id });
      const sessions = server.team.sessionStore(project);
      await sessions.putRecord(session);
      await sessions.appendFile(session.id, 'terminal.cast', 0, Buffer.from('{"version":2}\n'));
      await server.team.contextLog(project).putContext('product', '# Product\n', 'admin', 0);
      return {
        project,
        epic: epic.id,
        feature: feature.id,
        task: task.id,
        other: other.id,
        session: session.id,
      };
    },
    async close() {
      await server.close();
      await dir.remove();
    },
  };
}

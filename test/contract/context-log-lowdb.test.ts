// The ContextLog contract on a team server's data folder (lowdb), and through HTTP to a server on it.

import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RemoteContextLog } from '../../src/client/remote-context-log.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeContextLogContract } from './context-log-contract.js';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let server: TestServer;

beforeAll(async () => {
  dir = await makeTempDir();
  server = await startTestServer(new LowdbTeamStore(join(dir.path, 'data')));
});
afterAll(async () => {
  await server.close();
  await dir.remove();
});

describeContextLogContract('lowdb data folder', async () => {
  const projectId = await server.createProject();
  return { log: server.team.contextLog(projectId), close: async () => undefined };
});

describeContextLogContract('remote (server on lowdb)', async () => {
  const projectId = await server.createProject();
  const log = new RemoteContextLog({ url: server.url, projectId, token: server.adminToken });
  return { log, close: async () => undefined };
});

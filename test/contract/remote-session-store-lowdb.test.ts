// The SessionStore contract over HTTP: RemoteSessionStore to a real team server on a loopback port,
// on the lowdb data folder, one fresh project per test.

import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeSessionStoreContract } from './session-store-contract.js';

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

describeSessionStoreContract('remote (server on lowdb)', async () => {
  const projectId = await server.createProject();
  const store = new RemoteSessionStore({ url: server.url, projectId, token: server.adminToken });
  return { store, close: async () => undefined };
});

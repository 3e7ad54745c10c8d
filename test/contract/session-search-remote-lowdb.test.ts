// The session search contract over HTTP: a real team server on the lowdb data folder answers it.

import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RemoteSessionSearch } from '../../src/client/remote-session-search.js';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeSessionSearchContract } from './session-search-contract.js';

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

describeSessionSearchContract('remote (server on lowdb)', async () => {
  const projectId = await server.createProject();
  const connection = { url: server.url, projectId, token: server.adminToken };
  return {
    store: new RemoteSessionStore(connection),
    search: new RemoteSessionSearch(connection),
    service: server.service(projectId),
    close: async () => undefined,
  };
});

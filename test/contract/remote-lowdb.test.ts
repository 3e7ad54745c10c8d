// The contract suite against the Service over HTTP: a real team server on a loopback port, on the
// lowdb data folder, one fresh project per test.

import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeServiceContract } from './service-contract.js';

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

describeServiceContract('remote (server on lowdb)', async () => {
  const projectId = await server.createProject();
  return { service: server.service(projectId), close: async () => undefined };
});

// The ContextLog contract on PostgreSQL, and through HTTP to a server on it.

import { afterAll, beforeAll } from 'vitest';
import { RemoteContextLog } from '../../src/client/remote-context-log.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { describeContextLogContract } from './context-log-contract.js';

let database: PostgresDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await postgresDatabase();
  server = await startTestServer(await openPostgresTeamStore(database.url));
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

describeContextLogContract('PostgreSQL', async () => {
  const projectId = await server.createProject();
  return { log: server.team.contextLog(projectId), close: async () => undefined };
});

describeContextLogContract('remote (server on PostgreSQL)', async () => {
  const projectId = await server.createProject();
  const log = new RemoteContextLog({ url: server.url, projectId, token: server.adminToken });
  return { log, close: async () => undefined };
});

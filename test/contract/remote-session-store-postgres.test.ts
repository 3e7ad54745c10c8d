// The SessionStore contract over HTTP to a team server on a real PostgreSQL.

import { afterAll, beforeAll } from 'vitest';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { describeSessionStoreContract } from './session-store-contract.js';

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

describeSessionStoreContract('remote (server on PostgreSQL)', async () => {
  const projectId = await server.createProject();
  const store = new RemoteSessionStore({ url: server.url, projectId, token: server.adminToken });
  return { store, close: async () => undefined };
});

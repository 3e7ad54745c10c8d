// The session search contract over HTTP to a team server on a real PostgreSQL.

import { afterAll, beforeAll } from 'vitest';
import { RemoteSessionSearch } from '../../src/client/remote-session-search.js';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { describeSessionSearchContract } from './session-search-contract.js';

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

describeSessionSearchContract('remote (server on PostgreSQL)', async () => {
  const projectId = await server.createProject();
  const connection = { url: server.url, projectId, token: server.adminToken };
  return {
    store: new RemoteSessionStore(connection),
    search: new RemoteSessionSearch(connection),
    service: server.service(projectId),
    close: async () => undefined,
  };
});

// The contract suite against the Service over HTTP to a team server on a real PostgreSQL: the third
// of the three Services (embedded lowdb, remote on lowdb, remote on PostgreSQL).

import { afterAll, beforeAll } from 'vitest';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { describeServiceContract } from './service-contract.js';

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

describeServiceContract('remote (server on PostgreSQL)', async () => {
  const projectId = await server.createProject();
  return { service: server.service(projectId), close: async () => undefined };
});

// The contract suite against the embedded Service over the PostgreSQL store, as a team server runs it
// with --database: a real PostgreSQL, one database for the file, a fresh project for each test.

import { afterAll, beforeAll } from 'vitest';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { describeServiceContract } from './service-contract.js';

let database: PostgresDatabase;
let projects = 0;
beforeAll(async () => {
  database = await postgresDatabase();
});
afterAll(() => database.drop());

describeServiceContract('embedded (PostgreSQL)', async () => {
  const team = await openPostgresTeamStore(database.url);
  const id = `contract-${++projects}`;
  await team.createProject({
    id,
    name: id,
    idPrefix: 'sd',
    createdAt: new Date().toISOString(),
    createdBy: 'tester',
  });
  const service = new EmbeddedService(team.trackerStore(id));
  return {
    service,
    close: () => team.close(),
  };
});

// The team server as a process of its own for bench/server.mjs: the built startServer over a lowdb
// data folder or PostgreSQL, with an admin token made for the bench. Prints one JSON line,
// { url, token }, when it listens; closes on SIGTERM.
//
//   node bench/server-process.mjs --data DIR | --database postgres://...
//
// The benches start it bundled into one file (bench/server-bundle.mjs): the same code, a quicker start.

import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { data: { type: 'string' }, database: { type: 'string' } } });
const { startServer } = await import('../dist/src/server/start.js');
const { newToken } = await import('../dist/src/auth/tokens.js');
let team;
if (values.database) {
  const { openPostgresTeamStore } = await import('../dist/src/store/postgres/postgres-team-store.js');
  team = await openPostgresTeamStore(values.database);
} else {
  const { LowdbTeamStore } = await import('../dist/src/store/lowdb-team-store.js');
  team = new LowdbTeamStore(values.data);
}
const admin = newToken({ user: 'bench', role: 'admin', project: null, createdBy: 'bench' });
await team.addToken(admin.record);
const server = await startServer({ team, host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, token: admin.token })}\n`);
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});

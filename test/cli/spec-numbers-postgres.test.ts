// Feature numbers when the team runs two server processes on one PostgreSQL database: clones on
// either server, specifying at once, never get the same number (the reservation is one transaction
// in the database, not a lock in one process).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { git, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

describe('feature numbers on two servers sharing one PostgreSQL database', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let db: PostgresDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    dir = await makeTempDir('sdd-numbers-pg-');
    db = await postgresDatabase();
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await db?.drop();
    await dir?.remove();
  });

  it('hands out distinct numbers to clones on either server at once', async () => {
    const home = join(dir.path, 'server-home');
    servers.push(await startServerProcess(home, ['--database', db.url]));
    servers.push(await startServerProcess(home, ['--database', db.url]));
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const token = first.firstToken!;
    const person = (name: string) =>
      userEnv(join(dir.path, `home-${name}`), { SDD_TOKEN: token, SDD_ACTOR: name });
    const alice = { cwd: join(dir.path, 'alice'), env: person('alice') };
    await mkdir(alice.cwd);
    git(alice.cwd, ['init', '-q', '-b', 'main']);
    git(alice.cwd, ['config', 'user.name', 'Alice']);
    git(alice.cwd, ['config', 'user.email', 'alice@example.com']);
    await writeFile(join(alice.cwd, 'README.md'), '# albums\n');
    sddJson(alice.cwd, ['init'], alice.env);
    expect(sdd(alice.cwd, ['remote', 'set', first.url], alice.env).code).toBe(0);
    git(alice.cwd, ['add', '.']);
    git(alice.cwd, ['commit', '-qm', 'linked']);
    const bob = { cwd: join(dir.path, 'bob'), env: person('bob') };
    git(dir.path, ['clone', '-q', '--no-local', alice.cwd, bob.cwd]);
    const linked = sdd(bob.cwd, ['remote', 'set', second.url], bob.env);
    expect(linked.code, linked.stderr).toBe(0);

    const names = ['albums', 'search', 'tags', 'sharing', 'export', 'import'];
    const runs = await Promise.all(
      names.map((name, i) => {
        const who = i % 2 === 0 ? alice : bob;
        return sddAsync(who.cwd, ['specify', '--here', '--no-branch', '--json', `${name} feature`], who.env);
      }),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const keys = runs.map((run) => JSON.parse(run.stdout).epic.key as string);
    expect(keys.map((k) => k.slice(0, 3)).sort()).toEqual(['001', '002', '003', '004', '005', '006']);
    // Both servers see all of them.
    for (const who of [alice, bob]) {
      const epics = sddJson<{ source: { epicKey: string } }[]>(who.cwd, ['list', '--type', 'epic'], who.env);
      expect(epics.map((e) => e.source.epicKey).sort()).toEqual([...keys].sort());
    }
  }, 180_000);
});

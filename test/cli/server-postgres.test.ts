// sdd server and its token commands on PostgreSQL (--database), with a real PostgreSQL: the first
// start's admin token, tokens made with no server running, and a clone working through it.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

describe('sdd server --database', () => {
  let dir: { path: string; remove(): Promise<void> };
  let db: PostgresDatabase;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-server-pg-');
    db = await postgresDatabase();
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
    await dir?.remove();
  });

  it('makes the admin token once, takes tokens made offline, and serves a clone', async () => {
    const home = join(dir.path, 'home');
    server = await startServerProcess(home, ['--database', db.url]);
    const admin = server.firstToken!;
    expect(admin).toMatch(/^sdd_/);
    expect(server.output()).toContain('PostgreSQL postgres://postgres@127.0.0.1');
    expect(await server.stop()).toBe(0);

    const made = sddJson<{ id: string; token: string }>(
      dir.path,
      ['server', 'token', 'create', '--database', db.url, '--user', 'mel'],
      userEnv(home),
    );
    const listed = sddJson<{ id: string; user: string }[]>(
      dir.path,
      ['server', 'token', 'list', '--database', db.url],
      userEnv(home),
    );
    expect(listed.map((t) => t.user).sort()).toEqual(['admin', 'mel']);

    server = await startServerProcess(home, ['--database', db.url]);
    expect(server.firstToken).toBeNull();
    const env = userEnv(home, { SDD_TOKEN: made.token });
    const clone = join(dir.path, 'clone');
    await mkdir(clone);
    git(clone, ['init', '-q']);
    sddJson(clone, ['init'], env);
    expect(sdd(clone, ['remote', 'set', server.url], env).code).toBe(0);
    const task = sddJson<Item>(clone, ['create', 'On PostgreSQL'], env);
    expect(sddJson<Item[]>(clone, ['list'], env).map((i) => i.id)).toEqual([task.id]);
    expect(
      sdd(dir.path, ['server', 'token', 'revoke', made.id, '--database', db.url], userEnv(home)).code,
    ).toBe(0);
    expect(sdd(clone, ['list'], env).code).toBe(10);
  }, 120_000);

  it('says when PostgreSQL cannot be reached, hiding the password', () => {
    const result = sdd(dir.path, [
      'server',
      'token',
      'list',
      '--database',
      'postgres://u:secret@127.0.0.1:1/x',
    ]);
    expect(result.code).toBe(11);
    expect(result.stderr).not.toContain('secret');
    expect(result.stderr).toContain('127.0.0.1:1');
  }, 60_000);
});

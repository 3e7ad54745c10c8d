// sdd server as a team runs it: the first start's admin token shown once, tokens made on the store
// with no server running, a port in use, and a graceful stop that keeps every acknowledged write.

import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseToken } from '../../src/auth/tokens.js';
import { git, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

describe('sdd server', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: string;
  let data: string;
  let server: ServerProcess | null = null;

  beforeEach(async () => {
    dir = await makeTempDir('sdd-server-');
    home = join(dir.path, 'home');
    data = join(dir.path, 'data');
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = null;
    await dir.remove();
  });

  it('shows an admin token on its first start only, and keeps only its hash', async () => {
    server = await startServerProcess(home, ['--data', data]);
    const token = server.firstToken;
    expect(token).not.toBeNull();
    expect(server.output()).toContain(`sdd login ${server.url} --token ${token}`);
    expect(await server.stop()).toBe(0);
    const stored = await readFile(join(data, 'team.json'), 'utf8');
    // The whole secret: base64url, so it may hold a `_` of its own.
    const secret = parseToken(token!)!.secret;
    expect(secret.length).toBeGreaterThan(20);
    expect(stored).not.toContain(secret);

    server = await startServerProcess(home, ['--data', data]);
    expect(server.firstToken).toBeNull();
    const login = sdd(dir.path, ['login', server.url, '--token', token!], userEnv(home));
    expect(login.stderr).toBe('');
    expect(login.stdout).toContain('as admin (admin token)');
  }, 60_000);

  it('uses the XDG data folder when no --data is given', async () => {
    server = await startServerProcess(home);
    expect(server.output()).toContain(join(home, '.local', 'share', 'sdd', 'server'));
  }, 30_000);

  it('creates, lists and revokes tokens on the store with no server running', async () => {
    const env = userEnv(home);
    const made = sddJson<{ id: string; token: string; role: string; user: string; secretHash?: string }>(
      dir.path,
      ['server', 'token', 'create', '--data', data, '--user', 'ada', '--role', 'agent', '--project', 'p1'],
      env,
    );
    expect(made).toMatchObject({ user: 'ada', role: 'agent', project: 'p1', revokedAt: null });
    expect(made.token).toMatch(new RegExp(`^sdd_${made.id}_`));
    expect(made.secretHash).toBeUndefined();
    const member = sdd(dir.path, ['server', 'token', 'create', '--user', 'bob', '--data', data], env);
    expect(member.stdout).toContain('a member token for bob');
    expect(member.stdout).toMatch(/sdd_[a-f0-9]{12}_\S{43}/);

    const listed = sdd(dir.path, ['server', 'token', 'list', '--data', data], env);
    expect(listed.stdout).toMatch(new RegExp(`${made.id}\\s+ada\\s+agent\\s+p1\\s+\\S+ \\S+\\s+active`));
    expect(listed.stdout).toContain('bob');
    expect(listed.stdout).not.toContain(made.token);
    const json = sddJson<Record<string, unknown>[]>(
      dir.path,
      ['server', 'token', 'list', '--data', data],
      env,
    );
    expect(json).toHaveLength(2);
    for (const t of json) expect(t).not.toHaveProperty('secretHash');

    const revoked = sdd(dir.path, ['server', 'token', 'revoke', made.id, '--data', data], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked token ${made.id} of ada`);
    expect(sdd(dir.path, ['server', 'token', 'list', '--data', data], env).stdout).toMatch(
      new RegExp(`${made.id}.*revoked`),
    );
    const unknown = sdd(dir.path, ['server', 'token', 'revoke', '000000000000', '--data', data], env);
    expect(unknown.code).toBe(3);

    // A token made there reaches a server started on the folder; a revoked one does not.
    server = await startServerProcess(home, ['--data', data]);
    expect(server.firstToken).toBeNull(); // the store already had tokens: no admin token is made
    expect(sdd(dir.path, ['login', server.url, '--token', made.token], env).code).toBe(10);
  }, 60_000);

  it('refuses a bad role, naming the roles', () => {
    const result = sdd(dir.path, [
      'server',
      'token',
      'create',
      '--data',
      data,
      '--user',
      'x',
      '--role',
      'boss',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('admin');
    expect(result.stderr).toContain('viewer');
  });

  it('says so when its port is in use, and exits non-zero', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = sdd(dir.path, ['server', '--data', data, '--port', String(port)], userEnv(home));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('on SIGTERM during a burst of writes, finishes them: every acknowledged one is there', async () => {
    server = await startServerProcess(home, ['--data', data]);
    const env = userEnv(home, { SDD_TOKEN: server.firstToken! });
    const project = join(dir.path, 'clone');
    await mkdir(project);
    git(project, ['init', '-q']);
    sddJson(project, ['init'], env);
    expect(sdd(project, ['remote', 'set', server.url], env).code).toBe(0);

    const creates = () => server!.output().match(/POST \S+\/items 201/g)?.length ?? 0;
    const burst = Array.from({ length: 16 }, (_, i) =>
      sddAsync(project, ['create', `task ${i}`, '--json'], env),
    );
    // Stop once the first writes have reached it, while the others are in flight or still coming.
    const started = Date.now();
    while (creates() < 3 && Date.now() - started < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toContain('sdd server stopped.');
    const results = await Promise.all(burst);
    const acknowledged = results
      .filter((r) => r.code === 0)
      .map((r) => (JSON.parse(r.stdout) as { id: string }).id);
    expect(acknowledged.length).toBeGreaterThanOrEqual(3);
    for (const r of results.filter((r) => r.code !== 0)) expect(r.code).toBe(11); // unreachable, not a crash

    // The same port again: the clone's config.json names the server's URL.
    server = await startServerProcess(home, ['--data', data, '--port', new URL(server.url).port]);
    const listed = sddJson<{ id: string }[]>(project, ['list'], env).map((i) => i.id);
    for (const id of acknowledged) expect(listed).toContain(id);
  }, 120_000);

  it('explains itself and its token commands in --help', () => {
    const help = sdd(dir.path, ['server', '--help']).stdout;
    expect(help).toContain('--database <url>');
    expect(help).toContain('admin token');
    expect(help).toContain('sdd login');
    const create = sdd(dir.path, ['server', 'token', 'create', '--help']).stdout;
    expect(create).toContain('--role <role>');
    expect(create).toContain('only its hash is kept');
  });
});

// sdd login and logout against a real server: a good token is kept (0600, in a 0700 folder, other
// servers' entries kept), a bad one, a bad URL or an unreachable server saves nothing.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

describe('sdd login', () => {
  let dir: { path: string; remove(): Promise<void> };
  let server: ServerProcess;
  let admin: string;
  let n = 0;
  /** A fresh user for each test. */
  const newHome = () => join(dir.path, `home-${++n}`);
  const credentialsOf = (home: string) => join(home, '.config', 'sdd', 'credentials.json');

  beforeAll(async () => {
    dir = await makeTempDir('sdd-login-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    admin = server.firstToken!;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('keeps a good token in a private file, beside the entries of other servers', async () => {
    const home = newHome();
    const path = credentialsOf(home);
    await mkdir(join(home, '.config', 'sdd'), { recursive: true });
    const other = { token: 'sdd_aaaaaaaaaaaa_x', user: 'me', savedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(path, JSON.stringify({ servers: { 'https://other.example': other } }));
    const result = sdd(dir.path, ['login', `${server.url}/`, '--token', admin], userEnv(home));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${server.url} as admin`);
    expect(result.stdout).toContain(path);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.servers['https://other.example']).toEqual(other);
    expect(saved.servers[server.url]).toMatchObject({ token: admin, user: 'admin' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, '.config', 'sdd'))).mode & 0o777).toBe(0o700);
  });

  it('reads the token from a pipe when --token is not given', () => {
    const home = newHome();
    const result = spawnSync(process.execPath, [SDD_BIN, 'login', server.url, '--json'], {
      input: `${admin}\n`,
      encoding: 'utf8',
      env: { ...process.env, ...userEnv(home), SDD_TOKEN: '' },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ url: server.url, user: 'admin', role: 'admin' });
    expect(existsSync(credentialsOf(home))).toBe(true);
  });

  it('at a terminal, asks for the token without echoing it', async () => {
    const home = newHome();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, ...userEnv(home) })) {
      if (value !== undefined) env[key] = value;
    }
    const pty = spawnPty(process.execPath, [SDD_BIN, 'login', server.url], { cols: 200, rows: 24, env });
    let screen = '';
    pty.onData((d) => {
      screen += d;
    });
    const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
    const started = Date.now();
    while (!screen.includes('Token for') && Date.now() - started < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    pty.write(`${admin}\r`);
    expect(await exited).toBe(0);
    expect(screen).toContain(`Token for ${server.url}: `);
    expect(screen).toContain('Logged in');
    expect(screen).not.toContain(admin.slice(4, 20));
    expect(JSON.parse(await readFile(credentialsOf(home), 'utf8')).servers[server.url].token).toBe(admin);
  }, 30_000);

  it('refuses an unknown token (exit 10), a malformed one and a bad URL (exit 2), saving nothing', () => {
    const home = newHome();
    const unknown = sdd(
      dir.path,
      ['login', server.url, '--token', `sdd_000000000000_${'a'.repeat(43)}`],
      userEnv(home),
    );
    expect(unknown.code).toBe(10);
    expect(unknown.stderr).toMatch(/^sdd: /);
    const malformed = sdd(dir.path, ['login', server.url, '--token', 'hunter2'], userEnv(home));
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('not an sdd token');
    const badUrl = sdd(dir.path, ['login', 'localhost:4100', '--token', admin], userEnv(home));
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('http://');
    expect(existsSync(credentialsOf(home))).toBe(false);
  });

  it('says a server cannot be reached (exit 11), saving nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const home = newHome();
    const result = sdd(dir.path, ['login', `http://127.0.0.1:${port}`, '--token', admin], userEnv(home));
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(existsSync(credentialsOf(home))).toBe(false);
  });

  it('explains login and logout in --help', () => {
    const login = sdd(dir.path, ['login', '--help']).stdout;
    expect(login).toContain('--token <token>');
    expect(login).toContain('SDD_TOKEN');
    expect(login).toContain('0600');
    expect(sdd(dir.path, ['logout', '--help']).stdout).toContain('forget the token');
  });

  it('logout forgets the token of one server and keeps the others', async () => {
    const home = newHome();
    sddJson(dir.path, ['login', server.url, '--token', admin], userEnv(home));
    const path = credentialsOf(home);
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.servers['https://other.example'] = { token: 't', user: 'u', savedAt: 's' };
    await writeFile(path, JSON.stringify(file));
    const ambiguous = sdd(dir.path, ['logout'], userEnv(home));
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('say which');
    const out = sdd(dir.path, ['logout', server.url], userEnv(home));
    expect(out.stdout).toContain(`Forgot the token for ${server.url}`);
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')).servers)).toEqual(['https://other.example']);
    expect(sdd(dir.path, ['logout', server.url], userEnv(home)).stdout).toContain('nothing changed');
  });
});

// Sessions to the team server: `sdd run` uploads as it records and at its end; with the server
// down the session completes in the spool, `sdd sessions` marks it, and `sdd sync` sends it later,
// byte-identical; a `sdd sync` killed with -9 is finished by the next one.

import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import type { SessionRecord } from '../../src/core/session.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { git, SDD_BIN, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

type SessionView = SessionRecord & { uploaded?: boolean };

describe('sessions on the team server', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let cwd: string;
  let env: Record<string, string | undefined>;
  let projectId: string;
  let port: string;
  let token: string;

  beforeEach(async () => {
    dir = await makeTempDir('sdd-sync-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    port = new URL(server.url).port;
    token = server.firstToken!;
    env = userEnv(join(dir.path, 'home'), { SDD_TOKEN: token });
    cwd = join(dir.path, 'clone');
    await import('node:fs/promises').then((fs) => fs.mkdir(cwd));
    git(cwd, ['init', '-q', '-b', 'main']);
    git(cwd, ['config', 'user.name', 'Tess']);
    git(cwd, ['config', 'user.email', 'tess@example.com']);
    await writeFile(join(cwd, 'README.md'), '# project\n');
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'initial']);
    sddJson(cwd, ['init'], env);
    expect(sdd(cwd, ['remote', 'set', server.url], env).code).toBe(0);
    projectId = JSON.parse(await readFile(join(cwd, '.sdd', 'config.json'), 'utf8')).projectId;
  }, 60_000);
  afterEach(async () => {
    await server.stop('SIGKILL');
    await dir.remove();
  });

  const remote = () => new RemoteSessionStore({ url: server.url, projectId, token });

  async function expectOnServer(id: string): Promise<void> {
    const local = new LocalSessionStore(cwd);
    const files = await local.listFiles(id);
    expect(files.map((f) => f.name)).toContain('terminal.cast');
    expect(await remote().get(id)).toEqual(await local.get(id));
    for (const file of files) {
      const mine = Buffer.from(await local.readFile(id, file.name));
      const theirs = Buffer.from(await remote().readFile(id, file.name));
      expect(theirs.equals(mine), file.name).toBe(true);
    }
  }

  const newestSession = () => sddJson<SessionView[]>(cwd, ['sessions', '--json'], env)[0]!;

  /** `sdd run` of `command`, with the server stopped while the program runs (after the claim). */
  async function runWhileServerStops(title: string, command: string) {
    const task = sddJson<{ id: string }>(cwd, ['create', title], env);
    const running = sddAsync(cwd, ['run', task.id, '--cmd', `sleep 2; ${command}`], env);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await server.stop('SIGTERM');
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    const restart = () =>
      startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data'), '--port', port]);
    return { result, id: newestSession().id, restart };
  }

  it('uploads a session as sdd run records it, byte-identical, and lists it as uploaded', async () => {
    const task = sddJson<{ id: string }>(cwd, ['create', 'Print a lot'], env);
    const running = sddAsync(
      cwd,
      [
        'run',
        task.id,
        '--cmd',
        'for i in $(seq 1 2000); do echo "line $i of the output"; done; sleep 5; echo end',
      ],
      env,
    );
    // While the program sleeps, the server already holds the running session and its output so far.
    let seenRunning: SessionRecord | null = null;
    for (let i = 0; i < 100 && !seenRunning; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const live = (
        await remote()
          .list()
          .catch(() => [])
      ).find((r) => r.status === 'running');
      const cast = live && (await remote().listFiles(live.id)).find((f) => f.name === 'terminal.cast');
      if (live && cast && cast.size > 20_000) seenRunning = live;
    }
    expect(seenRunning, 'the running session on the server').not.toBeNull();
    expect((await running).code).toBe(0);
    const id = newestSession().id;
    expect(seenRunning!.id).toBe(id);
    await expectOnServer(id);
    const views = sddJson<SessionView[]>(cwd, ['sessions', '--json'], env);
    expect(views.find((v) => v.id === id)?.uploaded).toBe(true);
    expect(sddJson<{ uploaded: unknown[] }>(cwd, ['sync', '--json'], env).uploaded).toEqual([]);
  }, 120_000);

  it('with the server stopped during sdd run, the session completes here; sessions marks it; sync sends it', async () => {
    const { result, id, restart } = await runWhileServerStops(
      'Offline work',
      'echo offline; echo still offline',
    );
    expect(result.stderr).toContain('sdd sync');
    const list = sdd(cwd, ['sessions'], env);
    expect(list.stdout).toContain('(not uploaded)');
    expect(list.stdout).toContain('sdd sync');
    server = await restart();
    const synced = sddJson<{ uploaded: { id: string; bytes: number }[] }>(cwd, ['sync', '--json'], env);
    expect(synced.uploaded.map((u) => u.id)).toContain(id);
    await expectOnServer(id);
    expect(sdd(cwd, ['sessions'], env).stdout).not.toContain('not uploaded');
  }, 120_000);

  it('a sync killed with -9 mid-upload is finished by the next one', async () => {
    const { id, restart } = await runWhileServerStops(
      'Big output',
      'head -c 24000000 /dev/urandom | base64 -w 0; echo',
    );
    server = await restart();
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
    const child = spawn(process.execPath, [SDD_BIN, 'sync'], { cwd, env: childEnv, stdio: 'ignore' });
    const closed = new Promise((resolve) => child.once('close', resolve));
    // Killed once the server holds part of the cast (or at once if it was quicker than that).
    for (let i = 0; i < 200 && child.exitCode === null; i++) {
      const part = (
        await remote()
          .listFiles(id)
          .catch(() => [])
      ).find((f) => f.name === 'terminal.cast');
      if (part && part.size > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await closed;
    const held =
      (
        await remote()
          .listFiles(id)
          .catch(() => [])
      ).find((f) => f.name === 'terminal.cast')?.size ?? 0;
    const local = (await new LocalSessionStore(cwd).listFiles(id)).find(
      (f) => f.name === 'terminal.cast',
    )!.size;
    expect(held).toBeLessThanOrEqual(local);
    expect(sdd(cwd, ['sync'], env).code).toBe(0);
    await expectOnServer(id);
  }, 180_000);

  it('sync without a server says how to link one', async () => {
    sdd(cwd, ['remote', 'unset'], env);
    const result = sdd(cwd, ['sync'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sdd remote set');
  }, 60_000);
});

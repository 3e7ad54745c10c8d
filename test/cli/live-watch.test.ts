// `sdd watch` against a real server process, of a real `sdd run` in a PTY: a late joiner's screen
// then the rest, twenty watchers at once, a slow watcher dropped without slowing the recording, a
// server restart under a watcher, who may watch, and a finished session.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveUrl } from '../../src/api/live-frames.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type Clone, linkedClone, liveSession, runScript, startWatch, waitFor } from './live-harness.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

describe('sdd watch', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let token: string;
  let clone: Clone;
  const serverArgs = () => ['--data', join(dir.path, 'data')];

  beforeEach(async () => {
    dir = await makeTempDir('sdd-live-');
    server = await startServerProcess(join(dir.path, 'server-home'), serverArgs());
    token = server.firstToken!;
    clone = await linkedClone(dir.path, server.url, token);
  }, 60_000);
  afterEach(async () => {
    await server.stop('SIGKILL');
    await dir.remove();
  });

  it('shows a late joiner the current screen, then the rest, and ends with the session', async () => {
    const { running, step } = runScript(
      clone,
      'Late joiner',
      `for i in 1 2 3; do echo "before-$i"; done; ${waitFor('go')}; for i in 1 2 3; do echo "after-$i"; done`,
    );
    const id = await liveSession(server.url, token, clone.projectId);
    const watcher = startWatch(clone, id.slice(-6));
    await watcher.sees('before-3');
    expect(watcher.stdout()).not.toContain('after-1');
    await step('go');
    const watched = await watcher.done;
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stderr).toContain('the session ended');
    const out = watched.stdout;
    expect(out.indexOf('before-1')).toBeLessThan(out.indexOf('before-3'));
    expect(out.indexOf('before-3')).toBeLessThan(out.indexOf('after-1'));
    for (const line of ['after-1', 'after-2', 'after-3']) expect(out.split(line).length - 1).toBe(1);
    expect((await running).code).toBe(0);
  }, 120_000);

  it('gives twenty watchers every byte, in order', async () => {
    const { running, step } = runScript(
      clone,
      'Twenty watchers',
      `echo ready; ${waitFor('go')}; seq 1 3000 | sed 's/^/n/'; ${waitFor('stop')}`,
    );
    const id = await liveSession(server.url, token, clone.projectId);
    const watchers = Array.from({ length: 20 }, () => startWatch(clone, id, ['--json']));
    await Promise.all(watchers.map((w) => w.sees('ready', 60_000)));
    await step('go');
    await Promise.all(watchers.map((w) => w.sees('n3000', 60_000)));
    await step('stop');
    const expected = Array.from({ length: 3000 }, (_, i) => `n${i + 1}`).join('\r\n');
    for (const watcher of watchers) {
      const result = await watcher.done;
      expect(result.code, result.stderr).toBe(0);
      const events = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; data?: string });
      expect(events[0]!.type).toBe('snapshot');
      expect(events.at(-1)).toEqual({ type: 'end', reason: 'finished' });
      const output = events
        .filter((e) => e.type === 'output')
        .map((e) => e.data)
        .join('');
      expect(output).toContain(expected);
    }
    expect((await running).code).toBe(0);
  }, 180_000);

  it('drops a watcher that stops reading, and the recording is complete all the same', async () => {
    const { running, step } = runScript(
      clone,
      'Slow watcher',
      // It exits right after its last line, while sdd may still hold its output back: all of it is
      // recorded and reaches the watcher that keeps up, before the end.
      `echo ready; ${waitFor('go')}; head -c 30000000 /dev/zero | tr '\\0' 'x' | fold -w 100; echo all-done`,
    );
    const id = await liveSession(server.url, token, clone.projectId);
    const socket = new WebSocket(liveUrl(server.url, clone.projectId, id), {
      headers: { authorization: `Bearer ${token}` },
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('message', resolve)); // the snapshot
    // From here on nothing is read: the server's queue for it grows until it is dropped.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const healthy = startWatch(clone, id);
    await healthy.sees('ready');
    await step('go');
    const result = await running;
    // Reading again, it finds the server gave up on it (the close frame, or the socket cut behind it).
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect([4001, 1006]).toContain(await closed);
    expect(result.code, result.stderr).toBe(0);
    const cast = await readFile(join(clone.cwd, '.sdd', 'local', 'sessions', id, 'terminal.cast'), 'utf8');
    const output = cast
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as [number, string, string])
      .filter((event) => event[1] === 'o')
      .map((event) => event[2])
      .join('');
    expect(
      output.includes('all-done'),
      `${result.stderr}\n${output.length} chars, ending ${JSON.stringify(output.slice(-300).replace(/x{10,}/g, (x) => `<${x.length} x>`))}`,
    ).toBe(true);
    let xs = 0;
    for (let i = 0; i < output.length; i++) if (output.charCodeAt(i) === 0x78) xs++;
    expect(xs).toBe(30_000_000);
    const watched = await healthy.done;
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('all-done');
  }, 180_000);

  it('carries on through a server restart, showing each line once', async () => {
    const port = new URL(server.url).port;
    const { running, step } = runScript(
      clone,
      'Restart',
      `for i in 1 2 3; do echo "first-$i"; done; ${waitFor('go')}; for i in 1 2 3; do echo "second-$i"; done; ${waitFor('stop')}`,
    );
    const id = await liveSession(server.url, token, clone.projectId);
    const watcher = startWatch(clone, id);
    await watcher.sees('first-3');
    // Let the upload (every 2 s) hold the first lines: the new process reads what it missed from there.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await server.stop('SIGTERM');
    server = await startServerProcess(join(dir.path, 'server-home'), [...serverArgs(), '--port', port]);
    await step('go');
    await watcher.sees('second-3', 20_000).catch(async (error) => {
      await step('stop');
      const run = await running;
      throw new Error(
        `${error.message}\nsdd run:\n${run.stderr}\n${run.stdout}\nserver:\n${server.output()}`,
      );
    });
    await step('stop');
    const watched = await watcher.done;
    expect(watched.code, watched.stderr).toBe(0);
    for (const line of ['first-1', 'first-3', 'second-1', 'second-3'])
      expect(watched.stdout.split(line).length - 1, line).toBe(1);
    expect((await running).code).toBe(0);
  }, 180_000);

  it('lets a viewer watch; another project gets 404 and no token 401', async () => {
    const { running, step } = runScript(clone, 'Auth', `echo visible; ${waitFor('stop')}`);
    const id = await liveSession(server.url, token, clone.projectId);
    const data = ['--data', join(dir.path, 'data')];
    const home = userEnv(join(dir.path, 'server-home'));
    const viewer = sddJson<{ token: string }>(
      dir.path,
      [
        'server',
        'token',
        'create',
        ...data,
        '--user',
        'vic',
        '--role',
        'viewer',
        '--project',
        clone.projectId,
      ],
      home,
    ).token;
    const other = sddJson<{ token: string }>(
      dir.path,
      ['server', 'token', 'create', ...data, '--user', 'oz', '--project', 'another-project'],
      home,
    ).token;
    const asViewer = startWatch({ ...clone, env: { ...clone.env, SDD_TOKEN: viewer } }, id);
    await asViewer.sees('visible');
    const refused = sdd(clone.cwd, ['watch', id], { ...clone.env, SDD_TOKEN: other });
    expect(refused.code).toBe(3);
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(liveUrl(server.url, clone.projectId, id), { headers });
        socket.on('unexpected-response', (_q, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
    expect(await status({})).toBe(401);
    expect(await status({ authorization: `Bearer ${other}` })).toBe(404);
    expect(await status({ authorization: `Bearer ${viewer}` })).toBe(101);
    // A viewer may watch, not publish.
    const publish = await new Promise<number>((resolve) => {
      const socket = new WebSocket(liveUrl(server.url, clone.projectId, id, '/publish'), {
        headers: { authorization: `Bearer ${viewer}` },
      });
      socket.on('unexpected-response', (_q, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(publish).toBe(403);
    await step('stop');
    expect((await asViewer.done).code).toBe(0);
    expect((await running).code).toBe(0);
  }, 120_000);

  it('refuses a finished session with exit 14, pointing at sdd replay; lists live sessions', async () => {
    const { running, step } = runScript(clone, 'Finished', `echo hi; ${waitFor('stop')}`);
    const id = await liveSession(server.url, token, clone.projectId);
    const live = sddJson<{ id: string }[]>(clone.cwd, ['sessions', '--live'], clone.env);
    expect(live.map((l) => l.id)).toEqual([id]);
    await step('stop');
    expect((await running).code).toBe(0);
    const refused = sdd(clone.cwd, ['watch', id], clone.env);
    expect(refused.code).toBe(14);
    expect(refused.stderr).toContain(`sdd replay ${id}`);
    expect(sddJson<unknown[]>(clone.cwd, ['sessions', '--live'], clone.env)).toEqual([]);
    expect(new LocalSessionStore(clone.cwd)).toBeTruthy();
  }, 120_000);
});

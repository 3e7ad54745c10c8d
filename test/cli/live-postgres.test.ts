// Two real server processes on one real PostgreSQL: `sdd run` publishes through process A, and
// `sdd watch` connected to process B sees its screen and every line after it (LISTEN/NOTIFY).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLiveSessions } from '../../src/client/live-client.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { git } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { linkedClone, liveSession, runScript, startWatch, waitFor } from './live-harness.js';
import { type ServerProcess, startServerProcess } from './server-harness.js';

describe('live sessions across server processes on PostgreSQL', () => {
  let dir: { path: string; remove(): Promise<void> };
  let db: PostgresDatabase;
  let a: ServerProcess | null = null;
  let b: ServerProcess | null = null;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-live-pg-');
    db = await postgresDatabase();
  }, 120_000);
  afterAll(async () => {
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await db?.drop();
    await dir?.remove();
  });

  it('a watcher on process B sees a session published through process A', async () => {
    a = await startServerProcess(join(dir.path, 'home-a'), ['--database', db.url]);
    const token = a.firstToken!;
    b = await startServerProcess(join(dir.path, 'home-b'), ['--database', db.url]);
    // The clone records through A; its watcher's clone points at B.
    const recorder = await linkedClone(join(dir.path, 'a'), a.url, token);
    const { running, step } = runScript(
      recorder,
      'Across processes',
      `echo early-line; ${waitFor('go')}; seq 1 2000 | sed 's/^/m/'; ${waitFor('stop')}`,
    );
    const id = await liveSession(a.url, token, recorder.projectId);
    // B knows it is live from A's beats.
    let onB: string[] = [];
    for (let i = 0; i < 100 && onB.length === 0; i++) {
      onB = (await listLiveSessions({ url: b.url, token, projectId: recorder.projectId })).map((l) => l.id);
      if (onB.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(onB).toEqual([id]);
    // A teammate's clone whose config names B (the same project: its committed config, another URL).
    const config = JSON.parse(await readFile(join(recorder.cwd, '.sdd', 'config.json'), 'utf8'));
    const teammate = join(dir.path, 'b', 'clone');
    await mkdir(join(teammate, '.sdd'), { recursive: true });
    git(teammate, ['init', '-q']);
    await writeFile(join(teammate, '.sdd', 'config.json'), JSON.stringify({ ...config, server: b.url }));
    const watcher = startWatch({ ...recorder, cwd: teammate }, id, ['--json']);
    await watcher.sees('early-line');
    await step('go');
    await watcher.sees('m2000');
    await step('stop');
    const result = await watcher.done;
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string; screen?: string });
    expect(events[0]!.type).toBe('snapshot');
    expect(events.at(-1)).toEqual({ type: 'end', reason: 'finished' });
    const output = events.map((e) => e.screen ?? e.data ?? '').join('');
    expect(output).toContain(Array.from({ length: 2000 }, (_, i) => `m${i + 1}`).join('\r\n'));
    expect((await running).code).toBe(0);
  }, 180_000);
});

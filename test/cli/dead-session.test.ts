// A session whose sdd was killed: listed and shown as dead (JSON: status "running", alive false)
// until `sdd sessions recover` finishes it, which releases the claim the session held at once, and
// never a claim taken since.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemDetails } from '../../src/core/service.js';
import type { SessionEvent, SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { recorderAlive } from '../../src/sessions/orphans.js';
import { git, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Listed = SessionRecord & { alive: boolean | null };

describe('a session whose sdd was killed', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;
  let task: Item;
  let child: ChildProcess;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    git(cwd, ['config', 'user.name', 'T']);
    git(cwd, ['config', 'user.email', 't@example.com']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    sddJson(cwd, ['init']);
    task = sddJson<Item>(cwd, ['create', 'Survive a crash']);
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await dir.remove();
  });

  /** Starts `sdd run` (default claim lease: far longer than the test), kills it -9 once the program runs. */
  async function killedSession(): Promise<Listed> {
    await rm(join(cwd, 'started.txt'), { force: true });
    child = spawn(process.execPath, [SDD_BIN, 'run', task.id, '--cmd', 'echo up > started.txt; sleep 30'], {
      cwd,
      env: { ...process.env, SDD_ACTOR: 'tester' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && !existsSync(join(cwd, 'started.txt')); i++) await sleep(100);
    const live = sddJson<Listed[]>(cwd, ['sessions'])[0]!;
    expect(live).toMatchObject({ status: 'running', alive: true });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    return live;
  }

  it('is listed and shown as dead, with alive false in the JSON', async () => {
    const { id } = await killedSession();
    expect(sddJson<Listed[]>(cwd, ['sessions'])[0]).toMatchObject({ id, status: 'running', alive: false });
    const list = sdd(cwd, ['sessions']).stdout;
    expect(list).toMatch(new RegExp(`${id}\\s+\\S+\\s+dead`));
    expect(list).toContain('sdd sessions recover');
    const shown = sddJson<{ session: Listed }>(cwd, ['session', 'show', id]);
    expect(shown.session).toMatchObject({ status: 'running', alive: false });
    expect(sdd(cwd, ['session', 'show', id]).stdout.split('\n')[0]).toMatch(/ dead .*sdd sessions recover/);
  }, 30_000);

  it('recover releases its claim, so the task is ready again before the lease runs out', async () => {
    const { id } = await killedSession();
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item.claim?.actor).toBe('tester');
    const recovered = sddJson<{ session: SessionRecord; claim: { released: boolean } }[]>(cwd, [
      'sessions',
      'recover',
    ]);
    expect(recovered).toEqual([expect.objectContaining({ claim: { released: true } })]);
    const item = sddJson<ItemDetails>(cwd, ['show', task.id]).item;
    expect(item.claim).toBeNull();
    expect(item.status).toBe('open');
    const shown = sddJson<{ session: Listed; events: SessionEvent[] }>(cwd, ['session', 'show', id]);
    expect(shown.session).toMatchObject({ status: 'interrupted', alive: false });
    expect(shown.events.at(-1)).toMatchObject({ type: 'claim', action: 'released' });
    expect(sdd(cwd, ['claim', task.id, '--as', 'next-agent']).code).toBe(0);
  }, 30_000);

  it("recover leaves alone a claim taken since, another actor's or the same actor's", async () => {
    await killedSession();
    sddJson(cwd, ['claim', task.id, '--as', 'other', '--force']);
    const text = sdd(cwd, ['sessions', 'recover']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('other holds a newer claim');
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item.claim?.actor).toBe('other');

    // a second session dies; its actor then takes the task anew before anyone recovers it
    sddJson(cwd, ['release', task.id, '--as', 'other']);
    await killedSession();
    sddJson(cwd, ['release', task.id]);
    await sleep(20); // the new claim is later than the session's start
    sddJson(cwd, ['claim', task.id]);
    const recovered = sddJson<{ claim: { released: boolean } }[]>(cwd, ['sessions', 'recover']);
    expect(recovered).toEqual([
      expect.objectContaining({ claim: expect.objectContaining({ released: false }) }),
    ]);
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item.claim?.actor).toBe('tester');
  }, 60_000);
});

describe('recorderAlive', () => {
  const record = (fields: Partial<SessionRecord>) =>
    ({
      status: 'running',
      host: hostname(),
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ...fields,
    }) as SessionRecord;

  it('is true for a running process that started before its session, false once the session ended', () => {
    expect(recorderAlive(record({}))).toBe(true);
    expect(recorderAlive(record({ status: 'finished' }))).toBe(false);
  });

  it('is null on another machine, false for a pid nobody has', () => {
    expect(recorderAlive(record({ host: 'elsewhere.example' }))).toBeNull();
    expect(recorderAlive(record({ pid: 2 ** 22 + 17 }))).toBe(false);
  });

  it('is false for a pid reused by a process started after the session (Linux)', () => {
    if (!existsSync('/proc/self/stat')) return;
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    expect(recorderAlive(record({ startedAt: dayAgo }))).toBe(false);
  });
});

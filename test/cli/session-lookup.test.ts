// The session commands find sessions through the SessionStore: a short id that fits several is
// ambiguous, a folder without a record is no session, and what the store holds is what they show.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('session commands through the SessionStore', () => {
  let dir: { path: string; remove(): Promise<void> };
  let store: LocalSessionStore;
  const first = sessionRecord({ id: '20261201-120000-aaaa', status: 'finished', exitCode: 0 });
  const second = sessionRecord({ id: '20261201-120000-bbbb', status: 'finished', exitCode: 0 });

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    await writeFile(join(dir.path, 'README.md'), '# x\n');
    sddJson(dir.path, ['init']);
    store = new LocalSessionStore(dir.path);
    for (const record of [first, second]) await store.putRecord({ ...record, cwd: dir.path });
    const cast = '{"version":2,"width":20,"height":2}\n[0.5,"o","from the store"]\n';
    await store.appendFile(first.id, 'terminal.cast', 0, bytes(cast));
    // a folder a crash left before its record was written
    await mkdir(join(dir.path, '.sdd', 'local', 'sessions', '20261201-130000-cccc'));
  });
  afterEach(() => dir.remove());

  it('says a short id that fits several sessions is ambiguous (exit 2, AMBIGUOUS in --json)', () => {
    const text = sdd(dir.path, ['session', 'show', '20261201-1200']);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('matches 2 sessions');
    const json = sdd(dir.path, ['--json', 'replay', '20261201-1200', '--at', '1']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error.code).toBe('AMBIGUOUS');
  });

  it('lists and finds only sessions with a record', () => {
    const ids = sddJson<SessionRecord[]>(dir.path, ['sessions']).map((s) => s.id);
    expect(ids.sort()).toEqual([first.id, second.id]);
    const missing = sdd(dir.path, ['replay', '20261201-130000-cccc', '--at', '1']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('No session "20261201-130000-cccc"');
  });

  it('replays at a moment the cast the store holds', () => {
    const screen = sdd(dir.path, ['replay', 'aaaa', '--at', '1']);
    expect(screen.stdout.trim()).toBe('from the store');
  });
});

// The embedded store under failure: a change that throws writes nothing, a process killed in the
// middle of a write leaves the previous or the next file (never half of one), and its lock is
// taken over once stale.

import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTrackerData } from '../../src/core/store.js';
import type { Item, TrackerData } from '../../src/core/types.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { REPO_ROOT } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function fakeItem(n: number): Item {
  const at = new Date(0).toISOString();
  return {
    id: `sd-${n}`,
    type: 'task',
    title: `task ${n} `.repeat(20),
    description: 'x'.repeat(200),
    status: 'open',
    priority: 2,
    labels: [],
    parent: null,
    order: null,
    mvp: false,
    source: null,
    claim: null,
    notes: [],
    createdAt: at,
    updatedAt: at,
    closedAt: null,
  };
}

/** Polls a folder until a file whose name matches appears; its name, or null at the deadline. */
async function waitForFile(folder: string, name: RegExp, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await readdir(folder)).find((f) => name.test(f));
    if (found) return found;
  }
  return null;
}

describe('LowdbStore', () => {
  let dir: { path: string; remove(): Promise<void> };
  let path: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir.path, 'local', 'db.json');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('reads an empty tracker before the first write, and persists a change', async () => {
    const store = new LowdbStore(path, 'ab');
    expect(await store.read()).toEqual(emptyTrackerData('ab'));
    await store.update((data) => {
      data.items.push(fakeItem(1));
    });
    const saved = JSON.parse(await readFile(path, 'utf8')) as TrackerData;
    expect(saved.items.map((i) => i.id)).toEqual(['sd-1']);
    expect(saved.idPrefix).toBe('ab');
  });

  it('writes nothing when a change throws, and the lock is free again afterwards', async () => {
    const store = new LowdbStore(path);
    await store.update((data) => {
      data.items.push(fakeItem(1));
    });
    const before = await readFile(path, 'utf8');
    await expect(
      store.update((data) => {
        data.items.push(fakeItem(2));
        throw new Error('refused halfway');
      }),
    ).rejects.toThrow('refused halfway');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect((await store.read()).items).toHaveLength(1);
    await store.update((data) => {
      data.nextId = 5;
    });
    expect((await store.read()).nextId).toBe(5);
  });

  it('refuses a file that is not an sdd database', async () => {
    const store = new LowdbStore(path);
    await store.update(() => undefined);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, JSON.stringify({ schema: 99 }));
    await expect(store.read()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('survives kill -9 in the middle of writes: the file always parses, and the stale lock is taken over', async () => {
    const store = new LowdbStore(path, 'sd', 2000);
    await store.update((data) => {
      for (let i = 0; i < 20_000; i++) data.items.push(fakeItem(i)); // ~10 MB, so a write takes a while
    });
    // A child process rewrites the whole file in a loop, under the lock, until it is killed.
    const script = `
      const { LowdbStore } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/src/store/lowdb-store.js'))});
      const store = new LowdbStore(${JSON.stringify(path)}, 'sd', 2000);
      for (let n = 0; ; n++) {
        await store.update((data) => { data.nextId = n; data.items[0].title = 'pass ' + n; });
        if (n === 0) process.stdout.write('wrote\\n');
      }
    `;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // kill it while a new version is half written: its temporary file exists only then
      const temporary = await waitForFile(join(dir.path, 'local'), /^db\.json\.\d+/, 20_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(temporary).not.toBeNull();
      const data = JSON.parse(await readFile(path, 'utf8')) as TrackerData;
      expect(data.items).toHaveLength(20_000);
      expect(data.items[0]!.title).toMatch(/^(task 0 |pass \d+)/);
    }
    // the killed writer may have left its lock: a new change waits for it to go stale, then succeeds
    const started = Date.now();
    await store.update((data) => {
      data.items[0]!.title = 'after the crash';
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await store.read()).items[0]!.title).toBe('after the crash');
    const leftovers = (await readdir(join(dir.path, 'local'))).filter(
      (f) => f !== 'db.json' && !f.endsWith('.lock'),
    );
    // write-file-atomic's temporary files of a killed writer may remain; they never replace db.json
    for (const f of leftovers) expect(f).toMatch(/^db\.json\./);
  }, 60_000);
});

// The database's safety nets: the file before each write is kept as db.json.bak (a link, not a copy), a
// damaged file (bad JSON, or JSON that is not a database) is refused and named with its backup, never
// overwritten, and the folder, database, backup and lock are private to their owner.

import { statSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('LowdbStore backup and damage', () => {
  let dir: { path: string; remove(): Promise<void> };
  let folder: string;
  let path: string;
  let previousUmask: number;

  beforeEach(async () => {
    previousUmask = process.umask(0o022);
    dir = await makeTempDir();
    folder = join(dir.path, 'local');
    path = join(folder, 'db.json');
  });
  afterEach(async () => {
    process.umask(previousUmask);
    await dir.remove();
  });

  const addOne = (store: LowdbStore) =>
    store.update((data) => {
      data.nextId += 1;
    });

  it('keeps the file before each write as db.json.bak, sharing its data instead of copying it', async () => {
    const store = new LowdbStore(path);
    await addOne(store); // the first write: nothing to keep yet
    await expect(stat(`${path}.bak`)).rejects.toMatchObject({ code: 'ENOENT' });
    const first = await readFile(path, 'utf8');
    const firstInode = (await stat(path)).ino;
    await addOne(store);
    expect(await readFile(`${path}.bak`, 'utf8')).toBe(first);
    expect((await stat(`${path}.bak`)).ino).toBe(firstInode);
    expect(JSON.parse(await readFile(path, 'utf8')).nextId).toBe(3);
    await expect(stat(`${path}.bak.tmp`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a leftover temporary backup from a killed process does not stop the next write', async () => {
    const store = new LowdbStore(path);
    await addOne(store);
    await writeFile(`${path}.bak.tmp`, 'half');
    await addOne(store);
    expect(JSON.parse(await readFile(`${path}.bak`, 'utf8')).nextId).toBe(2);
  });

  for (const [name, text, problem] of [
    ['null', 'null', 'holds null'],
    ['a list', '[]', 'holds a list'],
    ['a number', '42', 'holds a number'],
    ['an object of another shape', '{"hello":1}', 'not an sdd database'],
    ['truncated JSON', '{"schema":1,"items":[', 'JSON'],
  ] as const) {
    it(`refuses a database holding ${name} and leaves it as it is`, async () => {
      await mkdir(folder, { recursive: true });
      await writeFile(path, text);
      const store = new LowdbStore(path);
      await expect(store.read()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      const error = await addOne(store).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(`${path} is damaged`);
      expect((error as Error).message).toContain(problem);
      expect((error as Error).message).toContain('There is no backup');
      expect(await readFile(path, 'utf8')).toBe(text);
    });
  }

  it('names the backup and how to restore it when the database is damaged', async () => {
    const store = new LowdbStore(path);
    await addOne(store);
    await addOne(store);
    const good = await readFile(`${path}.bak`, 'utf8');
    await writeFile(path, '{"schema":1,"items":[{"id":"sd-1"'); // cut off mid-write by a crash elsewhere
    const error = (await addOne(store).catch((e: Error) => e)) as Error;
    expect(error.message).toContain(`The last good copy`);
    expect(error.message).toContain(`cp ${path}.bak ${path}`);
    expect(await readFile(`${path}.bak`, 'utf8')).toBe(good); // the backup is not replaced by damage
    expect(await readFile(path, 'utf8')).toBe('{"schema":1,"items":[{"id":"sd-1"');
  });

  it('creates its folder 0700 and the database, backup and lock private, under umask 022', async () => {
    const store = new LowdbStore(path);
    let lockMode = -1;
    await addOne(store);
    await store.update(() => {
      lockMode = statSync(`${path}.lock`).mode & 0o777; // the lock is held while the change runs
    });
    expect(await modeOf(folder)).toBe(0o700);
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(`${path}.bak`)).toBe(0o600);
    expect(lockMode).toBe(0o700);
  });

  it('tightens a folder and database made readable by others before, on the next write', async () => {
    await mkdir(folder, { recursive: true, mode: 0o755 });
    await chmod(folder, 0o755);
    await writeFile(
      path,
      JSON.stringify({ schema: 1, idPrefix: 'sd', nextId: 1, items: [], dependencies: [] }),
      {
        mode: 0o644,
      },
    );
    const store = new LowdbStore(path);
    await store.read();
    expect(await modeOf(folder)).toBe(0o755); // reading changes nothing
    await addOne(store);
    expect(await modeOf(folder)).toBe(0o700);
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(`${path}.bak`)).toBe(0o600);
  });
});

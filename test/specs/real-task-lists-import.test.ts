// Imports each messy task list into the tracker, as `sdd import` does, and checks that it lands where a person
// would expect and that importing the same file again changes nothing at all.

import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import { parseTaskList } from '../../src/specs/speckit-tasks-parser.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FOLDER = new URL('../fixtures/speckit/real/', import.meta.url);

function documentOf(name: string) {
  const text = readFileSync(new URL(name, FOLDER), 'utf8');
  const epicKey = `020-${name.replace(/\.md$/, '')}`;
  return parseTaskList(text, { file: `specs/${epicKey}/tasks.md`, epicKey, epicTitle: name });
}

describe('importing the messy task lists', () => {
  let dir: { path: string; remove(): Promise<void> };
  let service: EmbeddedService;
  let dbPath: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    dbPath = join(dir.path, 'db.json');
    service = new EmbeddedService(new LowdbStore(dbPath, 'sd'));
  });
  afterEach(async () => {
    await dir.remove();
  });

  const readyRefs = async () => (await service.ready()).map((e) => e.item.source?.ref.split('/').pop());

  for (const name of readdirSync(FOLDER).sort()) {
    it(`re-imports ${name} as a no-op`, async () => {
      const first = await service.importTaskList(documentOf(name), 'tester');
      expect(first.created.length).toBeGreaterThan(0);
      const before = await readFile(dbPath, 'utf8');
      const again = await service.importTaskList(documentOf(name), 'tester');
      expect(again).toMatchObject({ created: [], updated: [], removed: [], statusChanges: [] });
      expect(again.dependencies).toEqual({ added: 0, removed: 0 });
      expect(await readFile(dbPath, 'utf8')).toBe(before);
    });
  }

  it('closes a phase without tasks instead of leaving it open forever, and reopens it when a task comes', async () => {
    await service.importTaskList(documentOf('story-headings.md'), 'tester');
    const more = (await service.getItem('020-story-headings/hardening')).item;
    expect(more.status).toBe('done');
    const added = await service.createItem({ title: 'Later', parent: more.id }, 'tester');
    expect((await service.getItem(more.id)).item.status).toBe('open');
    await service.done(added.id, 'tester');
    expect((await service.getItem(more.id)).item.status).toBe('done');
  });

  it('keeps [US7] without a story phase as a label', async () => {
    await service.importTaskList(documentOf('story-headings.md'), 'tester');
    expect((await service.getItem('T007')).item.labels).toEqual(['US4', 'US7']);
    expect((await service.getItem('T008')).item.labels).toEqual(['US7']);
  });

  it('orders T011a after T011 and T012 after T011b, as the file lists them', async () => {
    await service.importTaskList(documentOf('suffix-ids.md'), 'tester');
    const blockers = async (ref: string) =>
      (await service.getItem(ref)).blockedBy.map((b) => b.ref?.split('/').pop());
    expect(await blockers('T011a')).toEqual(['T011']);
    expect(await blockers('t11A')).toEqual(['T011']); // the same task, however it is typed
    expect(await blockers('T012')).toEqual(['T011b']);
    await service.done('T010', 'tester');
    await service.done('T011', 'tester');
    // T011b is [P]: it waits on nothing
    expect(await readyRefs()).toEqual(['T011a', 'T011b']);
  });

  it('takes a box ticked in a checklist copy as done', async () => {
    await service.importTaskList(documentOf('repeated-checklist.md'), 'tester');
    expect((await service.getItem('T002')).item.status).toBe('done');
    expect(await readyRefs()).toEqual(['T003']);
  });

  it('says an epic whose tasks are all done is done when asked for the next task', async () => {
    await service.importTaskList(documentOf('suffix-ids.md'), 'tester');
    for (const ref of ['T010', 'T011', 'T011a', 'T011b', 'T012']) await service.done(ref, 'tester');
    await expect(service.claimNext('tester', { epic: '020-suffix-ids' })).rejects.toThrow(
      'No ready work: every task of epic "suffix-ids.md" is done (5 of 5).',
    );
  });
});

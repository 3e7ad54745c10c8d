// `sdd import` and the tasks.md round trip, through the real command on real files.

import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadyEntry } from '../../src/core/ready.js';
import type { ImportResult, ItemDetails } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'speckit');

describe('sdd import', () => {
  let dir: { path: string; remove(): Promise<void> };
  let tasksPath: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    await cp(join(FIXTURES, 'specs'), join(dir.path, 'specs'), { recursive: true });
    tasksPath = join(dir.path, 'specs', '004-team-notes', 'tasks.md');
    expect(sdd(dir.path, ['init']).code).toBe(0);
  });
  afterEach(async () => {
    await dir.remove();
  });

  const readyRefs = () => sddJson<ReadyEntry[]>(dir.path, ['ready']).map((e) => e.item.source?.ref);

  it('imports a spec folder: epic named from spec.md, a feature per phase, ticked boxes done', () => {
    const result = sddJson<ImportResult>(dir.path, ['import', 'specs/004-team-notes/']);
    expect(result.epic.title).toBe('Team Notes');
    expect(result.created.filter((c) => c.type === 'feature').map((c) => c.title)).toEqual([
      'Setup (Shared Infrastructure)',
      'Foundational (Blocking Prerequisites)',
      'User Story 1 - Post a note',
      'User Story 2 - Share a note',
      'User Story 3 - Search notes',
      'Polish & Cross-Cutting Concerns',
    ]);
    expect(result.created.filter((c) => c.type === 'task')).toHaveLength(19);
    const t4 = sddJson<ItemDetails>(dir.path, ['show', 'T004']);
    expect(t4.item.status).toBe('done');
    // Setup still has T003 open, so Foundational (and everything after it) waits
    expect(readyRefs()).toEqual(['T003']);
    const text = sdd(dir.path, ['ready']).stdout;
    expect(text).toContain('T003');
    expect(text).toContain('nothing blocks it');
  });

  it('accepts the path of a tasks.md and a run from a subfolder', () => {
    const result = sddJson<ImportResult>(join(dir.path, 'specs'), ['import', '004-team-notes/tasks.md']);
    expect(result.epic.ref).toBe('004-team-notes');
  });

  it('re-importing the unchanged file changes nothing', async () => {
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    const before = await readFile(join(dir.path, '.sdd', 'local', 'db.json'), 'utf8');
    const again = sddJson<ImportResult>(dir.path, ['import', 'specs/004-team-notes']);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.dependencies).toEqual({ added: 0, removed: 0 });
    expect(await readFile(join(dir.path, '.sdd', 'local', 'db.json'), 'utf8')).toBe(before);
  });

  it('sdd done ticks exactly one character of tasks.md; a hand-ticked box is picked up on import', async () => {
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    const before = await readFile(tasksPath);
    const done = sdd(dir.path, ['done', 'T003']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('ticked its box in specs/004-team-notes/tasks.md');
    const after = await readFile(tasksPath);
    expect(after.length).toBe(before.length);
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    expect(changed).toHaveLength(1);
    expect(after.toString('utf8')).toContain('- [x] T003 [P] Configure linting');
    expect(readyRefs()).toEqual(['T005', 'T006']);

    const text = after.toString('utf8').replace('- [ ] T005 [P]', '- [x] T005 [P]');
    await writeFile(tasksPath, text);
    const result = sddJson<ImportResult>(dir.path, ['import', 'specs/004-team-notes']);
    expect(result.statusChanges.map((c) => [c.item.ref, c.to])).toEqual([['004-team-notes/T005', 'done']]);
    expect(readyRefs()).toEqual(['T006']);
  });

  it("keeps this clone's merge base of the boxes: written by import, sdd done and a reopen, not by a failed import", async () => {
    const basePath = join(dir.path, '.sdd', 'local', 'task-boxes.json');
    const bases = async () =>
      JSON.parse(await readFile(basePath, 'utf8')).files['specs/004-team-notes/tasks.md'] as Record<
        string,
        boolean
      >;
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    expect((await stat(basePath)).mode & 0o777).toBe(0o600);
    expect(await bases()).toMatchObject({ T1: true, T3: false, T4: true, T22: false });
    expect(sdd(dir.path, ['done', 'T003']).code).toBe(0);
    expect((await bases()).T3).toBe(true);
    expect(sdd(dir.path, ['update', 'T004', '--status', 'open']).code).toBe(0);
    expect((await bases()).T4).toBe(false);

    const before = await readFile(basePath, 'utf8');
    const text = (await readFile(tasksPath, 'utf8')).replace('- [ ] T005 [P]', '- [x] T005 [P]');
    await writeFile(tasksPath, `${text}\n## Phase 9: Broken\n\n- [ ] T006 Same id, another task\n`);
    expect(sdd(dir.path, ['import', 'specs/004-team-notes']).code).toBe(2);
    expect(await readFile(basePath, 'utf8')).toBe(before);
  });

  it("sdd done on a renumbered tasks.md ticks the line with the task's title, with a warning", async () => {
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    // T005 and T006 swap ids in the file after the import
    const text = await readFile(tasksPath, 'utf8');
    const swapped = text
      .replace('T005 [P] Implement authentication', 'T00X [P] Implement authentication')
      .replace('T006 [P] Setup API routing', 'T005 [P] Setup API routing')
      .replace('T00X [P] Implement authentication', 'T006 [P] Implement authentication');
    await writeFile(tasksPath, swapped);
    const done = sdd(dir.path, ['done', 'T005']); // the tracker's T005: "Implement authentication..."
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(
      /^specs\/004-team-notes\/tasks\.md:30: warning: T005 is now "Setup API routing in src\/routes\/"; set the box of T006 \(line 30\) instead/,
    );
    const after = await readFile(tasksPath, 'utf8');
    expect(after).toContain('- [x] T006 [P] Implement authentication');
    expect(after).toContain('- [ ] T005 [P] Setup API routing');
    // this clone's base follows the line it set: the file's T006, not the tracker's T005
    const bases = JSON.parse(await readFile(join(dir.path, '.sdd', 'local', 'task-boxes.json'), 'utf8'));
    expect(bases.files['specs/004-team-notes/tasks.md']).toMatchObject({ T5: false, T6: true });
  });

  it('sdd done refuses, changing neither tracker nor file, when the line is clearly another task', async () => {
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    const text = await readFile(tasksPath, 'utf8');
    const replaced = text.replace(
      'T005 [P] Implement authentication/authorization middleware in src/middleware/auth.ts',
      'T005 [P] Write the deployment guide for operators',
    );
    await writeFile(tasksPath, replaced);
    const done = sdd(dir.path, ['done', 'T005']);
    expect(done).toMatchObject({ code: 2, stdout: '' });
    expect(done.stderr).toContain(
      'Nothing changed: specs/004-team-notes/tasks.md:30: line 30 has T005 "Write the deployment guide for operators", another task than "Implement authentication/authorization middleware in src/middleware/auth.ts"',
    );
    expect(done.stderr).toContain('Run `sdd import specs/004-team-notes/` first');
    expect(await readFile(tasksPath, 'utf8')).toBe(replaced);
    expect(sddJson<ItemDetails>(dir.path, ['show', 'T005']).item.status).toBe('open');
    expect(sdd(dir.path, ['update', 'T005', '--status', 'done']).code).toBe(2);
    // after the import the tracker knows the new task under T005, and done works
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    expect(sdd(dir.path, ['done', 'T005']).code).toBe(0);
    expect(await readFile(tasksPath, 'utf8')).toContain('- [x] T005 [P] Write the deployment guide');
  });

  it('reopening a task clears its box again', async () => {
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    sddJson(dir.path, ['update', 'T001', '--status', 'open']);
    expect(await readFile(tasksPath, 'utf8')).toContain('- [ ] T001 Create project structure');
  });

  it('keeps claims and notes across an edited re-import that renames and adds tasks', async () => {
    sddJson(dir.path, ['import', 'specs/004-team-notes']);
    sddJson(dir.path, ['claim', 'T003', '--as', 'alice']);
    sddJson(dir.path, ['note', 'T003', 'use', 'the', 'shared', 'config']);
    const text = (await readFile(tasksPath, 'utf8'))
      .replace('Configure linting and formatting tools', 'Configure Biome')
      .replace(
        '- [ ] T021 Code cleanup and refactoring',
        '- [ ] T021 Code cleanup and refactoring\n- [ ] T023 Release notes',
      );
    await writeFile(tasksPath, text);
    const result = sddJson<ImportResult>(dir.path, ['import', 'specs/004-team-notes']);
    expect(result.created.map((c) => c.ref)).toEqual(['004-team-notes/T023']);
    const t3 = sddJson<ItemDetails>(dir.path, ['show', 'T003']).item;
    expect(t3).toMatchObject({ status: 'in_progress', claim: { actor: 'alice' } });
    expect(t3.title).toContain('Configure Biome');
    expect(t3.notes.map((n) => n.text)).toEqual(['use the shared config']);
  });

  it('reports every malformed line as file:line and imports nothing', async () => {
    await mkdir(join(dir.path, 'specs', '009-bad'));
    await cp(join(FIXTURES, 'malformed-tasks.md'), join(dir.path, 'specs', '009-bad', 'tasks.md'));
    const result = sdd(dir.path, ['import', 'specs/009-bad']);
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('specs/009-bad/tasks.md:'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(result.stderr).toMatch(/tasks\.md:\d+: task line has no valid id/);
    expect(result.stderr).toMatch(/tasks\.md:\d+: duplicate task id/);
    expect(result.stderr).toMatch(/tasks\.md:\d+: user story 1 already has a phase/);
    expect(sddJson<Item[]>(dir.path, ['list'])).toEqual([]);
  });

  it('says what to do when the folder has no tasks.md', async () => {
    await mkdir(join(dir.path, 'specs', '005-empty'));
    const result = sdd(dir.path, ['import', 'specs/005-empty/']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No tasks\.md in \S*specs\/005-empty\//);
  });

  it('names a missing path as a missing file or folder with a usage exit code, not "no such item"', () => {
    for (const target of ['specs/404-nothing/', 'specs/404-nothing/tasks.md']) {
      const result = sdd(dir.path, ['import', target]);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain(
        `No such file or folder: ${join(dir.path, target).replace(/\/$/, '')}.`,
      );
      const json = sdd(dir.path, ['import', target, '--json']);
      expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
  });
});

describe('sdd import of messy task lists', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  async function importFixture(name: string, epic: string): Promise<ImportResult> {
    await mkdir(join(dir.path, 'specs', epic), { recursive: true });
    await cp(join(FIXTURES, name), join(dir.path, 'specs', epic, 'tasks.md'));
    return sddJson<ImportResult>(dir.path, ['import', `specs/${epic}`]);
  }
  const readyRefs = () => sddJson<ReadyEntry[]>(dir.path, ['ready']).map((e) => e.item.source?.ref);

  it('BOM, CRLF, tabs, loose tasks before and after the phases, fenced examples ignored', async () => {
    const result = await importFixture('messy-tasks.md', '012-offline-sync');
    expect(result.epic.title).toBe('Offline Sync');
    const tasks = result.created.filter((c) => c.type === 'task').map((c) => c.ref!.split('/')[1]);
    expect(tasks.sort()).toEqual([
      'T001',
      'T002',
      'T003',
      'T004',
      'T005',
      'T006',
      'T007',
      'T008',
      'T009',
      'T010',
      'T011',
    ]);
    expect(sddJson<ItemDetails>(dir.path, ['show', 'T002']).item.status).toBe('done');
    expect(sddJson<ItemDetails>(dir.path, ['show', 'T003']).item.status).toBe('done');
    // Foundational's only task is ticked, so the MVP story's T008 may start (and comes first);
    // then loose T001 and T010 (T010 follows the done T002), and Setup's T004 and [P] T005
    expect(readyRefs()).toEqual(['T008', 'T001', 'T004', 'T005', 'T010']);
    const t6 = sddJson<ItemDetails>(dir.path, ['show', 'T006']);
    expect(t6.item.description).toContain('retry with backoff');
    expect(t6.blockedBy.map((b) => b.ref)).toEqual(['012-offline-sync/T005']);
  });

  it('stories without Setup or Polish, an empty phase that holds nothing back', async () => {
    await importFixture('only-stories-tasks.md', '013-export');
    // both stories may start at once; the P1 MVP story first
    expect(readyRefs()).toEqual(['T002', 'T001']);
    for (const ref of ['T001', 'T002', 'T004', 'T005']) sddJson(dir.path, ['done', ref]);
    // "Foundational work for export v2" has no tasks: the phase after it is not stuck behind it
    expect(readyRefs()).toEqual(['T006']);
  });

  it('imports checklists and roll-ups as no tasks, printing each warning as file:line and in --json', async () => {
    await mkdir(join(dir.path, 'specs', '014-billing'), { recursive: true });
    await cp(join(FIXTURES, 'real', 'checklists.md'), join(dir.path, 'specs', '014-billing', 'tasks.md'));
    const text = sdd(dir.path, ['import', 'specs/014-billing']);
    expect(text.code).toBe(0);
    expect(text.stderr.split('\n')).toContain(
      'specs/014-billing/tasks.md:36: warning: 2 check boxes without a task id under "Validation Checklist": not tasks, skipped',
    );
    const json = sddJson<ImportResult & { warnings: { line: number }[] }>(dir.path, [
      'import',
      'specs/014-billing',
    ]);
    expect(json.warnings.map((w) => w.line)).toEqual([5, 22, 28, 36, 40]);
    expect(json.created).toEqual([]);
  });

  it('sdd done ticks [X] in a file that writes [X] and no bullets; the re-import changes nothing', async () => {
    const result = await importFixture('real/bare-lines.md', '015-importer');
    expect(result.created.filter((c) => c.type === 'task')).toHaveLength(8);
    const file = join(dir.path, 'specs', '015-importer', 'tasks.md');
    expect(sdd(dir.path, ['done', 'T003']).code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('\r\n[X] T003 - Write the README\r\n');
    const again = sddJson<ImportResult>(dir.path, ['import', 'specs/015-importer']);
    expect([again.created, again.updated, again.statusChanges]).toEqual([[], [], []]);
  });

  it('sdd done and a reopen set both copies of a repeated line, so the next import agrees', async () => {
    await importFixture('real/repeated-checklist.md', '016-calendar');
    const file = join(dir.path, 'specs', '016-calendar', 'tasks.md');
    expect(sdd(dir.path, ['done', 'T003']).code).toBe(0);
    const ticked = await readFile(file, 'utf8');
    expect([ticked.includes('- [x] T003 [US1] Week view'), ticked.includes('- [x] T003 Week view')]).toEqual([
      true,
      true,
    ]);
    expect(sdd(dir.path, ['update', 'T002', '--status', 'open']).code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('- [ ] T002 Date library chosen');
    const again = sddJson<ImportResult>(dir.path, ['import', 'specs/016-calendar']);
    expect(again.statusChanges).toEqual([]);
    expect(sddJson<ItemDetails>(dir.path, ['show', 'T002']).item.status).toBe('open');
  });

  it('sdd ready on an epic whose tasks are all done says so', async () => {
    await importFixture('real/suffix-ids.md', '017-search');
    for (const ref of ['T010', 'T011', 'T011a', 'T011b', 'T012'])
      expect(sdd(dir.path, ['done', ref]).code).toBe(0);
    const ready = sdd(dir.path, ['ready', '--epic', '017-search']);
    expect(ready.stdout.trim()).toBe('Nothing is ready: every task of epic "Search" is done (5 of 5).');
    expect(await readFile(join(dir.path, 'specs', '017-search', 'tasks.md'), 'utf8')).toContain(
      '- [x] T011a Add a migration',
    );
  });
});

// tasks.md across clones: two (or three) git clones of one repository share one tracker, as they do
// through a team server; each clone keeps its own merge base of the boxes, so a clone that has not
// pulled a teammate's tick does not read its old box as "unticked by hand".

import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importTaskListFile } from '../../src/cli/commands/import.js';
import type { Project } from '../../src/cli/project.js';
import { taskBoxBasePath } from '../../src/cli/task-box-base.js';
import { syncTaskBoxes } from '../../src/cli/task-box-sync.js';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { git, REPO_ROOT } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'speckit');
const TASKS = 'specs/004-team-notes/tasks.md';

describe('tasks.md across clones sharing one tracker', () => {
  let dir: { path: string; remove(): Promise<void> };
  let service: EmbeddedService;

  /** A clone of the shared repository, linked to the (shared) tracker as a server project would be. */
  function cloneAs(name: string): Project {
    const root = join(dir.path, name);
    git(dir.path, ['clone', '-q', join(dir.path, 'origin'), name]);
    git(root, ['config', 'user.name', name]);
    git(root, ['config', 'user.email', `${name}@example.com`]);
    return {
      root,
      config: { projectId: 'p-1', idPrefix: 'sd', server: 'http://team.example', agent: null },
    };
  }

  const importIn = (clone: Project) =>
    importTaskListFile(service, clone, join(clone.root, 'specs', '004-team-notes'), 'tester');
  const statusOf = async (ref: string) => (await service.getItem(ref)).item.status;
  const tasksText = (clone: Project) => readFile(join(clone.root, TASKS), 'utf8');
  async function setBoxByHand(clone: Project, line: string, box: string): Promise<void> {
    const text = await tasksText(clone);
    expect(text).toContain(line);
    await writeFile(join(clone.root, TASKS), text.replace(line, line.replace(/\[.\]/, box)));
  }
  /** `sdd done` as the CLI does it: the tracker, then this clone's box (and so its base). */
  async function doneIn(clone: Project, ref: string): Promise<void> {
    const { item } = await service.done(ref, 'tester');
    await syncTaskBoxes(clone.root, [item], () => undefined);
  }

  beforeEach(async () => {
    dir = await makeTempDir('sdd-clones-');
    const origin = join(dir.path, 'origin');
    git(dir.path, ['init', '-q', origin]);
    await cp(join(FIXTURES, 'specs'), join(origin, 'specs'), { recursive: true });
    await mkdir(join(origin, '.sdd'));
    await writeFile(join(origin, '.sdd', '.gitignore'), 'local/\n'); // as sdd init writes it
    git(origin, ['add', '-A']);
    git(origin, ['-c', 'user.name=o', '-c', 'user.email=o@example.com', 'commit', '-qm', 'specs']);
    // a non-bare origin accepts pushes to a branch it has not checked out
    git(origin, ['checkout', '-q', '--detach']);
    service = new EmbeddedService(new LowdbStore(join(dir.path, 'tracker', 'db.json'), 'sd'));
  });
  afterEach(async () => {
    await dir.remove();
  });

  it("a teammate's sdd done is not reopened by a clone that has not pulled it; a later untick by hand is", async () => {
    const alice = cloneAs('alice');
    const bob = cloneAs('bob');
    await importIn(alice);
    expect((await importIn(bob)).result.statusChanges).toEqual([]);

    await doneIn(alice, 'T003');
    expect(await tasksText(alice)).toContain('- [x] T003 [P]');
    // Alice imports again (her other edits): the tracker's own record of the box is now "ticked"
    expect((await importIn(alice)).result.statusChanges).toEqual([]);
    git(alice.root, ['commit', '-qam', 'T003 done']);
    git(alice.root, ['push', '-q', 'origin', 'HEAD']);

    // Bob's file still says [ ]: he saw it so, so it is no change by hand
    expect(await tasksText(bob)).toContain('- [ ] T003 [P]');
    expect((await importIn(bob)).result.statusChanges).toEqual([]);
    expect(await statusOf('T003')).toBe('done');

    git(bob.root, ['pull', '-q', '--ff-only']);
    expect((await importIn(bob)).result.statusChanges).toEqual([]);
    await setBoxByHand(bob, '- [x] T003 [P]', '[ ]');
    const reopened = await importIn(bob);
    expect(reopened.result.statusChanges.map((c) => [c.item.ref, c.from, c.to])).toEqual([
      ['004-team-notes/T003', 'done', 'open'],
    ]);
  });

  it('a fresh clone importing flips nothing, and leaves its tasks.md as git checked it out', async () => {
    const alice = cloneAs('alice');
    await importIn(alice);
    await doneIn(alice, 'T003'); // ticked in Alice's file, not committed
    await service.updateItem('T004', { status: 'open' }, 'tester'); // reopened elsewhere, file not yet
    await importIn(alice);

    const carol = cloneAs('carol'); // T003 [ ] and T004 [X] as committed
    const { result } = await importIn(carol);
    expect(result.statusChanges).toEqual([]);
    expect(await statusOf('T003')).toBe('done');
    expect(await statusOf('T004')).toBe('open');
    expect(git(carol.root, ['status', '--porcelain'])).toBe('');

    // from now on Carol's clone has a base: her own tick is picked up
    await setBoxByHand(carol, '- [ ] T005 [P]', '[x]');
    const ticked = await importIn(carol);
    expect(ticked.result.statusChanges.map((c) => [c.item.ref, c.to])).toEqual([
      ['004-team-notes/T005', 'done'],
    ]);
  });

  it('keeps the base private and per file, and records nothing when the import fails', async () => {
    const alice = cloneAs('alice');
    await importIn(alice);
    const path = taskBoxBasePath(alice.root);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const bases = JSON.parse(await readFile(path, 'utf8'));
    expect(bases.files[TASKS]).toMatchObject({ T1: true, T3: false, T4: true });

    // a tick by hand, and an edit the tracker refuses: T011 would follow T010, which a person made wait on T011
    await service.addDependency('T010', 'T011', 'blocks', 'tester');
    await setBoxByHand(alice, '- [ ] T003 [P]', '[x]');
    const text = await tasksText(alice);
    await writeFile(join(alice.root, TASKS), text.replace('- [ ] T011 [P] [US1]', '- [ ] T011 [US1]'));
    await expect(importIn(alice)).rejects.toMatchObject({ code: 'CYCLE' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(bases);
    expect(await statusOf('T003')).toBe('open');
  });

  it('a damaged base file is replaced, and meanwhile no box is taken as changed by hand', async () => {
    const alice = cloneAs('alice');
    await importIn(alice);
    await writeFile(taskBoxBasePath(alice.root), '{"version": 1, "files": ');
    await setBoxByHand(alice, '- [ ] T003 [P]', '[x]');
    expect((await importIn(alice)).result.statusChanges).toEqual([]);
    const bases = JSON.parse(await readFile(taskBoxBasePath(alice.root), 'utf8'));
    expect(bases.files[TASKS]).toMatchObject({ T3: true });
  });
});

// The tracker's commands as a user runs them: output, --json, errors on stderr with exit codes.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlockedEntry, ReadyEntry } from '../../src/core/ready.js';
import type { ClaimResult, DependencyView, ItemDetails, TreeNode } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('tracker commands', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    git(cwd, ['config', 'user.name', 'Grace Hopper']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  const create = (title: string, ...args: string[]) => sddJson<Item>(cwd, ['create', title, ...args]);

  it('init sets up .sdd once, with the local folder ignored by git', async () => {
    const first = sddJson<{ created: boolean; root: string }>(cwd, ['init']);
    expect(first.created).toBe(true);
    const config = JSON.parse(await readFile(join(cwd, '.sdd', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ idPrefix: 'sd', server: null });
    expect(await readFile(join(cwd, '.sdd', '.gitignore'), 'utf8')).toContain('local/');
    const again = sdd(cwd, ['init']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already set up');
    await expect(readFile(join(cwd, '.sdd', 'config.json'), 'utf8')).resolves.toBe(
      `${JSON.stringify(config, null, 2)}\n`,
    );
    expect(sdd(cwd, ['init', '--prefix', 'Bad Prefix']).code).toBe(0); // already set up: nothing is changed
  });

  it('refuses to work outside a project, saying to run sdd init', () => {
    const result = sdd(cwd, ['ready']);
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('sdd init');
    const json = sdd(cwd, ['ready', '--json']);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'NO_PROJECT' } });
    expect(json.stdout).toBe('');
  });

  describe('in a project', () => {
    beforeEach(() => {
      sddJson(cwd, ['init']);
    });

    it('creates, shows, lists and draws the tree', () => {
      const epic = create('Team notes', '--type', 'epic', '--priority', 'P1');
      const feature = create('Posting', '--type', 'feature', '--parent', epic.id);
      const task = create(
        'Write the model',
        '--parent',
        feature.id,
        '--label',
        'api,db',
        '-d',
        'In src/models.',
      );
      expect(task).toMatchObject({ type: 'task', priority: 1, labels: ['api', 'db'], parent: feature.id });
      const shown = sdd(cwd, ['show', task.id]);
      expect(shown.stdout).toContain('Write the model');
      expect(shown.stdout).toContain(`epic: ${epic.id}`);
      expect(shown.stdout).toContain('In src/models.');
      expect(sddJson<Item[]>(cwd, ['list', '--label', 'db']).map((i) => i.id)).toEqual([task.id]);
      expect(sddJson<Item[]>(cwd, ['list', '--type', 'epic']).map((i) => i.id)).toEqual([epic.id]);
      const tree = sddJson<TreeNode[]>(cwd, ['tree']);
      expect(tree[0]!.children[0]!.children[0]!.item.id).toBe(task.id);
      const text = sdd(cwd, ['tree']).stdout;
      expect(text).toMatch(/epic: Team notes .*\[0\/1 done\]/);
      expect(text).toContain('└─');
    });

    it('updates fields, and notes keep author and order', () => {
      const task = create('Draft');
      const updated = sddJson<{ item: Item }>(cwd, [
        'update',
        task.id,
        '--title',
        'Final',
        '--priority',
        '0',
        '--add-label',
        'ui',
      ]);
      expect(updated.item).toMatchObject({ title: 'Final', priority: 0, labels: ['ui'] });
      sdd(cwd, ['note', task.id, 'first', 'note']);
      sdd(cwd, ['note', task.id, 'second'], { SDD_ACTOR: 'bot-7' });
      const item = sddJson<ItemDetails>(cwd, ['show', task.id]).item;
      expect(item.notes.map((n) => `${n.author}: ${n.text}`)).toEqual([
        'tester: first note',
        'bot-7: second',
      ]);
      const nothing = sdd(cwd, ['update', task.id]);
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toContain('Nothing to change');
    });

    it('takes the actor from --as, then SDD_ACTOR, then git user.name', () => {
      const a = create('a');
      const b = create('b');
      const c = create('c');
      expect(sddJson<ClaimResult>(cwd, ['claim', a.id, '--as', 'ada']).claim.actor).toBe('ada');
      expect(sddJson<ClaimResult>(cwd, ['claim', b.id], { SDD_ACTOR: 'agent-2' }).claim.actor).toBe(
        'agent-2',
      );
      expect(sddJson<ClaimResult>(cwd, ['claim', c.id], { SDD_ACTOR: undefined }).claim.actor).toBe(
        'Grace Hopper',
      );
    });

    it('dep add/list/rm, ready and blocked with reasons, and a refused cycle', () => {
      const a = create('Schema');
      const b = create('Service');
      const c = create('Endpoint');
      expect(sddJson<DependencyView>(cwd, ['dep', 'add', b.id, a.id]).type).toBe('blocks');
      sddJson(cwd, ['dep', 'add', c.id, b.id]);
      expect(sddJson<ReadyEntry[]>(cwd, ['ready']).map((e) => e.item.id)).toEqual([a.id]);
      const blocked = sddJson<BlockedEntry[]>(cwd, ['blocked']);
      expect(blocked.map((e) => [e.item.id, e.waitsOn.map((w) => w.on.id)])).toEqual([
        [b.id, [a.id]],
        [c.id, [b.id]],
      ]);
      expect(sdd(cwd, ['blocked']).stdout).toContain(`waits on ○ ${a.id} Schema`);
      const cycle = sdd(cwd, ['dep', 'add', a.id, c.id]);
      expect(cycle.code).toBe(5);
      expect(cycle.stderr).toMatch(/cycle/);
      for (const id of [a.id, b.id, c.id]) expect(cycle.stderr).toContain(id);
      expect(
        sddJson<DependencyView[]>(cwd, ['dep', 'list', b.id]).map((d) => `${d.from.id}>${d.to.id}`),
      ).toEqual([`${b.id}>${a.id}`, `${c.id}>${b.id}`]);
      sddJson(cwd, ['dep', 'rm', b.id, a.id]);
      expect(sddJson<ReadyEntry[]>(cwd, ['ready']).map((e) => e.item.id)).toEqual([a.id, b.id]);
      expect(sdd(cwd, ['ready']).stdout).toContain('nothing blocks it');
    });

    it('claim, a second claimer refused with the holder named, renew, release, done', () => {
      const task = create('Only task');
      const claimed = sdd(cwd, ['claim', task.id, '--as', 'alice']);
      expect(claimed.code).toBe(0);
      expect(claimed.stdout).toContain(`Claimed ${task.id}`);
      const refused = sdd(cwd, ['claim', task.id, '--as', 'bob']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/claimed by alice until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; .*--force/);
      const renewed = sddJson<ClaimResult>(cwd, ['claim', task.id, '--as', 'alice', '--ttl', '1h']);
      expect(renewed.renewed).toBe(true);
      expect(Date.parse(renewed.claim.expiresAt) - Date.now()).toBeGreaterThan(50 * 60_000);
      expect(sdd(cwd, ['done', task.id, '--as', 'bob']).code).toBe(4);
      expect(sddJson<{ item: Item }>(cwd, ['release', task.id, '--as', 'alice']).item.status).toBe('open');
      expect(sdd(cwd, ['release', task.id, '--as', 'alice']).stdout).toContain('was not claimed');
      sddJson(cwd, ['claim', '--as', 'bob']);
      const done = sddJson<{ item: Item }>(cwd, ['done', task.id, '--as', 'bob']);
      expect(done.item).toMatchObject({ status: 'done', claim: null });
      const none = sdd(cwd, ['claim', '--as', 'carol']);
      expect(none.code).toBe(6);
      expect(none.stderr).toContain('No ready work');
    });

    it('a container cannot be claimed, and closes by itself when its tasks are done', () => {
      const feature = create('Feature', '--type', 'feature');
      const task = create('Task', '--parent', feature.id);
      const refused = sdd(cwd, ['claim', feature.id]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain('container');
      const done = sdd(cwd, ['done', task.id]);
      expect(done.stdout).toContain(`feature ${feature.id} "Feature" is now done`);
      expect(sddJson<ItemDetails>(cwd, ['show', feature.id]).progress).toMatchObject({ done: 1, total: 1 });
    });

    it('bad input: usage errors exit 2, unknown items exit 3, and nothing is printed to stdout', () => {
      const unknownOption = sdd(cwd, ['ready', '--bogus']);
      expect(unknownOption.code).toBe(2);
      expect(unknownOption.stderr).toContain('unknown option');
      expect(sdd(cwd, ['create']).code).toBe(2);
      expect(sdd(cwd, ['frobnicate']).code).toBe(2);
      const badPriority = sdd(cwd, ['create', 'x', '--priority', 'urgent']);
      expect(badPriority.code).toBe(2);
      expect(badPriority.stderr).toContain('Priority "urgent"');
      expect(sdd(cwd, ['create', 'x', '--type', 'story']).stderr).toContain('Unknown type "story"');
      expect(sdd(cwd, ['ready', '--limit', '0']).code).toBe(2);
      expect(sdd(cwd, ['claim', 'x', '--ttl', 'soon']).code).toBe(2);
      const jsonUsage = sdd(cwd, ['ready', '--bogus', '--json']);
      expect(jsonUsage.code).toBe(2);
      expect(JSON.parse(jsonUsage.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
      const missing = sdd(cwd, ['show', 'sd-404']);
      expect(missing).toMatchObject({ code: 3, stdout: '' });
      expect(missing.stderr).toContain('sdd list');
      expect(sddJson<Item[]>(cwd, ['list'])).toEqual([]);
    });

    it('--help explains each command', () => {
      const help = sdd(cwd, ['--help']);
      expect(help.code).toBe(0);
      for (const command of [
        'init',
        'import',
        'ready',
        'blocked',
        'claim',
        'release',
        'done',
        'dep',
        'tree',
      ]) {
        expect(help.stdout).toContain(command);
      }
      const claimHelp = sdd(cwd, ['claim', '--help']);
      expect(claimHelp.stdout).toContain('--ttl');
      expect(claimHelp.stdout).toContain('--json');
    });

    it('names a damaged database and says what to do', async () => {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(cwd, '.sdd', 'local', 'db.json'), '{bad');
      const result = sdd(cwd, ['list']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('db.json is damaged');
    });

    it('-C runs as if started in another folder', () => {
      create('Here');
      const elsewhere = sddJson<Item[]>('/', ['list', '-C', cwd]);
      expect(elsewhere.map((i) => i.title)).toEqual(['Here']);
    });
  });
});

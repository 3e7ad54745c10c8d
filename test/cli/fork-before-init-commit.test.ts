// A fork of a session recorded before `sdd init` was committed branches from a commit without .sdd/:
// the project must stay a project (config, .gitignore) and no checkpoint may take .sdd/local.

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let dir: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => dir.remove());

it('a fork from before .sdd/ was committed keeps the project and keeps .sdd/local out of its checkpoints', async () => {
  const cwd = dir.path;
  git(cwd, ['init', '-q', '-b', 'main']);
  git(cwd, ['config', 'user.name', 'T']);
  git(cwd, ['config', 'user.email', 't@example.com']);
  await writeFile(join(cwd, 'README.md'), '# x\n');
  git(cwd, ['add', '.']);
  git(cwd, ['commit', '-qm', 'before sdd']);
  sddJson(cwd, ['init']);
  const task = sddJson<Item>(cwd, ['create', 'Try it two ways']);
  expect(sdd(cwd, ['run', task.id, '--cmd', 'echo one > one.txt']).code).toBe(0);
  const parent = sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
  git(cwd, ['add', '-A']);
  git(cwd, ['commit', '-qm', 'sdd init and the first try']);

  const forked = sdd(cwd, ['fork', `${parent.id}@0`, '--cmd', 'sdd list --json > list.json']);
  expect(forked.stderr).not.toMatch(/No sdd project/);
  expect(forked.code).toBe(0);
  expect(existsSync(join(cwd, '.sdd', 'config.json'))).toBe(true);
  expect(existsSync(join(cwd, '.sdd', '.gitignore'))).toBe(true);
  expect(sdd(cwd, ['list']).code).toBe(0);
  const child = sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
  const files = git(cwd, ['ls-tree', '-r', '--name-only', `refs/sdd/sessions/${child.id}`]).split('\n');
  expect(files).toContain('list.json');
  expect(files.filter((path) => path.startsWith('.sdd/local'))).toEqual([]);
}, 60_000);

// Checks that a spec-kit feature folder or tasks.md path is found, named and parsed, and that a missing or
// outside file is refused with a message that says what to do.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import { epicTitleFromSpec, readTaskListFile } from '../../src/specs/speckit-epic.js';

const fixtures = fileURLToPath(new URL('../fixtures/speckit/', import.meta.url));
const tasks = '# Tasks: Offline Sync\n\n## Phase 1: Setup\n\n- [ ] T001 Create the workspace\n';

describe('readTaskListFile', () => {
  let project: string;

  beforeEach(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'sdd-speckit-epic-'));
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  async function feature(folder: string, files: Record<string, string>): Promise<string> {
    const dir = path.join(project, 'specs', folder);
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return dir;
  }

  it('reads a spec folder given relative to the working directory, titled from spec.md', async () => {
    const target = path.relative(process.cwd(), path.join(fixtures, 'specs/004-team-notes/'));
    const doc = await readTaskListFile(fixtures, `${target}/`);
    expect([doc.epicKey, doc.epicTitle, doc.file]).toEqual([
      '004-team-notes',
      'Team Notes',
      'specs/004-team-notes/tasks.md',
    ]);
    expect(doc.phases.map((phase) => phase.key)).toEqual([
      'setup',
      'foundational',
      'US1',
      'US2',
      'US3',
      'polish',
    ]);
  });

  it('reads an absolute path of a tasks.md file', async () => {
    const doc = await readTaskListFile(fixtures, path.join(fixtures, 'specs/004-team-notes/tasks.md'));
    expect([doc.epicKey, doc.file, doc.phases[0]!.tasks[0]!.ref]).toEqual([
      '004-team-notes',
      'specs/004-team-notes/tasks.md',
      'T001',
    ]);
  });

  it("takes the title from tasks.md's heading when there is no spec.md", async () => {
    const dir = await feature('007-offline-sync', { 'tasks.md': tasks });
    const doc = await readTaskListFile(project, dir);
    expect([doc.epicKey, doc.epicTitle, doc.file]).toEqual([
      '007-offline-sync',
      'Offline Sync',
      'specs/007-offline-sync/tasks.md',
    ]);
  });

  it('makes the folder name readable when neither file has a title', async () => {
    const dir = await feature('012-bulk-export', {
      'tasks.md': '- [ ] T001 Export\n',
      'spec.md': '# Feature Specification: [FEATURE NAME]\n',
    });
    expect((await readTaskListFile(project, dir)).epicTitle).toBe('Bulk export');
  });

  // a wrong path is bad input (exit 2), not a missing item (NotFoundError, exit 3: "no such item")
  it('refuses a spec folder without tasks.md with InvalidInputError', async () => {
    const dir = await feature('013-empty', { 'spec.md': '# Feature Specification: Empty\n' });
    const error = await readTaskListFile(project, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toBe(
      `No tasks.md in ${dir}/; run spec-kit's /tasks first or give the path of a tasks.md file.`,
    );
  });

  it('refuses a folder that does not exist with InvalidInputError: no such file or folder', async () => {
    const target = path.join(project, 'specs/004-x/');
    const error = await readTaskListFile(project, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toBe(
      `No such file or folder: ${target}. Give a spec folder (specs/004-team-notes/) or the path of its tasks.md.`,
    );
  });

  it('refuses a tasks.md path that does not exist with InvalidInputError', async () => {
    const target = path.join(project, 'specs/004-x/tasks.md');
    const error = await readTaskListFile(project, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).not.toBeInstanceOf(NotFoundError);
  });

  it('refuses a tasks.md outside the project root with InvalidInputError', async () => {
    const dir = await feature('007-offline-sync', { 'tasks.md': tasks });
    const inner = path.join(project, 'inner');
    await mkdir(inner);
    const error = await readTaskListFile(inner, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(/is outside the project at /);
  });

  it('passes parse problems through with the project-relative path', async () => {
    const dir = await feature('014-broken', { 'tasks.md': '## Setup\n- [ ] Missing id\n' });
    await expect(readTaskListFile(project, dir)).rejects.toThrow(
      'specs/014-broken/tasks.md:2: task line has no valid id (expected T001 after the check box)',
    );
  });
});

describe('epicTitleFromSpec', () => {
  it("takes spec.md's first # heading without the Feature Specification prefix", () => {
    const spec = '---\ntitle: x\n---\n\n## Overview\n\n# feature specification:   Team Notes  \n# Later\n';
    expect(epicTitleFromSpec(spec, tasks, '004-team-notes')).toBe('Team Notes');
  });

  it('keeps a spec.md heading that has no prefix', () => {
    expect(epicTitleFromSpec('# Team Notes v2\n', tasks, '004-team-notes')).toBe('Team Notes v2');
  });

  it("falls back to tasks.md's Tasks: heading when spec.md is missing or untitled", () => {
    expect(epicTitleFromSpec(null, tasks, '007-offline-sync')).toBe('Offline Sync');
    expect(epicTitleFromSpec('No heading here\n', tasks, '007-offline-sync')).toBe('Offline Sync');
  });

  it('ignores headings inside code blocks', () => {
    expect(epicTitleFromSpec('```\n# Feature Specification: Fake\n```\n', tasks, '007-x')).toBe(
      'Offline Sync',
    );
  });

  it('falls back to the folder name without its number, dashes to spaces, capitalised', () => {
    expect(epicTitleFromSpec(null, '# Tasks\n- [ ] T001 A\n', '004-team-notes')).toBe('Team notes');
    expect(epicTitleFromSpec(null, '', 'team-notes')).toBe('Team notes');
  });
});

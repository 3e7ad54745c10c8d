// Checks that ticking a task's box changes that one character and nothing else, in a string and in a file,
// and that concurrent ticks of one file all land.

import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyTaskBox, setTaskBox, setTaskBoxInFile, tickTaskBoxInFile } from '../../src/specs/task-box.js';
import { OTHER_TASK, SAME_TASK, titleSimilarity } from '../../src/specs/title-similarity.js';

const text = [
  '# Tasks: Team Notes',
  '',
  '## Phase 1: Setup',
  '',
  '- [ ] T001 Create project structure',
  '- [x] T002 Initialize project',
  '  * [X] T003 [P] Configure linting',
  '',
  '```bash',
  '- [ ] T004 An example in a code block',
  '```',
  '- [ ] T004 The real T004',
  '',
].join('\n');

function changedOffsets(before: string, after: string): number[] {
  expect(after.length).toBe(before.length);
  return [...before].flatMap((char, i) => (char === after[i] ? [] : [i]));
}

describe('setTaskBox', () => {
  it('ticks a box by changing that one character', () => {
    const result = setTaskBox(text, 'T001', true)!;
    expect(result.line).toBe(5);
    expect(changedOffsets(text, result.text)).toEqual([text.indexOf('[ ] T001') + 1]);
    expect(result.text.split('\n')[4]).toBe('- [x] T001 Create project structure');
  });

  it('clears a box checked with [x] or [X]', () => {
    expect(setTaskBox(text, 'T002', false)!.text.split('\n')[5]).toBe('- [ ] T002 Initialize project');
    const cleared = setTaskBox(text, 'T003', false)!;
    expect([cleared.line, cleared.text.split('\n')[6]]).toEqual([7, '  * [ ] T003 [P] Configure linting']);
  });

  it('returns the text unchanged when the box is already as wanted', () => {
    expect(setTaskBox(text, 'T003', true)).toEqual({ text, line: 7 });
    expect(setTaskBox(text, 'T001', false)).toEqual({ text, line: 5 });
  });

  it('compares ids by number', () => {
    expect(setTaskBox(text, 'T1', true)!.line).toBe(5);
    expect(setTaskBox(text, 't0002', false)!.line).toBe(6);
  });

  it('skips task lines in fenced code blocks', () => {
    const result = setTaskBox(text, 'T004', true)!;
    expect(result.line).toBe(12);
    expect(result.text.split('\n')[9]).toBe('- [ ] T004 An example in a code block');
  });

  it('uses the hint line when it still holds the task', () => {
    const twice = `${text}- [ ] T001 A second T001\n`;
    expect(setTaskBox(twice, 'T001', true, 13)!.line).toBe(13);
  });

  it('searches when the hint line holds something else', () => {
    expect(setTaskBox(text, 'T001', true, 6)!.line).toBe(5);
    expect(setTaskBox(text, 'T001', true, 99)!.line).toBe(5);
    expect(setTaskBox(text, 'T004', true, 10)!.line).toBe(12);
  });

  it('returns null when the task is not in the text or the ref is not a task id', () => {
    expect(setTaskBox(text, 'T999', true)).toBeNull();
    expect(setTaskBox(text, 'US1', true)).toBeNull();
  });

  it('keeps CRLF line endings and a BOM', () => {
    const crlf = `\uFEFF${text.replace(/\n/g, '\r\n')}`;
    const result = setTaskBox(crlf, 'T004', true)!;
    expect(result.line).toBe(12);
    expect(changedOffsets(crlf, result.text)).toEqual([crlf.indexOf('[ ] T004 The real') + 1]);
    expect(result.text).toBe(crlf.replace('- [ ] T004 The real', '- [x] T004 The real'));
  });
});

describe('tickTaskBoxInFile', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sdd-task-box-'));
    file = path.join(dir, 'tasks.md');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ticks the box in the file, byte for byte, keeping its mode and leaving no temporary file', async () => {
    const crlf = text.replace(/\n/g, '\r\n');
    await writeFile(file, crlf);
    await chmod(file, 0o640);
    expect(await tickTaskBoxInFile(file, 'T001', true, 5)).toBe(true);
    const after = await readFile(file);
    const before = Buffer.from(crlf);
    expect(after.length).toBe(before.length);
    const changed = [...before].flatMap((byte, i) => (byte === after[i] ? [] : [i]));
    expect(changed).toEqual([crlf.indexOf('[ ] T001') + 1]);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['tasks.md']);
  });

  it('returns false and leaves the file alone when the box is already as wanted', async () => {
    await writeFile(file, text);
    const before = (await stat(file)).mtimeMs;
    expect(await tickTaskBoxInFile(file, 'T002', true)).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect((await stat(file)).mtimeMs).toBe(before);
  });

  it('returns false for a task the file does not have', async () => {
    await writeFile(file, text);
    expect(await tickTaskBoxInFile(file, 'T999', true)).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('returns false for a missing file', async () => {
    expect(await tickTaskBoxInFile(path.join(dir, 'missing.md'), 'T001', true)).toBe(false);
  });

  it('lands every one of 10 concurrent ticks of different tasks in one file', async () => {
    const refs = Array.from({ length: 10 }, (_, i) => `T${String(i + 1).padStart(3, '0')}`);
    await writeFile(file, `## Phase 1: Setup\n\n${refs.map((ref) => `- [ ] ${ref} Task ${ref}\n`).join('')}`);
    const results = await Promise.all(refs.map((ref) => tickTaskBoxInFile(file, ref, true)));
    expect(results).toEqual(refs.map(() => true));
    const lines = (await readFile(file, 'utf8')).split('\n').slice(2, 12);
    expect(lines).toEqual(refs.map((ref) => `- [x] ${ref} Task ${ref}`));
  });
});

describe('titleSimilarity', () => {
  it('takes small edits as the same task', () => {
    for (const [a, b] of [
      ['Add login endpoint in src/api/login.ts', 'Create login endpoint in src/api/login.ts'],
      ['Create User model in src/models/user.py', 'Create the User model in src/models/user.py'],
      ['Configure linting and formatting tools', 'Configure Linting and formatting tools (ruff, black)'],
      ['Configure linting', '[P] [US1] Configure linting'],
    ] as const) {
      expect([a, b, titleSimilarity(a, b) >= SAME_TASK]).toEqual([a, b, true]);
    }
  });

  it('takes different tasks as clearly other', () => {
    for (const [a, b] of [
      [
        'Create project structure per implementation plan',
        'Initialize Python project with FastAPI dependencies',
      ],
      ['Setup database schema and migrations framework', 'Implement authentication/authorization middleware'],
      ['Create User model in src/models/user.py', 'Implement UserService in src/services/user_service.py'],
    ] as const) {
      expect([a, b, titleSimilarity(a, b) < OTHER_TASK]).toEqual([a, b, true]);
    }
  });
});

describe("applyTaskBox with the task's title", () => {
  // T002 and T003 swapped ids since the import; T001 was replaced by another task
  const renumbered = [
    '## Phase 1: Setup',
    '- [ ] T001 Write the deployment guide for operators',
    '- [ ] T002 [P] Configure linting',
    '- [ ] T003 Initialize project',
    '',
  ].join('\n');

  it("ticks the id's line when its title is still the task's, edited a little", () => {
    const outcome = applyTaskBox(renumbered, 'T003', true, { title: 'Initialize the project' });
    expect(outcome).toMatchObject({ kind: 'set', line: 4 });
    expect(outcome).not.toHaveProperty('warning');
  });

  it("ticks the id's line with a warning when its title is alike but not surely the same", () => {
    const outcome = applyTaskBox(renumbered, 'T003', true, { title: 'Initialise the project' });
    expect(outcome).toMatchObject({
      kind: 'set',
      line: 4,
      warning:
        'T003\'s title in the file is now "Initialize project"; `sdd import` the file to take it over.',
    });
  });

  it("ticks the one line that has the title when the id's line holds another task, with a warning", () => {
    const outcome = applyTaskBox(renumbered, 'T002', true, { title: 'Initialize project', hintLine: 3 });
    expect(outcome.kind).toBe('set');
    if (outcome.kind !== 'set') return;
    expect(outcome.line).toBe(4);
    expect(outcome.text.split('\n')[3]).toBe('- [x] T003 Initialize project');
    expect(outcome.text.split('\n')[2]).toBe('- [ ] T002 [P] Configure linting');
    expect(outcome.warning).toContain(
      'T002 is now "Configure linting"; set the box of T003 (line 4) instead',
    );
  });

  it("refuses when the id's line is clearly another task and the title is nowhere", () => {
    const outcome = applyTaskBox(renumbered, 'T001', true, { title: 'Create project structure' });
    expect(outcome).toEqual({
      kind: 'refused',
      line: 2,
      reason:
        'line 2 has T001 "Write the deployment guide for operators", another task than "Create project structure": the file was renumbered or edited since the import',
    });
  });

  it('without a title, goes by the id alone as before', () => {
    expect(applyTaskBox(renumbered, 'T001', true)).toMatchObject({ kind: 'set', line: 2 });
  });

  it('in a file, a refusal leaves every byte as it was', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdd-task-box-'));
    try {
      const file = path.join(dir, 'tasks.md');
      await writeFile(file, renumbered);
      const outcome = await setTaskBoxInFile(file, 'T001', true, { title: 'Create project structure' });
      expect(outcome.kind).toBe('refused');
      expect(await readFile(file, 'utf8')).toBe(renumbered);
      const dry = await setTaskBoxInFile(file, 'T002', true, { title: 'Initialize project', dryRun: true });
      expect(dry).toMatchObject({ kind: 'set', line: 4, changed: true });
      expect(await readFile(file, 'utf8')).toBe(renumbered);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('setTaskBox on the task lists people really have', () => {
  const real = (name: string) =>
    readFileSync(new URL(`../fixtures/speckit/real/${name}`, import.meta.url), 'utf8');
  const lineOf = (t: string, n: number) => t.split(/\r?\n/)[n - 1];

  it("ticks with [X] in a file that ticks with [X], and only that box's character", () => {
    const text = real('bare-lines.md');
    const result = setTaskBox(text, 'T003', true)!;
    expect(lineOf(result.text, 7)).toBe('[X] T003 - Write the README');
    expect(changedOffsets(text, result.text)).toEqual([text.indexOf('[ ] T003') + 1]);
  });

  it('replaces an odd mark when ticking, keeps it when the box stays open, and clears a two-unit mark', () => {
    const text = real('bare-lines.md');
    expect(lineOf(setTaskBox(text, 'T005', true)!.text, 12)).toBe('[X] T005 [US1] - Validate rows [P]');
    expect(setTaskBox(text, 'T005', false)!.text).toBe(text);
    const emoji = '## Setup\n- [✔️] T001 Done\n';
    expect(setTaskBox(emoji, 'T001', false)!.text).toBe('## Setup\n- [ ] T001 Done\n');
  });

  it('sets the box of every copy of the line, so that an import reads the file as the tracker left it', () => {
    const text = real('repeated-checklist.md');
    const ticked = setTaskBox(text, 'T003', true)!;
    expect([ticked.line, lineOf(ticked.text, 10), lineOf(ticked.text, 18)]).toEqual([
      10,
      '- [x] T003 [US1] Week view in web/week.tsx',
      '- [x] T003 Week view',
    ]);
    const cleared = setTaskBox(text, 'T002', false)!;
    expect([lineOf(cleared.text, 6), lineOf(cleared.text, 17)]).toEqual([
      '- [ ] T002 Add the date library',
      '- [ ] T002 Date library chosen',
    ]);
  });

  it('tells T011a from T011', () => {
    const text = real('suffix-ids.md');
    const result = setTaskBox(text, 'T011a', true)!;
    expect([result.line, lineOf(result.text, 7), lineOf(result.text, 6)]).toEqual([
      7,
      '- [x] T011a Add a migration for the schema',
      '- [ ] T011 Add the index schema in search/schema.ts',
    ]);
  });
});

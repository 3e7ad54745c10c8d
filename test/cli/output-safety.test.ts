// What sdd prints cannot hurt the terminal or the caller: a reader that stops early (`sdd ready | head -1`)
// ends sdd quietly, control characters in titles are refused (or cleaned on import) and escaped in
// notes and descriptions, and --json stays exact.

import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult, ItemDetails } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { git, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ESC = '\u001b';

/** Runs sdd with its stdout a real pipe whose read end is closed after the first chunk arrives. */
function sddClosingAfterFirstChunk(
  cwd: string,
  args: string[],
): Promise<{ code: number | null; signal: string | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SDD_BIN, ...args], {
      cwd,
      env: { ...process.env, SDD_ACTOR: 'tester', NO_COLOR: '1' },
    });
    let first = '';
    let stderr = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8');
      child.stdout.destroy(); // what `head -1` does once it has its line
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, first, stderr }));
  });
}

describe('output safety', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    sddJson(cwd, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  async function writeTaskList(epic: string, lines: string[]): Promise<string> {
    const folder = join(cwd, 'specs', epic);
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'tasks.md'),
      `# Tasks: ${epic}\n\n## Phase 1: Setup\n\n${lines.join('\n')}\n`,
    );
    return `specs/${epic}`;
  }

  const manyTasks = (count: number) =>
    Array.from(
      { length: count },
      (_, i) =>
        `- [ ] T${String(i + 1).padStart(4, '0')} Task number ${i + 1}, with a title long enough to fill a pipe`,
    );

  describe('a reader that closes the pipe early', () => {
    it('ends ready, list and tree (text and --json) quietly with exit code 0, far more output than a pipe holds', async () => {
      sddJson(cwd, ['import', await writeTaskList('001-big', manyTasks(3000))]);
      for (const args of [['ready'], ['list'], ['tree'], ['ready', '--json'], ['list', '--json']]) {
        const result = await sddClosingAfterFirstChunk(cwd, args);
        expect({ args, code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({
          args,
          code: 0,
          signal: null,
          stderr: '',
        });
        expect(result.first.length).toBeGreaterThan(0);
      }
    });

    it('a command that writes the database and then prints finishes its write first', async () => {
      const target = await writeTaskList('002-big', manyTasks(3000));
      const result = await sddClosingAfterFirstChunk(cwd, ['import', target, '--json']);
      expect([result.code, result.stderr]).toEqual([0, '']);
      const db = JSON.parse(await readFile(join(cwd, '.sdd', 'local', 'db.json'), 'utf8'));
      expect(db.items.filter((i: Item) => i.type === 'task')).toHaveLength(3000);
    });
  });

  describe('control characters', () => {
    it('refuses a title holding an escape code, saying which character and where', () => {
      const result = sdd(cwd, ['create', `Fix ${ESC}[31mred${ESC}[0m login`]);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain('A title may not hold control characters (U+001B at character 5)');
      expect(result.stderr).not.toContain(ESC);
      expect(sddJson<Item[]>(cwd, ['list'])).toEqual([]);
      const task = sddJson<Item>(cwd, ['create', 'Plain']);
      expect(sdd(cwd, ['update', task.id, '--title', `bell\u0007`]).code).toBe(2);
      expect(sdd(cwd, ['create', 'a\u009bb']).code).toBe(2); // a C1 control (CSI) as well
    });

    it('refuses a title over 500 characters, naming the limit; 500 is accepted', () => {
      const result = sdd(cwd, ['create', 'x'.repeat(100_000)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('A title is at most 500 characters; this one has 100000');
      expect(sddJson<Item>(cwd, ['create', 'y'.repeat(500)]).title).toHaveLength(500);
    });

    it('keeps newlines and tabs of descriptions and notes, and escapes other controls when printed', () => {
      const description = `first line\n\tindented ${ESC}]0;pwned\u0007 and ${ESC}[2J\r\nlast`;
      const task = sddJson<Item>(cwd, ['create', 'Safe title', '-d', description]);
      sddJson(cwd, ['note', task.id, `see ${ESC}[1mthis${ESC}[0m`]);
      const shown = sdd(cwd, ['show', task.id]);
      expect(shown.code).toBe(0);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no control but tab and newline may reach the terminal
      expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(shown.stdout)).toBe(false);
      expect(shown.stdout).toContain('  first line\n  \tindented \\x1b]0;pwned\\x07 and \\x1b[2J\n  last');
      expect(shown.stdout).toContain('see \\x1b[1mthis\\x1b[0m');
      // --json is exact: the same text back, controls and all
      const details = sddJson<ItemDetails>(cwd, ['show', task.id]);
      expect(details.item.description).toBe(description);
      expect(details.item.notes[0]!.text).toBe(`see ${ESC}[1mthis${ESC}[0m`);
    });

    it('escapes controls in error messages too (a ref typed with an escape code)', () => {
      const result = sdd(cwd, ['show', `sd-${ESC}[2J`]);
      expect(result.code).toBe(3);
      expect(result.stderr).not.toContain(ESC);
      expect(result.stderr).toContain('\\x1b[2J');
    });

    it('import cleans a control-laden or over-long title with a file:line warning instead of refusing', async () => {
      const long = `Write ${'the long part '.repeat(60)}end`;
      const target = await writeTaskList('003-messy', [
        '- [ ] T001 Plain task',
        `- [ ] T002 Colour ${ESC}[31mred${ESC}[0m\u0007 out${ESC}]0;title${ESC}\\`,
        `- [ ] T003 ${long}`,
      ]);
      const result = sdd(cwd, ['import', target]);
      expect(result.code).toBe(0);
      const warnings = result.stderr.split('\n').filter((l) => l.includes('warning'));
      expect(warnings).toEqual([
        'specs/003-messy/tasks.md:6: warning: title holds control characters (U+001B); they were removed',
        `specs/003-messy/tasks.md:7: warning: title has ${long.length} characters, more than 500; it was cut (the whole line stays in the file)`,
      ]);
      const t2 = sddJson<ItemDetails>(cwd, ['show', 'T002']).item.title;
      expect(t2).toBe('Colour red out'); // whole escape sequences go, not only their ESC
      const t3 = sddJson<ItemDetails>(cwd, ['show', 'T003']).item.title;
      expect(t3).toHaveLength(500);
      expect(t3.endsWith('…')).toBe(true);
      const json = sddJson<ImportResult & { warnings: { line: number }[] }>(cwd, ['import', target]);
      expect(json.warnings.map((w) => w.line)).toEqual([6, 7]);
      expect(json.unchanged).toBeGreaterThan(0);
      expect(json.updated).toEqual([]); // the cleaned titles are stable across imports
    });
  });
});

// A program that prints a burst and exits at once keeps its last bytes: on the screen (here a file)
// and in the recording. node-pty can end the terminal's socket while the kernel still holds the last
// KB, and destroys the socket 200 ms after the exit whether it was read or not; sdd reads to the end.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const LINES = 40_000;
const WIDTH = 100;
// fold ends its last line without a newline: echo's text follows the last x.
const EXPECTED_BYTES = LINES * WIDTH + (LINES - 1) * 2 + 'all-done\r\n'.length;
const BURST = `head -c ${LINES * WIDTH} /dev/zero | tr '\\0' x | fold -w ${WIDTH}; echo all-done`;

describe('the output a program prints just before it exits', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    git(dir.path, ['commit', '-q', '--allow-empty', '-m', 'start']);
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('reaches the screen and the recording whole, run after run', () => {
    const { id } = sddJson<{ id: string }>(dir.path, ['create', 'burst', '--json']);
    const screen = join(dir.path, 'screen.txt');
    // The race lost the tail in two runs of three before the fix; five runs make a miss unlikely to hide.
    for (let run = 0; run < 5; run++) {
      const result = spawnSync(
        'sh',
        ['-c', `"${process.execPath}" "${SDD_BIN}" run ${id} --cmd "${BURST}" > screen.txt`],
        { cwd: dir.path, env: { ...process.env, SDD_ACTOR: 'tester', NO_COLOR: '1' }, encoding: 'utf8' },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(statSync(screen).size).toBe(EXPECTED_BYTES);
      expect(readFileSync(screen, 'utf8').endsWith('xxall-done\r\n')).toBe(true);

      const sessions = join(dir.path, '.sdd', 'local', 'sessions');
      const newest = readdirSync(sessions).sort().at(-1)!;
      const cast = readFileSync(join(sessions, newest, 'terminal.cast'), 'utf8');
      const output = cast
        .split('\n')
        .slice(1)
        .filter((line) => line.startsWith('['))
        .map((line) => JSON.parse(line) as [number, string, string])
        .filter(([, kind]) => kind === 'o')
        .map(([, , data]) => data)
        .join('');
      expect(output.length).toBe(EXPECTED_BYTES);
      expect(output.endsWith('all-done\r\n')).toBe(true);
      sdd(dir.path, ['release', id]);
    }
  }, 120_000);
});

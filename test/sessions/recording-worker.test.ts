// The recording worker of the built sdd (dist/): it runs at a lower priority than the thread that passes
// the program's bytes to the screen, so on a busy machine the recording, not the program, waits.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'src', 'sessions', 'session-recording.js');

/** The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  const values: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      values.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // a thread that ended while being listed
    }
  }
  return values;
}

describe.runIf(process.platform === 'linux')('the recording worker', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('runs at nice 10, the thread that started it unchanged', async () => {
    if (!existsSync(DIST))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it for you).');
    const { SessionRecording } = (await import(
      DIST
    )) as typeof import('../../src/sessions/session-recording.js');
    const niceHere = getPriority();
    const before = threadNiceValues().filter((nice) => nice === 10).length;
    const recording = await SessionRecording.open(
      join(dir.path, 'terminal.cast'),
      { width: 80, height: 24 },
      {},
    );
    try {
      expect(threadNiceValues().filter((nice) => nice === 10).length).toBe(before + 1);
      expect(getPriority()).toBe(niceHere);
    } finally {
      await recording.close();
    }
  });
});

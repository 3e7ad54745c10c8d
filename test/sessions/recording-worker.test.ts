// The recording worker of the built sdd (dist/): it runs at a lower priority than the thread that passes
// the program's bytes to the screen, so on a busy machine the recording, not the program, waits; and
// it hands the batches' buffers back, so recording more output makes no more of them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

  it('reuses the buffers of recorded batches: 32 MB of output through a handful of them, every byte kept', async () => {
    if (!existsSync(DIST))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it for you).');
    const { SessionRecording } = (await import(
      DIST
    )) as typeof import('../../src/sessions/session-recording.js');
    const castPath = join(dir.path, 'terminal.cast');
    const recording = await SessionRecording.open(castPath, { width: 80, height: 24 }, {});
    const line = Buffer.from('0123456789 the quick brown fox jumps over the lazy dog\r\n');
    const chunk = Buffer.concat(Array.from({ length: Math.ceil(4096 / line.length) }, () => line));
    let written = 0;
    while (written < 32 * 1024 * 1024) {
      // Fresh chunks, as a PTY's reads are; the program waits while the worker is behind.
      recording.output(Buffer.from(chunk));
      written += chunk.length;
      if (recording.isFull()) await recording.drained();
      else if (written % (256 * 1024) < chunk.length) await new Promise((resolve) => setImmediate(resolve));
    }
    await recording.close();
    // 4 MB in flight at most, 128 KB batches: a pool of a few dozen, against 256 fresh buffers without it.
    expect(recording.batchBuffersMade).toBeLessThanOrEqual(48);
    let recorded = 0;
    for (const text of (await readFile(castPath, 'utf8')).trimEnd().split('\n').slice(1)) {
      recorded += Buffer.byteLength((JSON.parse(text) as [number, string, string])[2]);
    }
    expect(recorded).toBe(written);
  }, 60_000);
});

// The recording worker of the built sdd (dist/): it hands the batches' buffers back, so recording more
// output makes no more of them.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCastFile } from '../../src/replay/cast-reader.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'src', 'sessions', 'session-recording.js');

/** A module of the built sdd: the worker runs only from dist/. */
async function built<T>(path: string): Promise<T> {
  if (!existsSync(path)) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you).');
  return (await import(path)) as T;
}

describe('the recording worker', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('reuses the buffers of recorded batches: 32 MB of output through a handful of them, every byte kept', async () => {
    const { SessionRecording } = await built<typeof import('../../src/sessions/session-recording.js')>(DIST);
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
    // 4 MB in flight at most, 1 MB batches: a handful of buffers (4 here), against 32 fresh ones without
    // the pool (the bound was 48 for 128 KB batches, which a pool-less recorder now meets too).
    expect(recording.batchBuffersMade).toBeLessThanOrEqual(16);
    let recorded = 0;
    for (const text of (await readFile(castPath, 'utf8')).trimEnd().split('\n').slice(1)) {
      recorded += Buffer.byteLength((JSON.parse(text) as [number, string, string])[2]);
    }
    expect(recorded).toBe(written);
  }, 60_000);

  it('keeps output, input, resizes and markers in order when their bytes share a batch, and a chunk bigger than a batch whole', async () => {
    const { SessionRecording } = await built<typeof import('../../src/sessions/session-recording.js')>(DIST);
    const castPath = join(dir.path, 'terminal.cast');
    const recording = await SessionRecording.open(castPath, { width: 80, height: 24 }, {});
    // node-pty hands out views of one pooled slab: each chunk is reused once the call returns.
    const slab = Buffer.alloc(64);
    const chunk = (text: string) => {
      slab.fill(0);
      slab.write(text);
      return slab.subarray(0, Buffer.byteLength(text));
    };
    recording.output(chunk('$ ls\r\n'));
    recording.output(chunk('a.txt b.txt\r\n'));
    recording.input(chunk('q'));
    recording.output(chunk('bye\r\n'));
    recording.resize(100, 30);
    recording.output(chunk('after the resize\r\n'));
    recording.marker('m1');
    recording.input(chunk('x'));
    recording.input(chunk('y'));
    const big = Buffer.alloc(2 * 1024 * 1024, 'z');
    recording.output(big);
    recording.output(chunk('tail\r\n'));
    await recording.close();
    const { events } = await readCastFile(castPath);
    const joined: [string, string][] = [];
    for (const { code, data } of events) {
      const last = joined.at(-1);
      if (last && last[0] === code && (code === 'o' || code === 'i')) last[1] += data;
      else joined.push([code, data]);
    }
    expect(joined).toEqual([
      ['o', '$ ls\r\na.txt b.txt\r\n'],
      ['i', 'q'],
      ['o', 'bye\r\n'],
      ['r', '100x30'],
      ['o', 'after the resize\r\n'],
      ['m', 'm1'],
      ['i', 'xy'],
      ['o', `${'z'.repeat(big.length)}tail\r\n`],
    ]);
    const times = events.map(({ time }) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }, 60_000);

  it('stamps output read a while ago (a batch of the pump) with the time it came, never before the event before it', async () => {
    const { SessionRecording } = await built<typeof import('../../src/sessions/session-recording.js')>(DIST);
    const castPath = join(dir.path, 'terminal.cast');
    const recording = await SessionRecording.open(castPath, { width: 80, height: 24 }, {});
    await new Promise((resolve) => setTimeout(resolve, 600));
    recording.output(Buffer.from('read 400 ms ago\r\n'), 400);
    recording.input(Buffer.from('k'));
    // Read before the key, handed over after it: stamped with the key's time, not before it.
    recording.output(Buffer.from('late\r\n'), 300);
    await recording.close();
    const { events } = await readCastFile(castPath);
    const [first, key, late] = events;
    expect(first!.data).toBe('read 400 ms ago\r\n');
    expect(first!.time).toBeGreaterThanOrEqual(0.15);
    expect(first!.time).toBeLessThan(key!.time - 0.3);
    expect(late).toMatchObject({ code: 'o', data: 'late\r\n', time: key!.time });
  });
  it('started ahead, one that failed before its recording opened says why when the recording opens', async () => {
    const { SessionRecording } = await built<typeof import('../../src/sessions/session-recording.js')>(DIST);
    const { RecordingWorker } = await built<typeof import('../../src/sessions/recording-worker-start.js')>(
      join(DIST, '..', 'recording-worker-start.js'),
    );
    const broken = join(dir.path, 'broken-worker.mjs');
    await writeFile(broken, "throw new Error('the redactor module is missing');\n");
    const worker = RecordingWorker.start(pathToFileURL(broken));
    // It fails while the session is still being set up, with nobody listening yet.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const castPath = join(dir.path, 'terminal.cast');
    await expect(
      SessionRecording.open(castPath, { width: 80, height: 24 }, {}, undefined, worker),
    ).rejects.toThrow('the redactor module is missing');
  });

  it('started ahead and not taken, ends when discarded', async () => {
    const { RecordingWorker } = await built<typeof import('../../src/sessions/recording-worker-start.js')>(
      join(DIST, '..', 'recording-worker-start.js'),
    );
    const worker = RecordingWorker.start();
    expect(worker).not.toBeNull();
    const thread = (worker as unknown as { worker: import('node:worker_threads').Worker }).worker;
    const exited = new Promise((resolve) => thread.once('exit', resolve));
    worker!.discard();
    await expect(exited).resolves.toBeDefined();
  });
});

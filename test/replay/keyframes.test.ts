// Checks the keyframe index: on a long, busy recording the screen rendered from a keyframe is exactly the
// screen of a full replay; the index is built on first use, extended when the cast grows (a live recording)
// and rebuilt when the cast was rewritten.

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCastHeader } from '../../src/replay/cast-reader.js';
import { KeyframeIndexReader, keyframeIndexPath } from '../../src/replay/keyframe-file.js';
import { buildKeyframes, KEYFRAME_SPACING, openKeyframeIndex } from '../../src/replay/keyframes.js';
import { renderScreenAt } from '../../src/replay/screen-renderer.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { appendEvents, referenceScreens, writeCast } from './cast-files.js';
import { writeLongCast } from './long-cast.js';

async function readTable(castPath: string) {
  const index = await KeyframeIndexReader.open(keyframeIndexPath(castPath));
  if (!index) throw new Error(`no keyframe index beside ${castPath}`);
  await index.close();
  return index.table;
}

describe('keyframes of a long recording', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let castPath: string;
  let duration: number;
  beforeAll(async () => {
    dir = await makeTempDir('sdd-keyframes-');
    castPath = join(dir.path, 'terminal.cast');
    await writeLongCast(castPath, { seconds: 3600, outputBytes: 40_000_000, seed: 7 });
    const text = await readFile(castPath, 'utf8');
    duration = JSON.parse(text.slice(text.lastIndexOf('\n', text.length - 2) + 1))[0];
  }, 120_000);
  afterAll(async () => {
    await dir.remove();
  });

  it('are built on first use, spaced by bytes of cast, each under the size of a few screens', async () => {
    await renderScreenAt(castPath, 1);
    const table = await readTable(castPath);
    const { size } = await stat(castPath);
    expect(table.cast.scannedBytes).toBe(size);
    expect(table.keyframes.length).toBeGreaterThanOrEqual(Math.floor(size / KEYFRAME_SPACING.bytes));
    for (const [i, keyframe] of table.keyframes.entries()) {
      const previous = table.keyframes[i - 1];
      if (previous) {
        expect(keyframe.time).toBeGreaterThanOrEqual(previous.time);
        // A keyframe waits for a quiet moment past its spacing, but never long.
        expect(keyframe.offset - previous.offset).toBeLessThan(KEYFRAME_SPACING.bytes + 256 * 1024);
      }
      expect(keyframe.length).toBeLessThan(64 * 1024);
    }
  });

  it('give exactly the screens of a full replay, at keyframes, just after them and in between', async () => {
    const table = await readTable(castPath);
    const { header } = await readCastHeader(castPath);
    const moments = new Set<number>([0.001, duration / 2, duration - 0.001, duration + 10]);
    for (const keyframe of table.keyframes.filter((_, i) => i % 4 === 1)) {
      moments.add(keyframe.time);
      moments.add(keyframe.time + 0.01);
      moments.add(keyframe.time + 3);
    }
    for (let i = 0; i < 12; i++) moments.add(Math.round((duration * (i + 0.37)) / 12));
    const times = [...moments].sort((a, b) => a - b);
    const expected = await referenceScreens(castPath, header, times);
    const rendered: string[] = [];
    for (const time of times) rendered.push((await renderScreenAt(castPath, time)).text);
    for (const [i, time] of times.entries()) expect(rendered[i], `screen at ${time}s`).toBe(expected[i]);
  }, 120_000);
});

describe('keyframes of a recording that changes', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    dir = await makeTempDir('sdd-keyframes-live-');
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('are extended from the last keyframe when the cast grows, keeping the keyframes before', async () => {
    const castPath = join(dir.path, 'live.cast');
    await writeLongCast(castPath, { seconds: 300, outputBytes: 5_000_000, seed: 3 });
    await buildKeyframes(castPath);
    const before = await readTable(castPath);
    const last = before.keyframes.at(-1)!;
    // A live recording: more output arrives, the last line still being written.
    const lines: [number, string, string][] = [];
    for (let i = 0; i < 3000; i++)
      lines.push([last.time + 1000 + i * 0.1, 'o', `${'grown '.repeat(200)}${i}\r\n`]);
    await appendEvents(castPath, lines);
    await writeFile(castPath, '[99999, "o", "cut sh', { flag: 'a' });

    const end = last.time + 1000 + 3000 * 0.1;
    const screen = await renderScreenAt(castPath, end);
    const after = await readTable(castPath);
    expect(after.cast.scannedBytes).toBe((await stat(castPath)).size);
    expect(after.keyframes.slice(0, before.keyframes.length)).toEqual(before.keyframes);
    expect(after.keyframes.length).toBeGreaterThan(before.keyframes.length);
    const { header } = await readCastHeader(castPath);
    expect(screen.text).toBe((await referenceScreens(castPath, header, [end]))[0]);
    expect(screen.atSeconds).toBeCloseTo(end - 0.1, 6);
  }, 60_000);

  it('are used as they are while the cast is unchanged', async () => {
    const castPath = join(dir.path, 'same.cast');
    await writeLongCast(castPath, { seconds: 100, outputBytes: 3_000_000, seed: 4 });
    await buildKeyframes(castPath);
    const { mtimeMs } = await stat(keyframeIndexPath(castPath));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await renderScreenAt(castPath, 50);
    expect((await stat(keyframeIndexPath(castPath))).mtimeMs).toBe(mtimeMs);
  }, 60_000);

  it('are rebuilt when the cast was rewritten', async () => {
    const castPath = join(dir.path, 'rewritten.cast');
    await writeLongCast(castPath, { seconds: 100, outputBytes: 3_000_000, seed: 5 });
    await buildKeyframes(castPath);
    const before = await readTable(castPath);
    await writeLongCast(castPath, { seconds: 100, outputBytes: 3_000_000, seed: 8 });
    const { header } = await readCastHeader(castPath);
    expect((await renderScreenAt(castPath, 90)).text).toBe(
      (await referenceScreens(castPath, header, [90]))[0],
    );
    const after = await readTable(castPath);
    expect(after.cast.scannedBytes).toBe((await stat(castPath)).size);
    expect(after.keyframes).not.toEqual(before.keyframes);
  }, 60_000);

  it('are not made for a cast shorter than their spacing', async () => {
    const castPath = join(dir.path, 'short.cast');
    await writeCast(castPath, { width: 20, height: 3 }, [[1, 'o', 'short']]);
    expect((await renderScreenAt(castPath, 5)).text).toBe('short\n\n');
    await expect(stat(keyframeIndexPath(castPath))).rejects.toThrow();
  });

  it('are rebuilt when the index is damaged', async () => {
    const castPath = join(dir.path, 'damaged.cast');
    await writeLongCast(castPath, { seconds: 100, outputBytes: 3_000_000, seed: 6 });
    await writeFile(keyframeIndexPath(castPath), 'not an index');
    const index = await openKeyframeIndex(castPath);
    expect(index?.table.keyframes.length).toBeGreaterThan(0);
    await index?.close();
  }, 60_000);
});

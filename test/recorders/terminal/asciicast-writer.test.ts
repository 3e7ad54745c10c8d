// Checks the asciicast v2 writer: the header, each kind of event, UTF-8 characters split across PTY chunks,
// that the file on disk is valid and current within the flush interval without close() (what survives a
// crash), and that a large output streams through with bounded memory.

import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsciicastWriter } from '../../../recorders/terminal/asciicast-writer.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { parseCast, readCastFile, streamCastEvents } from '../../../src/replay/cast-reader.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

async function lines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('AsciicastWriter', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let path: string;
  beforeEach(async () => {
    dir = await makeTempDir('sdd-cast-writer-');
    path = join(dir.path, 'terminal.cast');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('writes the header line with the given fields', async () => {
    const writer = await AsciicastWriter.open(path, {
      width: 120,
      height: 40,
      command: 'claude',
      title: 'T012',
      env: { SHELL: '/bin/zsh', TERM: 'xterm-256color' },
      timestamp: 1_700_000_000,
    });
    await writer.close();
    expect(await lines(path)).toEqual([
      {
        version: 2,
        width: 120,
        height: 40,
        timestamp: 1_700_000_000,
        command: 'claude',
        title: 'T012',
        env: { SHELL: '/bin/zsh', TERM: 'xterm-256color' },
      },
    ]);
  });

  it('stamps the header with the current time by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    await (await AsciicastWriter.open(path, { width: 80, height: 24 })).close();
    const [header] = (await lines(path)) as [{ timestamp: number }];
    expect(header.timestamp).toBeGreaterThanOrEqual(before);
    expect(header.timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it('writes output, input, resize and marker events with times in seconds to the microsecond', async () => {
    let clock = 5000;
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 }, { now: () => clock });
    clock = 5000 + 1234.5678;
    writer.output('hello\r\n');
    expect(writer.elapsedSeconds()).toBeCloseTo(1.2345678, 9);
    clock = 5000 + 2000;
    writer.input(Buffer.from('q'));
    writer.resize(100, 30);
    clock = 5000 + 2500.0004;
    writer.marker('checkpoint 1');
    await writer.close();
    expect((await lines(path)).slice(1)).toEqual([
      [1.234568, 'o', 'hello\r\n'],
      [2, 'i', 'q'],
      [2, 'r', '100x30'],
      [2.5, 'm', 'checkpoint 1'],
    ]);
  });

  it('joins a UTF-8 character split across two output chunks, apart from input', async () => {
    const euro = Buffer.from('€'); // e2 82 ac
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 });
    writer.output(Buffer.concat([Buffer.from('price: '), euro.subarray(0, 1)]));
    writer.input(euro.subarray(0, 2));
    writer.output(euro.subarray(1));
    writer.input(euro.subarray(2));
    writer.output(euro.subarray(0, 2));
    writer.output(euro.subarray(2));
    await writer.close();
    const events = (await lines(path)).slice(1) as [number, string, string][];
    expect(events.map(([, code, data]) => [code, data])).toEqual([
      ['o', 'price: '],
      ['o', '€'],
      ['i', '€'],
      ['o', '€'],
    ]);
  });

  it('writes invalid bytes and a character cut by close() as U+FFFD', async () => {
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 });
    writer.output(Buffer.from([0x61, 0xff, 0x62]));
    writer.output(Buffer.from([0xe2, 0x82]));
    await writer.close();
    const events = (await lines(path)).slice(1) as [number, string, string][];
    expect(events.map(([, , data]) => data)).toEqual(['a\ufffdb', '\ufffd']);
  });

  it('has the events on disk within the flush interval, without close(): what a crash leaves', async () => {
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 }, { flushIntervalMs: 50 });
    writer.output('before the crash\r\n');
    writer.marker('m1');
    await delay(200);
    const onDisk = parseCast(await readFile(path, 'utf8'), path);
    expect(onDisk.truncated).toBe(false);
    expect(onDisk.events.map((e) => e.data)).toEqual(['before the crash\r\n', 'm1']);
    await writer.close();
  });

  it('forces the file to disk each interval, but not while a burst of output lasts', async () => {
    const writer = await AsciicastWriter.open(
      path,
      { width: 80, height: 24 },
      { flushIntervalMs: 40, maxUnsyncedMs: 60_000 },
    );
    // A few lines a second, as a person or an agent prints them: on disk, and synced, every interval.
    writer.output('a prompt\r\n');
    await delay(150);
    expect(writer.syncs).toBeGreaterThanOrEqual(1);
    // A burst (2 MB per interval): written out all along, but synced only once it is over.
    const synced = writer.syncs;
    const line = `${'x'.repeat(1023)}\n`;
    for (let tick = 0; tick < 8; tick++) {
      for (let i = 0; i < 2048; i++) writer.output(line);
      await delay(20);
    }
    expect(writer.syncs).toBeLessThanOrEqual(synced + 1); // at most the tick that saw it begin
    const during = writer.syncs;
    expect((await lines(path)).length).toBeGreaterThan(6 * 2048); // all but the last MB or so
    await delay(150);
    expect(writer.syncs).toBeGreaterThan(during);
    await writer.close();
  });

  it('forces a long burst to disk after maxUnsyncedMs, and everything at close', async () => {
    const writer = await AsciicastWriter.open(
      path,
      { width: 80, height: 24 },
      { flushIntervalMs: 20, maxUnsyncedMs: 100 },
    );
    const line = `${'y'.repeat(1023)}\n`;
    const started = performance.now();
    while (performance.now() - started < 400) {
      for (let i = 0; i < 2048; i++) writer.output(line);
      await delay(10);
    }
    const midway = writer.syncs;
    expect(midway).toBeGreaterThanOrEqual(1);
    writer.output('last\r\n');
    await writer.close();
    expect(writer.syncs).toBeGreaterThan(midway);
  });

  it('starts the write-back every few MB of a burst, never for a few lines, and keeps every line', async () => {
    const fds: number[] = [];
    const writer = await AsciicastWriter.open(
      path,
      { width: 80, height: 24 },
      { flushIntervalMs: 1000, startWriteback: (fd) => fds.push(fd) },
    );
    writer.output('a prompt\r\n');
    await writer.flush();
    expect(fds).toEqual([]);
    // 12 MB in 1 KB lines: three write-backs (one per 4 MB written), on the file's own descriptor.
    const line = `${'z'.repeat(1023)}\n`;
    for (let i = 0; i < 12 * 1024; i++) {
      writer.output(line);
      if (i % 1024 === 0) await delay(1); // let the writes land, as a program's reads come
    }
    await writer.close();
    expect(fds.length).toBeGreaterThanOrEqual(2);
    expect(fds.length).toBeLessThanOrEqual(3);
    expect(writer.writebacks).toBe(fds.length);
    expect(new Set(fds).size).toBe(1);
    expect(fds[0]).toBeGreaterThan(2);
    const cast = await readCastFile(path);
    expect(cast.events).toHaveLength(1 + 12 * 1024);
    expect(cast.events.at(-1)?.data).toBe(line);
  });

  it('leaves a file that reads back, up to a last line cut in the middle', async () => {
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 });
    writer.output('one\r\n');
    writer.output('two\r\n');
    await writer.flush();
    // What a crash in the middle of a write by another recorder (or a full disk) can leave.
    await appendFile(path, '[3.5, "o", "thr');
    const cast = await readCastFile(path);
    expect(cast.truncated).toBe(true);
    expect(cast.events.map((e) => e.data)).toEqual(['one\r\n', 'two\r\n']);
    await writer.close();
  });

  it('streams 200 MB of output in 64 KiB chunks with memory far below that, every byte kept', async () => {
    // 64 KiB pieces of this text cut its multi-byte characters anywhere, as PTY reads do.
    const text = '\x1b[32mok\x1b[0m build step passed, 日本語 λ €\r\n'.repeat(20_000);
    const bytes = Buffer.from(text);
    const repeats = Math.ceil((200 * 1024 * 1024) / bytes.length);
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (let offset = 0; offset < bytes.length; offset += 65_536) {
        writer.output(bytes.subarray(offset, offset + 65_536));
        // A PTY delivers chunks from the event loop, so the writer's appends get their turns in between.
        await new Promise((resolve) => setImmediate(resolve));
      }
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    await writer.close();
    // Mostly garbage the collector has not yet run for; a writer that kept the recording would pass 200 MB.
    expect(rssPeak - rssBefore).toBeLessThan(100 * 1024 * 1024);

    let position = 0;
    for await (const event of streamCastEvents(path)) {
      for (let at = 0; at < event.data.length; ) {
        const start = position % text.length;
        const length = Math.min(event.data.length - at, text.length - start);
        if (event.data.slice(at, at + length) !== text.slice(start, start + length)) {
          throw new Error(`the recorded output differs from what was written at character ${position}`);
        }
        at += length;
        position += length;
      }
    }
    expect(position).toBe(text.length * repeats);
  }, 120_000);

  it('writes each line byte for byte as JSON.stringify would, an event larger than its buffers too', async () => {
    const writer = await AsciicastWriter.open(path, { width: 80, height: 24 });
    const odd = 'quote " backslash \\ tab \t bell \x07 esc \x1b[0m del \x7f é 日本 😀 \u2028 end\r\n';
    const big = `${'x'.repeat(3 * 1024 * 1024)}${odd}`;
    const texts = [odd, big, 'after', odd.repeat(20_000)];
    for (const [i, text] of texts.entries()) writer.output(text, i + 0.1234567);
    writer.marker('a "marker"', 5);
    await writer.close();
    const written = (await readFile(path, 'utf8')).split('\n').slice(1, -1);
    expect(written).toEqual([
      ...texts.map((text, i) => JSON.stringify([Math.round((i + 0.1234567) * 1e6) / 1e6, 'o', text])),
      JSON.stringify([5, 'm', 'a "marker"']),
    ]);
  });

  it('refuses a file that already holds data, and events after close()', async () => {
    await writeFile(path, 'something\n');
    await expect(AsciicastWriter.open(path, { width: 80, height: 24 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    const other = join(dir.path, 'other.cast');
    const writer = await AsciicastWriter.open(other, { width: 80, height: 24 });
    await writer.close();
    expect(() => writer.output('late')).toThrow(InvalidInputError);
  });

  it('refuses a terminal size that is not a whole number of at least 1', async () => {
    await expect(AsciicastWriter.open(path, { width: 0, height: 24 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(AsciicastWriter.open(path, { width: 80, height: 2.5 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

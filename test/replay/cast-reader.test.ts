// Checks the asciicast reader on hand-written v2 and v3 files (per the asciinema specs), on a recording cut
// by a crash, on malformed lines, and that streaming from any event line agrees with reading the whole file.

import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import {
  parseCast,
  readCastFile,
  readCastHeader,
  type StreamedCastEvent,
  streamCastEvents,
} from '../../src/replay/cast-reader.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const fixtures = fileURLToPath(new URL('../fixtures/casts/', import.meta.url));

async function collect(path: string, options = {}): Promise<StreamedCastEvent[]> {
  const events: StreamedCastEvent[] = [];
  for await (const event of streamCastEvents(path, options)) events.push(event);
  return events;
}

describe('readCastFile', () => {
  it('reads a v2 cast: header fields and events with absolute times', async () => {
    const cast = await readCastFile(join(fixtures, 'v2-demo.cast'));
    expect(cast.header).toEqual({
      version: 2,
      width: 40,
      height: 6,
      timestamp: 1504467315,
      title: 'Demo',
      idleTimeLimit: 2,
    });
    expect(cast.truncated).toBe(false);
    expect(cast.events.map((e) => [e.time, e.code])).toEqual([
      [0.248848, 'o'],
      [1.001376, 'o'],
      [1.5, 'm'],
      [2.143733, 'o'],
      [2.5, 'i'],
      [4.05, 'r'],
      [6.541828, 'o'],
    ]);
    expect(cast.events[0]!.data).toBe('\x1b[1;31mHello \x1b[32mWorld!\x1b[0m\r\n');
    expect(cast.events[2]!.data).toBe('checkpoint 1');
    expect(cast.events[5]!.data).toBe('30x5');
  });

  it('reads a v3 cast: size from term, intervals summed, comments skipped, exit kept', async () => {
    const cast = await readCastFile(join(fixtures, 'v3-demo.cast'));
    expect(cast.header).toEqual({ version: 3, width: 40, height: 6, timestamp: 1504467315, title: 'Demo' });
    expect(cast.events.map((e) => [e.time, e.code, e.data])).toEqual([
      [0.248, 'o', '\x1b[1;31mHello \x1b[32mWorld!\x1b[0m\r\n'],
      [1.249, 'o', 'That was ok\rThis is better.'],
      [4.749, 'm', ''],
      [4.892, 'o', '\r\nNow... '],
      [6.942, 'r', '30x5'],
      [8.483, 'o', 'Bye!'],
      [9.37, 'x', '0'],
    ]);
  });

  it('leaves out a last line cut short by a crash and says so', async () => {
    const cast = await readCastFile(join(fixtures, 'truncated.cast'));
    expect(cast.truncated).toBe(true);
    expect(cast.events.map((e) => e.data)).toEqual(['one\r\n', 'two\r\n']);
  });

  it('reports a malformed line as file:line', async () => {
    const path = join(fixtures, 'malformed.cast');
    const error = await readCastFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(`${path}:3: not valid JSON`);
  });

  it('reports a missing file as not found', async () => {
    await expect(readCastFile(join(fixtures, 'no-such.cast'))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('parseCast', () => {
  it('reads a last line without a newline when it is complete', () => {
    const cast = parseCast('{"version":2,"width":10,"height":2}\n[1,"o","a"]', 'x.cast');
    expect(cast).toMatchObject({ truncated: false, events: [{ time: 1, code: 'o', data: 'a' }] });
  });

  it('refuses a malformed line followed by a newline even at the end', () => {
    expect(() => parseCast('{"version":2,"width":10,"height":2}\n[1,"o"]\n', 'x.cast')).toThrow(
      'x.cast:2: an event must be a JSON array [time, code, data]',
    );
  });

  it('refuses a comment line in v2, where the format has none', () => {
    expect(() => parseCast('{"version":2,"width":10,"height":2}\n# note\n', 'x.cast')).toThrow(
      'x.cast:2: not valid JSON',
    );
  });

  it.each([
    ['', 'x.cast:1: the file is empty; an asciicast starts with a header line'],
    [
      '{"version":1,"width":10,"height":2}\n',
      'x.cast:1: unsupported asciicast version 1 (sdd reads versions 2 and 3)',
    ],
    [
      '{"version":3,"width":10,"height":2}\n',
      'x.cast:1: the header needs term.cols and term.rows as whole numbers of at least 1',
    ],
    ['[1,"o","a"]\n', 'x.cast:1: the first line must be the asciicast header, a JSON object'],
    ['{"version":2,"wid', 'x.cast:1: not valid JSON (the header line is cut short)'],
  ])('refuses a bad header (%j)', (text, message) => {
    expect(() => parseCast(text, 'x.cast')).toThrow(message);
  });

  it.each([
    ['[-1,"o","a"]', 'x.cast:2: an event time must be a number of seconds of at least 0; got -1'],
    ['[1,"","a"]', 'x.cast:2: an event code must be a non-empty string; got ""'],
    ['[1,"o",5]', 'x.cast:2: event data must be a string; got 5'],
  ])('refuses a bad event (%s)', (line, message) => {
    expect(() => parseCast(`{"version":2,"width":10,"height":2}\n${line}\n[2,"o","b"]\n`, 'x.cast')).toThrow(
      message,
    );
  });
});

describe('streamCastEvents', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    dir = await makeTempDir('sdd-cast-reader-');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('streams the same events as readCastFile, with byte offsets of their lines', async () => {
    for (const name of ['v2-demo.cast', 'v3-demo.cast', 'truncated.cast']) {
      const path = join(fixtures, name);
      const streamed = await collect(path);
      const whole = await readCastFile(path);
      expect(streamed.map(({ time, code, data }) => ({ time, code, data }))).toEqual(whole.events);
      const bytes = await readFile(path);
      for (const event of streamed) {
        expect(JSON.parse(bytes.toString('utf8', event.offset, event.end))[1]).toBe(event.code);
      }
    }
  });

  it('resumes at an event line with its line number and the time before it (v3 intervals)', async () => {
    const path = join(fixtures, 'v3-demo.cast');
    const all = await collect(path);
    const from = { offset: all[3]!.offset, line: all[3]!.line, time: all[2]!.time };
    expect(await collect(path, { from })).toEqual(all.slice(3));
  });

  it('reports a malformed line with its line number', async () => {
    const path = join(fixtures, 'malformed.cast');
    await expect(collect(path)).rejects.toThrow(`${path}:3: not valid JSON`);
  });

  it('reads lines that span its read chunks, multi-byte characters included', async () => {
    const path = join(dir.path, 'big.cast');
    const data = `${'€'.repeat(300_000)}\r\n`;
    await writeFile(path, `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n`);
    for (let i = 0; i < 5; i++) await appendFile(path, `${JSON.stringify([i, 'o', data])}\n`);
    const events = await collect(path);
    expect(events.map((e) => e.data === data)).toEqual([true, true, true, true, true]);
    expect((await readCastHeader(path)).header).toEqual({ version: 2, width: 80, height: 24 });
  });
});

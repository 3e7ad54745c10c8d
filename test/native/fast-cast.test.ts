// The native helpers of the recording (src/native/fast-cast.c): its JSON escaper must write exactly
// what JSON.stringify writes, and its scan must stop at everything the redactor could act on. The
// build makes the addon; a build that lost it fails here rather than recording slowly unnoticed.

import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fastCast, loadFastCast } from '../../src/native/fast-cast.js';
import { buildDetectors } from '../../src/redact/detectors.js';
import { NAME_END_CODES } from '../../src/redact/keyed-detector.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

const native = fastCast();

function escaped(text: string): string {
  const bytes = Buffer.from(text);
  const out = Buffer.alloc(6 * bytes.length + 1);
  return out.subarray(0, native!.escapeJson(bytes, 0, bytes.length, out, 0)).toString();
}

const prefilter = () =>
  native!.prefilter(
    buildDetectors({}).keywords.map((keyword) => Buffer.from(keyword)),
    Uint8Array.from(NAME_END_CODES),
  );

describe('the native recording helpers', () => {
  it('are built', () => {
    expect(native, 'dist/native/fast_cast.node is missing: run `npm run build`').not.toBeNull();
  });

  it('are left out when the file will not load, and the recording goes through JavaScript', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sdd-native-'));
    try {
      const broken = join(dir, 'fast_cast.node');
      await writeFile(broken, 'not a shared object');
      expect(loadFastCast([pathToFileURL(join(dir, 'missing.node')), pathToFileURL(broken)])).toBeNull();
      expect(loadFastCast([pathToFileURL(join(dir, 'missing.node'))])).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('escape text exactly as JSON.stringify does, without the quotes', () => {
    const samples = [
      '',
      'plain text',
      'quote " backslash \\ slash / tab \t newline \n return \r',
      '\b\f\v\u0000\u0001\u001b[31mred\u001b[0m\u001f\u007f',
      'é ü ß — “quotes” ✓ 日本語 🎉 \u2028 \u2029 \ufeff',
      '12345678"2345678\\2345678\n',
    ];
    const next = random(7);
    const alphabet = ['a', ' ', '"', '\\', '\n', '\r', '\u001b', '\u0000', 'é', '€', '🎉', '\u2028', 'z'];
    for (let n = 0; n < 200; n++) {
      let text = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      samples.push(text);
    }
    for (const text of samples) expect(escaped(text)).toBe(JSON.stringify(text).slice(1, -1));
  });

  it('escape long text a block at a time, with an escape at every place of a block', () => {
    // The escaper takes 16 bytes at a time: each escaped byte in turn at each of a block's places, and
    // plain runs of every length around them.
    const samples: string[] = [];
    for (let code = 0; code < 0x80; code++) {
      const c = String.fromCharCode(code);
      for (let place = 0; place < 34; place++)
        samples.push(`${'a'.repeat(place)}${c}${'b'.repeat(40 - place)}`);
    }
    const next = random(11);
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = Math.floor(next() * 600);
      for (let i = 0; i < length; i++) {
        const roll = next();
        text += roll < 0.9 ? 'x' : roll < 0.95 ? '\n' : roll < 0.97 ? '"' : roll < 0.98 ? 'é🎉' : '\u0001';
      }
      samples.push(text);
    }
    for (const text of samples) expect(escaped(text)).toBe(JSON.stringify(text).slice(1, -1));
  });

  it('write nothing past the room of 6 bytes per byte', () => {
    const bytes = Buffer.from('plain text that is long enough for whole blocks of sixteen bytes'.repeat(3));
    const room = 6 * bytes.length;
    const out = Buffer.alloc(5 + room + 32, '.');
    const written = native!.escapeJson(bytes, 0, bytes.length, out, 5);
    expect(out.subarray(5, 5 + written).toString()).toBe(bytes.toString());
    expect(out.subarray(0, 5).toString()).toBe('.....');
    expect(out.subarray(5 + room).toString()).toBe('.'.repeat(32));
  });

  it('escape only the range asked, at the offset asked', () => {
    const bytes = Buffer.from('xx"ab"yy');
    const out = Buffer.alloc(64, '.');
    const written = native!.escapeJson(bytes, 2, 6, out, 3);
    expect(out.subarray(0, 3 + written + 1).toString()).toBe('...\\"ab\\".');
  });

  it('find the first place the redactor could act on', () => {
    const filter = prefilter();
    const at = (text: string) => native!.cleanUntil(filter, Buffer.from(text), 0, Buffer.byteLength(text));
    const token = ['gh', 'p_', 'x'.repeat(36)].join('');
    expect(at('nothing to see here, 100% plain')).toBe(31);
    expect(at(`see ${token}`)).toBe(4);
    expect(at('a key block: -----BEGIN')).toBe(13);
    // Keyed names: the separator after a secret word's last letter, either case, over spaces and a quote.
    expect(at('export API_TOKEN=abc')).toBe(16);
    expect(at('"password" : "x"')).toBe(11);
    expect(at('SECRET\t= y')).toBe(7);
    // Other separators are no business of the redactor's (`time:` would be: its `e` ends `passphrase`).
    expect(at('Warning: 12:30, a=b, go=http://x')).toBe(32);
    expect(at('time: 1')).toBe(4);
    // A keyword cut off by the end may still be one.
    expect(at('ends with gh')).toBe(10);
    // Well-formed multi-byte characters pass; ill-formed or cut-off ones stop the run.
    expect(at('é日🎉 fine')).toBe(Buffer.byteLength('é日🎉 fine'));
    const bytes = (...parts: (string | number[])[]) =>
      Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));
    for (const bad of [
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
      [0x80],
      [0xe2, 0x82],
    ]) {
      const data = bytes('ok ', bad, ' after');
      expect(native!.cleanUntil(filter, data, 0, data.length), `bytes ${bad}`).toBe(3);
    }
  });

  it('count a separator whose name starts before the run as one to look at', () => {
    const filter = prefilter();
    const data = Buffer.from('API_KEY  =value');
    // From the separator's side, the name is out of sight: the redactor, which has it, must decide.
    expect(native!.cleanUntil(filter, data, 7, data.length)).toBe(9);
    expect(native!.cleanUntil(filter, data, 10, data.length)).toBe(data.length);
  });

  it('start the write-back of a file, and say false (not throw) where they cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sdd-native-'));
    try {
      const file = await open(join(dir, 'cast'), 'w');
      await file.write(Buffer.alloc(1024 * 1024, 0x61));
      expect(native!.startWriteback(file.fd)).toBe(process.platform === 'linux');
      const closedFd = file.fd;
      await file.close();
      expect((await readFile(join(dir, 'cast'))).equals(Buffer.alloc(1024 * 1024, 0x61))).toBe(true);
      expect(native!.startWriteback(closedFd)).toBe(false);
      // A pipe has no pages to write back (a FIFO opened both ways does not wait for a writer).
      const fifo = join(dir, 'fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const pipe = openSync(fifo, 'r+');
      expect(native!.startWriteback(pipe)).toBe(false);
      closeSync(pipe);
      expect(() => native!.startWriteback(-1)).toThrow(/file descriptor/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuse arguments that would reach past the bytes', () => {
    const filter = prefilter();
    const data = Buffer.from('abc');
    expect(() => native!.cleanUntil(filter, data, 0, 4)).toThrow(/start <= end <= bytes.length/);
    expect(() => native!.cleanUntil(filter, data, 2, 1)).toThrow(/start <= end/);
    expect(() => native!.escapeJson(data, 0, 3, Buffer.alloc(17), 0)).toThrow(/6 bytes of room/);
    expect(() => native!.prefilter([Buffer.alloc(0)], new Uint8Array())).toThrow(/1 to 64 bytes/);
  });
});

// The recording's fast path (stream-runs.ts with the native scan) against the redactor alone: the
// same terminal output, cut into the same reads, must give the same recorded text and the same
// counts either way, whatever sits where a read ends (half a token, half a character, a name before
// its `=`). And what the redactor must leave alone stays: the text after a secret.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastCast } from '../../src/native/fast-cast.js';
import { epochNow, RedactedCast } from '../../src/sessions/redacted-cast.js';
import { wholeCharacters } from '../../src/sessions/stream-runs.js';
import { seededRandom as random } from '../helpers/seeded-random.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { alnum, fake } from '../redact/fake-secrets.js';

/** More with SEEDS=n (a longer search for a difference). */
const SEEDS = Array.from({ length: Number(process.env.SEEDS ?? 8) }, (_, i) => i + 1);

const ENV_SECRET = `envsecret-${alnum(24, 5)}`;
const ENV = { MY_SERVICE_TOKEN: ENV_SECRET, HOME: '/home/someone' };

/** Pieces of terminal output, secrets among them; some end where a secret's first characters begin. */
const PIECES: (() => string | Buffer)[] = [
  () => 'The quick brown fox jumps over the lazy dog, a line of output text 0123456789\r\n',
  () => '\u001b[32m✓\u001b[0m built in 1.2 s — ok 日本語 🎉\r\n',
  () => '{"name": "sdd", "version": "0.1.0", "time": 12}\n',
  () => `export GITHUB_TOKEN=${fake.githubClassic()}\n`,
  () => `password: ${alnum(14, 3)} and then the rest of the line\n`,
  () => `"api_key" : "${alnum(30, 2)}",\n`,
  () => `token ${fake.jwt()} after\n`,
  () => `aws_secret_access_key = ${fake.awsSecret()}\n`,
  () => `${fake.privateKey(4)}\nafter the key\n`,
  () => 'grep: -----BEGIN RSA PRIVATE KEY----- src/keys.ts:12\n',
  () => `the env value ${ENV_SECRET} in the output\n`,
  () => `slack ${fake.slackWebhook()} and ${fake.openaiProject()}\n`,
  () => 'ends with gh',
  () => 'ends with -----BEG',
  () => 'API_KEY',
  () => 'aws_secret_access_key',
  () => '=',
  () => ' : ',
  () => ' ',
  () => '"',
  () => alnum(40, 1),
  () => `${fake.githubClassic().slice(0, 12)}`,
  () => 'envsecret-',
  () => Buffer.from([0xe2, 0x82]), // the first two bytes of €: the next piece may or may not finish it
  () => Buffer.from([0xac]),
  () => Buffer.from([0xff, 0xc0, 0x80]), // ill-formed
  () => 'x'.repeat(5000),
  () => `${'z'.repeat(20_000)}\n`,
];

function stream(seed: number, length: number): Buffer {
  const next = random(seed);
  const parts: Buffer[] = [];
  for (let total = 0; total < length; ) {
    const piece = PIECES[Math.floor(next() * PIECES.length)]!();
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    parts.push(bytes);
    total += bytes.length;
  }
  return Buffer.concat(parts);
}

/** Reads as a PTY gives them: mostly a few KB, now and then one byte or a large burst. */
function reads(data: Buffer, seed: number): Buffer[] {
  const next = random(seed);
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const r = next();
    const size =
      r < 0.1
        ? 1 + Math.floor(next() * 3)
        : r < 0.8
          ? 1 + Math.floor(next() * 4096)
          : 1 + Math.floor(next() * 200_000);
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** Where two recordings part, with what comes before: a failure shows the case, not two 400 KB strings. */
function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, i - 200), i + 80));
  return `the recorded text differs at ${i}:\n  redactor alone: ${around(expected)}\n  fast path:      ${around(actual)}`;
}

describe('the recording with and without the fast path', () => {
  let dir: { path: string; remove(): Promise<void> };
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  async function record(chunks: Buffer[], fastPath: boolean, name: string) {
    const castPath = join(dir.path, `${name}.cast`);
    const cast = await RedactedCast.open({
      castPath,
      header: { width: 80, height: 24 },
      env: ENV,
      startedAt: epochNow(),
      fastPath,
    });
    chunks.forEach((data, i) => {
      cast.record({ type: 'output', at: i / 1000, data: new Uint8Array(data) });
    });
    const counts = await cast.close();
    const lines = (await readFile(castPath, 'utf8')).trimEnd().split('\n').slice(1);
    const events = lines.map((line) => JSON.parse(line) as [number, string, string]);
    return { text: events.map(([, , data]) => data).join(''), counts, events };
  }

  it('is built with the native scan here', () => {
    expect(fastCast()).not.toBeNull();
  });

  for (const seed of SEEDS) {
    it(`records the same text and counts (stream ${seed})`, async () => {
      const data = stream(seed, 400_000);
      const chunks = reads(data, seed * 31);
      const fast = await record(chunks, true, `fast-${seed}`);
      const slow = await record(chunks, false, `slow-${seed}`);
      expect(fast.text === slow.text, firstDifference(slow.text, fast.text)).toBe(true);
      expect(fast.counts).toEqual(slow.counts);
      // Sanity: secrets went, what came after them stayed.
      expect(fast.text).not.toContain(ENV_SECRET);
      expect(fast.text).not.toContain(fake.githubClassic());
      expect(fast.text).toContain('and then the rest of the line');
      expect(fast.text).toContain('after the key');
      expect(fast.text).toContain('src/keys.ts:12');
      // Times never go back.
      for (let i = 1; i < fast.events.length; i++) {
        expect(fast.events[i]![0]).toBeGreaterThanOrEqual(fast.events[i - 1]![0]);
      }
    });
  }

  it('keeps a character cut by a read whole, and writes an unfinished one at the end as U+FFFD', async () => {
    const euro = Buffer.from('€');
    const chunks = [
      Buffer.from('price: 5'),
      euro.subarray(0, 1),
      euro.subarray(1),
      Buffer.from(' ok'),
      euro.subarray(0, 2),
    ];
    for (const fastPath of [true, false]) {
      const { text } = await record(chunks, fastPath, `euro-${fastPath}`);
      expect(text).toBe('price: 5€ ok\ufffd');
    }
  });
});

describe('wholeCharacters', () => {
  it('leaves out only the first bytes of a character still missing its last ones', () => {
    const euro = Buffer.from('a€'); // 61 e2 82 ac
    expect(wholeCharacters(euro)).toBe(4);
    expect(wholeCharacters(euro.subarray(0, 3))).toBe(1);
    expect(wholeCharacters(euro.subarray(0, 2))).toBe(1);
    expect(wholeCharacters(Buffer.from('🎉').subarray(0, 3))).toBe(0);
    expect(wholeCharacters(Buffer.from([0x61, 0x80]))).toBe(2); // a stray continuation byte is taken as it is
    expect(wholeCharacters(Buffer.alloc(0))).toBe(0);
  });
});

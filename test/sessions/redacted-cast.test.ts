// RedactedCast, the recording the worker runs: events stamped with the time they happened (not the
// time they were written), and held-back text flushed after a second without output.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { epochNow, RedactedCast } from '../../src/sessions/redacted-cast.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fake } from '../redact/fake-secrets.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function castLines(path: string): Promise<[number, string, string][]> {
  const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').slice(1);
  return lines.map((line) => JSON.parse(line));
}

describe('RedactedCast', () => {
  let dir: { path: string; remove(): Promise<void> };
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await dir.remove();
  });

  it('stamps events with the time given and keeps their order', async () => {
    const castPath = join(dir.path, 'terminal.cast');
    const cast = await RedactedCast.open({
      castPath,
      header: { width: 80, height: 24 },
      env: {},
      startedAt: epochNow() - 10_000,
    });
    cast.record({ type: 'output', at: 1.5, data: Buffer.from('one ') });
    cast.record({ type: 'marker', at: 2, label: 'between' });
    cast.record({ type: 'resize', at: 2.25, cols: 100, rows: 30 });
    cast.record({ type: 'output', at: 3, data: new Uint8Array(Buffer.from('two')) });
    await cast.close();
    expect(await castLines(castPath)).toEqual([
      [1.5, 'o', 'one '],
      [2, 'm', 'between'],
      [2.25, 'r', '100x30'],
      [3, 'o', 'two'],
    ]);
  });

  it('writes what the redactor holds back after a second without output', async () => {
    const castPath = join(dir.path, 'terminal.cast');
    const cast = await RedactedCast.open({
      castPath,
      header: { width: 80, height: 24 },
      env: {},
      startedAt: epochNow(),
    });
    cast.record({ type: 'output', at: 0, data: Buffer.from('Type it here: ghp_') });
    await sleep(2200); // the idle bound, then the cast's own once-a-second flush
    const written = (await castLines(castPath)).map(([, , data]) => data).join('');
    // All of it is there, not only what was safe at once: it turned out to be no token.
    expect(written).toBe('Type it here: ghp_');
    await cast.close();
  });

  it('cuts a large output event into lines of at most 32 KB, a token and a character across a cut kept whole', async () => {
    const castPath = join(dir.path, 'terminal.cast');
    const cast = await RedactedCast.open({
      castPath,
      header: { width: 80, height: 24 },
      env: {},
      startedAt: epochNow(),
    });
    const token = fake.githubClassic();
    // The token straddles the first 32 KB cut, a three-byte character the second.
    const first = `${'a'.repeat(32 * 1024 - 10)} ${token} `;
    const second = `${'b'.repeat(64 * 1024 - Buffer.byteLength(first) - 1)}€ and the rest`;
    cast.record({ type: 'output', at: 1, data: Buffer.from(first + second) });
    await cast.close();
    const lines = await castLines(castPath);
    // Strings under V8's large-object size: what keeps the worker's collections cheap.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const [, , data] of lines) expect(data.length).toBeLessThanOrEqual(32 * 1024);
    const written = lines.map(([, , data]) => data).join('');
    expect(written).toBe((first + second).replace(token, '[REDACTED:github-token]'));
    expect(lines.every(([time]) => time === 1)).toBe(true);
  });
});

// Uploading a session between two stores by offset: whole, resumed, raced, byte-identical.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { uploadSession } from '../../src/sessions/session-upload.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);

describe('uploadSession', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let source: LocalSessionStore;
  let target: LocalSessionStore;
  beforeEach(async () => {
    dir = await makeTempDir();
    for (const side of ['laptop', 'server']) await mkdir(join(dir.path, side), { recursive: true });
    source = new LocalSessionStore(join(dir.path, 'laptop'));
    target = new LocalSessionStore(join(dir.path, 'server'));
  });
  afterEach(() => dir.remove());

  async function recorded(castBytes: number) {
    const record = sessionRecord();
    await source.putRecord(record);
    await source.appendFile(record.id, 'terminal.cast', 0, bytes(castBytes, 1));
    await source.appendFile(record.id, 'events.jsonl', 0, new TextEncoder().encode('{"type":"marker"}\n'));
    await source.appendFile(record.id, 'transcript/conversation.jsonl', 0, bytes(1000, 7));
    return record;
  }

  async function expectSame(id: string) {
    expect(await target.get(id)).toEqual(await source.get(id));
    for (const file of await source.listFiles(id)) {
      expect(
        Buffer.from(await target.readFile(id, file.name)).equals(
          Buffer.from(await source.readFile(id, file.name)),
        ),
        file.name,
      ).toBe(true);
    }
  }

  it('sends everything in pieces, then nothing the second time', async () => {
    const record = await recorded(100_000);
    const progress: number[] = [];
    const first = await uploadSession(source, target, record.id, {
      pieceBytes: 16_384,
      onProgress: (sent) => progress.push(sent),
    });
    expect(first.bytes).toBe(100_000 + 18 + 1000);
    expect(progress.length).toBeGreaterThan(6);
    await expectSame(record.id);
    expect((await uploadSession(source, target, record.id)).bytes).toBe(0);
  });

  it('goes on from what the target holds: after a cut, while the session still grows, and when it finished', async () => {
    const record = await recorded(50_000);
    await target.putRecord(record);
    await target.appendFile(
      record.id,
      'terminal.cast',
      0,
      (await source.readFile(record.id, 'terminal.cast')).slice(0, 12_345),
    );
    const resumed = await uploadSession(source, target, record.id);
    expect(resumed.bytes).toBe(50_000 - 12_345 + 18 + 1000);
    await source.appendFile(record.id, 'terminal.cast', 50_000, bytes(777, 3));
    await source.putRecord({
      ...record,
      status: 'finished',
      endedAt: '2026-12-01T13:00:00.000Z',
      exitCode: 0,
    });
    expect((await uploadSession(source, target, record.id)).bytes).toBe(777);
    await expectSame(record.id);
  });

  it('two uploads of one session at once leave one byte-identical copy', async () => {
    const record = await recorded(300_000);
    await Promise.all([
      uploadSession(source, target, record.id, { pieceBytes: 10_000 }),
      uploadSession(source, target, record.id, { pieceBytes: 7_000 }),
    ]);
    await expectSame(record.id);
  });

  it('leaves a file the target holds more of alone, and says so', async () => {
    const record = await recorded(10);
    await target.putRecord(record);
    await target.appendFile(record.id, 'terminal.cast', 0, bytes(20, 1));
    const result = await uploadSession(source, target, record.id);
    expect(result.diverged).toEqual(['terminal.cast']);
    expect((await target.readFile(record.id, 'terminal.cast')).length).toBe(20);
  });
});

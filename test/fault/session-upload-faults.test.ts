// A session upload through a real `sdd server` process killed with -9 in the middle of it: after
// the restart, the server says how much it holds (every acknowledged byte, and perhaps the piece
// in flight), the client finishes from there, and the file is byte-identical to what was recorded.

import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import { ServerClient } from '../../src/client/server-client.js';
import { type ServerProcess, startServerProcess } from '../cli/server-harness.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MB = 1024 * 1024;
const FILE_BYTES = 20 * MB;
const PIECE = 256 * 1024;

let database: PostgresDatabase;
beforeAll(async () => {
  database = await postgresDatabase();
});
afterAll(() => database.drop());

const running: ServerProcess[] = [];
const temps: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
  await Promise.all(temps.splice(0).map((t) => t.remove()));
});

describe.each(['lowdb', 'postgres'] as const)('sdd server on %s', (kind) => {
  it('killed with -9 during the upload of a 20 MB file: the upload finishes after the restart, byte-identical', async () => {
    const dir = await makeTempDir('sdd-fault-');
    temps.push(dir);
    const args = kind === 'lowdb' ? ['--data', `${dir.path}/data`] : ['--database', database.url];
    const start = async () => {
      const server = await startServerProcess(dir.path, args);
      running.push(server);
      return server;
    };
    const first = await start();
    const token = first.firstToken!;
    const projectId = randomUUID();
    await new ServerClient({ url: first.url, token }).createProject({
      id: projectId,
      name: 'f',
      idPrefix: 'sd',
    });
    const before = new RemoteSessionStore({ url: first.url, projectId, token, timeoutMs: 5_000 });
    const record = sessionRecord();
    await before.putRecord(record);
    const data = randomBytes(FILE_BYTES);

    // Appends one piece after another; the server is killed once 4 MB are acknowledged.
    let acknowledged = 0;
    const killed = (async () => {
      while (acknowledged < 4 * MB) await new Promise((resolve) => setTimeout(resolve, 2));
      await first.stop('SIGKILL');
    })();
    let failure: unknown = null;
    while (acknowledged < FILE_BYTES && failure === null) {
      const piece = data.subarray(acknowledged, acknowledged + PIECE);
      acknowledged = await before
        .appendFile(record.id, 'terminal.cast', acknowledged, piece)
        .catch((error) => {
          failure = error;
          return acknowledged;
        });
    }
    await killed;
    expect(failure).toMatchObject({ code: 'UNREACHABLE' });
    expect(acknowledged).toBeLessThan(FILE_BYTES);

    const second = await start();
    const after = new RemoteSessionStore({ url: second.url, projectId, token });
    // The client goes on from what it knows; the server corrects it when the piece in flight landed.
    let offset = acknowledged;
    while (offset < FILE_BYTES) {
      try {
        offset = await after.appendFile(
          record.id,
          'terminal.cast',
          offset,
          data.subarray(offset, offset + PIECE),
        );
      } catch (error) {
        expect(error).toMatchObject({ code: 'OFFSET_MISMATCH' });
        const held = (error as { details: { held: number } }).details.held;
        expect(held).toBeGreaterThan(offset); // never less than was acknowledged
        offset = held;
      }
    }
    expect(await after.listFiles(record.id)).toEqual([{ name: 'terminal.cast', size: FILE_BYTES }]);
    const back = Buffer.from(await after.readFile(record.id, 'terminal.cast'));
    expect(back.equals(data)).toBe(true);
  }, 120_000);
});

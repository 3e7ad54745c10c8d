// The real clients on bad input: the remote Service sends refs exactly as given (a ref of "." or
// ".." reaches the server as one path segment and gets the embedded Service's answer, where a URL
// parser would fold /items/../claim into /claim), and a body over a limit comes back as TOO_LARGE.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClient } from '../../src/client/server-client.js';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import type { Service } from '../../src/core/service.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerFixture, startServerFixture } from './server-fixture.js';

let fixture: ServerFixture;
let remote: Service;
let embedded: Service;
let dir: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  fixture = await startServerFixture();
  remote = fixture.server.service(await fixture.server.createProject());
  dir = await makeTempDir();
  embedded = new EmbeddedService(new LowdbStore(join(dir.path, 'tracker.json'), 'sd'));
  for (const service of [remote, embedded]) await service.createItem({ title: 'One' }, 'alice');
});
afterAll(async () => {
  await fixture.close();
  await dir.remove();
});

const calls: [string, (service: Service, ref: string) => Promise<unknown>][] = [
  ['getItem', (s, ref) => s.getItem(ref)],
  ['updateItem', (s, ref) => s.updateItem(ref, { title: 'x' }, 'alice')],
  ['addNote', (s, ref) => s.addNote(ref, 'x', 'alice')],
  ['listDependencies', (s, ref) => s.listDependencies(ref)],
  ['claim', (s, ref) => s.claim(ref, 'alice')],
  ['release', (s, ref) => s.release(ref, 'alice')],
  ['done', (s, ref) => s.done(ref, 'alice')],
];

async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = (await call.then(
    () => new Error('it did not fail'),
    (e: unknown) => e,
  )) as { code: string; message: string };
  return { code: error.code, message: error.message };
}

describe.each(calls)('%s', (_name, call) => {
  it.each(['..', '.', '../..', 'sd-1/..', '%2E%2E', 'a/b', 'a?b', 'a#b'])(
    'with ref "%s" fails as the embedded Service does',
    async (ref) => {
      const expected = await failure(call(embedded, ref));
      expect(await failure(call(remote, ref))).toEqual(expected);
    },
  );
});

describe('bodies over the limit, through the clients', () => {
  it('a 2 MiB title is TOO_LARGE (exit 2), not an unreachable server', async () => {
    const error = await remote
      .createItem({ title: 'x'.repeat(2 * 1024 * 1024) }, 'alice')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_LARGE', exitCode: 2 });
    expect((error as Error).message).toMatch(/\(1 MiB\)/);
  });

  it('a push over 64 MiB is TOO_LARGE, with the limit in the message', async () => {
    const project = await fixture.server.createProject();
    const [item] = await embedded.listItems();
    const client = new ServerClient({ url: fixture.server.url, token: fixture.server.adminToken });
    const huge = { ...item!, description: 'd'.repeat(65 * 1024 * 1024) };
    const error = await client
      .pushProject(project, { schema: 1, idPrefix: 'sd', nextId: 2, items: [huge], dependencies: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_LARGE', exitCode: 2 });
    expect((error as Error).message).toMatch(/\(64 MiB\)/);
  });
});

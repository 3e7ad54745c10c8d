// sdd push against a real server: an embedded project moves there once, whole (items, edges, notes,
// statuses, the next id), the local file stays as it was, and a second push is refused.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteService } from '../../src/client/remote-service.js';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import type { DependencyView } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

describe('sdd push', () => {
  let dir: { path: string; remove(): Promise<void> };
  let server: ServerProcess;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-push-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    env = userEnv(join(dir.path, 'home'), { SDD_TOKEN: server.firstToken! });
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('moves the embedded project once, keeps the local database, and refuses a second push (exit 9)', async () => {
    const clone = join(dir.path, 'clone');
    await mkdir(clone);
    git(clone, ['init', '-q']);
    sddJson(clone, ['init', '--prefix', 'tn'], env);
    const epic = sddJson<Item>(clone, ['create', 'Notes', '--type', 'epic'], env);
    const a = sddJson<Item>(clone, ['create', 'Schema', '--parent', epic.id], env);
    const b = sddJson<Item>(clone, ['create', 'Service', '--parent', epic.id, '--label', 'api'], env);
    sddJson(clone, ['dep', 'add', b.id, a.id], env);
    sddJson(clone, ['note', a.id, 'use SQLite'], env);
    sddJson(clone, ['claim', a.id], env);
    sddJson(clone, ['done', a.id], env);
    // No command records decisions yet in this test's reach: the embedded Service does, as `sdd mcp` would.
    const dbPath = join(clone, '.sdd', 'local', 'db.json');
    const decision = await new EmbeddedService(new LowdbStore(dbPath, 'tn')).recordDecision(
      { item: a.id, question: 'Which store?', choice: 'SQLite', sessionId: 's-1', sessionTime: 2 },
      'alice',
    );
    const before = sddJson<Item[]>(clone, ['list'], env);
    const beforeDeps = sddJson<DependencyView[]>(clone, ['dep', 'list', b.id], env);
    const localBytes = await readFile(dbPath, 'utf8');

    const noServer = sdd(clone, ['push'], env);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('sdd remote set');
    expect(sdd(clone, ['remote', 'set', server.url], env).stdout).toContain('sdd push');

    const pushed = sdd(clone, ['push'], env);
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout).toContain(`Pushed 3 items and 1 dependency to ${server.url}`);
    expect(pushed.stdout).toContain('.sdd/local/db.json');
    expect(await readFile(dbPath, 'utf8')).toBe(localBytes);

    // Through the server now: the same items, statuses, notes and edges, and ids go on from there.
    expect(sddJson<Item[]>(clone, ['list'], env)).toEqual(before);
    expect(sddJson<DependencyView[]>(clone, ['dep', 'list', b.id], env)).toEqual(beforeDeps);
    const config = JSON.parse(await readFile(join(clone, '.sdd', 'config.json'), 'utf8')) as {
      projectId: string;
    };
    const remote = new RemoteService({
      url: server.url,
      projectId: config.projectId,
      token: server.firstToken!,
    });
    expect(await remote.listDecisions()).toEqual([decision]);
    expect(sddJson<Item>(clone, ['create', 'Endpoint'], env).id).toBe('tn-4');

    const again = sdd(clone, ['push'], env);
    expect(again.code).toBe(9);
    expect(again.stderr).toContain('already has items');
    expect(again.stderr).toContain('Nothing changed');
    expect(JSON.parse(sdd(clone, ['push', '--json'], env).stderr)).toMatchObject({
      error: { code: 'ALREADY_EXISTS' },
    });
  }, 120_000);
});

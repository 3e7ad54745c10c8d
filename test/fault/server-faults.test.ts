// Faults with real processes: `sdd server` killed with -9 in the middle of a burst of writes and
// restarted; 50 clients claiming from one project at once; the same spread over two server
// processes on one PostgreSQL. Every acknowledged write survives; no task is ever claimed twice.

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RemoteService } from '../../src/client/remote-service.js';
import { ServerClient } from '../../src/client/server-client.js';
import { type ServerProcess, startServerProcess } from '../cli/server-harness.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

type Location = { kind: 'lowdb' } | { kind: 'postgres' };

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

async function home(): Promise<string> {
  const dir = await makeTempDir('sdd-fault-');
  temps.push(dir);
  return dir.path;
}

/** Starts `sdd server` on the store; the first start of a store prints the admin token. */
async function start(homeDir: string, location: Location, databaseUrl?: string): Promise<ServerProcess> {
  const args = location.kind === 'lowdb' ? ['--data', `${homeDir}/data`] : ['--database', databaseUrl!];
  const server = await startServerProcess(homeDir, args);
  running.push(server);
  return server;
}

/** A project of `tasks` open tasks on the server. */
async function seedProject(url: string, token: string, tasks: number): Promise<string> {
  const id = randomUUID();
  await new ServerClient({ url, token }).createProject({ id, name: 'fault', idPrefix: 'sd' });
  const service = new RemoteService({ url, projectId: id, token });
  for (let i = 0; i < tasks; i++) await service.createItem({ title: `task ${i + 1}` }, 'seed');
  return id;
}

/** `clients` claimers taking the next ready task until none is left; what each was given. */
async function claimAll(services: RemoteService[], clients: number): Promise<Map<string, string[]>> {
  const given = new Map<string, string[]>();
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const service = services[i % services.length]!;
      const actor = `agent-${i}`;
      for (;;) {
        try {
          const result = await service.claimNext(actor);
          given.set(result.item.id, [...(given.get(result.item.id) ?? []), actor]);
        } catch (error) {
          if ((error as { code?: string }).code === 'NO_READY_WORK') return;
          throw error;
        }
      }
    }),
  );
  return given;
}

describe.each([{ kind: 'lowdb' } as const, { kind: 'postgres' } as const])(
  'sdd server on $kind',
  (location) => {
    it('keeps every acknowledged write when killed with -9 during a burst, and never a claim twice', async () => {
      const dir = await home();
      const databaseUrl = location.kind === 'postgres' ? (await postgresDatabase()).url : undefined;
      const first = await start(dir, location, databaseUrl);
      const token = first.firstToken!;
      expect(token).toBeTruthy();
      const projectId = await seedProject(first.url, token, 30);
      const service = new RemoteService({ url: first.url, projectId, token, timeoutMs: 5_000 });

      const created: string[] = [];
      const claimed = new Map<string, string>();
      let stop = false;
      const writers = Array.from({ length: 8 }, async (_, i) => {
        const actor = `w${i}`;
        while (!stop) {
          try {
            if (i % 2 === 0) created.push((await service.createItem({ title: `burst ${i}` }, actor)).id);
            else {
              const result = await service.claimNext(actor);
              expect(claimed.has(result.item.id)).toBe(false);
              claimed.set(result.item.id, actor);
            }
          } catch {
            return; // the server is gone: what was not acknowledged may or may not be there
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
      await first.stop('SIGKILL');
      stop = true;
      await Promise.all(writers);
      expect(created.length + claimed.size).toBeGreaterThan(5);

      const second = await start(dir, location, databaseUrl);
      expect(second.firstToken).toBeNull(); // the admin token of the first start still stands
      const after = new RemoteService({ url: second.url, projectId, token });
      const items = new Map((await after.listItems()).map((item) => [item.id, item]));
      for (const id of created) expect(items.has(id), `created ${id}`).toBe(true);
      for (const [id, actor] of claimed) expect(items.get(id)?.claim?.actor, `claim of ${id}`).toBe(actor);
      // Every claim in the store is one a claimer was given, or one whose answer the kill cut off.
      const holders = [...items.values()].filter((item) => item.claim);
      expect(new Set(holders.map((item) => item.id)).size).toBe(holders.length);
    }, 120_000);

    it('gives each task to exactly one of 50 clients claiming at once', async () => {
      const dir = await home();
      const databaseUrl = location.kind === 'postgres' ? (await postgresDatabase()).url : undefined;
      const server = await start(dir, location, databaseUrl);
      const token = server.firstToken!;
      const projectId = await seedProject(server.url, token, 60);
      const service = new RemoteService({ url: server.url, projectId, token });
      const given = await claimAll([service], 50);
      expect(given.size).toBe(60);
      for (const [id, actors] of given) expect(actors, id).toHaveLength(1);
    }, 120_000);
  },
);

describe('two sdd server processes on one PostgreSQL', () => {
  it('gives each task to exactly one of 50 clients spread over both', async () => {
    const url = (await postgresDatabase()).url;
    const one = await start(await home(), { kind: 'postgres' }, url);
    const two = await start(await home(), { kind: 'postgres' }, url);
    const token = one.firstToken ?? two.firstToken;
    expect(token).toBeTruthy();
    expect(one.firstToken && two.firstToken).toBeFalsy(); // one admin token, not two
    const projectId = await seedProject(one.url, token!, 60);
    const services = [one, two].map((s) => new RemoteService({ url: s.url, projectId, token: token! }));
    const given = await claimAll(services, 50);
    expect(given.size).toBe(60);
    for (const [id, actors] of given) expect(actors, id).toHaveLength(1);
    // A write through one process is seen through the other.
    const done = await services[0]!.done([...given.keys()][0]!, given.values().next().value![0]!);
    expect((await services[1]!.getItem(done.item.id)).item.status).toBe('done');
  }, 120_000);
});

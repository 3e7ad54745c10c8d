// The PostgreSQL tracker store under concurrency: two server processes (real child processes, each its
// own pool and snapshot) claiming from one project never share a task; what one writes the other
// reads next; a change that fails, in the core or in the database, writes nothing.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import type { TeamStore } from '../../src/core/team-store.js';
import type { TrackerData } from '../../src/core/types.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { REPO_ROOT } from '../helpers/run-sdd.js';

let database: PostgresDatabase;
const opened: TeamStore[] = [];
let projects = 0;

beforeAll(async () => {
  database = await postgresDatabase();
});
afterAll(async () => {
  for (const team of opened) await team.close();
  await database.drop();
});

async function openTeam(): Promise<TeamStore> {
  const team = await openPostgresTeamStore(database.url);
  opened.push(team);
  return team;
}

async function newProject(team: TeamStore): Promise<string> {
  const id = `p${++projects}`;
  await team.createProject({
    id,
    name: id,
    idPrefix: 'sd',
    createdAt: new Date().toISOString(),
    createdBy: 't',
  });
  return id;
}

interface Claimer {
  /** Resolves once the claimer has its store open and waits for the go. */
  ready: Promise<void>;
  go(): void;
  /** The ids it claimed. */
  result: Promise<string[]>;
}

function startClaimer(project: string, actor: string): Claimer {
  const script = join(REPO_ROOT, 'test', 'store', 'postgres-claimer.mjs');
  const child = spawn(process.execPath, [script, database.url, project, actor], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const result = new Promise<string[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`claimer ${actor} exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.slice('ready\n'.length)) as string[]);
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), result };
}

/** What a process that never saw the project before loads: the database's own view. */
async function freshRead(project: string): Promise<TrackerData> {
  const team = await openTeam();
  return team.trackerStore(project).read();
}

describe('PostgreSQL store across processes', () => {
  it('two server processes claiming from one project of 50 tasks give each task exactly once', async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'src', 'store', 'postgres', 'postgres-team-store.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it for you).');
    }
    const team = await openTeam();
    const project = await newProject(team);
    const service = new EmbeddedService(team.trackerStore(project));
    const ids: string[] = [];
    for (let n = 1; n <= 50; n++) ids.push((await service.createItem({ title: `task ${n}` }, 't')).id);

    const a = startClaimer(project, 'server-a');
    const b = startClaimer(project, 'server-b');
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [first, second] = await Promise.all([a.result, b.result]);
    const all = [...first, ...second];
    expect(all.sort()).toEqual([...ids].sort());
    expect(new Set(all).size).toBe(50);
    // Both really took part: the row lock serialised them, it did not starve one of them.
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    // This process's snapshot catches up with the other processes' claims at its next read.
    const holders = new Map((await service.listItems()).map((item) => [item.id, item.claim?.actor]));
    for (const id of first) expect(holders.get(id)).toBe('server-a');
    for (const id of second) expect(holders.get(id)).toBe('server-b');
  });

  it("a write by one process is in the other's next read: items, notes, claims, released claims and edges", async () => {
    const one = await openTeam();
    const other = await openTeam();
    const project = await newProject(one);
    const a = new EmbeddedService(one.trackerStore(project));
    const b = new EmbeddedService(other.trackerStore(project));
    const epic = await a.createItem({ type: 'epic', title: 'Epic' }, 'alice');
    const t1 = await a.createItem({ title: 'one', parent: epic.id }, 'alice');
    const t2 = await a.createItem({ title: 'two', parent: epic.id }, 'alice');
    expect((await b.listItems()).map((i) => i.title)).toEqual(['Epic', 'one', 'two']);

    await a.addDependency(t2.id, t1.id, 'blocks', 'alice');
    await a.addNote(t1.id, 'first note', 'alice');
    await a.claim(t1.id, 'alice');
    expect((await b.ready()).map((e) => e.item.id)).toEqual([]);
    expect((await b.getItem(t1.id)).item).toMatchObject({
      notes: [{ text: 'first note' }],
      claim: { actor: 'alice' },
    });

    await b.release(t1.id, 'alice');
    await b.removeDependency(t2.id, t1.id);
    await b.updateItem(t2.id, { title: 'two, renamed' }, 'bob');
    expect((await a.ready()).map((e) => e.item.id)).toEqual([t1.id, t2.id]);
    expect((await a.getItem(t1.id)).item.claim).toBeNull();

    // The snapshots kept up by increments equal what a newcomer loads whole.
    const whole = await freshRead(project);
    expect(await one.trackerStore(project).read()).toEqual(whole);
    expect(await other.trackerStore(project).read()).toEqual(whole);
  });

  it("a decision one process records is in the other's next read, and in a newcomer's whole load", async () => {
    const one = await openTeam();
    const other = await openTeam();
    const project = await newProject(one);
    const a = new EmbeddedService(one.trackerStore(project));
    const b = new EmbeddedService(other.trackerStore(project));
    const task = await a.createItem({ title: 'one' }, 'alice');
    expect(await b.listDecisions()).toEqual([]);
    const first = await a.recordDecision({ item: task.id, question: 'Which?', choice: 'this' }, 'alice');
    expect(await b.listDecisions()).toEqual([first]);
    const second = await b.recordDecision(
      {
        item: task.id,
        question: 'When?',
        options: ['now', 'later'],
        choice: 'now',
        sessionId: 's1',
        sessionTime: 3.25,
      },
      'bob',
    );
    // A note on the item in between: the items' refresh and the decisions' stay apart.
    await a.addNote(task.id, 'noted', 'alice');
    expect(await a.listDecisions()).toEqual([first, second]);
    expect((await freshRead(project)).decisions).toEqual([first, second]);
    expect(await one.trackerStore(project).read()).toEqual(await freshRead(project));
  });

  it('a change that throws writes nothing and leaves the snapshot as it was', async () => {
    const team = await openTeam();
    const project = await newProject(team);
    const store = team.trackerStore(project);
    const service = new EmbeddedService(store);
    await service.createItem({ title: 'kept' }, 't');
    const before = await store.read();
    const copy = structuredClone(before);

    await expect(
      store.update((data) => {
        data.items[0]!.title = 'changed';
        data.nextId = 99;
        data.items.push({ ...data.items[0]!, id: 'sd-99' });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await store.read()).toBe(before);
    expect(before).toEqual(copy);
    expect(await freshRead(project)).toEqual(copy);
  });

  it('a change the database refuses writes nothing and leaves the snapshot as it was', async () => {
    const team = await openTeam();
    const project = await newProject(team);
    const store = team.trackerStore(project);
    await new EmbeddedService(store).createItem({ title: 'kept' }, 't');
    const before = await store.read();
    const copy = structuredClone(before);

    // The title is written first, then the bad time fails the same transaction.
    await expect(
      store.update((data) => {
        data.items[0]!.title = 'changed';
        data.items.push({ ...data.items[0]!, id: 'sd-2', createdAt: 'not a time' });
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/time|timestamp/i) });
    expect(await store.read()).toBe(before);
    expect(before).toEqual(copy);
    expect(await freshRead(project)).toEqual(copy);
  });

  it('answers a read from its snapshot while the version stands, and a no-op change bumps nothing', async () => {
    const team = await openTeam();
    const project = await newProject(team);
    const store = team.trackerStore(project);
    await new EmbeddedService(store).createItem({ title: 'one' }, 't');
    const first = await store.read();
    expect(await store.read()).toBe(first);
    await store.update(() => 'nothing');
    expect(await store.read()).toBe(first);
  });

  it('an unknown project is NOT_FOUND on read and on write', async () => {
    const team = await openTeam();
    const store = team.trackerStore('nope');
    await expect(store.read()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

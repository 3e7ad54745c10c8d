// The Service contract: one suite that every implementation must pass, the embedded one now and the
// team server's HTTP client later. It talks only through the Service interface.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../src/core/service.js';
import { describeDecisionContract } from './decision-contract.js';
import { describeEpicNumberContract } from './epic-number-contract.js';
import { phase, task, teamNotesDocument } from './task-list-builder.js';

export interface ServiceHarness {
  service: Service;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function describeServiceContract(name: string, open: () => Promise<ServiceHarness>): void {
  describe(`Service contract: ${name}`, () => {
    let harness: ServiceHarness;
    let service: Service;

    beforeEach(async () => {
      harness = await open();
      service = harness.service;
    });
    afterEach(async () => {
      await harness.close();
    });

    async function readyIds(query = {}): Promise<string[]> {
      return (await service.ready(query)).map((e) => e.item.id);
    }
    async function refOf(id: string): Promise<string> {
      return (await service.getItem(id)).item.source!.ref;
    }
    async function readyRefs(query = {}): Promise<string[]> {
      return (await service.ready(query)).map((e) => e.item.source?.ref ?? e.item.id);
    }

    describeDecisionContract(() => service);

    describe('items', () => {
      it('creates a task with defaults and finds it by id and by number', async () => {
        const item = await service.createItem({ title: '  Write the parser ' }, 'alice');
        expect(item).toMatchObject({
          type: 'task',
          title: 'Write the parser',
          status: 'open',
          priority: 2,
          parent: null,
        });
        expect(item.id).toMatch(/^[a-z][a-z0-9]*-\d+$/);
        expect((await service.getItem(item.id)).item.title).toBe('Write the parser');
        const number = item.id.slice(item.id.indexOf('-') + 1);
        expect((await service.getItem(number)).item.id).toBe(item.id);
      });

      it('gives a child its parent priority unless told otherwise', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'Epic', priority: 1 }, 'alice');
        const child = await service.createItem({ title: 'Child', parent: epic.id }, 'alice');
        const urgent = await service.createItem({ title: 'Urgent', parent: epic.id, priority: 0 }, 'alice');
        expect(child.priority).toBe(1);
        expect(urgent.priority).toBe(0);
      });

      it('refuses a blank title, an unknown type, a priority out of range, an unknown parent', async () => {
        await expect(service.createItem({ title: '  ' }, 'a')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(service.createItem({ title: 'x', type: 'story' as never }, 'a')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(service.createItem({ title: 'x', priority: 7 }, 'a')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(service.createItem({ title: 'x', parent: 'nope-1' }, 'a')).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        expect(await service.listItems()).toEqual([]);
      });

      it('lists with filters and updates fields', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E' }, 'a');
        const t1 = await service.createItem({ title: 'one', parent: epic.id, labels: ['api'] }, 'a');
        await service.createItem({ title: 'two', type: 'bug' }, 'a');
        expect((await service.listItems({ type: 'bug' })).map((i) => i.title)).toEqual(['two']);
        expect((await service.listItems({ label: 'api' })).map((i) => i.id)).toEqual([t1.id]);
        expect((await service.listItems({ epic: epic.id })).map((i) => i.id)).toEqual([t1.id]);
        const { item } = await service.updateItem(
          t1.id,
          { title: 'one!', priority: 0, addLabels: ['ui'], removeLabels: ['api'] },
          'a',
        );
        expect(item).toMatchObject({ title: 'one!', priority: 0, labels: ['ui'] });
        await expect(service.listItems({ status: 'later' as never })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      });

      it('keeps notes as an append-only log with author and time', async () => {
        const t = await service.createItem({ title: 't' }, 'a');
        await service.addNote(t.id, 'first', 'alice');
        const item = await service.addNote(t.id, 'second', 'bob');
        expect(item.notes.map((n) => [n.author, n.text])).toEqual([
          ['alice', 'first'],
          ['bob', 'second'],
        ]);
        expect(Date.parse(item.notes[0]!.at)).not.toBeNaN();
        await expect(service.addNote(t.id, ' ', 'a')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      });

      it('reports an unknown reference as NOT_FOUND', async () => {
        await expect(service.getItem('sd-999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(service.claim('T404', 'a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });
    });

    describe('dependencies and cycles', () => {
      it('a blocked task becomes ready when its blocker is done', async () => {
        const a = await service.createItem({ title: 'a' }, 'x');
        const b = await service.createItem({ title: 'b' }, 'x');
        await service.addDependency(b.id, a.id, 'blocks', 'x');
        expect(await readyIds()).toEqual([a.id]);
        const blocked = await service.blocked();
        expect(blocked.map((e) => [e.item.id, e.waitsOn.map((w) => w.on.id)])).toEqual([[b.id, [a.id]]]);
        await service.done(a.id, 'x');
        expect(await readyIds()).toEqual([b.id]);
        const [entry] = await service.ready();
        expect(entry!.finishedBlockers.map((s) => s.id)).toEqual([a.id]);
        expect(entry!.reason).toContain('blockers are finished');
      });

      it('a cancelled blocker unblocks too', async () => {
        const a = await service.createItem({ title: 'a' }, 'x');
        const b = await service.createItem({ title: 'b' }, 'x');
        await service.addDependency(b.id, a.id, 'blocks', 'x');
        await service.updateItem(a.id, { status: 'cancelled' }, 'x');
        expect(await readyIds()).toEqual([b.id]);
      });

      it('refuses a blocks edge that closes a cycle, names the cycle, and writes nothing', async () => {
        const [a, b, c] = await Promise.all(
          ['a', 'b', 'c'].map((t) => service.createItem({ title: t }, 'x')),
        );
        await service.addDependency(b!.id, a!.id, 'blocks', 'x');
        await service.addDependency(c!.id, b!.id, 'blocks', 'x');
        const error = await service.addDependency(a!.id, c!.id, 'blocks', 'x').catch((e) => e);
        expect(error).toMatchObject({ code: 'CYCLE' });
        const cycle = error.details.cycle as string[];
        expect(new Set(cycle)).toEqual(new Set([a!.id, b!.id, c!.id]));
        expect(cycle[0]).toBe(cycle[cycle.length - 1]);
        for (const id of [a!.id, b!.id, c!.id]) expect(error.message).toContain(id);
        expect((await service.listDependencies(a!.id)).filter((d) => d.type === 'blocks')).toHaveLength(1);
      });

      it('refuses a task waiting on its own feature: it could never start', async () => {
        const feature = await service.createItem({ type: 'feature', title: 'F' }, 'x');
        const t = await service.createItem({ title: 't', parent: feature.id }, 'x');
        await expect(service.addDependency(t.id, feature.id, 'blocks', 'x')).rejects.toMatchObject({
          code: 'CYCLE',
        });
        await expect(service.addDependency(feature.id, t.id, 'blocks', 'x')).rejects.toMatchObject({
          code: 'CYCLE',
        });
      });

      it('refuses a dependency of an item on itself', async () => {
        const a = await service.createItem({ title: 'a' }, 'x');
        await expect(service.addDependency(a.id, a.id, 'blocks', 'x')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      });

      it('parent-child edges move items and refuse loops; related and discovered-from do not block', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E' }, 'x');
        const outer = await service.createItem({ type: 'feature', title: 'Outer', parent: epic.id }, 'x');
        const feature = await service.createItem({ type: 'feature', title: 'F' }, 'x');
        await service.addDependency(feature.id, outer.id, 'parent-child', 'x');
        expect((await service.getItem(feature.id)).parent?.id).toBe(outer.id);
        await expect(service.addDependency(outer.id, feature.id, 'parent-child', 'x')).rejects.toMatchObject({
          code: 'CYCLE',
        });
        await expect(service.addDependency(epic.id, feature.id, 'parent-child', 'x')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        const a = await service.createItem({ title: 'a', parent: feature.id }, 'x');
        const b = await service.createItem({ title: 'b', parent: feature.id }, 'x');
        await service.addDependency(b.id, a.id, 'discovered-from', 'x');
        await service.addDependency(b.id, a.id, 'related', 'x');
        expect(new Set(await readyIds())).toEqual(new Set([a.id, b.id]));
        const deps = await service.listDependencies(b.id);
        expect(deps.map((d) => `${d.from.id} ${d.type} ${d.to.id}`).sort()).toEqual(
          [
            `${b.id} discovered-from ${a.id}`,
            `${b.id} parent-child ${feature.id}`,
            `${b.id} related ${a.id}`,
          ].sort(),
        );
        expect((await service.getItem(b.id)).discoveredFrom.map((s) => s.id)).toEqual([a.id]);
        const removed = await service.removeDependency(b.id, a.id, 'related');
        expect(removed.map((d) => d.type)).toEqual(['related']);
        await expect(service.removeDependency(b.id, a.id, 'related')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      });
    });

    describe('ready work', () => {
      it('orders by priority, then MVP and plan order, then id; never offers containers', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E', priority: 1 }, 'x');
        const low = await service.createItem({ title: 'low', priority: 3 }, 'x');
        const first = await service.createItem({ title: 'first', parent: epic.id }, 'x');
        const second = await service.createItem({ title: 'second', parent: epic.id }, 'x');
        const urgent = await service.createItem({ title: 'urgent', priority: 0 }, 'x');
        expect(await readyIds()).toEqual([urgent.id, first.id, second.id, low.id]);
        expect(await readyIds({ limit: 2 })).toEqual([urgent.id, first.id]);
        expect(await readyIds({ epic: epic.id })).toEqual([first.id, second.id]);
        await expect(service.ready({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      });

      it('holds back the tasks of a feature that waits on unfinished work, and says why', async () => {
        const f1 = await service.createItem({ type: 'feature', title: 'F1' }, 'x');
        const f2 = await service.createItem({ type: 'feature', title: 'F2' }, 'x');
        const t1 = await service.createItem({ title: 't1', parent: f1.id }, 'x');
        const t2 = await service.createItem({ title: 't2', parent: f2.id }, 'x');
        await service.addDependency(f2.id, f1.id, 'blocks', 'x');
        expect(await readyIds()).toEqual([t1.id]);
        const [entry] = await service.blocked();
        expect(entry!.item.id).toBe(t2.id);
        expect(entry!.waitsOn).toEqual([
          expect.objectContaining({
            on: expect.objectContaining({ id: f1.id }),
            via: expect.objectContaining({ id: f2.id }),
          }),
        ]);
        await service.done(t1.id, 'x');
        expect((await service.getItem(f1.id)).item.status).toBe('done');
        expect(await readyIds()).toEqual([t2.id]);
      });

      it('filters by label', async () => {
        await service.createItem({ title: 'a', labels: ['api'] }, 'x');
        const b = await service.createItem({ title: 'b', labels: ['ui'] }, 'x');
        expect(await readyIds({ label: 'ui' })).toEqual([b.id]);
      });
    });

    describe('claims', () => {
      it('gives one holder an exclusive lease; a second claimer learns who holds it and until when', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        const claimed = await service.claim(t.id, 'alice');
        expect(claimed).toMatchObject({
          renewed: false,
          item: { status: 'in_progress' },
          claim: { actor: 'alice' },
        });
        const left = Date.parse(claimed.claim.expiresAt) - Date.now();
        expect(left).toBeGreaterThan(14 * 60_000);
        expect(left).toBeLessThanOrEqual(15 * 60_000);
        const error = await service.claim(t.id, 'bob').catch((e) => e);
        expect(error).toMatchObject({
          code: 'ALREADY_CLAIMED',
          details: { holder: 'alice', expiresAt: claimed.claim.expiresAt },
        });
        expect(error.message).toContain('alice');
        expect(await readyIds()).toEqual([]);
      });

      it('renews when the holder claims again, keeping when it was first claimed', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        const first = await service.claim(t.id, 'alice', { ttlSeconds: 60 });
        const again = await service.claim(t.id, 'alice', { ttlSeconds: 600 });
        expect(again.renewed).toBe(true);
        expect(again.claim.claimedAt).toBe(first.claim.claimedAt);
        expect(Date.parse(again.claim.expiresAt)).toBeGreaterThan(Date.parse(first.claim.expiresAt));
      });

      it('lets a claim lapse: the task is ready again and another actor may take it', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        await service.claim(t.id, 'alice', { ttlSeconds: 0.3 });
        await sleep(450);
        const [entry] = await service.ready();
        expect(entry).toMatchObject({ item: { id: t.id }, expiredClaim: { actor: 'alice' } });
        expect(entry!.reason).toContain('expired');
        const taken = await service.claim(t.id, 'bob');
        expect(taken).toMatchObject({ renewed: false, tookOverFrom: null, claim: { actor: 'bob' } });
      });

      it('release makes it ready again; only the holder (or --force) may release or close it', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        await service.claim(t.id, 'alice');
        await expect(service.release(t.id, 'bob')).rejects.toMatchObject({ code: 'ALREADY_CLAIMED' });
        await expect(service.done(t.id, 'bob')).rejects.toMatchObject({ code: 'ALREADY_CLAIMED' });
        const released = await service.release(t.id, 'alice');
        expect(released).toMatchObject({ released: true, item: { status: 'open', claim: null } });
        expect((await service.release(t.id, 'alice')).released).toBe(false);
        expect(await readyIds()).toEqual([t.id]);
        await service.claim(t.id, 'alice');
        const forced = await service.claim(t.id, 'bob', { force: true });
        expect(forced.tookOverFrom).toBe('alice');
        const closed = await service.done(t.id, 'bob');
        expect(closed.item).toMatchObject({ status: 'done', claim: null });
        expect(closed.item.closedAt).not.toBeNull();
      });

      it('refuses to claim a container, a closed task, or a task that waits, unless forced', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E' }, 'x');
        const a = await service.createItem({ title: 'a', parent: epic.id }, 'x');
        const b = await service.createItem({ title: 'b', parent: epic.id }, 'x');
        await service.addDependency(b.id, a.id, 'blocks', 'x');
        await expect(service.claim(epic.id, 'alice')).rejects.toMatchObject({ code: 'NOT_CLAIMABLE' });
        await expect(service.claim(epic.id, 'alice', { force: true })).rejects.toMatchObject({
          code: 'NOT_CLAIMABLE',
        });
        const waiting = await service.claim(b.id, 'alice').catch((e) => e);
        expect(waiting).toMatchObject({ code: 'NOT_READY' });
        expect(waiting.message).toContain(a.id);
        expect((await service.claim(b.id, 'alice', { force: true })).claim.actor).toBe('alice');
        await service.updateItem(a.id, { status: 'cancelled' }, 'x');
        await expect(service.claim(a.id, 'alice')).rejects.toMatchObject({ code: 'NOT_CLAIMABLE' });
      });

      it('claimNext takes the first ready task atomically and never hands one out twice', async () => {
        const t1 = await service.createItem({ title: 't1', priority: 1 }, 'x');
        const t2 = await service.createItem({ title: 't2', priority: 2 }, 'x');
        const got = await Promise.all([service.claimNext('alice'), service.claimNext('bob')]);
        expect(got.map((g) => g.item.id).sort()).toEqual([t1.id, t2.id].sort());
        await expect(service.claimNext('carol')).rejects.toMatchObject({ code: 'NO_READY_WORK' });
      });

      it('refuses a blank actor and a lease of zero', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        await expect(service.claim(t.id, ' ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(service.claim(t.id, 'a', { ttlSeconds: 0 })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      });
    });

    describe('progress and closing', () => {
      it('a feature shows done/total, closes when its tasks are finished, and reopens with them', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E' }, 'x');
        const feature = await service.createItem({ type: 'feature', title: 'F', parent: epic.id }, 'x');
        const a = await service.createItem({ title: 'a', parent: feature.id }, 'x');
        const b = await service.createItem({ title: 'b', parent: feature.id }, 'x');
        const c = await service.createItem({ title: 'c', parent: feature.id }, 'x');
        await service.done(a.id, 'x');
        expect((await service.getItem(feature.id)).progress).toEqual({
          total: 3,
          done: 1,
          inProgress: 0,
          cancelled: 0,
        });
        expect((await service.getItem(feature.id)).item.status).toBe('in_progress');
        await service.updateItem(b.id, { status: 'cancelled' }, 'x');
        const last = await service.done(c.id, 'x');
        expect(last.settled.map((s) => [s.id, s.status])).toEqual([
          [feature.id, 'done'],
          [epic.id, 'done'],
        ]);
        expect((await service.getItem(epic.id)).progress).toEqual({
          total: 2,
          done: 2,
          inProgress: 0,
          cancelled: 1,
        });
        await service.updateItem(c.id, { status: 'open' }, 'x');
        expect((await service.getItem(feature.id)).item.status).toBe('in_progress');
        expect((await service.getItem(epic.id)).item.closedAt).toBeNull();
      });

      it('will not close a container with unfinished items by hand', async () => {
        const feature = await service.createItem({ type: 'feature', title: 'F' }, 'x');
        await service.createItem({ title: 'a', parent: feature.id }, 'x');
        await expect(service.updateItem(feature.id, { status: 'done' }, 'x')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(service.done(feature.id, 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      });

      it('an empty feature neither counts as work nor keeps its epic open', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E' }, 'x');
        await service.createItem({ type: 'feature', title: 'Later', parent: epic.id }, 'x');
        const feature = await service.createItem({ type: 'feature', title: 'Now', parent: epic.id }, 'x');
        const t = await service.createItem({ title: 't', parent: feature.id }, 'x');
        await service.done(t.id, 'x');
        const details = await service.getItem(epic.id);
        expect(details.item.status).toBe('done');
        expect(details.progress).toEqual({ total: 1, done: 1, inProgress: 0, cancelled: 0 });
      });

      it('puts items only under epics and features', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        await expect(service.createItem({ title: 'sub', parent: t.id }, 'x')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      });

      it('a status change by someone else than the holder is refused unless forced; in_progress comes from claims', async () => {
        const t = await service.createItem({ title: 't' }, 'x');
        await service.claim(t.id, 'alice');
        await expect(service.updateItem(t.id, { status: 'done' }, 'bob')).rejects.toMatchObject({
          code: 'ALREADY_CLAIMED',
        });
        await expect(service.updateItem(t.id, { status: 'open' }, 'bob')).rejects.toMatchObject({
          code: 'ALREADY_CLAIMED',
        });
        expect((await service.updateItem(t.id, { status: 'done', force: true }, 'bob')).item.status).toBe(
          'done',
        );
        const u = await service.createItem({ title: 'u' }, 'x');
        await expect(service.updateItem(u.id, { status: 'in_progress' }, 'x')).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      });

      it('the tree nests epics, features and tasks in plan order with progress', async () => {
        const epic = await service.createItem({ type: 'epic', title: 'E' }, 'x');
        const feature = await service.createItem({ type: 'feature', title: 'F', parent: epic.id }, 'x');
        await service.createItem({ title: 'a', parent: feature.id }, 'x');
        const loose = await service.createItem({ title: 'loose' }, 'x');
        const tree = await service.tree();
        expect(tree.map((n) => n.item.id)).toEqual([epic.id, loose.id]);
        expect(tree[0]!.children[0]!.children[0]!.item.title).toBe('a');
        expect(tree[0]!.progress).toEqual({ total: 1, done: 0, inProgress: 0, cancelled: 0 });
        expect((await service.tree(feature.id)).map((n) => n.item.id)).toEqual([feature.id]);
      });
    });

    describe('spec-kit import', () => {
      it('builds the epic -> feature -> task tree with its sources', async () => {
        const result = await service.importTaskList(teamNotesDocument(), 'alice');
        expect(result.created).toHaveLength(1 + 6 + 12);
        expect(result.epic).toMatchObject({ title: 'Team Notes', ref: '004-team-notes' });
        const [root] = await service.tree();
        expect(root!.children.map((n) => n.item.title)).toEqual([
          'Setup',
          'Foundational',
          'User Story 1 - Post',
          'User Story 2 - Tag',
          'User Story 3 - Search',
          'Polish',
        ]);
        expect(root!.children.every((n) => n.item.type === 'feature')).toBe(true);
        const t7 = await service.getItem('004-team-notes/T007');
        expect(t7.item).toMatchObject({
          type: 'task',
          title: 'Note model',
          priority: 1,
          mvp: true,
          labels: ['US1'],
        });
        expect(t7.item.source).toMatchObject({
          ref: 'T007',
          epicKey: '004-team-notes',
          file: 'specs/004-team-notes/tasks.md',
        });
        expect(t7.parent?.title).toBe('User Story 1 - Post');
        expect((await service.getItem('T7')).item.id).toBe(t7.item.id);
        expect((await service.getItem('t007')).item.id).toBe(t7.item.id);
      });

      it("derives spec-kit's order: phases in turn, stories side by side, [P] tasks unordered", async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        expect(await readyRefs()).toEqual(['T001', 'T003']);
        await service.done('T001', 'a');
        expect(await readyRefs()).toEqual(['T002', 'T003']);
        await service.done('T002', 'a');
        await service.done('T003', 'a');
        expect(await readyRefs()).toEqual(['T004', 'T005']);
        await service.done('T004', 'a');
        await service.done('T005', 'a');
        // every story may start now, MVP first; within US1 T008 follows T007
        expect(await readyRefs()).toEqual(['T006', 'T007', 'T009', 'T010']);
        for (const ref of ['T006', 'T007', 'T008', 'T009']) await service.done(ref, 'a');
        expect(await readyRefs()).toEqual(['T010']);
        await service.done('T010', 'a');
        expect(await readyRefs()).toEqual(['T011']);
      });

      it('treats a checked box as done and missing phases or loose tasks as ordinary', async () => {
        const doc = teamNotesDocument('007-loose');
        doc.phases = [doc.phases[2]!];
        doc.looseTasks = [task('T020', 'Before any phase', { checked: true }), task('T021', 'Next')];
        const result = await service.importTaskList(doc, 'a');
        expect(result.created).toHaveLength(1 + 1 + 5);
        expect((await service.getItem('T020')).item).toMatchObject({
          status: 'done',
          parent: result.epic.id,
        });
        expect(new Set(await readyRefs())).toEqual(new Set(['T006', 'T007', 'T021']));
      });

      it('a phase between stories does not hold back the later stories; Polish follows them all', async () => {
        const doc = teamNotesDocument('010-mixed');
        const integration = phase('integration', 'other', 'Integration', [task('T030', 'Wire it together')]);
        doc.phases.splice(4, 0, integration); // Setup, Foundational, US1, US2, Integration, US3, Polish
        await service.importTaskList(doc, 'a');
        for (const ref of ['T001', 'T002', 'T003', 'T004', 'T005'])
          await service.done(`010-mixed/${ref}`, 'a');
        expect(await readyRefs()).toEqual(['T006', 'T007', 'T009', 'T010']);
        const waits = (await service.getItem('010-mixed/T030')).waitsOn.map((w) => w.on.title);
        expect(waits.sort()).toEqual(['User Story 1 - Post', 'User Story 2 - Tag']);
        const polish = (await service.getItem('010-mixed/T011')).waitsOn.map((w) => w.on.title);
        expect(polish.sort()).toEqual([
          'Integration',
          'User Story 1 - Post',
          'User Story 2 - Tag',
          'User Story 3 - Search',
        ]);
      });

      it('a box sdd cleared and then ticked by hand is picked up', async () => {
        const doc = teamNotesDocument();
        doc.phases[0]!.tasks[0]!.checked = true;
        await service.importTaskList(doc, 'a');
        await service.updateItem('T001', { status: 'open' }, 'a'); // sdd clears the box in the file
        const cleared = teamNotesDocument();
        expect((await service.importTaskList(cleared, 'a')).statusChanges).toEqual([]);
        const ticked = teamNotesDocument();
        ticked.phases[0]!.tasks[0]!.checked = true;
        const result = await service.importTaskList(ticked, 'a');
        expect(result.statusChanges.map((c) => c.to)).toEqual(['done']);
      });

      it("takes a task's lastSeenChecked as its box's merge base in place of the tracker's", async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        await service.done('T002', 'a'); // sdd ticked the box somewhere: the tracker's base is now ticked
        await service.done('T003', 'a');
        const doc = teamNotesDocument();
        const [t1, t2, t3, t4] = [...doc.phases[0]!.tasks, ...doc.phases[1]!.tasks];
        Object.assign(t1!, { checked: true, lastSeenChecked: null }); // a fresh clone's box: no change
        Object.assign(t2!, { checked: false, lastSeenChecked: false }); // a clone that has not pulled the tick
        Object.assign(t3!, { checked: false, lastSeenChecked: true }); // unticked where it was seen ticked
        Object.assign(t4!, { checked: true }); // no base sent: the tracker's
        const result = await service.importTaskList(doc, 'a');
        expect(result.statusChanges.map((c) => [c.item.ref, c.from, c.to])).toEqual([
          ['004-team-notes/T003', 'done', 'open'],
          ['004-team-notes/T004', 'open', 'done'],
        ]);
        expect((await service.getItem('T001')).item.status).toBe('open');
        expect((await service.getItem('T002')).item.status).toBe('done');
        const bad = teamNotesDocument();
        (bad.phases[0]!.tasks[0] as unknown as Record<string, unknown>).lastSeenChecked = 'yes';
        await expect(service.importTaskList(bad, 'a')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      });

      it('re-importing the same list changes nothing', async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        const before = await service.listItems();
        const deps = await service.listDependencies('T008');
        const again = await service.importTaskList(teamNotesDocument(), 'a');
        expect(again).toMatchObject({
          created: [],
          updated: [],
          removed: [],
          statusChanges: [],
          unchanged: 19,
        });
        expect(again.dependencies).toEqual({ added: 0, removed: 0 });
        expect(await service.listItems()).toEqual(before);
        expect(await service.listDependencies('T008')).toEqual(deps);
      });

      it("re-importing an edited list updates titles and adds tasks, keeping sdd's claims, notes and statuses", async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        await service.claim('T001', 'alice');
        await service.addNote('T003', 'watch the config', 'bob');
        await service.done('T003', 'bob');
        await service.updateItem('T012', { priority: 0 }, 'bob');
        const edited = teamNotesDocument();
        edited.phases[0]!.tasks[2]!.checked = true; // as sdd ticked it when T003 was done
        edited.phases[0]!.tasks[0]!.title = 'Create the structure';
        edited.phases[0]!.tasks.push(task('T013', 'Add CI', { parallel: true }));
        const result = await service.importTaskList(edited, 'a');
        expect(result.created.map((c) => c.ref)).toEqual(['004-team-notes/T013']);
        expect(result.updated.map((u) => u.ref)).toContain('004-team-notes/T001');
        const t1 = (await service.getItem('T001')).item;
        expect(t1).toMatchObject({
          title: 'Create the structure',
          status: 'in_progress',
          claim: { actor: 'alice' },
        });
        const t3 = (await service.getItem('T003')).item;
        expect(t3.status).toBe('done');
        expect(t3.notes.map((n) => n.text)).toEqual(['watch the config']);
        expect((await service.getItem('T012')).item.priority).toBe(0);
        expect(await readyRefs()).toContain('T013');
      });

      it('picks up a box ticked by hand, but keeps a status set in sdd when the box did not change', async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        await service.updateItem('T009', { status: 'cancelled' }, 'a');
        const edited = teamNotesDocument();
        edited.phases[0]!.tasks[0]!.checked = true;
        const result = await service.importTaskList(edited, 'a');
        expect(result.statusChanges.map((c) => [c.item.ref, c.from, c.to])).toEqual([
          ['004-team-notes/T001', 'open', 'done'],
        ]);
        expect((await service.getItem('T001')).item.status).toBe('done');
        expect((await service.getItem('T009')).item.status).toBe('cancelled');
        const sameAgain = await service.importTaskList(edited, 'a');
        expect(sameAgain.statusChanges).toEqual([]);
      });

      it('cancels a task that left the list (with a note) and restores it when it comes back', async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        const shorter = teamNotesDocument();
        shorter.phases[5]!.tasks.pop();
        const result = await service.importTaskList(shorter, 'a');
        expect(result.removed.map((r) => r.ref)).toEqual(['004-team-notes/T012']);
        const gone = (await service.getItem('T012')).item;
        expect(gone.status).toBe('cancelled');
        expect(gone.notes.at(-1)?.text).toContain('no longer');
        await service.importTaskList(teamNotesDocument(), 'a');
        expect((await service.getItem('T012')).item.status).toBe('open');
      });

      it('keeps dependencies a person added, and refuses an import that would close a cycle with them', async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        await service.addDependency('T010', 'T009', 'blocks', 'a');
        await service.importTaskList(teamNotesDocument(), 'a');
        expect((await service.getItem('T010')).blockedBy.map((s) => s.ref)).toEqual(['004-team-notes/T009']);
        await service.addDependency('T007', 'T006', 'blocks', 'a');
        const swapped = teamNotesDocument();
        swapped.phases[2]!.tasks = [
          swapped.phases[2]!.tasks[1]!,
          { ...swapped.phases[2]!.tasks[0]!, parallel: false },
          swapped.phases[2]!.tasks[2]!,
        ];
        const before = await service.listItems();
        await expect(service.importTaskList(swapped, 'a')).rejects.toMatchObject({ code: 'CYCLE' });
        expect(await service.listItems()).toEqual(before);
      });

      it('needs the full reference when two epics share a task id', async () => {
        await service.importTaskList(teamNotesDocument('004-team-notes'), 'a');
        await service.importTaskList(teamNotesDocument('005-search'), 'a');
        const error = await service.getItem('T001').catch((e) => e);
        expect(error).toMatchObject({ code: 'AMBIGUOUS' });
        expect(error.message).toContain('005-search/T001');
        const item = (await service.getItem('005-search/T001')).item;
        expect(item.source?.epicKey).toBe('005-search');
        expect(await refOf(item.id)).toBe('T001');
      });

      it('refuses a document with a duplicate task id and imports nothing', async () => {
        const doc = teamNotesDocument();
        doc.phases[1]!.tasks.push(task('T001', 'again'));
        await expect(service.importTaskList(doc, 'a')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        expect(await service.listItems()).toEqual([]);
      });

      it('gives setup work the MVP story priority and polish the lowest story priority', async () => {
        await service.importTaskList(teamNotesDocument(), 'a');
        expect((await service.getItem('T001')).item.priority).toBe(1);
        expect((await service.getItem('T010')).item.priority).toBe(3);
        expect((await service.getItem('T011')).item.priority).toBe(3);
        const doc = teamNotesDocument('009-other');
        doc.phases = [phase('setup', 'setup', 'Setup', [task('T001', 'x')])];
        await service.importTaskList(doc, 'a');
        expect((await service.getItem('009-other/T001')).item.priority).toBe(2);
      });
    });

    describeEpicNumberContract(() => service);
  });
}

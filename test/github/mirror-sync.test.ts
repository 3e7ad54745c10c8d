// The mirror against the GitHub stand-in: a first sync builds the tree, a second writes nothing,
// an edit writes one update, and a cut-off sync continues where it stopped.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamNotesDocument } from '../contract/task-list-builder.js';
import { type StandIn, startGithubStandIn } from '../helpers/github-stand-in.js';
import { type MirrorProject, mirrorProject } from './sync-fixture.js';

let standIn: StandIn;
let project: MirrorProject;

beforeAll(async () => {
  standIn = await startGithubStandIn();
});
afterAll(() => standIn.close());
beforeEach(async () => {
  standIn.issues.clear();
  standIn.labels.clear();
  standIn.resetCounts();
  standIn.recover();
  project = await mirrorProject(standIn);
});
afterEach(() => project.remove());

describe('a first sync', () => {
  it('makes the epic an issue, each feature its sub-issue and each task a sub-issue of its feature', async () => {
    const summary = await project.sync();
    const items = await project.service.listItems();
    expect(summary.created).toBe(items.length);
    expect(standIn.issues.size).toBe(items.length);
    const epic = standIn.issueByTitle('Team Notes')!;
    const features = epic.subIssues.map((n) => standIn.issues.get(n)!);
    expect(features.map((f) => f.title)).toEqual(
      items
        .filter((i) => i.type === 'feature')
        .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
        .map((i) => i.title),
    );
    const setup = features[0]!;
    expect(setup.subIssues.map((n) => standIn.issues.get(n)!.title)).toEqual([
      'Create structure',
      'Init project',
      'Lint',
    ]);
    expect(standIn.issueByTitle('Note service')!.labels).toEqual(
      expect.arrayContaining(['type:task', 'status:open']),
    );
    expect(standIn.issueByTitle('Note service')!.body).toContain('specs/004-team-notes/tasks.md');
  });

  it('turns blocks edges into issue dependencies', async () => {
    await project.sync();
    const deps = (
      await Promise.all(
        (await project.service.listItems()).map((i) => project.service.listDependencies(i.id)),
      )
    )
      .flat()
      .filter((d) => d.type === 'blocks');
    const unique = new Set(deps.map((d) => `${d.from.id}>${d.to.id}`));
    const linked = [...standIn.issues.values()].reduce((n, issue) => n + issue.blockedBy.length, 0);
    expect(unique.size).toBeGreaterThan(0);
    expect(linked).toBe(unique.size);
  });

  it('closes the issue of a done task as completed and of a cancelled one as not planned', async () => {
    await project.service.done('004-team-notes/T001', 'tester', { force: true });
    await project.service.updateItem('004-team-notes/T002', { status: 'cancelled' }, 'tester');
    await project.sync();
    expect(standIn.issueByTitle('Create structure')).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
    });
    expect(standIn.issueByTitle('Init project')).toMatchObject({
      state: 'closed',
      state_reason: 'not_planned',
    });
  });
});

describe('a second sync', () => {
  it('makes no write request when nothing changed', async () => {
    await project.sync();
    standIn.resetCounts();
    const summary = await project.sync();
    expect(standIn.writes()).toBe(0);
    expect(summary.planned).toEqual([]);
    expect(standIn.reads()).toBe(1); // the listing of issues changed since the last sync
  });

  it('writes exactly one update for one edited item', async () => {
    await project.sync();
    await project.service.updateItem('004-team-notes/T008', { title: 'Note service v2' }, 'tester');
    standIn.resetCounts();
    const summary = await project.sync();
    expect(standIn.writes()).toBe(1);
    expect(standIn.counts.get('issues/update')).toBe(1);
    expect(summary.updated).toBe(1);
    expect(standIn.issueByTitle('Note service v2')).toBeDefined();
  });

  it('reopens an issue when its item is reopened', async () => {
    await project.service.done('004-team-notes/T001', 'tester', { force: true });
    await project.sync();
    await project.service.updateItem('004-team-notes/T001', { status: 'open' }, 'tester');
    await project.sync();
    expect(standIn.issueByTitle('Create structure')!.state).toBe('open');
  });

  it('closes the issue of a deleted item with a comment and never deletes it', async () => {
    await project.sync();
    const state = await project.store.read();
    const entry = state.entries.find((e) => e.key === state.entries[state.entries.length - 1]!.key)!;
    // An item gone from the tracker: the mirror's entry outlives it.
    await project.store.write({ entries: [{ ...entry, key: 'sd-999' }] });
    const summary = await project.sync();
    expect(summary.closedDeleted).toBe(1);
    const issue = standIn.issues.get(entry.number)!;
    expect(issue.state).toBe('closed');
    expect(issue.comments.join('\n')).toContain('sd-999 was deleted in sdd');
    expect(standIn.issues.size).toBe((await project.service.listItems()).length);
  });
});

describe('an interrupted sync', () => {
  it('continues where it stopped, creating no issue twice', async () => {
    standIn.failAfterWrites(20);
    await expect(project.sync()).rejects.toMatchObject({ code: 'GITHUB' });
    const saved = (await project.store.read()).entries.length;
    expect(saved).toBeGreaterThan(0);
    standIn.recover();
    await project.sync();
    const items = await project.service.listItems();
    expect(standIn.issues.size).toBe(items.length);
    const titles = [...standIn.issues.values()].map((i) => i.title);
    expect(new Set(titles).size).toBe(titles.length);
    standIn.resetCounts();
    await project.sync();
    expect(standIn.writes()).toBe(0);
  });
});

describe('rate limits and server errors', () => {
  it('waits out a secondary rate limit instead of failing', async () => {
    standIn.secondaryRateLimit(2, 1);
    const log: string[] = [];
    const summary = await project.sync({ log });
    expect(standIn.counts.get('refused:secondary-rate-limit')).toBe(2);
    expect(summary.created).toBe((await project.service.listItems()).length);
    expect(log.join('\n')).toContain('secondary rate limit');
  });

  it('retries a 502', async () => {
    standIn.serverErrors(2, 502);
    const summary = await project.sync();
    expect(standIn.counts.get('refused:502')).toBe(2);
    expect(summary.created).toBe((await project.service.listItems()).length);
  });
});

describe('back from GitHub', () => {
  it('takes a close, a reopen and a retitle made on GitHub into sdd', async () => {
    await project.sync();
    const t8 = standIn.issueByTitle('Note service')!;
    const t9 = standIn.issueByTitle('Tag model')!;
    standIn.edit(t8.number, { state: 'closed', state_reason: 'completed' });
    standIn.edit(t9.number, { title: 'Tag model, renamed on GitHub' });
    const summary = await project.sync();
    expect(summary.pulled.map((p) => p.issue).sort()).toEqual([t8.number, t9.number].sort());
    expect((await project.service.getItem('004-team-notes/T008')).item.status).toBe('done');
    const renamed = (await project.service.getItem('004-team-notes/T009')).item;
    expect(renamed.title).toBe('Tag model, renamed on GitHub');
    expect(renamed.notes.at(-1)!.text).toContain(`GitHub #${t9.number}`);
    standIn.edit(t8.number, { state: 'open' });
    await project.sync();
    expect((await project.service.getItem('004-team-notes/T008')).item.status).toBe('open');
  });

  it('keeps sdd’s title when both sides retitled, and says so on the item', async () => {
    await project.sync();
    const t8 = standIn.issueByTitle('Note service')!;
    standIn.edit(t8.number, { title: 'GitHub title' });
    await project.service.updateItem('004-team-notes/T008', { title: 'sdd title' }, 'tester');
    const summary = await project.sync();
    expect(summary.pulled[0]).toMatchObject({ conflict: true });
    expect(standIn.issues.get(t8.number)!.title).toBe('sdd title');
    const item = (await project.service.getItem('004-team-notes/T008')).item;
    expect(item.title).toBe('sdd title');
    expect(item.notes.at(-1)!.text).toContain('sdd wins');
  });
});

describe('a change sdd cannot follow', () => {
  it('reopens an epic closed on GitHub while its tasks are open, says why, and notes it on the epic', async () => {
    await project.sync();
    const epic = standIn.issueByTitle('Team Notes')!;
    standIn.edit(epic.number, { state: 'closed', state_reason: 'completed' });
    const summary = await project.sync();
    expect(summary.warnings.join('\n')).toContain(`GitHub #${epic.number}'s change was not taken`);
    expect(standIn.issues.get(epic.number)!.state).toBe('open');
    const item = (await project.service.getItem('004-team-notes')).item;
    expect(item.status).not.toBe('done');
    expect(item.notes.at(-1)!.text).toContain('sdd could not follow');
  });
});

describe('labels and scope', () => {
  it('keeps a label people added on GitHub when it rewrites the labels', async () => {
    await project.sync();
    const t8 = standIn.issueByTitle('Note service')!;
    standIn.edit(t8.number, { labels: [...t8.labels, 'needs-design'] });
    await project.sync();
    await project.service.updateItem('004-team-notes/T008', { priority: 0 }, 'tester');
    await project.sync();
    expect(standIn.issues.get(t8.number)!.labels).toEqual(
      expect.arrayContaining(['needs-design', 'priority:P0']),
    );
    expect(standIn.issues.get(t8.number)!.labels).not.toContain('priority:P1');
  });

  it('--epic syncs that epic and leaves the others alone', async () => {
    await project.service.importTaskList(teamNotesDocument('005-other'), 'tester');
    const summary = await project.sync({ epic: '005-other' });
    const inOther = (await project.service.listItems({ epic: '005-other' })).length + 1;
    expect(summary.created).toBe(inOther);
    expect(standIn.issues.size).toBe(inOther);
  });

  it('says what to check when GitHub refuses the token, and exits with the GitHub code', async () => {
    const failure = project.sync({ token: 'ghp_wrong' });
    await expect(failure).rejects.toMatchObject({ code: 'GITHUB' });
    await expect(failure).rejects.toThrow(/GitHub answered 401[\s\S]*GITHUB_TOKEN/);
  });
});

describe('--dry-run', () => {
  it('plans without writing anything', async () => {
    const summary = await project.sync({ dryRun: true });
    expect(summary.planned.length).toBeGreaterThan(0);
    expect(standIn.writes()).toBe(0);
    expect(standIn.issues.size).toBe(0);
  });
});

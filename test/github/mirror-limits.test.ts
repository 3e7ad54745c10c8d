// GitHub's limits met head-on: more than 100 sub-issues under one parent, nesting deeper than 8
// levels, a body over 65,536 characters. The plan stays within them (the stand-in refuses what
// GitHub would), and the summary says how.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMirrorState } from '../../src/core/github-mirror.js';
import type { Item } from '../../src/core/types.js';
import { BODY_LIMIT } from '../../src/github/issue-content.js';
import type { MirrorInput } from '../../src/github/mirror-input.js';
import { DEPTH_LIMIT, layoutIssues, SUB_ISSUE_LIMIT } from '../../src/github/mirror-layout.js';
import { planMirror } from '../../src/github/mirror-planner.js';
import { phase, task } from '../contract/task-list-builder.js';
import { type StandIn, startGithubStandIn } from '../helpers/github-stand-in.js';
import { mirrorProject } from './sync-fixture.js';

function item(id: string, parent: string | null, extra: Partial<Item> = {}): Item {
  return {
    id,
    type: parent ? 'task' : 'epic',
    title: `item ${id}`,
    description: '',
    status: 'open',
    priority: 2,
    labels: [],
    parent,
    order: Number(id.slice(3)),
    mvp: false,
    source: null,
    claim: null,
    notes: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
    ...extra,
  };
}

function input(items: Item[]): MirrorInput {
  return {
    items,
    scope: null,
    blockedBy: new Map(),
    sessions: new Map(),
    repoWebUrl: 'https://github.com/o/r',
    specDocuments: new Map(),
  };
}

describe('the layout', () => {
  it('puts no more than 100 sub-issues under any issue, carrying the rest in “continued” issues', () => {
    const items = [item('sd-0', null), ...Array.from({ length: 250 }, (_, i) => item(`sd-${i + 1}`, 'sd-0'))];
    const warnings: string[] = [];
    const placed = layoutIssues(items, warnings);
    const perParent = new Map<string, number>();
    for (const p of placed)
      if (p.parentKey) perParent.set(p.parentKey, (perParent.get(p.parentKey) ?? 0) + 1);
    expect(Math.max(...perParent.values())).toBeLessThanOrEqual(SUB_ISSUE_LIMIT);
    expect(placed.filter((p) => p.overflow !== null).map((p) => p.key)).toEqual([
      'overflow:sd-0:1',
      'overflow:sd-0:2',
    ]);
    expect(placed.filter((p) => p.overflow === null)).toHaveLength(251);
    expect(warnings.join('\n')).toContain('250 sub-items');
  });

  it('starts a new tree below level 8 and says why in the issue', () => {
    const items = [
      item('sd-0', null),
      ...Array.from({ length: 11 }, (_, i) => item(`sd-${i + 1}`, `sd-${i}`)),
    ];
    const warnings: string[] = [];
    const placed = layoutIssues(items, warnings);
    expect(Math.max(...placed.map((p) => p.depth))).toBeLessThanOrEqual(DEPTH_LIMIT);
    const cut = placed.find((p) => p.key === `sd-${DEPTH_LIMIT}`)!;
    expect(cut).toMatchObject({ parentKey: null, depth: 1 });
    expect(cut.parentNote).toContain('at most 8 levels');
    const plan = planMirror(input(items), emptyMirrorState());
    const create = plan.operations.find((op) => op.kind === 'create' && op.key === cut.key);
    expect(create && create.kind === 'create' && create.content.body).toContain('not a sub-issue here');
  });

  it('cuts a body over 65,536 characters and says where the rest is', () => {
    const plan = planMirror(
      input([item('sd-0', null, { description: 'x'.repeat(80_000) })]),
      emptyMirrorState(),
    );
    const create = plan.operations[0]!;
    expect(create.kind).toBe('create');
    if (create.kind !== 'create') return;
    expect(create.content.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(create.content.body).toContain('`sdd show sd-0` has all of it');
    expect(plan.warnings.join('\n')).toContain('cut to fit');
  });
});

describe('against the stand-in', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startGithubStandIn();
  });
  afterAll(() => standIn.close());

  it('mirrors a feature of 105 tasks, a 10-level chain and a huge body without one refusal', async () => {
    const tasks = Array.from({ length: 105 }, (_, i) =>
      task(`T${String(i + 1).padStart(3, '0')}`, `Task ${i + 1}`),
    );
    const project = await mirrorProject(standIn, {
      epicKey: '007-big',
      epicTitle: 'Big',
      file: 'specs/007-big/tasks.md',
      looseTasks: [],
      phases: [phase('setup', 'setup', 'Setup', tasks)],
    });
    try {
      let parent = (await project.service.listItems({ type: 'epic' }))[0]!.id;
      for (let level = 0; level < 10; level += 1) {
        parent = (
          await project.service.createItem({ type: 'feature', title: `level ${level}`, parent }, 'tester')
        ).id;
      }
      await project.service.createItem(
        { type: 'chore', title: 'huge', description: 'y'.repeat(70_000) },
        'tester',
      );
      const summary = await project.sync();
      expect([...standIn.counts.keys()].filter((k) => k.startsWith('refused:'))).toEqual([]);
      const setup = standIn.issueByTitle('Setup')!;
      expect(setup.subIssues).toHaveLength(SUB_ISSUE_LIMIT);
      const continued = standIn.issueByTitle('Setup (continued, part 2)')!;
      expect(continued.subIssues).toHaveLength(6);
      expect(standIn.issueByTitle('huge')!.body!.length).toBeLessThanOrEqual(BODY_LIMIT);
      expect(summary.warnings.join('\n')).toMatch(/100 sub-issues per issue[\s\S]*8 levels[\s\S]*cut to fit/);
    } finally {
      await project.remove();
    }
  }, 120_000);
});

describe('the body', () => {
  it('lists the task’s sessions, with a link to the recording when a server keeps it', () => {
    const task = item('sd-1', null, { type: 'task', description: 'Do it.' });
    const withSessions = input([task]);
    withSessions.sessions.set('sd-1', [
      {
        id: '20261201-101010-ab12',
        agent: 'claude-code',
        actor: 'ada',
        status: 'finished',
        startedAt: '2026-12-01T10:10:10.000Z',
        replayUrl: 'http://sdd.example/s/1',
      },
      {
        id: '20261201-090000-cd34',
        agent: 'codex',
        actor: 'bob',
        status: 'interrupted',
        startedAt: '2026-12-01T09:00:00.000Z',
        replayUrl: null,
      },
    ]);
    const plan = planMirror(withSessions, emptyMirrorState());
    const create = plan.operations[0]!;
    if (create.kind !== 'create') throw new Error('expected a create');
    expect(create.content.body).toContain('Do it.');
    expect(create.content.body).toContain('20261201-101010-ab12 · claude-code · ada · finished');
    expect(create.content.body).toContain('[replay](http://sdd.example/s/1)');
    expect(create.content.body).toContain('`sdd replay 20261201-090000-cd34`');
  });
});

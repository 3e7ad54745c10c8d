// Checks that spec-kit's tasks.md parses into the phases and tasks the file says, and that every problem
// in a broken file is reported at once.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/core/errors.js';
import type { TaskListDocument, TaskListTask } from '../../src/core/task-list.js';
import { parseTaskList } from '../../src/specs/speckit-tasks-parser.js';

const source = { file: 'specs/004-team-notes/tasks.md', epicKey: '004-team-notes', epicTitle: 'Team Notes' };

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/speckit/${name}`, import.meta.url), 'utf8');
}

function parse(text: string): TaskListDocument {
  return parseTaskList(text, source);
}

function problemLines(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return (error as ParseError).problems.map((p) => `${p.file}:${p.line}: ${p.problem}`);
  }
  throw new Error('expected a ParseError');
}

function task(fields: Partial<TaskListTask> & Pick<TaskListTask, 'ref' | 'line' | 'title'>): TaskListTask {
  return { checked: false, parallel: false, story: null, details: '', paths: [], ...fields };
}

describe('parseTaskList on a clean spec-kit file', () => {
  const doc = parse(fixture('specs/004-team-notes/tasks.md'));

  it('passes the source fields through', () => {
    expect([doc.epicKey, doc.epicTitle, doc.file]).toEqual([
      '004-team-notes',
      'Team Notes',
      'specs/004-team-notes/tasks.md',
    ]);
  });

  it('reads the phases with their keys, kinds, titles, priorities and MVP marks', () => {
    expect(doc.phases.map(({ tasks, ...phase }) => phase)).toEqual([
      {
        key: 'setup',
        kind: 'setup',
        title: 'Setup (Shared Infrastructure)',
        line: 15,
        priority: null,
        mvp: false,
      },
      {
        key: 'foundational',
        kind: 'foundational',
        title: 'Foundational (Blocking Prerequisites)',
        line: 25,
        priority: null,
        mvp: false,
      },
      { key: 'US1', kind: 'story', title: 'User Story 1 - Post a note', line: 37, priority: 1, mvp: true },
      { key: 'US2', kind: 'story', title: 'User Story 2 - Share a note', line: 58, priority: 2, mvp: false },
      { key: 'US3', kind: 'story', title: 'User Story 3 - Search notes', line: 71, priority: 3, mvp: false },
      {
        key: 'polish',
        kind: 'polish',
        title: 'Polish & Cross-Cutting Concerns',
        line: 80,
        priority: null,
        mvp: false,
      },
    ]);
  });

  it('puts each task in its phase, across ### subsections', () => {
    expect(doc.phases.map((phase) => phase.tasks.map((t) => t.ref))).toEqual([
      ['T001', 'T002', 'T003'],
      ['T004', 'T005', 'T006'],
      ['T010', 'T011', 'T012', 'T013', 'T014'],
      ['T015', 'T016', 'T017'],
      ['T018', 'T019'],
      ['T020', 'T021', 'T022'],
    ]);
    expect(doc.looseTasks).toEqual([]);
  });

  it('reads check boxes, [x] and [X] alike', () => {
    const all = doc.phases.flatMap((phase) => phase.tasks);
    expect(all.filter((t) => t.checked).map((t) => t.ref)).toEqual(['T001', 'T002', 'T004']);
  });

  it('reads the setup and foundational tasks with their paths', () => {
    expect(doc.phases[0]!.tasks).toEqual([
      task({
        ref: 'T001',
        line: 19,
        checked: true,
        title: 'Create project structure per implementation plan',
      }),
      task({
        ref: 'T002',
        line: 20,
        checked: true,
        title: 'Initialize TypeScript project with express dependencies in package.json',
        paths: ['package.json'],
      }),
      task({
        ref: 'T003',
        line: 21,
        parallel: true,
        title: 'Configure linting and formatting tools in `biome.json`',
        paths: ['biome.json'],
      }),
    ]);
    expect(doc.phases[1]!.tasks.map((t) => [t.ref, t.paths])).toEqual([
      ['T004', ['src/db/schema.ts']],
      ['T005', ['src/middleware/auth.ts']],
      ['T006', ['src/routes/']],
    ]);
  });

  it('reads story tags, [P] and paths, leaving HTTP paths out', () => {
    expect(doc.phases[2]!.tasks).toEqual([
      task({
        ref: 'T010',
        line: 45,
        parallel: true,
        story: 'US1',
        title: 'Contract test for POST /notes in tests/contract/test_notes.py',
        paths: ['tests/contract/test_notes.py'],
      }),
      task({
        ref: 'T011',
        line: 46,
        parallel: true,
        story: 'US1',
        title: 'Integration test for posting in tests/integration/test_post_note.py',
        paths: ['tests/integration/test_post_note.py'],
      }),
      task({
        ref: 'T012',
        line: 50,
        parallel: true,
        story: 'US1',
        title: 'Create Note model in src/models/note.py',
        paths: ['src/models/note.py'],
      }),
      task({
        ref: 'T013',
        line: 51,
        story: 'US1',
        title: 'Implement NoteService in src/services/note_service.py (depends on T012)',
        paths: ['src/services/note_service.py'],
      }),
      task({
        ref: 'T014',
        line: 52,
        story: 'US1',
        title: 'Implement POST /notes endpoint in src/api/notes.py, with validation',
        paths: ['src/api/notes.py'],
      }),
    ]);
  });

  it('keeps a story-tagged task in the phase it is listed in', () => {
    expect(doc.phases[5]!.tasks.map((t) => [t.ref, t.story, t.parallel, t.paths])).toEqual([
      ['T020', null, true, ['docs/']],
      ['T021', null, false, []],
      ['T022', 'US1', false, ['quickstart.md']],
    ]);
  });

  it('ignores the task-like line in the Parallel Example code block', () => {
    const lines = doc.phases.flatMap((phase) => phase.tasks.map((t) => t.line));
    expect(lines).not.toContain(102);
  });
});

describe('parseTaskList on a messy file (BOM, CRLF, tabs, * bullets, fences, details)', () => {
  const doc = parse(fixture('messy-tasks.md'));

  it('keeps the tasks before the first phase and after a non-phase ## heading as loose tasks', () => {
    expect(doc.looseTasks).toEqual([
      task({
        ref: 'T001',
        line: 4,
        title: 'Write the sync design note in docs/sync.md',
        paths: ['docs/sync.md'],
      }),
      task({ ref: 'T002', line: 5, checked: true, parallel: true, title: 'Pick a storage engine' }),
      task({ ref: 'T010', line: 41, title: 'Write the release notes' }),
    ]);
  });

  it('reads the phases, ### Phase N. headings and en dashes included', () => {
    expect(doc.phases.map(({ tasks, ...phase }) => phase)).toEqual([
      { key: 'setup', kind: 'setup', title: 'Setup', line: 7, priority: null, mvp: false },
      {
        key: 'foundational',
        kind: 'foundational',
        title: 'Foundational',
        line: 22,
        priority: null,
        mvp: false,
      },
      { key: 'US1', kind: 'story', title: 'User story 1 – Work offline', line: 29, priority: 1, mvp: true },
      { key: 'polish', kind: 'polish', title: 'Polish', line: 45, priority: null, mvp: false },
    ]);
  });

  it('reads * bullets, tab-indented tasks, [X], [p], [US01] and unknown tags', () => {
    expect(doc.phases[0]!.tasks.slice(0, 3)).toEqual([
      task({
        ref: 'T003',
        line: 10,
        checked: true,
        title: 'Create packages/sync/ workspace',
        paths: ['packages/sync/'],
      }),
      task({
        ref: 'T004',
        line: 11,
        parallel: true,
        title: 'Add `packages/sync/tsconfig.json`',
        paths: ['packages/sync/tsconfig.json'],
      }),
      task({
        ref: 'T005',
        line: 12,
        parallel: true,
        story: 'US1',
        title: '[Spike] Try CRDT libraries (see Node.js, e.g. Automerge)',
        details: '- keep the benchmark script\n- compare bundle sizes\nmeasured on a cold cache',
      }),
    ]);
  });

  it('collects tab-indented details and stops at the first unindented line', () => {
    expect(doc.phases[0]!.tasks[3]).toEqual(
      task({
        ref: 'T006',
        line: 17,
        title: 'Wire the queue',
        details: 'notes: the queue lives in src/sync/queue.ts\nretry with backoff',
      }),
    );
  });

  it('skips ~~~ and ``` fences, also inside a task, and HTML comments', () => {
    const refs = [...doc.looseTasks, ...doc.phases.flatMap((phase) => phase.tasks)].map((t) => t.ref);
    expect(refs).toEqual([
      'T001',
      'T002',
      'T010',
      'T003',
      'T004',
      'T005',
      'T006',
      'T007',
      'T008',
      'T009',
      'T011',
    ]);
    expect(doc.phases[2]!.tasks).toEqual([
      task({
        ref: 'T008',
        line: 31,
        story: 'US1',
        title: 'Queue edits made offline in src/sync/queue.ts',
        paths: ['src/sync/queue.ts'],
        details: '- flush on reconnect',
      }),
      task({ ref: 'T009', line: 36, story: 'US1', title: 'Replay the queue on reconnect' }),
    ]);
  });

  it('strips trailing punctuation from paths', () => {
    expect(doc.phases[1]!.tasks).toEqual([
      task({
        ref: 'T007',
        line: 27,
        checked: true,
        title: 'Define the change log format in src/sync/changelog.ts,',
        paths: ['src/sync/changelog.ts'],
      }),
    ]);
  });

  it('parses the same with LF endings and no BOM', () => {
    const lf = fixture('messy-tasks.md')
      .replace(/^\uFEFF/, '')
      .replace(/\r\n/g, '\n');
    expect(parse(lf)).toEqual(doc);
  });
});

describe('parseTaskList on a file without setup or polish phases', () => {
  const doc = parse(fixture('only-stories-tasks.md'));

  it('takes "## User Story N" headings as phases, in file order whatever their priority', () => {
    expect(doc.phases.map(({ tasks, ...phase }) => phase)).toEqual([
      { key: 'US1', kind: 'story', title: 'User Story 1 - Export as CSV', line: 3, priority: 2, mvp: false },
      { key: 'US2', kind: 'story', title: 'User Story 2 - Export as PDF', line: 7, priority: 1, mvp: true },
      { key: 'hardening', kind: 'other', title: 'Hardening', line: 12, priority: null, mvp: false },
      { key: 'hardening-2', kind: 'other', title: 'Hardening', line: 16, priority: null, mvp: false },
      {
        key: 'foundational',
        kind: 'foundational',
        title: 'Foundational work for export v2',
        line: 20,
        priority: null,
        mvp: false,
      },
      { key: 'data-migration', kind: 'other', title: 'Data migration', line: 22, priority: null, mvp: false },
    ]);
  });

  it('keeps a phase without tasks and files every task under its phase', () => {
    expect(doc.phases.map((phase) => phase.tasks.map((t) => t.ref))).toEqual([
      ['T001'],
      ['T002', 'T003'],
      ['T004'],
      ['T005'],
      [],
      ['T006'],
    ]);
    expect(doc.phases[1]!.tasks[1]).toEqual(
      task({
        ref: 'T003',
        line: 10,
        checked: true,
        parallel: true,
        story: 'US2',
        title: 'Embed fonts in assets/fonts/',
        paths: ['assets/fonts/'],
      }),
    );
  });
});

describe('parseTaskList on malformed files', () => {
  const noId =
    'task line has no valid id (expected T001 after the check box); a checklist that is not tasks belongs under its own heading, such as `### Acceptance Criteria`';

  it('reports every problem at once, sorted by line, as file:line: problem', () => {
    expect(problemLines(fixture('malformed-tasks.md'))).toEqual([
      `specs/004-team-notes/tasks.md:6: ${noId}`,
      `specs/004-team-notes/tasks.md:7: ${noId}`,
      'specs/004-team-notes/tasks.md:12: duplicate task id T12 (first at line 11) with another title: give one of them a new id',
      'specs/004-team-notes/tasks.md:14: task T014 has no description',
      'specs/004-team-notes/tasks.md:16: user story 1 already has a phase (line 9)',
    ]);
  });

  it('says how many problems there are and that nothing was imported', () => {
    expect(() => parse(fixture('malformed-tasks.md'))).toThrow(/^5 problem\(s\), nothing was imported:\n/);
  });

  it('reports a file without any task line at line 1', () => {
    expect(problemLines('# Tasks: Empty\n\n## Phase 1: Setup\n\n- not a task\n')).toEqual([
      'specs/004-team-notes/tasks.md:1: no tasks found (expected lines like `- [ ] T001 Description`)',
    ]);
  });

  it('reports an empty file', () => {
    expect(problemLines('')).toHaveLength(1);
  });

  it('does not count task lines inside a fence as tasks', () => {
    expect(problemLines('## Phase 1: Setup\n```\n- [ ] T001 Example\n```\n')).toEqual([
      'specs/004-team-notes/tasks.md:1: no tasks found (expected lines like `- [ ] T001 Description`)',
    ]);
  });

  it('takes "## Phase N" of the template as a phase but its TXXX ids as missing', () => {
    expect(
      problemLines('## Phase N: Polish & Cross-Cutting Concerns\n\n- [ ] TXXX [P] Documentation\n'),
    ).toEqual([`specs/004-team-notes/tasks.md:3: ${noId}`]);
  });
});

describe('parseTaskList on single lines', () => {
  const only = (line: string): TaskListTask =>
    parse(`## Phase 1: User Story 2 - Things\n${line}\n`).phases[0]!.tasks[0]!;

  it('reads an id followed by a colon and tags in any order', () => {
    expect(only('- [ ] T7: [US2] [P] Do it')).toMatchObject({
      ref: 'T7',
      story: 'US2',
      parallel: true,
      title: 'Do it',
    });
  });

  it('keeps a Markdown link at the start of the title', () => {
    expect(only('- [ ] T1 [the guide](docs/guide.md) first').title).toBe('[the guide](docs/guide.md) first');
  });

  it('does not take URLs, "and/or", e.g. or product names for paths', () => {
    expect(only('- [ ] T1 Read https://example.com/a/b.md and/or e.g. Vue.js in `lib/x.ts`').paths).toEqual([
      'lib/x.ts',
    ]);
  });

  it('reads "Phase 3 -" headings and "Priority: P2" without parentheses', () => {
    const doc = parse('## Phase 3 - User Story 7 - Log in - Priority: P2\n- [ ] T1 [US7] Go\n');
    expect(doc.phases[0]).toMatchObject({
      key: 'US7',
      title: 'User Story 7 - Log in',
      priority: 2,
      mvp: false,
    });
  });

  it('does not end a phase at a #### heading, but ends it at a # heading', () => {
    const doc = parse('## Setup\n#### Notes\n- [ ] T1 A\n# Appendix\n- [ ] T2 B\n');
    expect([doc.phases[0]!.tasks.map((t) => t.ref), doc.looseTasks.map((t) => t.ref)]).toEqual([
      ['T1'],
      ['T2'],
    ]);
  });
});

describe('parseTaskList on list items that are meant as tasks', () => {
  const opts = { file: 'specs/001-x/tasks.md', epicKey: '001-x', epicTitle: 'X' };

  it('reads + bullets and numbered items as tasks', () => {
    const doc = parseTaskList(
      '## Phase 1: Setup\n+ [ ] T001 Plus bullet\n1. [x] T002 Numbered\n2) [ ] T003 Paren\n',
      opts,
    );
    expect(doc.phases[0]!.tasks.map((t) => [t.ref, t.checked])).toEqual([
      ['T001', false],
      ['T002', true],
      ['T003', false],
    ]);
  });

  it('reports a malformed check box instead of dropping the task', () => {
    expect(() =>
      parseTaskList('## Phase 1: Setup\n- [ ] T001 Fine\n- [] T002 Empty box\n- [ x] T003 Spaced\n', opts),
    ).toThrow(/tasks\.md:3: malformed check box[\s\S]*tasks\.md:4: malformed check box/);
  });

  it('reports a check box that is never closed instead of dropping the task', () => {
    expect(() => parseTaskList('## Phase 1: Setup\n- [ ] T001 Fine\n- [x T002 Unclosed box\n', opts)).toThrow(
      /tasks\.md:3: malformed check box/,
    );
  });
});

// Checks that the task lists people really write parse sensibly: each oddity is imported as a person
// would mean it and reported as a file:line warning, and only what would misplace or lose a task is refused.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/core/errors.js';
import type { TaskListDocument } from '../../src/core/task-list.js';
import { parseTaskList } from '../../src/specs/speckit-tasks-parser.js';

function real(name: string): string {
  return readFileSync(new URL(`../fixtures/speckit/real/${name}`, import.meta.url), 'utf8');
}

function parse(text: string, file = 'tasks.md'): TaskListDocument {
  return parseTaskList(text, { file, epicKey: '020-x', epicTitle: 'X' });
}

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return (error as ParseError).problems.map((p) => `${p.line}: ${p.problem}`);
  }
  throw new Error('expected a ParseError');
}

const warnings = (doc: TaskListDocument) => (doc.warnings ?? []).map((w) => `${w.line}: ${w.problem}`);
const refs = (doc: TaskListDocument) => doc.phases.map((p) => p.tasks.map((t) => t.ref));
const phaseHeads = (doc: TaskListDocument) =>
  doc.phases.map((p) => [p.key, p.kind, p.title, p.priority, p.mvp] as const);

describe('checklists that are not tasks', () => {
  const doc = parse(real('checklists.md'));

  it('skips id-less check boxes before, inside and after the phases, one warning per list', () => {
    expect(refs(doc)).toEqual([['T001', 'T002'], ['T003', 'T004'], ['T005']]);
    expect(doc.looseTasks).toEqual([]);
    expect(warnings(doc)).toEqual([
      '5: warning: 2 check boxes without a task id under "Success Criteria": not tasks, skipped',
      '22: warning: 2 check boxes without a task id under "Acceptance Criteria": not tasks, skipped',
      '28: warning: a check box without a task id under "Checkpoint": not tasks, skipped',
      '36: warning: 2 check boxes without a task id under "Validation Checklist": not tasks, skipped',
      '40: warning: 2 check boxes without a task id under "MVP Checklist": not tasks, skipped',
    ]);
  });

  it("keeps a task's indented id-less check boxes as its details", () => {
    expect(doc.phases[0]!.tasks[1]!.details).toBe(
      '- [ ] pin the major version\n- [ ] note the licence in docs/deps.md',
    );
  });

  it('still refuses an id-less check box among the tasks of a phase, which would be a lost task', () => {
    expect(problems('## Phase 1: Setup\n- [ ] T001 A\n- [ ] Forgot the id\n')[0]).toMatch(
      /^3: task line has no valid id/,
    );
  });

  it('says where a file of nothing but checklists goes wrong, not "line 1"', () => {
    expect(problems('# Tasks: X\n\n## Success Criteria\n\n- [ ] Fast\n- [ ] Safe\n')).toEqual([
      '5: check boxes without task ids are not tasks, and the file has no other (expected lines like `- [ ] T001 Description`)',
    ]);
  });
});

describe('story phases headed in other words', () => {
  const doc = parse(real('story-headings.md'));

  it('reads (US1), [US2], "Priority P1", "(P2)" and story sub-headings as story phases; a phase of only sub-headings adds none', () => {
    expect(phaseHeads(doc)).toEqual([
      ['setup', 'setup', 'Setup', null, false],
      ['US1', 'story', 'User Authentication (US1)', 1, false],
      ['US2', 'story', 'Sharing [US2]', 2, false],
      ['US3', 'story', 'User Story 3 - Password reset', 3, false],
      ['US4', 'story', 'User Story 4', null, false],
      ['reports-post-mvp', 'other', 'Reports (post-MVP)', null, false],
      ['admin-tools-mvp-scope', 'other', 'Admin tools (MVP scope)', 2, false],
      ['US5', 'story', 'User Story 5 - Export account data', 1, true],
      ['hardening', 'other', 'Hardening', null, false],
    ]);
    expect(refs(doc)).toEqual([
      ['T001'],
      ['T002', 'T003'],
      ['T004'],
      ['T005', 'T006'],
      ['T007', 'T008'],
      ['T009'],
      ['T010'],
      ['T011'],
      [],
    ]);
  });

  it('keeps a [USn] tag without a story phase as a label, with a warning, and a second tag too', () => {
    const [t7, t8] = doc.phases[4]!.tasks;
    expect([t7!.story, t7!.moreStories, t8!.story]).toEqual(['US4', ['US7'], 'US7']);
    expect(warnings(doc)).toEqual([
      '25: warning: task T007 has more than one story tag (US4, US7): its story is US4, the others are kept as labels',
      '25: warning: story tag [US7] but the file has no phase for User Story 7: kept as a label',
      '26: warning: story tag [US7] but the file has no phase for User Story 7: kept as a label',
    ]);
  });

  it('makes a phase MVP only for 🎯 or MVP after the priority, and keeps "MVP" that is part of the title', () => {
    const heads = (heading: string) => {
      const [phase] = parse(`${heading}\n- [ ] T001 [US1] Do it\n`).phases;
      return [phase!.title, phase!.mvp];
    };
    expect(heads('## Phase 3: User Story 1 - Log in (Priority: P1) 🎯 MVP')).toEqual([
      'User Story 1 - Log in',
      true,
    ]);
    expect(heads('## Phase 3: User Story 1 - Log in 🎯')).toEqual(['User Story 1 - Log in', true]);
    expect(heads('## Phase 3: User Story 1 - Log in (Priority: P1) MVP')).toEqual([
      'User Story 1 - Log in',
      true,
    ]);
    expect(heads('## Phase 3: User Story 1 - Log in (MVP)')).toEqual(['User Story 1 - Log in (MVP)', false]);
    expect(heads('## Phase 3: User Story 1 - MVP shell (Priority: P2)')).toEqual([
      'User Story 1 - MVP shell',
      false,
    ]);
  });
});

describe('task ids with a letter inserted later', () => {
  const doc = parse(real('suffix-ids.md'));

  it('reads T011a and T011b as tasks of their own, in the order of the file', () => {
    expect(refs(doc)).toEqual([['T010', 'T011', 'T011a', 'T011b', 'T012']]);
    expect(doc.phases[0]!.tasks[3]).toMatchObject({
      ref: 'T011b',
      parallel: true,
      title: 'Backfill the index',
    });
    expect(doc.warnings).toBeUndefined();
  });

  it('takes T11a and T011A for the same id', () => {
    expect(problems('## Setup\n- [ ] T011a One\n- [ ] T11A Two\n')).toEqual([
      '3: duplicate task id T11A (first at line 2) with another title: give one of them a new id',
    ]);
  });
});

describe('task lines without bullets, [P] at the end and other marks in the box', () => {
  const doc = parse(real('bare-lines.md'));

  it('reads `[X] T001 - Title` lines, the dash and a trailing [P] not part of the title', () => {
    expect(doc.phases[0]!.tasks.map((t) => [t.ref, t.checked, t.parallel, t.title])).toEqual([
      ['T001', true, false, 'Create project'],
      ['T002', true, true, 'Add the lint config'],
      ['T003', false, false, 'Write the README'],
    ]);
  });

  it('reads [#], [~] and [-] as open and [✓] as done, each with a warning', () => {
    expect(doc.phases[1]!.tasks.map((t) => [t.ref, t.checked, t.parallel])).toEqual([
      ['T004', false, false],
      ['T005', false, true],
      ['T006', false, false],
      ['T007', true, false],
      ['T008', false, false],
    ]);
    expect(warnings(doc)).toEqual([
      '5: warning: task lines without a list bullet (this one and 7 more): read as tasks; Markdown shows a box only after `- `',
      "11: warning: `[#]` in T004's box is neither `[ ]` nor `[x]`: read as open",
      "12: warning: `[~]` in T005's box is neither `[ ]` nor `[x]`: read as open",
      "13: warning: `[-]` in T006's box is neither `[ ]` nor `[x]`: read as open",
      "14: warning: `[✓]` in T007's box is neither `[ ]` nor `[x]`: read as done",
    ]);
  });

  it('does not take a bracketed letter at the start of prose for a box', () => {
    const plain = parse('## Setup\n[P] tasks touch different files\n- [ ] T001 A\n');
    expect([refs(plain), plain.warnings]).toEqual([[['T001']], undefined]);
  });

  it('points at the first task line when none has a box, not at line 1', () => {
    expect(problems('# Tasks: X\n\n## Phase 1: Setup\n\n- T001 Create project\n- T002 Add CI\n')).toEqual([
      '5: T001 has no check box: write `- [ ] T001 ...` (or `- [x]` when it is done)',
      '6: T002 has no check box: write `- [ ] T002 ...` (or `- [x]` when it is done)',
    ]);
    expect(problems('# Tasks: X\n\nT001 Create project\n')).toEqual([
      '3: T001 has no check box, and no line of the file is a task (expected lines like `- [ ] T001 Description`)',
    ]);
  });

  it('refuses a task of a phase that lost its box, but not a line that only mentions a task', () => {
    const text = '## Phase 1: Setup\n- [ ] T001 A\n- T002 B\n- T001 before T003\n- [ ] T003 C\n';
    expect(problems(text)).toEqual([
      '3: T002 has no check box: write `- [ ] T002 ...` (or `- [x]` when it is done)',
    ]);
  });
});

describe('old layouts', () => {
  it('reads Phase 0 and phases 3.1 to 3.10 in file order, and the Validation Checklist as no tasks', () => {
    const doc = parse(real('old-layout.md'));
    expect(doc.phases.map((p) => [p.key, p.title])).toEqual([
      ['research', 'Research'],
      ['setup', 'Setup'],
      ['tests-first-tdd-must-complete-before-3-3', 'Tests First (TDD) ⚠️ MUST COMPLETE BEFORE 3.3'],
      [
        'core-implementation-only-after-tests-are-failing',
        'Core Implementation (ONLY after tests are failing)',
      ],
      ['integration', 'Integration'],
      ['hardening', 'Hardening'],
      ['packaging', 'Packaging'],
      ['docs', 'Docs'],
      ['telemetry', 'Telemetry'],
      ['release', 'Release'],
      ['polish', 'Polish'],
    ]);
    expect(refs(doc).flat()).toEqual([
      'T001',
      'T002',
      'T003',
      'T004',
      'T005',
      'T006',
      'T007',
      'T008',
      'T009',
      'T010',
      'T011',
    ]);
    expect(warnings(doc)).toEqual([
      '51: warning: 3 check boxes without a task id under "Validation Checklist": not tasks, skipped',
    ]);
  });

  it('takes the ### groups under one "## Task List" for phases, skipping a group without tasks', () => {
    const doc = parse(real('task-list-groups.md'));
    expect(doc.phases.map((p) => [p.key, p.kind, p.title, p.line])).toEqual([
      ['setup', 'setup', 'Setup', 9],
      ['core', 'other', 'Core', 13],
      ['polish', 'polish', 'Polish', 19],
    ]);
    expect(refs(doc)).toEqual([['T001', 'T002'], ['T003', 'T004'], ['T005']]);
    expect(doc.looseTasks).toEqual([]);
  });

  it('takes ## headings for phases in a file without any phase heading, but not ## Notes', () => {
    const doc = parse(
      '# Tasks: X\n\n## Backend\n- [ ] T001 A\n\n## Frontend\n- [ ] T002 B\n\n## Notes\n- [ ] T003 C\n',
    );
    expect(doc.phases.map((p) => [p.key, p.tasks.map((t) => t.ref)])).toEqual([
      ['backend', ['T001']],
      ['frontend', ['T002']],
    ]);
    expect(doc.looseTasks.map((t) => t.ref)).toEqual(['T003']);
  });
});

describe('roll-up lines', () => {
  it('never takes a line covering a range of ids for a task, wherever it is', () => {
    const doc = parse(real('rollups.md'));
    expect(refs(doc)).toEqual([
      ['T001', 'T002', 'T003'],
      ['T004', 'T005'],
    ]);
    expect(doc.phases[1]!.tasks[0]!.details).toBe('');
    expect(warnings(doc)).toEqual([
      '5: warning: roll-up line for T001–T003, not a task: skipped (each of its tasks has its own line)',
      '6: warning: roll-up line for T004–T005, not a task: skipped (each of its tasks has its own line)',
      '7: warning: roll-up line for T001–T005, not a task: skipped (each of its tasks has its own line)',
      '18: warning: roll-up line for T004–T005, not a task: skipped (each of its tasks has its own line)',
    ]);
  });

  it('keeps "T001 - 3 retries" a task with its title', () => {
    expect(parse('## Setup\n- [ ] T001 - 3 retries\n').phases[0]!.tasks[0]!.title).toBe('3 retries');
  });
});

describe('the same id twice', () => {
  const doc = parse(real('repeated-checklist.md'));

  it('gives the task to its line inside a phase and warns about each copy', () => {
    expect(refs(doc)).toEqual([
      ['T001', 'T002'],
      ['T003', 'T004'],
    ]);
    expect(warnings(doc)).toEqual([
      '12: warning: T004 again (first at line 11): a copy, not a task of its own',
      '16: warning: T001 again (first at line 5): a copy, not a task of its own',
      '17: warning: T002 again (first at line 6): a copy, not a task of its own; its ticked box marks T002 done',
      '18: warning: T003 again (first at line 10): a copy, not a task of its own',
      '19: warning: T004 again (first at line 11): a copy, not a task of its own',
    ]);
  });

  it('counts a box ticked in either copy as done', () => {
    expect(doc.phases[0]!.tasks.map((t) => [t.ref, t.checked])).toEqual([
      ['T001', true],
      ['T002', true],
    ]);
  });

  it('lets the phase own a task whose checklist copy comes first', () => {
    const first = parse('## Checklist\n- [x] T001 Done\n\n## Phase 1: Setup\n- [ ] T001 Create the module\n');
    expect([first.looseTasks, first.phases[0]!.tasks.map((t) => [t.ref, t.line, t.checked])]).toEqual([
      [],
      [['T001', 5, true]],
    ]);
  });

  it('refuses two tasks of the phases under one id, which would lose one', () => {
    expect(problems('## Phase 1: Setup\n- [ ] T001 A\n## Phase 2: Core\n- [ ] T001 B\n')).toEqual([
      '4: duplicate task id T001 (first at line 2) with another title: give one of them a new id',
    ]);
  });
});

describe('checklist labels and story sub-headings, at their edges', () => {
  it('ends a label checklist at the next new task, so a later id-less box among tasks is refused', () => {
    const text = '## Phase 1: Setup\n**Acceptance:**\n- [ ] Fast\n- [ ] T001 A\n- [ ] Forgot the id\n';
    expect(problems(text)[0]).toMatch(/^5: task line has no valid id/);
  });

  it('does not take a sentence that mentions acceptance for a checklist label', () => {
    const text = '## Phase 1: Setup\n- [ ] T001 A\nAcceptance is tested below\n- [ ] Forgot the id\n';
    expect(problems(text)[0]).toMatch(/^4: task line has no valid id/);
  });

  it('leaves a story sub-heading a subsection when the story has a phase of its own later', () => {
    const doc = parse(
      '## Phase 3: User Story 1 - A\n- [ ] T001 [US1] A\n### User Story 2 comes next\n- [ ] T002 [US1] B\n## Phase 4: User Story 2 - B\n- [ ] T003 [US2] C\n',
    );
    expect(doc.phases.map((p) => [p.key, p.tasks.map((t) => t.ref)])).toEqual([
      ['US1', ['T001', 'T002']],
      ['US2', ['T003']],
    ]);
  });
});

// Builds TaskListDocuments for the contract suite without going through a file, so the suite runs the
// same against any Service (the parser has tests of its own).

import type { PhaseKind, TaskListDocument, TaskListPhase, TaskListTask } from '../../src/core/task-list.js';

let line = 0;

export function task(ref: string, title: string, extra: Partial<TaskListTask> = {}): TaskListTask {
  line += 1;
  return { ref, line, checked: false, parallel: false, story: null, title, details: '', paths: [], ...extra };
}

export function phase(
  key: string,
  kind: PhaseKind,
  title: string,
  tasks: TaskListTask[],
  extra: Partial<TaskListPhase> = {},
): TaskListPhase {
  line += 1;
  return { key, kind, title, line, priority: null, mvp: false, tasks, ...extra };
}

/** spec-kit's usual shape: Setup, Foundational, three stories (P1 MVP, P2, P3), Polish. */
export function teamNotesDocument(epicKey = '004-team-notes'): TaskListDocument {
  line = 0;
  return {
    epicKey,
    epicTitle: 'Team Notes',
    file: `specs/${epicKey}/tasks.md`,
    looseTasks: [],
    phases: [
      phase('setup', 'setup', 'Setup', [
        task('T001', 'Create structure'),
        task('T002', 'Init project'),
        task('T003', 'Lint', { parallel: true }),
      ]),
      phase('foundational', 'foundational', 'Foundational', [
        task('T004', 'Schema'),
        task('T005', 'Logging', { parallel: true }),
      ]),
      phase(
        'US1',
        'story',
        'User Story 1 - Post',
        [
          task('T006', 'Contract test', { parallel: true, story: 'US1' }),
          task('T007', 'Note model', { parallel: true, story: 'US1' }),
          task('T008', 'Note service', { story: 'US1' }),
        ],
        { priority: 1, mvp: true },
      ),
      phase(
        'US2',
        'story',
        'User Story 2 - Tag',
        [task('T009', 'Tag model', { parallel: true, story: 'US2' })],
        { priority: 2 },
      ),
      phase('US3', 'story', 'User Story 3 - Search', [task('T010', 'Search', { story: 'US3' })], {
        priority: 3,
      }),
      phase('polish', 'polish', 'Polish', [
        task('T011', 'Docs', { parallel: true }),
        task('T012', 'Quickstart'),
      ]),
    ],
  };
}

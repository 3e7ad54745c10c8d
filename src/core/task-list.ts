// The structure of a spec-kit task list as the importer hands it to the Service: what the file says,
// nothing derived. Reading the file is src/specs' job; turning this into items and edges is the core's.

import type { ParseProblem } from './errors.js';

export type PhaseKind = 'setup' | 'foundational' | 'story' | 'polish' | 'other';

export interface TaskListTask {
  /** The task's id in the file: T001, T012... */
  ref: string;
  line: number;
  checked: boolean;
  /**
   * The merge base of the box, from the clone that read the file: the box this clone last read (an
   * import) or wrote (sdd done, a reopen); null when this clone has never seen this task's box, so the
   * file's box is no change by hand and the tracker's status stands. Absent: the tracker's own record
   * of the box at the last import is the base (right when the tracker is this clone's, embedded).
   */
  lastSeenChecked?: boolean | null;
  /** Marked [P]: may run side by side with its neighbours. */
  parallel: boolean;
  /** The story tag, normalised: US1, US2... or null. */
  story: string | null;
  /** More story tags on the same line (rare), kept as labels beside `story`. */
  moreStories?: string[];
  /** The description on the task's line, tags removed. */
  title: string;
  /** Indented lines under the task that are not tasks themselves, joined by newlines. */
  details: string;
  /** File paths named in the description (src/models/user.py). */
  paths: string[];
}

export interface TaskListPhase {
  /** Stable key within the epic: US1 for a user story, else setup, foundational, polish or a slug of the title. */
  key: string;
  kind: PhaseKind;
  /** The heading's text, without the leading "Phase N:". */
  title: string;
  line: number;
  /** spec-kit priority of a user story: 1 for P1; null when the heading gives none. */
  priority: number | null;
  /** The heading is marked MVP (spec-kit marks it "🎯 MVP"). */
  mvp: boolean;
  tasks: TaskListTask[];
}

export interface TaskListDocument {
  /** The epic folder's name: 004-team-notes. */
  epicKey: string;
  /** From spec.md's title, else tasks.md's title, else the folder name made readable. */
  epicTitle: string;
  /** tasks.md path relative to the project root. */
  file: string;
  /** Tasks that come before any phase heading. */
  looseTasks: TaskListTask[];
  phases: TaskListPhase[];
  /** What the reader changed to make the file fit (a title cut or cleaned), as file:line problems. */
  warnings?: ParseProblem[];
}

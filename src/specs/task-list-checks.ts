// The parser's checks that need the whole file read first: story tags against the story phases, lines that
// lost their box, lines without bullets, and where a file without any task goes wrong.

import type { ParseProblem } from '../core/errors.js';
import type { TaskOccurrence } from './task-copies.js';
import { taskRefNumber } from './task-line.js';

export interface BoxlessLine {
  ref: string;
  line: number;
  inPhase: boolean;
}

export interface FileFacts {
  /** The occurrences that are tasks (copies left out). */
  kept: TaskOccurrence[];
  /** Story number → line of its phase. */
  storyPhaseLines: Map<string, number>;
  /** Lines that start with a task id but have no box ("- T007 Add logging"). */
  boxless: BoxlessLine[];
  /** Task lines without a list bullet. */
  bulletless: number[];
  problems: ParseProblem[];
  warnings: ParseProblem[];
}

type Report = (line: number, problem: string) => void;

export function checkWholeFile(facts: FileFacts, report: Report, warn: Report): void {
  const { kept, storyPhaseLines, boxless, bulletless } = facts;
  const taskNumbers = new Set(kept.map((o) => o.number));
  for (const { task, stories } of kept) {
    if (stories.length > 1) {
      warn(
        task.line,
        `task ${task.ref} has more than one story tag (${stories.join(', ')}): its story is ${stories[0]}, the others are kept as labels`,
      );
    }
    if (task.title === '') report(task.line, `task ${task.ref} has no description`);
    for (const story of stories) {
      const number = story.slice(2);
      if (!storyPhaseLines.has(number)) {
        warn(
          task.line,
          `story tag [${story}] but the file has no phase for User Story ${number}: kept as a label`,
        );
      }
    }
  }
  // "- T007 Add logging" inside a phase, naming no task of the file: a task that lost its box. Outside the
  // phases such lines are notes about tasks ("- T012 before T013").
  for (const line of boxless) {
    if (line.inPhase && !taskNumbers.has(taskRefNumber(line.ref)!)) {
      report(
        line.line,
        `${line.ref} has no check box: write \`- [ ] ${line.ref} ...\` (or \`- [x]\` when it is done)`,
      );
    }
  }
  if (bulletless.length > 0) {
    const others = bulletless.length > 1 ? ` and ${bulletless.length - 1} more` : '';
    warn(
      bulletless[0]!,
      `task line${others ? 's' : ''} without a list bullet (this one${others}): read as tasks; Markdown shows a box only after \`- \``,
    );
  }
  if (kept.length === 0 && facts.problems.length === 0) report(...noTasksProblem(boxless, facts.warnings));
}

/** Where a file without tasks goes wrong: its first line that looks like a task, else line 1. */
function noTasksProblem(boxless: BoxlessLine[], warnings: ParseProblem[]): [number, string] {
  const expected = 'expected lines like `- [ ] T001 Description`';
  const first = boxless[0];
  if (first)
    return [first.line, `${first.ref} has no check box, and no line of the file is a task (${expected})`];
  const skipped = warnings.find((w) => w.problem.includes('without a task id'));
  if (skipped) {
    return [
      skipped.line,
      `check boxes without task ids are not tasks, and the file has no other (${expected})`,
    ];
  }
  return [1, `no tasks found (${expected})`];
}

// Decides what a task id written twice means. A later section that repeats the list as a checklist
// ("## MVP Checklist") repeats ids: the occurrence inside a phase owns the task, the copies are warned
// about, and a box ticked in any of them counts as done. Two different tasks under one id inside the
// phases would lose one of them, so that alone is refused.

import type { TaskListTask } from '../core/task-list.js';

export interface TaskOccurrence {
  task: TaskListTask;
  /** The id as compared: 12 for T012, 11a for T011a. */
  number: string;
  /** Every story tag on the line. */
  stories: string[];
  /** Under a phase heading (not before the phases or in a section after them). */
  inPhase: boolean;
  /** Under a checklist heading or label (acceptance criteria, validation...). */
  inChecklist: boolean;
}

type Report = (line: number, problem: string) => void;

/** The occurrences that are tasks, in file order; `owner.checked` takes in its copies' boxes. */
export function resolveCopies(all: TaskOccurrence[], report: Report, warn: Report): TaskOccurrence[] {
  const byNumber = new Map<string, TaskOccurrence[]>();
  for (const occurrence of all) {
    const same = byNumber.get(occurrence.number);
    if (same) same.push(occurrence);
    else byNumber.set(occurrence.number, [occurrence]);
  }
  const copies = new Set<TaskOccurrence>();
  for (const same of byNumber.values()) {
    if (same.length === 1) continue;
    const owner = same.find((o) => o.inPhase && !o.inChecklist) ?? same[0]!;
    for (const other of same) {
      if (other === owner) continue;
      const at = `first at line ${owner.task.line}`;
      if (isCopy(other, owner)) {
        copies.add(other);
        const ticked =
          other.task.checked && !owner.task.checked ? `; its ticked box marks ${owner.task.ref} done` : '';
        warn(other.task.line, `${other.task.ref} again (${at}): a copy, not a task of its own${ticked}`);
      } else {
        report(
          other.task.line,
          `duplicate task id ${other.task.ref} (${at}) with another title: give one of them a new id`,
        );
      }
    }
    if (same.some((o) => o.task.checked)) owner.task.checked = true;
  }
  return all.filter((o) => !copies.has(o));
}

// Outside the phases or in a checklist an id only refers to its task, whatever the words after it; inside
// a phase only the very same line (a pasted duplicate) is a copy.
function isCopy(other: TaskOccurrence, owner: TaskOccurrence): boolean {
  if (!other.inPhase || other.inChecklist) return true;
  return normalise(other.task.title) === normalise(owner.task.title);
}

function normalise(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

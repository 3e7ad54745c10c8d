// Ticks or clears one task's check box in a tasks.md, changing the character in its box and nothing else, so
// a tracker can keep the file in step with the work without disturbing anyone's edits. The line is found
// by the task's id and checked against its title: in a renumbered file the id may name another task. A
// box is ticked in the file's own style ([X] where the file writes [X]); copies of the line (a checklist
// repeating the id) follow, since the importer counts a box ticked in any copy as done.

import { readFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { readLines, type SourceLine } from './markdown-lines.js';
import { matchCheckbox, readTaskHead, taskRefNumber } from './task-line.js';
import { OTHER_TASK, SAME_TASK, titleSimilarity } from './title-similarity.js';

export interface TaskBoxTarget {
  /** Where the task was last seen; the file may have been edited since, so it is checked. */
  hintLine?: number;
  /** The task's title as the tracker knows it: the line found by id must still describe this task. */
  title?: string;
}

export type TaskBoxOutcome =
  /** `text` has the box as wanted (it may be unchanged), on the line of task `ref` (another id when the
   * file was renumbered); `warning` when the line was found another way. */
  | { kind: 'set'; text: string; line: number; ref: string; warning?: string }
  /** The line with the id is clearly another task and the title is nowhere: the text is left alone. */
  | { kind: 'refused'; line: number; reason: string }
  /** No line holds the task (or the ref is not a task id). */
  | { kind: 'missing' };

interface TaskAt {
  line: SourceLine;
  boxOffset: number;
  mark: string;
  checked: boolean;
  number: string;
  ref: string;
  title: string;
}

function tasksIn(text: string): TaskAt[] {
  const tasks: TaskAt[] = [];
  for (const line of readLines(text)) {
    const box = line.hidden ? null : matchCheckbox(line.text);
    const head = box ? readTaskHead(box.rest) : null;
    if (box && head) tasks.push({ line, ...box, ...head });
  }
  return tasks;
}

/** Finds the line of task `ref` (checking it against `target.title`) and sets its box. Pure. */
export function applyTaskBox(
  text: string,
  ref: string,
  checked: boolean,
  target: TaskBoxTarget = {},
): TaskBoxOutcome {
  const wanted = taskRefNumber(ref);
  if (wanted === null) return { kind: 'missing' };
  const tasks = tasksIn(text);
  const withId = tasks.filter((t) => t.number === wanted);
  const byId = withId.find((t) => t.line.number === target.hintLine) ?? withId[0];
  const { title } = target;
  if (title === undefined || (byId && titleSimilarity(byId.title, title) >= SAME_TASK)) {
    return byId ? setBox(text, tasks, byId, checked) : { kind: 'missing' };
  }
  // The id's line describes another task (or there is none): the task may have been renumbered.
  const byTitle = tasks.filter((t) => t !== byId && titleSimilarity(t.title, title) >= SAME_TASK);
  if (byTitle.length === 1) {
    const found = byTitle[0]!;
    const was = byId ? `${byId.ref} is now "${byId.title}"` : `no line has ${ref}`;
    return {
      ...setBox(text, tasks, found, checked, false),
      warning: `${was}; set the box of ${found.ref} (line ${found.line.number}) instead, which has this task's title. \`sdd import\` the file to bring the ids up to date.`,
    };
  }
  if (!byId) return { kind: 'missing' };
  const similarity = titleSimilarity(byId.title, title);
  if (similarity < OTHER_TASK || byTitle.length > 1) {
    const elsewhere =
      byTitle.length > 1
        ? `, and ${byTitle.length} other lines have its title (${byTitle.map((t) => t.ref).join(', ')})`
        : '';
    return {
      kind: 'refused',
      line: byId.line.number,
      reason: `line ${byId.line.number} has ${byId.ref} "${byId.title}", another task than "${title}"${elsewhere}: the file was renumbered or edited since the import`,
    };
  }
  // Alike but not the same: most likely the task's own line, reworded more than a little.
  return {
    ...setBox(text, tasks, byId, checked),
    warning: `${byId.ref}'s title in the file is now "${byId.title}"; \`sdd import\` the file to take it over.`,
  };
}

function setBox(
  text: string,
  tasks: TaskAt[],
  task: TaskAt,
  checked: boolean,
  withCopies = true,
): { kind: 'set'; text: string; line: number; ref: string } {
  const copies = withCopies ? tasks.filter((t) => t !== task && t.number === task.number) : [];
  const mark = checked ? tickMark(tasks) : ' ';
  // From the end of the text, so that an earlier change does not move a later box.
  const changes = [task, ...copies]
    .filter((t) => t.checked !== checked)
    .sort((a, b) => b.line.start - a.line.start);
  let out = text;
  for (const t of changes) {
    const at = t.line.start + t.boxOffset;
    out = out.slice(0, at) + mark + out.slice(at + t.mark.length);
  }
  return { kind: 'set', text: out, line: task.line.number, ref: task.ref };
}

/** X when the file ticks its boxes with [X] more often than with [x]. */
function tickMark(tasks: TaskAt[]): string {
  const upper = tasks.filter((t) => t.mark === 'X').length;
  const lower = tasks.filter((t) => t.mark === 'x').length;
  return upper > lower ? 'X' : 'x';
}

/** The text with `ref`'s box set, and the line it is on; null when the text has no such task. */
export function setTaskBox(
  text: string,
  ref: string,
  checked: boolean,
  hintLine?: number,
): { text: string; line: number } | null {
  const outcome = applyTaskBox(text, ref, checked, hintLine === undefined ? {} : { hintLine });
  return outcome.kind === 'set' ? { text: outcome.text, line: outcome.line } : null;
}

/** As TaskBoxOutcome, with whether the file changed instead of its text. */
export type TaskBoxFileOutcome =
  | { kind: 'set'; changed: boolean; line: number; ref: string; warning?: string }
  | Exclude<TaskBoxOutcome, { kind: 'set' }>;

/**
 * applyTaskBox on a file, under a lock so concurrent tickers do not lose each other's changes, and
 * written through a temporary file and a rename so a reader never sees half a file. A missing file is
 * 'missing'; a refusal leaves the file untouched. With `dryRun`, it only says what it would do.
 */
export async function setTaskBoxInFile(
  path: string,
  ref: string,
  checked: boolean,
  target: TaskBoxTarget & { dryRun?: boolean } = {},
): Promise<TaskBoxFileOutcome> {
  if (target.dryRun) {
    const text = await readFile(path, 'utf8').catch(() => null);
    return text === null ? { kind: 'missing' } : fileOutcome(text, applyTaskBox(text, ref, checked, target));
  }
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, { retries: { retries: 50, minTimeout: 10, maxTimeout: 100 } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const text = await readFile(path, 'utf8');
    const outcome = applyTaskBox(text, ref, checked, target);
    // write-file-atomic flushes a temporary file and renames it over this one, keeping its mode and owner.
    if (outcome.kind === 'set' && outcome.text !== text) await writeFileAtomic(path, outcome.text);
    return fileOutcome(text, outcome);
  } finally {
    await release();
  }
}

function fileOutcome(before: string, outcome: TaskBoxOutcome): TaskBoxFileOutcome {
  if (outcome.kind !== 'set') return outcome;
  const { text, ...rest } = outcome;
  return { ...rest, changed: text !== before };
}

/** setTaskBoxInFile by id alone: true when the file changed. */
export async function tickTaskBoxInFile(
  path: string,
  ref: string,
  checked: boolean,
  hintLine?: number,
): Promise<boolean> {
  const outcome = await setTaskBoxInFile(path, ref, checked, hintLine === undefined ? {} : { hintLine });
  return outcome.kind === 'set' && outcome.changed;
}

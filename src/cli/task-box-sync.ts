// Keeps tasks.md the team's shared view: when sdd closes or reopens an imported task, the task's
// check box in the file follows, and nothing else in the file changes. A line found by id that now
// holds another task (a renumbered file) is left alone, and the tracker is not changed either. Each box
// set becomes this clone's merge base for it (task-box-base.ts): the clone has now seen it so.

import { dirname, join } from 'node:path';
import { InvalidInputError } from '../core/errors.js';
import { terminalSafe } from '../core/terminal-text.js';
import { type Item, isContainerType } from '../core/types.js';
import { recordTaskBoxes } from './task-box-base.js';

type Warn = (message: string) => void;

const warnOnStderr: Warn = (message) => process.stderr.write(`${terminalSafe(message)}\n`);

/** The items whose box follows their status: imported tasks still in their file, not cancelled. */
function withBoxes(items: Item[]): (Item & { source: NonNullable<Item['source']> })[] {
  return items.filter(
    (item): item is Item & { source: NonNullable<Item['source']> } =>
      item.source !== null &&
      !item.source.removed &&
      !isContainerType(item.type) &&
      item.status !== 'cancelled',
  );
}

/**
 * Before the tracker changes: throws when an item's line in its file clearly holds another task, so
 * that the tracker and the file never disagree. `checked` is the box the change will ask for.
 */
export async function checkTaskBoxes(root: string, items: Item[], checked: boolean): Promise<void> {
  const { setTaskBoxInFile } = await import('../specs/task-box.js');
  for (const item of withBoxes(items)) {
    const { source } = item;
    const outcome = await setTaskBoxInFile(join(root, source.file), source.ref, checked, {
      hintLine: source.line,
      title: item.title,
      dryRun: true,
    });
    if (outcome.kind !== 'refused') continue;
    throw new InvalidInputError(
      `Nothing changed: ${source.file}:${outcome.line}: ${outcome.reason}. Run \`sdd import ${dirname(source.file)}/\` first, then try again.`,
      { file: source.file, line: outcome.line, ref: source.ref },
    );
  }
}

/** Returns the files it changed. A task whose file or line is gone, or whose line is another task, is left alone. */
export async function syncTaskBoxes(
  root: string,
  items: Item[],
  warn: Warn = warnOnStderr,
): Promise<string[]> {
  const changed: string[] = [];
  const seen: { file: string; boxes: Record<string, boolean> }[] = [];
  const { setTaskBoxInFile } = await import('../specs/task-box.js');
  for (const item of withBoxes(items)) {
    const { source } = item;
    const checked = item.status === 'done';
    const outcome = await setTaskBoxInFile(join(root, source.file), source.ref, checked, {
      hintLine: source.line,
      title: item.title,
    });
    if (outcome.kind === 'refused') {
      warn(`${source.file}:${outcome.line}: warning: left the box alone: ${outcome.reason}.`);
    } else if (outcome.kind === 'set') {
      if (outcome.warning) warn(`${source.file}:${outcome.line}: warning: ${outcome.warning}`);
      if (outcome.changed) changed.push(source.file);
      // keyed by the id on the line set, which in a renumbered file is not the tracker's
      seen.push({ file: source.file, boxes: { [outcome.ref]: checked } });
    }
  }
  // The tracker and the file have changed already: a base not recorded is worth a word, not a failure.
  await recordTaskBoxes(root, seen).catch((error: Error) =>
    warn(
      `warning: could not record the boxes this clone set (${error.message}); the next \`sdd import\` may take them for boxes set by hand.`,
    ),
  );
  return changed;
}

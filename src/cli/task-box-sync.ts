// Keeps tasks.md the team's shared view: when sdd closes or reopens an imported task, the task's
// check box in the file follows, and nothing else in the file changes.

import { join } from 'node:path';
import { type Item, isContainerType } from '../core/types.js';

/** Returns the files it changed. A task whose file or line is gone is left alone. */
export async function syncTaskBoxes(root: string, items: Item[]): Promise<string[]> {
  const changed: string[] = [];
  const { tickTaskBoxInFile } = await import('../specs/task-box.js');
  for (const item of items) {
    const source = item.source;
    if (!source || source.removed || isContainerType(item.type) || item.status === 'cancelled') continue;
    const path = join(root, source.file);
    if (await tickTaskBoxInFile(path, source.ref, item.status === 'done', source.line))
      changed.push(source.file);
  }
  return changed;
}

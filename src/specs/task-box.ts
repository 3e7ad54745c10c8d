// Ticks or clears one task's check box in a tasks.md, changing that one character and nothing else, so a
// tracker can keep the file in step with the work without disturbing anyone's edits.

import { readFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { readLines } from './markdown-lines.js';
import { matchCheckbox, readTaskHead, taskRefNumber } from './task-line.js';

/** The text with `ref`'s box set, and the line it is on; null when the text has no such task. */
export function setTaskBox(
  text: string,
  ref: string,
  checked: boolean,
  hintLine?: number,
): { text: string; line: number } | null {
  const wanted = taskRefNumber(ref);
  if (wanted === null) return null;
  const lines = readLines(text);
  const holdsTask = (index: number): boolean => {
    const line = lines[index];
    const box = line && !line.hidden ? matchCheckbox(line.text) : null;
    return box !== null && readTaskHead(box.rest)?.number === wanted;
  };
  // The hint is where the task was last seen; the file may have been edited since, so it is checked.
  const hinted = hintLine !== undefined && holdsTask(hintLine - 1) ? hintLine - 1 : -1;
  const index = hinted !== -1 ? hinted : lines.findIndex((_, i) => holdsTask(i));
  const line = lines[index];
  if (!line) return null;
  const box = matchCheckbox(line.text)!;
  if (box.checked === checked) return { text, line: line.number };
  const at = line.start + box.boxOffset;
  return { text: text.slice(0, at) + (checked ? 'x' : ' ') + text.slice(at + 1), line: line.number };
}

/**
 * setTaskBox on a file, under a lock so concurrent tickers do not lose each other's changes, and written
 * through a temporary file and a rename so a reader never sees half a file. True when the file changed;
 * false when the box already was as wanted, or the file or the task is missing.
 */
export async function tickTaskBoxInFile(
  path: string,
  ref: string,
  checked: boolean,
  hintLine?: number,
): Promise<boolean> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, { retries: { retries: 50, minTimeout: 10, maxTimeout: 100 } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const text = await readFile(path, 'utf8');
    const result = setTaskBox(text, ref, checked, hintLine);
    if (result === null) return false;
    // write-file-atomic flushes a temporary file and renames it over this one, keeping its mode and owner.
    if (result.text === text) return false;
    await writeFileAtomic(path, result.text);
    return true;
  } finally {
    await release();
  }
}

// The merge base of tasks.md check boxes, kept per clone in .sdd/local/task-boxes.json: for each file
// and task, the box this clone last read (an import) or wrote (sdd done, a reopen). With a team server
// the tracker is shared but every clone has its own tasks.md, so the box another clone imported last is
// no base for this one: a teammate's tick not pulled yet would read as "unticked by hand".

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeSourceRef } from '../core/refs.js';
import type { TaskListDocument, TaskListTask } from '../core/task-list.js';
import { terminalSafe } from '../core/terminal-text.js';
import { withFileLock } from '../store/file-lock.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { type Project, SDD_DIR } from './project.js';

/** file (relative to the project root, as in Source.file) → normalised task ref → box. */
export type TaskBoxBases = Record<string, Record<string, boolean>>;

interface BaseFile {
  version: 1;
  files: TaskBoxBases;
}

type Warn = (message: string) => void;

const warnOnStderr: Warn = (message) => process.stderr.write(`${terminalSafe(message)}\n`);

export function taskBoxBasePath(root: string): string {
  return join(root, SDD_DIR, 'local', 'task-boxes.json');
}

/**
 * The tracker is this clone's own when no server is set: then its record of the box at the last
 * import (Source.checked) is this clone's base too, and serves for tasks this file has no box for
 * (a project older than this file). A shared tracker's record is whichever clone imported last.
 */
export function trackerIsShared(project: Project): boolean {
  return project.config.server !== null;
}

/**
 * An unreadable base file loses only what this clone saw, never a status: imports then go as in a
 * fresh clone (linked) or as before the file existed (embedded). So it is reported and replaced.
 */
export async function readTaskBoxBases(root: string, warn: Warn = warnOnStderr): Promise<TaskBoxBases> {
  const path = taskBoxBasePath(root);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const data = JSON.parse(text) as BaseFile;
    if (data?.version === 1 && typeof data.files === 'object' && data.files !== null) return data.files;
  } catch {
    // reported below like any other content sdd did not write
  }
  warn(
    `${path}: warning: not a file sdd wrote, so ignored: the tasks.md boxes it held are forgotten. The next import or sdd done rewrites it.`,
  );
  return {};
}

/** The document with each task's merge base from this clone, as the importer reads it. */
export function withLastSeenBoxes(
  document: TaskListDocument,
  bases: TaskBoxBases,
  shared: boolean,
): TaskListDocument {
  const seen = bases[document.file] ?? {};
  const attach = (task: TaskListTask): TaskListTask => {
    const box: unknown = seen[normalizeSourceRef(task.ref)];
    if (typeof box === 'boolean') return { ...task, lastSeenChecked: box }; // anything else: not seen
    return shared ? { ...task, lastSeenChecked: null } : task;
  };
  return {
    ...document,
    looseTasks: document.looseTasks.map(attach),
    phases: document.phases.map((phase) => ({ ...phase, tasks: phase.tasks.map(attach) })),
  };
}

/** Every box of an imported document: the file's whole entry is replaced, so tasks that left it drop out. */
export function boxesOf(document: TaskListDocument): Record<string, boolean> {
  const boxes: Record<string, boolean> = {};
  for (const task of [...document.looseTasks, ...document.phases.flatMap((p) => p.tasks)]) {
    boxes[normalizeSourceRef(task.ref)] = task.checked;
  }
  return boxes;
}

/**
 * Records boxes this clone has just read or written: `replace` files get exactly the boxes given
 * (an import), the others are merged task by task (sdd done). Read-modify-write under a lock, since
 * an agent's sdd done may run while its person imports; written whole through a rename, 0600.
 */
export async function recordTaskBoxes(
  root: string,
  changes: { file: string; boxes: Record<string, boolean>; replace?: boolean }[],
  warn: Warn = warnOnStderr,
): Promise<void> {
  if (changes.length === 0) return;
  const path = taskBoxBasePath(root);
  await ensurePrivateFolder(join(root, SDD_DIR, 'local'));
  await withFileLock(path, async () => {
    const files = await readTaskBoxBases(root, warn);
    for (const { file, boxes, replace } of changes) {
      const normalised = Object.fromEntries(
        Object.entries(boxes).map(([ref, box]) => [normalizeSourceRef(ref), box]),
      );
      files[file] = replace ? normalised : { ...files[file], ...normalised };
    }
    const { default: writeFileAtomic } = await import('write-file-atomic');
    const data: BaseFile = { version: 1, files };
    await writeFileAtomic(path, `${JSON.stringify(data, null, 1)}\n`, { mode: PRIVATE_FILE_MODE });
  });
}

// Finds a spec-kit feature's tasks.md, names its epic (folder name and title) and parses it. The only module
// of the spec-kit reader that touches the disk.

import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../core/errors.js';
import type { TaskListDocument } from '../core/task-list.js';
import { readLines } from './markdown-lines.js';
import { readHeading } from './phase-heading.js';
import { parseTaskList } from './speckit-tasks-parser.js';

/** `target` is a spec folder (specs/004-team-notes/) or a tasks.md file, relative to the working directory. */
export async function readTaskListFile(projectRoot: string, target: string): Promise<TaskListDocument> {
  const tasksPath = await findTasksFile(target);
  const root = await realpath(path.resolve(projectRoot));
  const relative = path.relative(root, tasksPath);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new InvalidInputError(
      `${tasksPath} is outside the project at ${root}; import task lists from inside the project.`,
      { file: tasksPath, projectRoot: root },
    );
  }
  const folder = path.dirname(tasksPath);
  const epicKey = path.basename(folder);
  const tasksText = await readFile(tasksPath, 'utf8');
  const specText = await readOptional(path.join(folder, 'spec.md'));
  return parseTaskList(tasksText, {
    file: relative.split(path.sep).join('/'),
    epicKey,
    epicTitle: epicTitleFromSpec(specText, tasksText, epicKey),
  });
}

/** spec.md's title, else tasks.md's, else the folder name made readable (004-team-notes → Team notes). */
export function epicTitleFromSpec(specText: string | null, tasksText: string, epicKey: string): string {
  const fromSpec = specText === null ? null : firstTitle(specText, /^Feature Specification\s*:\s*/i);
  if (fromSpec) return fromSpec;
  const fromTasks = firstTitle(tasksText, /^Tasks\s*:\s*/i, true);
  if (fromTasks) return fromTasks;
  const words = epicKey.replace(/^\d+-/, '').replace(/-/g, ' ').trim();
  return words === '' ? epicKey : words[0]!.toUpperCase() + words.slice(1);
}

// The first level-1 heading without `prefix`, or null when it is empty or still the template's
// placeholder ("[FEATURE NAME]"). tasks.md's heading counts only with its "Tasks:" prefix, since a bare
// "# Tasks" names nothing.
function firstTitle(text: string, prefix: RegExp, prefixRequired = false): string | null {
  for (const line of readLines(text)) {
    const heading = line.hidden ? null : readHeading(line.text);
    if (heading?.level !== 1) continue;
    if (prefixRequired && !prefix.test(heading.text)) return null;
    const title = heading.text.replace(prefix, '').trim();
    return title === '' || /^\[[^\]]*\]$/.test(title) ? null : title;
  }
  return null;
}

async function findTasksFile(target: string): Promise<string> {
  const resolved = path.resolve(target);
  const info = await stat(resolved).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  // A wrong path is bad input (exit 2), not a missing tracker item (exit 3, "no such item").
  if (info === null) {
    throw new InvalidInputError(
      `No such file or folder: ${target}. Give a spec folder (specs/004-team-notes/) or the path of its tasks.md.`,
      { target },
    );
  }
  const file = info.isDirectory() ? path.join(resolved, 'tasks.md') : resolved;
  try {
    return await realpath(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new InvalidInputError(
      `No tasks.md in ${withSlash(target)}; run spec-kit's /tasks first or give the path of a tasks.md file.`,
      { target },
    );
  }
}

function withSlash(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// The prompt a session starts with: the task, where it sits (feature, epic), the epic's spec
// documents, the project's shared context and what earlier sessions noted on the task.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ItemDetails } from '../core/service.js';
import type { Item } from '../core/types.js';
import { readContextFiles } from '../specs/context-files.js';
import { SPEC_DOCUMENTS } from '../specs/spec-documents.js';
import { pathsIn } from '../specs/task-paths.js';
import { type ContextDocument, contextPromptSection } from '../specs/team-context.js';

/** The epic's spec folder (specs/004-team-notes), relative to the project root, when it exists. */
export function specDirOf(projectRoot: string, epic: Item | null): string | null {
  if (!epic?.source) return null;
  const dir = dirname(epic.source.file);
  return existsSync(join(projectRoot, dir)) ? dir : null;
}

/** The paths of the context documents (.sdd/context/*.md), relative to the project root. */
export async function contextDocuments(projectRoot: string): Promise<string[]> {
  return (await readContextFiles(projectRoot)).map((doc) => join('.sdd', 'context', `${doc.name}.md`));
}

export interface TaskPromptInput {
  projectRoot: string;
  task: ItemDetails;
  parent: Item | null;
  epic: Item | null;
  sessionId: string;
  /** The team context (the server's versions when linked); else .sdd/context/ is read. */
  context?: ContextDocument[];
}

export async function buildTaskPrompt(input: TaskPromptInput): Promise<string> {
  const { task, parent, epic, projectRoot } = input;
  const item = task.item;
  const ref = item.source ? item.source.ref : item.id;
  const lines: string[] = [`# ${ref}: ${item.title}`, ''];
  if (item.description) lines.push(item.description, '');
  lines.push(
    `sdd item ${item.id}, priority P${item.priority}${item.labels.length ? `, labels ${item.labels.join(', ')}` : ''}.`,
  );
  if (parent && parent.id !== epic?.id) lines.push(`Part of ${parent.type} "${parent.title}".`);
  if (epic) lines.push(`Epic: "${epic.title}"${epic.source ? ` (${epic.source.epicKey})` : ''}.`);
  if (task.blockedBy.length > 0) {
    lines.push(
      '',
      'Done before it:',
      ...task.blockedBy.map((b) => `- ${b.ref ?? b.id} ${b.title} (${b.status})`),
    );
  }
  const specDir = specDirOf(projectRoot, epic);
  if (specDir) {
    const present = SPEC_DOCUMENTS.filter((d) => existsSync(join(projectRoot, specDir, d)));
    if (present.length > 0)
      lines.push('', 'Spec documents of the epic:', ...present.map((d) => `- ${join(specDir, d)}`));
  }
  const context = contextPromptSection(input.context ?? (await readContextFiles(projectRoot)), {
    paths: pathsIn(`${item.title} ${item.description}`),
  });
  if (context) lines.push('', context.trimEnd());
  if (item.notes.length > 0) {
    lines.push(
      '',
      'Notes from earlier work on this task:',
      ...item.notes.map((n) => `- ${n.at.slice(0, 16)} ${n.author}: ${n.text}`),
    );
  }
  lines.push(
    '',
    `When the task is done, say so; \`sdd done ${item.id}\` closes it. \`sdd checkpoint -m "..."\` saves a named checkpoint of the files.`,
  );
  return `${lines.join('\n')}\n`;
}

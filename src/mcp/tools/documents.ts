// Tools that read what the team wrote down: the shared context (.sdd/context/*.md) and the spec
// documents of the current task's epic (specs/NNN-slug/), one at a time so an agent pays for what it reads.

import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import { specDirOf } from '../../sessions/task-prompt.js';
import { readContextFiles } from '../../specs/context-files.js';
import { contextPromptSection } from '../../specs/team-context.js';
import { refOrTask, type ToolContext, tool } from '../tool.js';
import { refInput } from './work.js';

/** More than any context document should be; the rest is cut with a note, never silently. */
const READ_LIMIT = 200_000;

export const contextTool = tool({
  name: 'context',
  description: "The team's context documents (constitution, product, tech stack, workflow).",
  input: {},
  async run({ projectRoot }) {
    // The section every session prompt has: templates left out, each document's inclusion rule kept.
    const section = contextPromptSection(await readContextFiles(projectRoot));
    return section === '' ? 'No team context: .sdd/context/ holds only templates or nothing.' : cut(section);
  },
});

export const specTool = tool({
  name: 'spec',
  description: "Your epic's spec documents: without file, their list; with file, its text.",
  input: {
    file: z
      .string({ error: 'file is text: a name from the list, like plan.md or contracts/api.md' })
      .min(1, 'file may not be empty; omit it to list the documents')
      .max(500)
      .optional(),
    epic: refInput.optional().describe("default: your task's epic"),
  },
  async run(context, input) {
    const dir = await specFolder(context, input.epic);
    const root = join(context.projectRoot, dir);
    if (input.file === undefined) {
      const files = await listDocuments(root);
      if (files.length === 0) return `${dir}/ holds no documents yet.`;
      return [`${dir}/`, ...files.map((f) => `- ${f.path} (${f.size} bytes)`)].join('\n');
    }
    const path = resolve(root, input.file);
    if (!path.startsWith(root + sep)) {
      throw new InvalidInputError(
        `file must name a document inside ${dir}/, like plan.md; got "${input.file}".`,
      );
    }
    const missing = () =>
      new NotFoundError(`${dir}/ has no "${input.file}"; call spec without file to list the documents.`);
    // A link inside the folder must not lead out of it either.
    const real = await realpath(path).catch(() => {
      throw missing();
    });
    if (!real.startsWith((await realpath(root)) + sep)) {
      throw new InvalidInputError(
        `file must name a document inside ${dir}/, like plan.md; got "${input.file}".`,
      );
    }
    const text = await readFile(real, 'utf8').catch(() => {
      throw missing();
    });
    return `# ${relative(context.projectRoot, path)}\n\n${cut(text)}`;
  },
});

async function specFolder(context: ToolContext, epicRef: string | undefined): Promise<string> {
  const { service, projectRoot } = context;
  let epicId: string;
  if (epicRef) epicId = epicRef;
  else {
    const details = await service.getItem(refOrTask(context, undefined, 'epic'));
    if (!details.epic)
      throw new NotFoundError(`${details.item.id} belongs to no epic, so it has no spec documents.`);
    epicId = details.epic.id;
  }
  const epic = (await service.getItem(epicId)).item;
  const dir = specDirOf(projectRoot, epic);
  if (!dir) {
    throw new NotFoundError(
      `Epic ${epic.id} "${epic.title}" has no spec folder here (it was not imported from specs/NNN-slug/tasks.md).`,
    );
  }
  return dir;
}

async function listDocuments(root: string, prefix = ''): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !entry.name.startsWith('.')) out.push(...(await listDocuments(root, path)));
    else if (entry.isFile() && /\.(md|ya?ml|json)$/i.test(entry.name)) {
      out.push({ path, size: (await stat(join(root, path))).size });
    }
  }
  return out;
}

function cut(text: string): string {
  return text.length <= READ_LIMIT
    ? text
    : `${text.slice(0, READ_LIMIT)}\n\n[cut at ${READ_LIMIT} characters of ${text.length}]`;
}

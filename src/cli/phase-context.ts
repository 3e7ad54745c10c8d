// The project's shared context (.sdd/context/*.md: constitution, product, tech stack, workflow) as
// a section of a phase prompt, each document whole, so the agent shapes the spec and the plan by it.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contextDocuments } from '../sessions/task-prompt.js';

export async function phaseContextSection(projectRoot: string): Promise<string> {
  const paths = await contextDocuments(projectRoot);
  const parts: string[] = [];
  for (const path of paths) {
    const text = (await readFile(join(projectRoot, path), 'utf8').catch(() => '')).trim();
    if (text !== '') parts.push(`### ${path}\n\n${text}`);
  }
  return parts.length === 0 ? '' : `## Project context (follow it)\n\n${parts.join('\n\n')}`;
}

// The team context on disk: .sdd/context/<name>.md, one document each. Reading them, and writing the
// templates `sdd init` starts with, never over a file that is there.

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../core/errors.js';
import { CONTEXT_TEMPLATES } from './context-templates.js';
import type { ContextDocument } from './team-context.js';

export const CONTEXT_DIR = join('.sdd', 'context');

/** Names travel in URLs and name files: letters, digits, `.`, `_`, `-`, no leading dot. */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkContextName(name: string): string {
  const bare = name.endsWith('.md') ? name.slice(0, -3) : name;
  if (!CONTEXT_NAME.test(bare) || bare.includes('..')) {
    throw new InvalidInputError(
      `A context document's name is 1 to 64 letters, digits, ".", "_" or "-" (like tech-stack); got "${name}".`,
    );
  }
  return bare;
}

export function contextDir(root: string): string {
  return join(root, CONTEXT_DIR);
}

export function contextFile(root: string, name: string): string {
  return join(contextDir(root), `${name}.md`);
}

/** The documents in .sdd/context/, by name; none when the folder is missing. */
export async function readContextFiles(root: string): Promise<ContextDocument[]> {
  let names: string[];
  try {
    names = await readdir(contextDir(root));
  } catch {
    return [];
  }
  const docs: ContextDocument[] = [];
  for (const file of names.filter((n) => n.endsWith('.md')).sort()) {
    const name = file.slice(0, -3);
    if (!CONTEXT_NAME.test(name)) continue;
    const text = await readFile(join(contextDir(root), file), 'utf8').catch(() => null);
    if (text !== null) docs.push({ name, text });
  }
  return docs;
}

export async function readContextFile(root: string, name: string): Promise<string | null> {
  try {
    return await readFile(contextFile(root, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes each template whose file is missing; returns the names written. */
export async function writeMissingTemplates(root: string): Promise<string[]> {
  await mkdir(contextDir(root), { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(CONTEXT_TEMPLATES)) {
    try {
      await writeFile(contextFile(root, name), text, { flag: 'wx' });
      written.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return written;
}

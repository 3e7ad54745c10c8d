// Finds the context other spec-driven tools keep, as sdd context documents: spec-kit's constitution,
// Kiro's steering files (their `inclusion:` front matter kept, so prompts honour it) and Conductor's
// product, tech stack, workflow, guidelines and code style guides. Reads only; the caller writes.
// Messy files are taken as they are, with `file:line` warnings; no text is dropped, only files that
// are not text at all.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readContextFrontMatter } from './context-front-matter.js';

export const CONTEXT_SOURCES = ['speckit', 'kiro', 'conductor'] as const;
export type ContextSource = (typeof CONTEXT_SOURCES)[number];

export interface ImportedDocument {
  name: string;
  text: string;
  /** The file it came from, relative to the project. */
  from: string;
  source: ContextSource;
}

export interface ImportWarning {
  file: string;
  line: number;
  problem: string;
}

export interface ImportPlan {
  documents: ImportedDocument[];
  warnings: ImportWarning[];
}

const KIRO_NAMES: Record<string, string> = { product: 'product', tech: 'tech-stack', structure: 'structure' };
const CONDUCTOR_FILES: [string, string][] = [
  ['product.md', 'product'],
  ['tech-stack.md', 'tech-stack'],
  ['workflow.md', 'workflow'],
  ['product-guidelines.md', 'product-guidelines'],
];

export async function readContextSources(root: string, only?: ContextSource): Promise<ImportPlan> {
  const plan: ImportPlan = { documents: [], warnings: [] };
  for (const source of only ? [only] : CONTEXT_SOURCES) {
    if (source === 'speckit') await readSpeckit(root, plan);
    if (source === 'kiro') await readKiro(root, plan);
    if (source === 'conductor') await readConductor(root, plan);
  }
  return plan;
}

async function readSpeckit(root: string, plan: ImportPlan): Promise<void> {
  const file = '.specify/memory/constitution.md';
  const text = await readText(root, file, plan);
  if (text === null) return;
  // spec-kit's own template has [ALL_CAPS] placeholders until /speckit.constitution fills them in.
  const placeholders = text
    .split('\n')
    .map((line, i) => ({ line: i + 1, found: /\[[A-Z][A-Z0-9_]{2,}\]/.exec(line)?.[0] }))
    .filter((p) => p.found);
  if (placeholders.length > 0) {
    const first = placeholders[0]!;
    plan.warnings.push({
      file,
      line: first.line,
      problem: `still has ${placeholders.length} line(s) with spec-kit placeholders such as ${first.found}; imported as it is, fill them in with \`sdd context edit constitution\``,
    });
  }
  plan.documents.push({ name: 'constitution', text, from: file, source: 'speckit' });
}

async function readKiro(root: string, plan: ImportPlan): Promise<void> {
  const dir = '.kiro/steering';
  for (const entry of await listFiles(root, dir)) {
    const file = `${dir}/${entry}`;
    if (!entry.toLowerCase().endsWith('.md')) {
      plan.warnings.push({
        file,
        line: 1,
        problem: 'not a Markdown file; Kiro reads only *.md steering files, skipped',
      });
      continue;
    }
    const text = await readText(root, file, plan);
    if (text === null) continue;
    for (const warning of readContextFrontMatter(text).warnings) plan.warnings.push({ file, ...warning });
    const stem = entry.slice(0, -3);
    plan.documents.push({
      name: nameOf(KIRO_NAMES[stem] ?? stem, file, plan),
      text,
      from: file,
      source: 'kiro',
    });
  }
}

async function readConductor(root: string, plan: ImportPlan): Promise<void> {
  for (const [entry, name] of CONDUCTOR_FILES) {
    const file = `conductor/${entry}`;
    const text = await readText(root, file, plan, true);
    if (text !== null) plan.documents.push({ name, text, from: file, source: 'conductor' });
  }
  const dir = 'conductor/code_styleguides';
  for (const entry of await listFiles(root, dir)) {
    const file = `${dir}/${entry}`;
    if (!entry.toLowerCase().endsWith('.md')) {
      plan.warnings.push({ file, line: 1, problem: 'not a Markdown style guide, skipped' });
      continue;
    }
    const text = await readText(root, file, plan);
    if (text === null) continue;
    const name = nameOf(`styleguide-${entry.slice(0, -3)}`, file, plan);
    plan.documents.push({ name, text, from: file, source: 'conductor' });
  }
}

/** The files of a folder, sorted; none when it is missing. */
async function listFiles(root: string, dir: string): Promise<string[]> {
  try {
    const entries = await readdir(join(root, dir), { withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * A file's text: a byte-order mark dropped, bytes that are not UTF-8 read as Latin-1 (so none is
 * lost), a file with NUL bytes (not text) or with nothing in it skipped with a warning.
 */
async function readText(
  root: string,
  file: string,
  plan: ImportPlan,
  optional = true,
): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, file));
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    plan.warnings.push({ file, line: 1, problem: `cannot be read (${(error as Error).message}), skipped` });
    return null;
  }
  if (bytes.includes(0)) {
    plan.warnings.push({ file, line: 1, problem: 'holds NUL bytes: not a text file, skipped' });
    return null;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
    plan.warnings.push({ file, line: 1, problem: 'is not UTF-8; read as Latin-1, check its accents' });
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') {
    plan.warnings.push({ file, line: 1, problem: 'is empty, skipped' });
    return null;
  }
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A file name made a document name: characters a name may not hold become "-". */
function nameOf(stem: string, file: string, plan: ImportPlan): string {
  const name =
    stem
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[._-]+/, '')
      .slice(0, 64) || 'imported';
  if (name !== stem)
    plan.warnings.push({
      file,
      line: 1,
      problem: `imported as "${name}" (a name holds letters, digits, ".", "_", "-")`,
    });
  return name;
}

// The team context as it goes into every prompt sdd builds for an agent (task sessions and phase
// sessions alike): pure, given the documents. Where they come from is src/cli/team-context.ts.
//
// Which documents go in whole follows Kiro's steering rules, read from each one's front matter:
// - `always` (the default): the text is in the prompt;
// - `fileMatch` with `fileMatchPattern`: the text is in the prompt when the work names a file that
//   matches (a task's description paths); otherwise one line says to read it before touching such files;
// - `manual`: one line says it exists, for the agent to read when it is relevant.
// A document still equal to sdd's template is left out: placeholders only mislead an agent.

import { type ContextInclusion, matchesAny, readContextFrontMatter } from './context-front-matter.js';
import { isUntouchedTemplate } from './context-templates.js';

export type { ContextInclusion } from './context-front-matter.js';

export interface ContextDocument {
  /** The file's name without `.md`: constitution, product, tech-stack, workflow, or any other. */
  name: string;
  /** The whole text, front matter included. */
  text: string;
  inclusion?: ContextInclusion;
  /** For `fileMatch`: the globs (relative to the repository) that bring it in. */
  fileMatchPattern?: string[];
  /** The team server's version of it, when it came from one. */
  version?: number;
  author?: string;
  at?: string;
}

export interface ContextPromptOptions {
  /** Files the work is known to touch (relative paths): `fileMatch` documents for them go in whole. */
  paths?: string[];
}

/** The document with its inclusion read from its front matter (when not already set). */
export function withInclusion(doc: ContextDocument): ContextDocument {
  if (doc.inclusion) return doc;
  const front = readContextFrontMatter(doc.text);
  return {
    ...doc,
    inclusion: front.inclusion,
    ...(front.inclusion === 'fileMatch' && { fileMatchPattern: front.fileMatchPattern }),
  };
}

export function contextPath(name: string): string {
  return `.sdd/context/${name}.md`;
}

/** The prompt's "Team context" section, or '' when there is nothing to say. */
export function contextPromptSection(docs: ContextDocument[], options: ContextPromptOptions = {}): string {
  const paths = options.paths ?? [];
  const whole: ContextDocument[] = [];
  const onMatch: ContextDocument[] = [];
  const manual: ContextDocument[] = [];
  for (const doc of [...docs].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name))) {
    if (isUntouchedTemplate(doc.name, doc.text)) continue;
    const read = withInclusion(doc);
    const body = readContextFrontMatter(doc.text).body.trim();
    if (body === '') continue;
    if (read.inclusion === 'manual') manual.push(read);
    else if (read.inclusion === 'fileMatch') {
      const patterns = read.fileMatchPattern ?? [];
      if (paths.some((path) => matchesAny(path, patterns))) whole.push(read);
      else onMatch.push(read);
    } else whole.push(read);
  }
  if (whole.length + onMatch.length + manual.length === 0) return '';
  const lines = [
    '## Team context',
    '',
    "The team's shared documents (in .sdd/context/): keep to them in everything you do.",
  ];
  for (const doc of whole) {
    lines.push('', `### ${doc.name}${provenance(doc)}`, '', readContextFrontMatter(doc.text).body.trim());
  }
  if (onMatch.length > 0) {
    lines.push('', 'Read before you touch files they cover:');
    for (const doc of onMatch) {
      lines.push(`- ${contextPath(doc.name)} (for ${(doc.fileMatchPattern ?? []).join(', ')})`);
    }
  }
  if (manual.length > 0) {
    lines.push('', 'Also there, to read when relevant:');
    for (const doc of manual) lines.push(`- ${contextPath(doc.name)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The four documents sdd starts every project with come first, in this order. */
const FIRST = ['constitution', 'product', 'tech-stack', 'workflow'];

function order(name: string): number {
  const index = FIRST.indexOf(name);
  return index === -1 ? FIRST.length : index;
}

function provenance(doc: ContextDocument): string {
  if (doc.version === undefined) return '';
  return ` (version ${doc.version}${doc.author ? ` by ${doc.author}` : ''})`;
}

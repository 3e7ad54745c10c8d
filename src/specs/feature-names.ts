// Names of a new feature, as spec-kit's create-new-feature script makes them: a short name of the
// description's first few meaningful words (photo-albums), and the highest number under specs/.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const STOP_WORDS = new Set(
  'a an the to for of and or in on at by with from into as is are be can could should would will want wants need needs i we you they it this that my our their let lets please add create build make implement support allow allows new feature so users user'.split(
    ' ',
  ),
);

/** Up to three words of the description, lower case, joined by "-": "Add photo albums for users" -> photo-albums. */
export function shortNameOf(description: string): string {
  const words = description
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const meaningful = words.filter((w) => !STOP_WORDS.has(w) && w.length > 1);
  const chosen = (meaningful.length > 0 ? meaningful : words).slice(0, 3);
  return chosen.join('-').slice(0, 40).replace(/-+$/, '') || 'feature';
}

/** The title of the epic: the description's first line, cut at a word near 100 characters. */
export function featureTitleOf(description: string): string {
  const first = description
    .trim()
    .split('\n')[0]!
    .trim()
    .replace(/[.\s]+$/, '');
  if (first.length <= 100) return first;
  const cut = first.slice(0, 100);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 60))}…`;
}

/** The highest feature number among the folders of specs/ (0 when there is none). */
export function highestFeatureNumber(projectRoot: string): number {
  let highest = 0;
  try {
    for (const entry of readdirSync(join(projectRoot, 'specs'), { withFileTypes: true })) {
      const match = /^(\d{3,})-/.exec(entry.name);
      if (entry.isDirectory() && match) highest = Math.max(highest, Number(match[1]));
    }
  } catch {
    // no specs/ folder yet
  }
  return highest;
}

/** spec-kit's template with what `sdd specify` knows filled in. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  let text = template;
  for (const [placeholder, value] of Object.entries(values))
    text = text.split(`[${placeholder}]`).join(value);
  return text;
}

// What a person may type as a label, and how a list of them is kept: trimmed, unique, in order.

import { InvalidInputError } from './errors.js';

export function cleanLabels(labels: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of labels) {
    const label = raw.trim();
    if (label === '') continue;
    if (/[\s,]/.test(label))
      throw new InvalidInputError(`Label "${label}" has a space or comma; labels are single words.`);
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

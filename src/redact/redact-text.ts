// Redacts a whole text at once: the streaming redactor fed a single chunk and flushed.

import { StreamRedactor } from './stream-redactor.js';
import type { RedactCounts, RedactOptions } from './types.js';

export function redactText(
  text: string,
  options: RedactOptions = {},
): { text: string; counts: RedactCounts } {
  const redactor = new StreamRedactor(options);
  const redacted = redactor.push(text) + redactor.end();
  return { text: redacted, counts: redactor.counts() };
}

export function addCounts(into: RedactCounts, counts: RedactCounts): void {
  for (const [kind, count] of Object.entries(counts)) into[kind] = (into[kind] ?? 0) + count;
}

// Redacts inside one JSON line (an asciicast event, a transcript record) and keeps it valid JSON:
// string values are decoded, redacted and encoded again; a secret-named field loses its whole value.

import { addCounts, redactText } from './redact-text.js';
import { isPlaceholderValue, isSecretName } from './secret-names.js';
import { redactionMarker } from './stream-redactor.js';
import type { RedactCounts, RedactOptions } from './types.js';

export function redactJsonLine(
  line: string,
  options: RedactOptions = {},
): { line: string; counts: RedactCounts } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // Not JSON (a torn last line, a comment): still no secret may pass.
    const result = redactText(line, options);
    return { line: result.text, counts: result.counts };
  }
  const counts: RedactCounts = {};
  const redacted = redactValue(parsed, false, options, counts);
  // An untouched line is returned byte for byte: re-encoding would change its spacing and numbers.
  if (Object.keys(counts).length === 0) return { line, counts };
  return { line: JSON.stringify(redacted), counts };
}

function redactValue(
  value: unknown,
  secretField: boolean,
  options: RedactOptions,
  counts: RedactCounts,
): unknown {
  if (typeof value === 'string') {
    const result = redactText(value, options);
    if (secretField && result.text === value && !isPlaceholderValue(value)) {
      addCounts(counts, { 'secret-assignment': 1 });
      return redactionMarker('secret-assignment');
    }
    addCounts(counts, result.counts);
    return result.text;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, false, options, counts));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      redactValue(item, isSecretName(key), options, counts),
    ]);
    return Object.fromEntries(entries);
  }
  return value;
}

// Reads a moment in a recording as people write it: seconds ("90", "1.5"), "mm:ss" or "hh:mm:ss".

import { InvalidInputError } from '../core/errors.js';

const NUMBER = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** Seconds for "90", "1.5", "1:30", "01:02:03" (fractions allowed on the seconds part only). */
export function parseTimeSpec(text: string): number {
  const parts = text.trim().split(':');
  const seconds = parts.at(-1)!;
  const larger = parts.slice(0, -1);
  const valid =
    parts.length <= 3 &&
    NUMBER.test(seconds) &&
    larger.every((part) => WHOLE.test(part)) &&
    // Past the first part, minutes and seconds stay below 60, as on a clock.
    (parts.length === 1 || Number(seconds) < 60) &&
    (parts.length < 3 || Number(parts[1]) < 60);
  if (!valid) {
    throw new InvalidInputError(
      `"${text}" is not a moment in the recording; ` +
        'write seconds (90, 1.5), mm:ss (1:30) or hh:mm:ss (01:02:03).',
    );
  }
  return parts.reduce((total, part) => total * 60 + Number(part), 0);
}

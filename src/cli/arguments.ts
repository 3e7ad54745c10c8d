// Parsers for option values, so a typo fails with a message before anything is changed.

import { InvalidInputError } from '../core/errors.js';

/** 1, P1 and p1 all mean priority 1. */
export function parsePriority(value: string): number {
  const match = /^[pP]?(\d+)$/.exec(value.trim());
  if (!match)
    throw new InvalidInputError(
      `Priority "${value}" is not a number like 1 or P1 (0 is the most urgent, 4 the least).`,
    );
  return Number(match[1]);
}

/** 90s, 15m, 2h; a bare number is minutes. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidInputError(`Duration "${value}" is not like 90s, 15m or 2h.`);
  const amount = Number(match[1]);
  const unit = match[2] ?? 'm';
  const seconds = amount * (unit === 's' ? 1 : unit === 'm' ? 60 : 3600);
  if (seconds <= 0) throw new InvalidInputError(`Duration "${value}" must be longer than zero.`);
  return seconds;
}

export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw new InvalidInputError(`--limit "${value}" is not a whole number of at least 1.`);
  return limit;
}

/** "a,b" and repeated options both work. */
export function collectLabels(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  ];
}

// Feature numbers: spec-kit numbers each epic's folder (001-photo-albums, 002-...). sdd takes the
// next number and creates the epic in one locked transaction, so two clones asking at once never
// get the same one; the clone says the lowest it may take (one past its own specs/ folders).

import { InvalidInputError } from './errors.js';
import { newItem } from './items.js';
import { checkTitle } from './titles.js';
import type { Transaction } from './transaction.js';
import type { Item } from './types.js';

export interface ReserveEpicInput {
  /** Lower-case words joined by `-` (photo-albums): the folder is NNN-short-name. */
  shortName: string;
  title: string;
  description?: string;
  /** The lowest number to take: one past the highest folder under this clone's specs/. */
  minNumber?: number;
}

export interface ReservedEpic {
  number: number;
  /** The epic's folder name, NNN-short-name, also its key in the tracker (source.epicKey). */
  key: string;
  epic: Item;
}

const SHORT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NUMBERED_KEY = /^(\d{3,})-/;

/** The number of a folder or key like 004-team-notes, or null. */
export function featureNumberOf(key: string): number | null {
  const match = NUMBERED_KEY.exec(key);
  return match ? Number(match[1]) : null;
}

export function formatFeatureKey(number: number, shortName: string): string {
  return `${String(number).padStart(3, '0')}-${shortName}`;
}

export function reserveEpic(tx: Transaction, input: ReserveEpicInput): ReservedEpic {
  if (
    typeof input.shortName !== 'string' ||
    !SHORT_NAME.test(input.shortName) ||
    input.shortName.length > 60
  ) {
    throw new InvalidInputError(
      `A short name is lower-case letters and digits joined by "-" (at most 60), like photo-albums; got "${input.shortName}".`,
    );
  }
  const min = input.minNumber ?? 1;
  if (!Number.isInteger(min) || min < 1 || min > 99_999) {
    throw new InvalidInputError(`The lowest feature number must be a whole number from 1; got ${min}.`);
  }
  let highest = 0;
  for (const item of tx.data.items) {
    const number = item.source ? featureNumberOf(item.source.epicKey) : null;
    if (number !== null && number > highest) highest = number;
  }
  const number = Math.max(min, highest + 1);
  const key = formatFeatureKey(number, input.shortName);
  const epic = newItem(tx, {
    type: 'epic',
    title: checkTitle(input.title),
    description: input.description ?? '',
    source: { file: `specs/${key}/spec.md`, line: 1, ref: key, epicKey: key },
  });
  return { number, key, epic };
}

// Which epic a phase command is about: the one named, else the one of the current branch (NNN-*,
// as `sdd specify` makes it), else the only open epic with a spec folder, else an error listing them.

import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { Service } from '../core/service.js';
import type { Item } from '../core/types.js';

export interface EpicOfPhase {
  epic: Item;
  /** The folder name and tracker key: 001-photo-albums. */
  key: string;
  /** Relative to the project root: specs/001-photo-albums. */
  specDir: string;
}

export function epicFacts(epic: Item): EpicOfPhase {
  if (!epic.source) {
    throw new InvalidInputError(
      `${epic.id} "${epic.title}" has no spec folder (it was not made by \`sdd specify\` or \`sdd import\`); give an epic that has one.`,
    );
  }
  return { epic, key: epic.source.epicKey, specDir: dirname(epic.source.file) };
}

export function currentBranch(root: string): string | null {
  const result = spawnSync('git', ['symbolic-ref', '--short', '-q', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export async function epicOfPhase(
  service: Service,
  root: string,
  ref: string | undefined,
): Promise<EpicOfPhase> {
  if (ref) {
    const details = await service.getItem(ref);
    if (details.item.type === 'epic') return epicFacts(details.item);
    if (details.epic) return epicFacts((await service.getItem(details.epic.id)).item);
    throw new InvalidInputError(`${ref} is a ${details.item.type} under no epic; give an epic.`);
  }
  const branch = currentBranch(root);
  if (branch && /^\d{3,}-/.test(branch)) {
    const found = await service.getItem(branch).catch((error: Error) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (found?.item.type === 'epic') return epicFacts(found.item);
  }
  const open = (await service.listItems({ type: 'epic' })).filter(
    (e) => e.source && e.status !== 'done' && e.status !== 'cancelled',
  );
  if (open.length === 1) return epicFacts(open[0]!);
  if (open.length === 0) {
    throw new NotFoundError('No open epic with a spec folder: start one with `sdd specify "<description>"`.');
  }
  const list = open.map((e) => `${e.source!.epicKey} (${e.id})`).join(', ');
  throw new InvalidInputError(`Several open epics: ${list}; name one, or switch to its branch.`);
}

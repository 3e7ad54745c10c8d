// Claims: an exclusive lease of one task by one actor, renewed by its holder, lapsing on its own.
// Closing a task releases it. Epics and features are containers and are never claimed.

import { AlreadyClaimedError, InvalidInputError, NotClaimableError, NotReadyError } from './errors.js';
import { setStatus } from './items.js';
import { liveClaim, nameInMessage, WaitFinder } from './ready.js';
import {
  type ClaimOptions,
  type ClaimResult,
  type CloseResult,
  DEFAULT_CLAIM_TTL_SECONDS,
  type ReleaseResult,
} from './service.js';
import type { Transaction } from './transaction.js';
import { type Item, isContainerType } from './types.js';

function label(item: Item): string {
  return item.source ? `${item.id} (${item.source.ref})` : item.id;
}

export function checkActor(actor: string): string {
  const clean = actor.trim();
  if (clean === '')
    throw new InvalidInputError(
      'Who is acting is unknown; pass --as NAME, set SDD_ACTOR, or set git user.name.',
    );
  return clean;
}

function ttlOf(options: ClaimOptions): number {
  const ttl = options.ttlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS;
  if (!Number.isFinite(ttl) || ttl <= 0)
    throw new InvalidInputError(`A claim's lease must be longer than zero; got ${ttl} seconds.`);
  return ttl;
}

/** Refuses when someone else holds a live claim, unless forced; returns that holder. */
function checkHolder(tx: Transaction, item: Item, actor: string, force: boolean): string | null {
  const held = liveClaim(item, tx.now);
  if (!held || held.actor === actor) return null;
  if (!force) throw new AlreadyClaimedError(label(item), held.actor, held.expiresAt);
  return held.actor;
}

export function claimItem(
  tx: Transaction,
  item: Item,
  actorName: string,
  options: ClaimOptions = {},
): ClaimResult {
  const actor = checkActor(actorName);
  const ttlSeconds = ttlOf(options);
  const force = options.force ?? false;
  if (isContainerType(item.type)) {
    throw new NotClaimableError(
      `${item.id} is ${item.type === 'epic' ? 'an epic' : 'a feature'}: a container of tasks, never claimed itself. Claim one of its tasks: \`sdd ready --epic ${item.id}\`.`,
    );
  }
  if (item.status === 'done' || item.status === 'cancelled') {
    throw new NotClaimableError(
      `${label(item)} is ${item.status}; reopen it with \`sdd update ${item.id} --status open\` to work on it again.`,
    );
  }
  const tookOverFrom = checkHolder(tx, item, actor, force);
  const held = liveClaim(item, tx.now);
  const renewed = held?.actor === actor;
  if (!renewed && !force) {
    const waits = new WaitFinder(tx.index).waitsOf(item);
    if (waits.length > 0) {
      const names = waits.map(
        (w) =>
          `${nameInMessage(w.on)} (${w.on.status}${w.via && w.via.id !== w.on.id ? `, through ${nameInMessage(w.via)}` : ''})`,
      );
      throw new NotReadyError(
        `${label(item)} is not ready: it waits on ${names.join(', ')}. Finish those first, or use --force.`,
        {
          waitsOn: waits,
        },
      );
    }
  }
  const expiresAt = new Date(tx.now.getTime() + ttlSeconds * 1000).toISOString();
  item.claim = { actor, claimedAt: renewed && held ? held.claimedAt : tx.nowIso, expiresAt };
  if (item.status !== 'in_progress') setStatus(tx, item, 'in_progress');
  item.updatedAt = tx.nowIso;
  return { item, claim: item.claim, renewed, tookOverFrom };
}

export function releaseItem(tx: Transaction, item: Item, actorName: string, force = false): ReleaseResult {
  const actor = checkActor(actorName);
  checkHolder(tx, item, actor, force);
  if (item.claim === null) return { item, released: false };
  item.claim = null;
  if (item.status === 'in_progress') setStatus(tx, item, 'open');
  item.updatedAt = tx.nowIso;
  return { item, released: true };
}

export function finishItem(tx: Transaction, item: Item, actorName: string, force = false): CloseResult {
  const actor = checkActor(actorName);
  if (isContainerType(item.type)) {
    throw new InvalidInputError(
      `${item.id} is a ${item.type}; it closes by itself when all its items are done or cancelled.`,
    );
  }
  checkHolder(tx, item, actor, force);
  const settled = setStatus(tx, item, 'done');
  return { item, settled };
}

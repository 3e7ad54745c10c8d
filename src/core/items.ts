// Creating and changing items: validation, status transitions and their effects on claims, closing
// times and the containers above.

import { settleAncestors } from './containers.js';
import { WaitGraph } from './cycles.js';
import { AlreadyClaimedError, CycleError, InvalidInputError } from './errors.js';
import { cleanLabels } from './labels.js';
import { type ItemSummary, liveClaim, summarize } from './ready.js';
import type { CloseResult, CreateItemInput, UpdateItemInput } from './service.js';
import { checkTitle } from './titles.js';
import type { Transaction } from './transaction.js';
import {
  DEFAULT_PRIORITY,
  ITEM_TYPES,
  type Item,
  type ItemType,
  isClosed,
  isContainerType,
  MAX_PRIORITY,
  MIN_PRIORITY,
  STATUSES,
  type Status,
} from './types.js';

export function checkPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw new InvalidInputError(
      `Priority must be a whole number from ${MIN_PRIORITY} (most urgent) to ${MAX_PRIORITY}; got ${priority}.`,
    );
  }
  return priority;
}

export function checkType(type: string): ItemType {
  if (!(ITEM_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputError(`Unknown type "${type}"; use one of ${ITEM_TYPES.join(', ')}.`);
  }
  return type as ItemType;
}

export function checkStatus(status: string): Status {
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new InvalidInputError(`Unknown status "${status}"; use one of ${STATUSES.join(', ')}.`);
  }
  return status as Status;
}

export function newItem(tx: Transaction, fields: Partial<Item> & Pick<Item, 'type' | 'title'>): Item {
  const item: Item = {
    id: tx.newId(),
    description: '',
    status: 'open',
    priority: DEFAULT_PRIORITY,
    labels: [],
    parent: null,
    order: null,
    mvp: false,
    source: null,
    claim: null,
    notes: [],
    createdAt: tx.nowIso,
    updatedAt: tx.nowIso,
    closedAt: null,
    ...fields,
  };
  tx.data.items.push(item);
  tx.structureChanged();
  return item;
}

export function createItem(tx: Transaction, input: CreateItemInput): Item {
  const type = checkType(input.type ?? 'task');
  const parent = input.parent ? tx.resolve(input.parent) : null;
  if (parent) checkParentType(type, parent);
  const item = newItem(tx, {
    type,
    title: checkTitle(input.title),
    description: input.description ?? '',
    priority: checkPriority(input.priority ?? parent?.priority ?? DEFAULT_PRIORITY),
    labels: cleanLabels(input.labels ?? []),
    parent: parent?.id ?? null,
  });
  if (parent) settleAncestors(tx.index, parent, tx.nowIso);
  return item;
}

function checkParentType(type: ItemType, parent: Item): void {
  if (!isContainerType(parent.type)) {
    throw new InvalidInputError(`${parent.id} is a ${parent.type}; items go under an epic or a feature.`);
  }
  if (type === 'epic' && parent.type !== 'epic') {
    throw new InvalidInputError(
      `An epic can only sit under another epic, not under ${parent.type} ${parent.id}.`,
    );
  }
  if (parent.status === 'cancelled') {
    throw new InvalidInputError(`${parent.id} is cancelled; reopen it before adding to it.`);
  }
}

export function updateItem(tx: Transaction, item: Item, change: UpdateItemInput, actor = ''): CloseResult {
  const settled: ItemSummary[] = [];
  if (change.status !== undefined && change.status !== item.status) {
    if (change.status === 'in_progress') {
      throw new InvalidInputError(
        `A task is in progress while someone holds it: \`sdd claim ${item.id}\` instead.`,
      );
    }
    const held = liveClaim(item, tx.now);
    if (held && held.actor !== actor && !change.force) {
      throw new AlreadyClaimedError(
        item.source ? `${item.id} (${item.source.ref})` : item.id,
        held.actor,
        held.expiresAt,
      );
    }
  }
  const before = JSON.stringify(item);
  if (change.title !== undefined) item.title = checkTitle(change.title);
  if (change.description !== undefined) item.description = change.description;
  if (change.priority !== undefined) item.priority = checkPriority(change.priority);
  if (change.addLabels || change.removeLabels) {
    const removed = new Set(change.removeLabels ?? []);
    item.labels = cleanLabels([...item.labels.filter((l) => !removed.has(l)), ...(change.addLabels ?? [])]);
  }
  if (change.parent !== undefined) settled.push(...moveItem(tx, item, change.parent));
  if (change.status !== undefined) settled.push(...setStatus(tx, item, checkStatus(change.status)));
  if (JSON.stringify(item) !== before) item.updatedAt = tx.nowIso;
  return { item, settled };
}

/** Puts `item` under a new parent (or none), refusing a move that would make the tree loop. */
function moveItem(tx: Transaction, item: Item, parentRef: string | null): ItemSummary[] {
  const oldParent = item.parent ? (tx.index.get(item.parent) ?? null) : null;
  const parent = parentRef === null || parentRef === '' ? null : tx.resolve(parentRef);
  if (parent?.id === item.parent) return [];
  if (parent) {
    checkParentType(item.type, parent);
    if (parent.id === item.id || tx.index.ancestorsOf(parent).some((a) => a.id === item.id)) {
      throw new CycleError(`${parent.id} is inside ${item.id}; an item cannot be moved under itself.`, [
        item.id,
        parent.id,
      ]);
    }
  }
  item.parent = parent?.id ?? null;
  tx.structureChanged();
  refuseWaitCycle(tx, `moving ${item.id} under ${parent?.id ?? 'nothing'}`);
  const settled = [
    ...settleAncestors(tx.index, oldParent, tx.nowIso),
    ...settleAncestors(tx.index, parent, tx.nowIso),
  ];
  return settled.map(summarize);
}

/** Throws when the current state has work that can never become ready. */
export function refuseWaitCycle(tx: Transaction, what: string): void {
  const cycle = new WaitGraph(tx.index).findAnyCycle();
  if (!cycle) return;
  const names = cycle.map((id) => {
    const item = tx.index.get(id);
    return item?.source ? `${id} (${item.source.ref})` : id;
  });
  throw new CycleError(
    `${what} would close a dependency cycle: ${names.join(' → ')}. None of them could ever become ready; remove one of these dependencies first.`,
    cycle,
  );
}

/**
 * Moves an item to `status` with what that implies: closing releases any claim and stamps the time,
 * reopening clears it; the containers above then settle.
 */
export function setStatus(tx: Transaction, item: Item, status: Status): ItemSummary[] {
  if (item.status === status) return [];
  if (status === 'done' && !tx.index.isLeaf(item.id)) {
    const open = tx.index.childrenOf(item.id).filter((c) => !isClosed(c.status));
    if (open.length > 0) {
      throw new InvalidInputError(
        `${item.id} has ${open.length} unfinished item(s) (${open.map((c) => c.id).join(', ')}); it closes by itself when they are done or cancelled.`,
      );
    }
  }
  if (status === 'in_progress' && isContainerType(item.type)) {
    throw new InvalidInputError(`${item.id} is a ${item.type}; it is in progress when one of its items is.`);
  }
  item.status = status;
  item.updatedAt = tx.nowIso;
  item.closedAt = isClosed(status) ? tx.nowIso : null;
  if (status !== 'in_progress') item.claim = null;
  // sdd ticks (or clears) the box in tasks.md along with this change, so that is what the file now says:
  // the base of the next import's three-way merge.
  if (item.source && !isContainerType(item.type) && status !== 'cancelled')
    item.source.checked = status === 'done';
  const parent = item.parent ? (tx.index.get(item.parent) ?? null) : null;
  return settleAncestors(tx.index, parent, tx.nowIso).map(summarize);
}

export function addNote(tx: Transaction, item: Item, text: string, author: string): Item {
  const clean = text.trim();
  if (clean === '') throw new InvalidInputError('A note needs some text.');
  item.notes.push({ author, at: tx.nowIso, text: clean });
  item.updatedAt = tx.nowIso;
  return item;
}

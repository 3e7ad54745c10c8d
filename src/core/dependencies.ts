// Edges between items. `from` depends on `to`: blocked by it, a child of it, discovered from it, or
// related to it. parent-child is the item's `parent` field; the other kinds are stored edges.

import { InvalidInputError } from './errors.js';
import { refuseWaitCycle, updateItem } from './items.js';
import { summarize } from './ready.js';
import type { DependencyView } from './service.js';
import type { Transaction } from './transaction.js';
import { DEPENDENCY_TYPES, type Dependency, type DependencyType, type Item } from './types.js';

export function checkDependencyType(type: string): DependencyType {
  if (!(DEPENDENCY_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputError(
      `Unknown dependency type "${type}"; use one of ${DEPENDENCY_TYPES.join(', ')}.`,
    );
  }
  return type as DependencyType;
}

function view(from: Item, to: Item, type: DependencyType, origin: Dependency['origin']): DependencyView {
  return { from: summarize(from), to: summarize(to), type, origin };
}

export function addDependency(tx: Transaction, from: Item, to: Item, type: DependencyType): DependencyView {
  if (from.id === to.id) throw new InvalidInputError(`${from.id} cannot depend on itself.`);
  if (type === 'parent-child') {
    updateItem(tx, from, { parent: to.id });
    return view(from, to, type, 'user');
  }
  const existing = tx.data.dependencies.find((d) => d.from === from.id && d.to === to.id && d.type === type);
  if (existing) {
    existing.origin = 'user'; // a person confirmed it: a re-import must not take it away
    return view(from, to, type, existing.origin);
  }
  tx.data.dependencies.push({ from: from.id, to: to.id, type, origin: 'user', createdAt: tx.nowIso });
  tx.structureChanged();
  if (type === 'blocks') refuseWaitCycle(tx, `"${from.id} waits on ${to.id}"`);
  return view(from, to, type, 'user');
}

export function removeDependency(
  tx: Transaction,
  from: Item,
  to: Item,
  type?: DependencyType,
): DependencyView[] {
  const removed: DependencyView[] = [];
  if ((type === undefined || type === 'parent-child') && from.parent === to.id) {
    updateItem(tx, from, { parent: null });
    removed.push(view(from, to, 'parent-child', 'user'));
  }
  const kept: Dependency[] = [];
  for (const dep of tx.data.dependencies) {
    const matches = dep.from === from.id && dep.to === to.id && (type === undefined || dep.type === type);
    if (matches) removed.push(view(from, to, dep.type, dep.origin));
    else kept.push(dep);
  }
  if (kept.length !== tx.data.dependencies.length) {
    tx.data.dependencies = kept;
    tx.structureChanged();
  }
  if (removed.length === 0) {
    throw new InvalidInputError(
      `${from.id} has no ${type ?? ''} dependency on ${to.id}; \`sdd dep list ${from.id}\` shows what it has.`.replace(
        '  ',
        ' ',
      ),
    );
  }
  return removed;
}

/** Every edge touching the item, parent-child included, seen from either end. */
export function listDependencies(tx: Transaction, item: Item): DependencyView[] {
  const index = tx.index;
  const out: DependencyView[] = [];
  const parent = item.parent ? index.get(item.parent) : undefined;
  if (parent) out.push(view(item, parent, 'parent-child', 'user'));
  for (const child of index.childrenOf(item.id)) out.push(view(child, item, 'parent-child', 'user'));
  for (const dep of index.dependenciesOf(item.id)) {
    const from = index.get(dep.from);
    const to = index.get(dep.to);
    if (from && to) out.push(view(from, to, dep.type, dep.origin));
  }
  return out;
}

// Where each issue hangs in GitHub's sub-issue tree. sdd's tree maps one to one until GitHub's
// limits: a parent holds at most 100 sub-issues (the rest go into "continued" issues, each the
// 100th sub-issue of the one before), and sub-issues nest at most 8 levels (a deeper item starts a
// tree of its own, with a line in its body naming its parent in sdd).

import type { Item } from '../core/types.js';

export const SUB_ISSUE_LIMIT = 100;
export const DEPTH_LIMIT = 8;

export interface PlacedIssue {
  key: string;
  /** The item, or for an overflow issue the item whose sub-issues it continues. */
  item: Item;
  overflow: number | null;
  parentKey: string | null;
  /** Why it is not linked under its parent in sdd, when it could not be. */
  parentNote: string | null;
  depth: number;
}

export function overflowKey(itemId: string, n: number): string {
  return `overflow:${itemId}:${n}`;
}

export function isOverflowKey(key: string): boolean {
  return key.startsWith('overflow:');
}

/** The base item's id of an overflow key. */
export function overflowBase(key: string): string {
  return key.split(':')[1] ?? '';
}

/** Parents before children, each parent's children in plan order. */
export function layoutIssues(items: Item[], warnings: string[]): PlacedIssue[] {
  const inScope = new Map(items.map((item) => [item.id, item]));
  const children = new Map<string, Item[]>();
  const roots: Item[] = [];
  for (const item of items) {
    if (item.parent && inScope.has(item.parent)) {
      const list = children.get(item.parent) ?? [];
      list.push(item);
      children.set(item.parent, list);
    } else roots.push(item);
  }
  for (const list of [roots, ...children.values()]) list.sort(planOrder);

  const placed: PlacedIssue[] = [];
  const deepParents = new Set<string>();
  const visit = (item: Item, parentKey: string | null, depth: number): void => {
    let parentNote: string | null = null;
    if (parentKey !== null && depth > DEPTH_LIMIT) {
      const parent = inScope.get(item.parent ?? '');
      parentNote = `Part of ${parent ? `${parent.id} “${parent.title}”` : 'its parent'} in sdd; not a sub-issue here because GitHub nests sub-issues at most ${DEPTH_LIMIT} levels deep.`;
      if (parent) deepParents.add(parent.id);
      parentKey = null;
      depth = 1;
    }
    placed.push({ key: item.id, item, overflow: null, parentKey, parentNote, depth });
    placeChildren(item, item.id, depth, children.get(item.id) ?? [], 1);
  };
  const placeChildren = (base: Item, parentKey: string, depth: number, kids: Item[], n: number): void => {
    if (kids.length <= SUB_ISSUE_LIMIT) {
      for (const kid of kids) visit(kid, parentKey, depth + 1);
      return;
    }
    const direct = kids.slice(0, SUB_ISSUE_LIMIT - 1);
    for (const kid of direct) visit(kid, parentKey, depth + 1);
    const key = overflowKey(base.id, n);
    let holderParent: string | null = parentKey;
    let holderDepth = depth + 1;
    let parentNote: string | null = null;
    if (holderDepth > DEPTH_LIMIT) {
      holderParent = null;
      holderDepth = 1;
      parentNote = `Continues the sub-issues of ${base.id} “${base.title}”; not linked under it because GitHub nests sub-issues at most ${DEPTH_LIMIT} levels deep.`;
    }
    placed.push({ key, item: base, overflow: n, parentKey: holderParent, parentNote, depth: holderDepth });
    if (n === 1) {
      warnings.push(
        `${base.id} has ${kids.length} sub-items; GitHub allows ${SUB_ISSUE_LIMIT} sub-issues per issue, so the rest go into “continued” issues (label sdd:overflow).`,
      );
    }
    placeChildren(base, key, holderDepth, kids.slice(SUB_ISSUE_LIMIT - 1), n + 1);
  };
  for (const root of roots) visit(root, null, 1);
  for (const id of deepParents) {
    warnings.push(
      `Items below ${id} are more than ${DEPTH_LIMIT} levels deep: GitHub cannot nest them, so each starts a sub-issue tree of its own with a note naming its parent.`,
    );
  }
  return placed;
}

function planOrder(a: Item, b: Item): number {
  const byOrder = (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER);
  if (byOrder !== 0) return byOrder;
  return a.createdAt < b.createdAt
    ? -1
    : a.createdAt > b.createdAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;
}

// Read-only views over a snapshot: one item with its surroundings, filtered lists, and the tree.

import { progressOf } from './containers.js';
import type { TrackerIndex } from './graph.js';
import { compareIds, isWorkItem, liveClaim, summarize, WaitFinder } from './ready.js';
import type { ItemDetails, ListFilter, TreeNode } from './service.js';
import type { Item } from './types.js';

export function itemDetails(index: TrackerIndex, item: Item, now: Date): ItemDetails {
  const summaries = (ids: string[]) =>
    ids
      .map((id) => index.get(id))
      .filter((i): i is Item => i !== undefined)
      .map(summarize);
  const deps = index.dependenciesOf(item.id);
  const waitsOn = new WaitFinder(index).waitsOf(item);
  const parent = item.parent ? index.get(item.parent) : undefined;
  const epic = index.epicOf(item);
  const offerable = item.status === 'open' || (item.status === 'in_progress' && !liveClaim(item, now));
  return {
    item,
    parent: parent ? summarize(parent) : null,
    epic: epic && epic.id !== item.id ? summarize(epic) : null,
    children: index.childrenOf(item.id).map(summarize),
    blockedBy: summaries(index.blockersOf(item.id)),
    blocks: summaries(index.blockingOf(item.id)),
    related: summaries(
      deps.filter((d) => d.type === 'related').map((d) => (d.from === item.id ? d.to : d.from)),
    ),
    discoveredFrom: summaries(
      deps.filter((d) => d.type === 'discovered-from' && d.from === item.id).map((d) => d.to),
    ),
    progress: progressOf(index, item.id),
    waitsOn,
    ready: isWorkItem(index, item) && offerable && !liveClaim(item, now) && waitsOn.length === 0,
  };
}

export function listItems(
  index: TrackerIndex,
  filter: ListFilter,
  epicId: string | null,
  parentId: string | null,
): Item[] {
  const out: Item[] = [];
  for (const item of index.data.items) {
    if (filter.type && item.type !== filter.type) continue;
    if (filter.status && item.status !== filter.status) continue;
    if (filter.label && !item.labels.includes(filter.label)) continue;
    if (parentId !== null && item.parent !== parentId) continue;
    if (epicId !== null && !index.ancestorsOf(item).some((a) => a.id === epicId)) continue;
    out.push(item);
  }
  out.sort((a, b) => compareIds(a.id, b.id));
  return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
}

export function treeOf(index: TrackerIndex, roots: Item[]): TreeNode[] {
  const build = (item: Item): TreeNode => ({
    item,
    progress: progressOf(index, item.id),
    children: [...index.childrenOf(item.id)].sort(byPlanOrder).map(build),
  });
  return [...roots].sort(byPlanOrder).map(build);
}

function byPlanOrder(a: Item, b: Item): number {
  return (
    (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) || compareIds(a.id, b.id)
  );
}

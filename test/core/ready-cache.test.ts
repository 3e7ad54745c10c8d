// Ready work kept per snapshot: the same answer while nothing changes, a new one when a claim lapses.

import { describe, expect, it } from 'vitest';
import { indexOf } from '../../src/core/graph.js';
import { cachedReadyWork } from '../../src/core/ready-cache.js';
import type { Item, TrackerData } from '../../src/core/types.js';

function task(id: string, claimExpiresAt: string | null): Item {
  return {
    id,
    type: 'task',
    title: id,
    description: '',
    status: claimExpiresAt ? 'in_progress' : 'open',
    priority: 2,
    labels: id === 'sd-1' ? ['api'] : [],
    parent: null,
    order: null,
    mvp: false,
    source: null,
    claim: claimExpiresAt
      ? { actor: 'a', claimedAt: '2026-01-01T00:00:00.000Z', expiresAt: claimExpiresAt }
      : null,
    notes: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
  };
}

describe('cachedReadyWork', () => {
  const data: TrackerData = {
    schema: 1,
    idPrefix: 'sd',
    nextId: 3,
    items: [task('sd-1', null), task('sd-2', '2026-01-01T01:00:00.000Z')],
    dependencies: [],
  };
  const index = indexOf(data);
  const ids = (entries: { item: Item }[]) => entries.map((e) => e.item.id);

  it('gives the same answer for the same snapshot and query, another for another query', () => {
    const before = new Date('2026-01-01T00:30:00.000Z');
    const first = cachedReadyWork(index, {}, before);
    expect(ids(first)).toEqual(['sd-1']);
    expect(cachedReadyWork(index, {}, new Date('2026-01-01T00:59:59.000Z'))).toBe(first);
    expect(ids(cachedReadyWork(index, { label: 'none' }, before))).toEqual([]);
    expect(ids(cachedReadyWork(index, { label: 'api' }, before))).toEqual(['sd-1']);
  });

  it('answers anew once a claim has lapsed: the task is ready again', () => {
    const after = new Date('2026-01-01T01:00:01.000Z');
    expect(ids(cachedReadyWork(index, {}, after)).sort()).toEqual(['sd-1', 'sd-2']);
  });

  it('keeps nothing across snapshots: a changed tracker is a new index', () => {
    const changed = indexOf({ ...data, items: [task('sd-1', null)] });
    expect(ids(cachedReadyWork(changed, {}, new Date('2026-01-01T00:30:00.000Z')))).toEqual(['sd-1']);
  });
});

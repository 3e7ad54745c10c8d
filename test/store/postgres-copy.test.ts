// The PostgreSQL store finds what a change did by comparing each item with its copy, field by field:
// a field the comparison missed would be a write silently lost. Every field of an item (and of its
// source) must count, and the copy must share nothing a change could mutate.

import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { claimEqual, copyTrackerData, itemRowEqual, notesEqual } from '../../src/store/postgres/copy.js';

function fullItem(): Item {
  return {
    id: 'sd-1',
    type: 'task',
    title: 'Title',
    description: 'Description',
    status: 'open',
    priority: 2,
    labels: ['api'],
    parent: 'sd-0',
    order: 3,
    mvp: false,
    source: {
      file: 'specs/001-x/tasks.md',
      line: 4,
      ref: 'T001',
      epicKey: '001-x',
      checked: false,
      priority: 1,
      labels: ['us1'],
      removed: false,
    },
    claim: { actor: 'a', claimedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T01:00:00.000Z' },
    notes: [{ author: 'a', at: '2026-01-01T00:00:00.000Z', text: 'note' }],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
  };
}

const changed = (a: Item, b: Item) =>
  !itemRowEqual(a, b) || !notesEqual(a.notes, b.notes) || !claimEqual(a.claim, b.claim);

function differentValue(value: unknown): unknown {
  if (typeof value === 'string') return `${value}!`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (value === null) return 'something';
  if (Array.isArray(value)) return [...value, 'more'];
  return null;
}

describe('PostgreSQL store: copies and comparisons', () => {
  it('sees a change in every field of an item', () => {
    const item = fullItem();
    for (const key of Object.keys(item) as (keyof Item)[]) {
      const other = { ...fullItem(), [key]: differentValue(item[key]) } as Item;
      expect(changed(item, other), key).toBe(true);
    }
    expect(changed(item, fullItem())).toBe(false);
  });

  it('sees a change in every field of a source, a claim and a note', () => {
    const item = fullItem();
    for (const key of Object.keys(item.source!) as (keyof NonNullable<Item['source']>)[]) {
      const other = fullItem();
      (other.source as unknown as Record<string, unknown>)[key] = differentValue(item.source![key]);
      expect(changed(item, other), `source.${key}`).toBe(true);
    }
    for (const key of Object.keys(item.claim!) as (keyof NonNullable<Item['claim']>)[]) {
      const other = fullItem();
      other.claim![key] = `${item.claim![key]}!`;
      expect(changed(item, other), `claim.${key}`).toBe(true);
    }
    for (const key of Object.keys(item.notes[0]!) as (keyof Item['notes'][number])[]) {
      const other = fullItem();
      other.notes[0]![key] = `${item.notes[0]![key]}!`;
      expect(changed(item, other), `note.${key}`).toBe(true);
    }
  });

  it('copies deeply: mutating the copy leaves the original alone', () => {
    const data = { schema: 1 as const, idPrefix: 'sd', nextId: 2, items: [fullItem()], dependencies: [] };
    const copy = copyTrackerData(data);
    expect(copy).toEqual(data);
    const item = copy.items[0]!;
    item.labels.push('x');
    item.source!.labels!.push('x');
    item.source!.checked = true;
    item.claim!.actor = 'b';
    item.notes.push({ author: 'b', at: 'now', text: 'x' });
    item.notes[0]!.text = 'edited';
    expect(data.items[0]).toEqual(fullItem());
  });
});

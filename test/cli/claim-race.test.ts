// Ten real processes at once on one embedded project: each claim gets a different task, and no
// write is lost (lowdb has no locking of its own; the store's file lock must do it).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimResult, ItemDetails } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PROCESSES = 10;

describe('ten processes at once', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('`sdd claim` with no id hands each process a different ready task', async () => {
    for (let i = 0; i < PROCESSES + 2; i++) sddJson(dir.path, ['create', `task ${i}`]);
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        sddAsync(dir.path, ['claim', '--json', '--as', `agent-${i}`]),
      ),
    );
    for (const run of runs) expect(run.stderr).toBe('');
    expect(runs.map((r) => r.code)).toEqual(Array(PROCESSES).fill(0));
    const claims = runs.map((r) => JSON.parse(r.stdout) as ClaimResult);
    const ids = claims.map((c) => c.item.id);
    expect(new Set(ids).size).toBe(PROCESSES);
    const stored = sddJson<Item[]>(dir.path, ['list', '--status', 'in_progress']);
    expect(stored.map((i) => `${i.id}=${i.claim?.actor}`).sort()).toEqual(
      claims.map((c) => `${c.item.id}=${c.claim.actor}`).sort(),
    );
  });

  it('when there is less work than agents, the rest are told there is none, and no task is shared', async () => {
    for (let i = 0; i < 3; i++) sddJson(dir.path, ['create', `task ${i}`]);
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        sddAsync(dir.path, ['claim', '--json', '--as', `agent-${i}`]),
      ),
    );
    const won = runs.filter((r) => r.code === 0).map((r) => (JSON.parse(r.stdout) as ClaimResult).item.id);
    expect(new Set(won).size).toBe(3);
    expect(won).toHaveLength(3);
    expect(runs.filter((r) => r.code === 6)).toHaveLength(PROCESSES - 3);
  });

  it('loses no write: ten creates and ten notes on one item all land', async () => {
    const target = sddJson<Item>(dir.path, ['create', 'shared']);
    const runs = await Promise.all([
      ...Array.from({ length: PROCESSES }, (_, i) =>
        sddAsync(dir.path, ['create', `made by ${i}`, '--json']),
      ),
      ...Array.from({ length: PROCESSES }, (_, i) =>
        sddAsync(dir.path, ['note', target.id, `note ${i}`, '--as', `w${i}`]),
      ),
    ]);
    expect(runs.map((r) => r.code)).toEqual(Array(2 * PROCESSES).fill(0));
    const items = sddJson<Item[]>(dir.path, ['list']);
    expect(items).toHaveLength(PROCESSES + 1);
    expect(new Set(items.map((i) => i.id)).size).toBe(PROCESSES + 1);
    const notes = sddJson<ItemDetails>(dir.path, ['show', target.id]).item.notes;
    expect(notes.map((n) => n.text).sort()).toEqual(
      Array.from({ length: PROCESSES }, (_, i) => `note ${i}`).sort(),
    );
  });
});

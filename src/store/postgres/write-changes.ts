// Writes what one change did to a project's tracker, and nothing else: the items it touched (with
// their notes and claims), the edges it added or removed, the id counter, then the new version.
// Runs inside the caller's transaction, under the project row's lock.

import type pg from 'pg';
import type { Decision } from '../../core/decisions.js';
import type { Dependency, Item, Note, TrackerData } from '../../core/types.js';
import { claimEqual, dependencyEqual, itemRowEqual, noteEqual, notesEqual } from './copy.js';
import { DECISION_RECORD_TYPE, decisionRecord, ITEM_RECORD_TYPE, itemRecord } from './rows.js';

/** Returns false when the change changed nothing: then nothing is written and the version stays. */
export async function writeChanges(
  client: pg.ClientBase,
  projectId: string,
  before: TrackerData,
  after: TrackerData,
  version: number,
): Promise<boolean> {
  const items = itemChanges(before.items, after.items);
  const edges = dependencyChanges(before.dependencies, after.dependencies);
  const counterChanged = before.nextId !== after.nextId;
  const decisions = addedDecisions(before.decisions ?? [], after.decisions ?? []);
  if (
    decisions.length === 0 &&
    !items.rewrite &&
    items.written.length === 0 &&
    !edges.rewrite &&
    edges.added.length === 0 &&
    edges.removed.length === 0 &&
    !counterChanged
  ) {
    return false;
  }
  if (items.rewrite) await client.query('DELETE FROM items WHERE project_id = $1', [projectId]);
  await writeItems(client, projectId, items, after.items, version);
  await writeDependencies(client, projectId, edges, version);
  await writeDecisions(client, projectId, decisions, (before.decisions ?? []).length, version);
  const edgesChanged = edges.rewrite || edges.added.length > 0 || edges.removed.length > 0;
  await client.query(
    `UPDATE projects SET next_id = $2, version = $3,
       dependencies_version = CASE WHEN $4 THEN $3 ELSE dependencies_version END,
       items_rewritten_version = CASE WHEN $5 THEN $3 ELSE items_rewritten_version END
     WHERE id = $1`,
    [projectId, after.nextId, version, edgesChanged, items.rewrite],
  );
  return true;
}

interface ItemChanges {
  /** The items were removed or reordered: every row is written again. */
  rewrite: boolean;
  /** Indexes in `after.items` of the items to write, with what of theirs changed. */
  written: { index: number; before: Item | null; row: boolean; notes: boolean; claim: boolean }[];
}

function itemChanges(before: Item[], after: Item[]): ItemChanges {
  // The core only ever appends items; anything else (a pushed list replacing an empty one is an append too)
  // is written whole rather than diffed.
  const appended = after.length >= before.length && before.every((item, i) => after[i]!.id === item.id);
  const written: ItemChanges['written'] = [];
  for (let index = 0; index < after.length; index++) {
    const item = after[index]!;
    const old = appended ? (before[index] ?? null) : null;
    if (old === null) {
      written.push({
        index,
        before: null,
        row: true,
        notes: item.notes.length > 0,
        claim: item.claim !== null,
      });
      continue;
    }
    const row = !itemRowEqual(old, item);
    const notes = !notesEqual(old.notes, item.notes);
    const claim = !claimEqual(old.claim, item.claim);
    if (row || notes || claim) written.push({ index, before: old, row, notes, claim });
  }
  return { rewrite: !appended, written };
}

async function writeItems(
  client: pg.ClientBase,
  projectId: string,
  changes: ItemChanges,
  items: Item[],
  version: number,
): Promise<void> {
  if (changes.written.length === 0) return;
  // Every written item takes the new version, even when only its claim or notes changed: that is how
  // another process's refresh finds them.
  const records = changes.written.map((w) => itemRecord(items[w.index]!, w.index));
  await client.query(
    `INSERT INTO items (project_id, changed_in, id, seq, type, title, description, status, priority, labels,
       parent, "order", mvp, source, created_at, updated_at, closed_at)
     SELECT $1, $2, r.* FROM jsonb_to_recordset($3::jsonb) AS r(${ITEM_RECORD_TYPE})
     ON CONFLICT (project_id, id) DO UPDATE SET changed_in = EXCLUDED.changed_in, seq = EXCLUDED.seq,
       type = EXCLUDED.type, title = EXCLUDED.title, description = EXCLUDED.description,
       status = EXCLUDED.status, priority = EXCLUDED.priority, labels = EXCLUDED.labels,
       parent = EXCLUDED.parent, "order" = EXCLUDED."order", mvp = EXCLUDED.mvp, source = EXCLUDED.source,
       created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at`,
    [projectId, version, JSON.stringify(records)],
  );

  const notesCleared: string[] = [];
  const notes: { item: string; seq: number; author: string; at: string; text: string }[] = [];
  const claimsCleared: string[] = [];
  const claims: { item: string; actor: string; claimed_at: string; expires_at: string }[] = [];
  for (const w of changes.written) {
    const item = items[w.index]!;
    if (w.notes) {
      const kept = keptNotes(w.before?.notes ?? [], item.notes);
      if (kept === 0 && w.before && w.before.notes.length > 0) notesCleared.push(item.id);
      item.notes.slice(kept).forEach((n, i) => {
        notes.push({ item: item.id, seq: kept + i, author: n.author, at: n.at, text: n.text });
      });
    }
    if (w.claim) {
      if (item.claim === null) claimsCleared.push(item.id);
      else
        claims.push({
          item: item.id,
          actor: item.claim.actor,
          claimed_at: item.claim.claimedAt,
          expires_at: item.claim.expiresAt,
        });
    }
  }
  if (notesCleared.length > 0) {
    await client.query('DELETE FROM notes WHERE project_id = $1 AND item = ANY($2::text[])', [
      projectId,
      notesCleared,
    ]);
  }
  if (notes.length > 0) {
    await client.query(
      `INSERT INTO notes (project_id, item, seq, author, at, text)
       SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(item text, seq integer, author text, at timestamptz, text text)`,
      [projectId, JSON.stringify(notes)],
    );
  }
  if (claimsCleared.length > 0) {
    await client.query('DELETE FROM claims WHERE project_id = $1 AND item = ANY($2::text[])', [
      projectId,
      claimsCleared,
    ]);
  }
  if (claims.length > 0) {
    await client.query(
      `INSERT INTO claims (project_id, item, actor, claimed_at, expires_at)
       SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r(item text, actor text, claimed_at timestamptz, expires_at timestamptz)
       ON CONFLICT (project_id, item) DO UPDATE SET actor = EXCLUDED.actor, claimed_at = EXCLUDED.claimed_at,
         expires_at = EXCLUDED.expires_at`,
      [projectId, JSON.stringify(claims)],
    );
  }
}

/** Notes are an append-only log: when the old ones still lead the list, only the new ones are written. */
function keptNotes(before: Note[], after: Note[]): number {
  const prefix = before.every((note, i) => i < after.length && noteEqual(note, after[i]!));
  return prefix ? before.length : 0;
}

interface DependencyChanges {
  /** The kept edges changed order or an edge changed in place: all are written again. */
  rewrite: boolean;
  added: Dependency[];
  removed: Dependency[];
  all: Dependency[];
}

const edgeKey = (d: Dependency) => `${d.from}\u0000${d.to}\u0000${d.type}`;

function dependencyChanges(before: Dependency[], after: Dependency[]): DependencyChanges {
  // Most changes leave the edges alone or append to them: seen without building any map.
  let common = 0;
  const shortest = Math.min(before.length, after.length);
  while (common < shortest && dependencyEqual(before[common]!, after[common]!)) common++;
  if (common === before.length)
    return { rewrite: false, added: after.slice(common), removed: [], all: after };

  const beforeIndex = new Map(before.map((d, i) => [edgeKey(d), i]));
  const added: Dependency[] = [];
  const keptKeys = new Set<string>();
  let lastKept = -1;
  let rewrite = false;
  for (const dep of after) {
    const key = edgeKey(dep);
    const at = beforeIndex.get(key);
    if (at === undefined || keptKeys.has(key)) {
      added.push(dep);
      continue;
    }
    // The core keeps the order of the edges it keeps and appends new ones; anything else is rewritten.
    if (at < lastKept || added.length > 0 || !dependencyEqual(before[at]!, dep)) rewrite = true;
    lastKept = at;
    keptKeys.add(key);
  }
  const removed = before.filter((d) => !keptKeys.has(edgeKey(d)));
  return { rewrite, added, removed, all: after };
}

async function writeDependencies(
  client: pg.ClientBase,
  projectId: string,
  changes: DependencyChanges,
  version: number,
): Promise<void> {
  const insert = async (edges: Dependency[]) => {
    if (edges.length === 0) return;
    const records = edges.map((d, position) => ({ ...d, created_at: d.createdAt, position }));
    await client.query(
      `INSERT INTO dependencies (project_id, added_in, "from", "to", type, origin, created_at, position)
       SELECT $1, $2, r.* FROM jsonb_to_recordset($3::jsonb)
         AS r("from" text, "to" text, type text, origin text, created_at timestamptz, position integer)
       ON CONFLICT (project_id, "from", "to", type) DO NOTHING`,
      [projectId, version, JSON.stringify(records)],
    );
  };
  if (changes.rewrite) {
    await client.query('DELETE FROM dependencies WHERE project_id = $1', [projectId]);
    await insert(changes.all);
    return;
  }
  if (changes.removed.length > 0) {
    await client.query(
      `DELETE FROM dependencies d USING jsonb_to_recordset($2::jsonb) AS r("from" text, "to" text, type text)
       WHERE d.project_id = $1 AND d."from" = r."from" AND d."to" = r."to" AND d.type = r.type`,
      [projectId, JSON.stringify(changes.removed.map(({ from, to, type }) => ({ from, to, type })))],
    );
  }
  await insert(changes.added);
}

/** The core only appends decisions; a change that did anything else to them is a bug, refused loudly. */
function addedDecisions(before: Decision[], after: Decision[]): Decision[] {
  if (after.length < before.length || before.some((d, i) => after[i]?.id !== d.id)) {
    throw new Error('A change removed or reordered decisions; the decision log is append-only.');
  }
  return after.slice(before.length);
}

async function writeDecisions(
  client: pg.ClientBase,
  projectId: string,
  added: Decision[],
  firstSeq: number,
  version: number,
): Promise<void> {
  if (added.length === 0) return;
  await client.query(
    `INSERT INTO decisions (project_id, added_in, id, seq, item, question, options, choice, rationale, actor,
       session_id, session_time, source, at)
     SELECT $1, $2, r.* FROM jsonb_to_recordset($3::jsonb) AS r(${DECISION_RECORD_TYPE})`,
    [projectId, version, JSON.stringify(added.map((d, i) => decisionRecord(d, firstSeq + i)))],
  );
}

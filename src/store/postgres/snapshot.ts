// A project's tracker as a server process holds it in memory, and how it catches up: only the items
// written since the version it holds (with their notes and claims), and the dependencies only when
// they changed. Never mutated: a refresh builds a new TrackerData, so indexes cached on the old one stay right.

import type pg from 'pg';
import type { Decision } from '../../core/decisions.js';
import { NotFoundError } from '../../core/errors.js';
import type { Claim, Dependency, Item, Note, TrackerData } from '../../core/types.js';
import {
  CLAIM_COLUMNS,
  type ClaimRow,
  claimFromRow,
  DECISION_COLUMNS,
  DEPENDENCY_COLUMNS,
  type DecisionRow,
  type DependencyRow,
  decisionFromRow,
  dependencyFromRow,
  ITEM_COLUMNS,
  type ItemRow,
  itemFromRow,
  NOTE_COLUMNS,
  type NoteRow,
} from './rows.js';

export interface Snapshot {
  /** The project row's version this data reflects. */
  version: number;
  data: TrackerData;
}

interface ProjectState {
  id_prefix: string;
  next_id: number;
  version: string;
  dependencies_version: string;
  items_rewritten_version: string;
}

/** The project's version: the one cheap query a read makes. */
export async function projectVersion(db: pg.Pool | pg.ClientBase, projectId: string): Promise<number> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM projects WHERE id = $1', [
    projectId,
  ]);
  if (!rows[0]) throw missingProject(projectId);
  return Number(rows[0].version);
}

/**
 * `base` brought up to date (or loaded whole when null), read on `client`: the caller makes that
 * consistent, in a REPEATABLE READ transaction or under the project row's lock.
 */
export async function refreshSnapshot(
  client: pg.ClientBase,
  projectId: string,
  base: Snapshot | null,
  lockRow = false,
): Promise<Snapshot> {
  const { rows } = await client.query<ProjectState>(
    `SELECT id_prefix, next_id, version, dependencies_version, items_rewritten_version FROM projects WHERE id = $1${lockRow ? ' FOR UPDATE' : ''}`,
    [projectId],
  );
  const project = rows[0];
  if (!project) throw missingProject(projectId);
  const version = Number(project.version);
  if (base && base.version === version) return base;

  if (base && Number(project.items_rewritten_version) > base.version) base = null;
  const since = base ? base.version : -1;
  const [items, notes, claims] = [
    await client.query<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM items WHERE project_id = $1 AND changed_in > $2 ORDER BY seq`,
      [projectId, since],
    ),
    await client.query<NoteRow>(
      `SELECT ${NOTE_COLUMNS} FROM notes n JOIN items i ON i.project_id = n.project_id AND i.id = n.item
       WHERE n.project_id = $1 AND i.changed_in > $2 ORDER BY n.item, n.seq`,
      [projectId, since],
    ),
    await client.query<ClaimRow>(
      `SELECT ${CLAIM_COLUMNS} FROM claims c JOIN items i ON i.project_id = c.project_id AND i.id = c.item
       WHERE c.project_id = $1 AND i.changed_in > $2`,
      [projectId, since],
    ),
  ];
  const decisions = await client.query<DecisionRow>(
    `SELECT ${DECISION_COLUMNS} FROM decisions WHERE project_id = $1 AND added_in > $2 ORDER BY seq`,
    [projectId, since],
  );
  const dependencies =
    base && Number(project.dependencies_version) <= base.version
      ? base.data.dependencies
      : await loadDependencies(client, projectId);

  const notesByItem = new Map<string, Note[]>();
  for (const row of notes.rows) {
    let list = notesByItem.get(row.item);
    if (!list) {
      list = [];
      notesByItem.set(row.item, list);
    }
    list.push({ author: row.author, at: row.at, text: row.text });
  }
  const claimByItem = new Map<string, Claim>(claims.rows.map((row) => [row.item, claimFromRow(row)]));
  const changed = new Map<string, Item>();
  for (const row of items.rows) {
    changed.set(row.id, itemFromRow(row, claimByItem.get(row.id) ?? null, notesByItem.get(row.id) ?? []));
  }
  return {
    version,
    data: {
      schema: 1,
      idPrefix: project.id_prefix,
      nextId: project.next_id,
      items: mergeItems(base?.data.items ?? [], changed),
      dependencies,
      decisions: appendDecisions(base?.data.decisions ?? [], decisions.rows),
    },
  };
}

/** Decisions are only ever appended: the new rows follow the ones held. */
function appendDecisions(held: Decision[], rows: DecisionRow[]): Decision[] {
  return rows.length === 0 ? held : [...held, ...rows.map(decisionFromRow)];
}

/** Changed items take their old place; new ones follow, in the order they were written. */
function mergeItems(baseItems: Item[], changed: Map<string, Item>): Item[] {
  if (changed.size === 0) return baseItems;
  const merged = baseItems.map((item) => {
    const fresh = changed.get(item.id);
    if (fresh) changed.delete(item.id);
    return fresh ?? item;
  });
  merged.push(...changed.values());
  return merged;
}

async function loadDependencies(client: pg.ClientBase, projectId: string): Promise<Dependency[]> {
  const { rows } = await client.query<DependencyRow>(
    `SELECT ${DEPENDENCY_COLUMNS} FROM dependencies WHERE project_id = $1 ORDER BY added_in, position`,
    [projectId],
  );
  return rows.map(dependencyFromRow);
}

export function missingProject(projectId: string): NotFoundError {
  return new NotFoundError(`No project "${projectId}" on this server (see \`sdd remote set\`).`, {
    project: projectId,
  });
}

// How the tracker's values are laid out in PostgreSQL rows: the column lists read back, and the
// conversions both ways. Times are read through sdd_iso() so they come back in the form they went in.

import type { Decision } from '../../core/decisions.js';
import type { ProjectRecord, Role, TokenRecord } from '../../core/team-store.js';
import type { Claim, Dependency, Item, Note } from '../../core/types.js';

export const ITEM_COLUMNS = `id, type, title, description, status, priority, labels, parent, "order", mvp, source,
  sdd_iso(created_at) AS created_at, sdd_iso(updated_at) AS updated_at, sdd_iso(closed_at) AS closed_at`;

export interface ItemRow {
  id: string;
  type: Item['type'];
  title: string;
  description: string;
  status: Item['status'];
  priority: number;
  labels: string[];
  parent: string | null;
  order: number | null;
  mvp: boolean;
  source: Item['source'];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export function itemFromRow(row: ItemRow, claim: Claim | null, notes: Note[]): Item {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    labels: row.labels,
    parent: row.parent,
    order: row.order,
    mvp: row.mvp,
    source: row.source,
    claim,
    notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

/** An item as jsonb_to_recordset reads it: snake_case keys, no claim or notes (their own tables). */
export function itemRecord(item: Item, seq: number) {
  return {
    id: item.id,
    seq,
    type: item.type,
    title: item.title,
    description: item.description,
    status: item.status,
    priority: item.priority,
    labels: item.labels,
    parent: item.parent,
    order: item.order,
    mvp: item.mvp,
    source: item.source,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    closed_at: item.closedAt,
  };
}

export const ITEM_RECORD_TYPE = `id text, seq integer, type text, title text, description text, status text,
  priority integer, labels text[], parent text, "order" double precision, mvp boolean, source jsonb,
  created_at timestamptz, updated_at timestamptz, closed_at timestamptz`;

export const NOTE_COLUMNS = 'n.item, n.author, sdd_iso(n.at) AS at, n.text';
export interface NoteRow {
  item: string;
  author: string;
  at: string;
  text: string;
}

export const CLAIM_COLUMNS =
  'c.item, c.actor, sdd_iso(c.claimed_at) AS claimed_at, sdd_iso(c.expires_at) AS expires_at';
export interface ClaimRow {
  item: string;
  actor: string;
  claimed_at: string;
  expires_at: string;
}

export function claimFromRow(row: ClaimRow): Claim {
  return { actor: row.actor, claimedAt: row.claimed_at, expiresAt: row.expires_at };
}

export const DEPENDENCY_COLUMNS = `"from", "to", type, origin, sdd_iso(created_at) AS created_at`;
export interface DependencyRow {
  from: string;
  to: string;
  type: Dependency['type'];
  origin: Dependency['origin'];
  created_at: string;
}

export function dependencyFromRow(row: DependencyRow): Dependency {
  return { from: row.from, to: row.to, type: row.type, origin: row.origin, createdAt: row.created_at };
}

export const PROJECT_COLUMNS = `id, name, id_prefix, sdd_iso(created_at) AS created_at, created_by`;
export interface ProjectRow {
  id: string;
  name: string;
  id_prefix: string;
  created_at: string;
  created_by: string;
}

export function projectFromRow(row: ProjectRow): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    idPrefix: row.id_prefix,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export const TOKEN_COLUMNS = `id, "user", role, project, secret_hash, sdd_iso(created_at) AS created_at,
  created_by, sdd_iso(revoked_at) AS revoked_at`;
export interface TokenRow {
  id: string;
  user: string;
  role: Role;
  project: string | null;
  secret_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export function tokenFromRow(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    user: row.user,
    role: row.role,
    project: row.project,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
  };
}

export const DECISION_COLUMNS = `id, item, question, options, choice, rationale, actor, session_id, session_time,
  source, sdd_iso(at) AS at`;
export interface DecisionRow {
  id: string;
  item: string;
  question: string;
  options: string[];
  choice: string;
  rationale: string;
  actor: string;
  session_id: string | null;
  session_time: number | null;
  source: Decision['source'];
  at: string;
}

export function decisionFromRow(row: DecisionRow): Decision {
  return {
    id: row.id,
    itemId: row.item,
    question: row.question,
    options: row.options,
    choice: row.choice,
    rationale: row.rationale,
    actor: row.actor,
    sessionId: row.session_id,
    sessionTime: row.session_time,
    source: row.source,
    at: row.at,
  };
}

/** A decision as jsonb_to_recordset reads it. */
export function decisionRecord(decision: Decision, seq: number) {
  return {
    id: decision.id,
    seq,
    item: decision.itemId,
    question: decision.question,
    options: decision.options,
    choice: decision.choice,
    rationale: decision.rationale,
    actor: decision.actor,
    session_id: decision.sessionId,
    session_time: decision.sessionTime,
    source: decision.source,
    at: decision.at,
  };
}

export const DECISION_RECORD_TYPE = `id text, seq integer, item text, question text, options text[], choice text,
  rationale text, actor text, session_id text, session_time double precision, source text, at timestamptz`;

// The domain's data: items of the epic -> feature -> task tree, their dependencies, claims and notes.
// Everything here is plain JSON so the same values travel through the embedded store and over HTTP.

import type { Decision } from './decisions.js';

export const ITEM_TYPES = ['epic', 'feature', 'task', 'bug', 'chore'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Epics and features hold other items; they are never ready work and cannot be claimed. */
export const CONTAINER_TYPES: readonly ItemType[] = ['epic', 'feature'];

export const STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

/** `from` depends on `to`: from is blocked by to, is a child of to, was discovered from to, or is related to it. */
export const DEPENDENCY_TYPES = ['parent-child', 'blocks', 'related', 'discovered-from'] as const;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

/** 0 is the most urgent; spec-kit's P1 is priority 1. */
export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 4;
export const DEFAULT_PRIORITY = 2;

export interface Claim {
  actor: string;
  claimedAt: string;
  expiresAt: string;
}

export interface Note {
  author: string;
  at: string;
  text: string;
}

/** Where an item came from in a spec document, and what the importer saw there last time. */
export interface Source {
  /** Path of the document relative to the project root, e.g. specs/004-team-notes/tasks.md. */
  file: string;
  line: number;
  /** The id the item has in its document: T012, US1, setup, or the epic's folder name. */
  ref: string;
  /** The epic folder the document belongs to (004-team-notes); with `ref` it makes `004-team-notes/T012`. */
  epicKey: string;
  /** State of the check box at the last import: the base of a three-way merge with sdd's status. */
  checked?: boolean;
  /** Priority the document gave at the last import, so a priority changed in sdd is kept. */
  priority?: number;
  /** Labels the importer put on the item (the rest are the team's own). */
  labels?: string[];
  /** Set when the item disappeared from its document and the importer cancelled it. */
  removed?: boolean;
}

export interface Item {
  id: string;
  type: ItemType;
  title: string;
  description: string;
  status: Status;
  priority: number;
  labels: string[];
  parent: string | null;
  /** Position in its plan (phase order, then line); lower comes first among equal priorities. */
  order: number | null;
  mvp: boolean;
  source: Source | null;
  claim: Claim | null;
  notes: Note[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface Dependency {
  from: string;
  to: string;
  type: Exclude<DependencyType, 'parent-child'>;
  /** 'import' for edges the spec-kit importer derived (replaced on re-import); 'user' otherwise. */
  origin: 'user' | 'import';
  createdAt: string;
}

/** The whole tracker state as the Store keeps it. */
export interface TrackerData {
  schema: 1;
  idPrefix: string;
  nextId: number;
  items: Item[];
  dependencies: Dependency[];
  /** Append-only, oldest first; absent in a file written before decisions were kept. */
  decisions?: Decision[];
}

export function isContainerType(type: ItemType): boolean {
  return CONTAINER_TYPES.includes(type);
}

export function isClosed(status: Status): boolean {
  return status === 'done' || status === 'cancelled';
}

/** How people type an item that came from a document: 004-team-notes/T012 (the epic: 004-team-notes). */
export function sourceRef(source: Source): string {
  return source.ref === source.epicKey ? source.epicKey : `${source.epicKey}/${source.ref}`;
}

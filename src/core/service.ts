// The one interface every front end uses: the CLI embedded in a project, and (later) the team server
// with its HTTP client. Arguments and results are plain JSON; the acting person or agent is explicit.

import type { Progress } from './containers.js';
import type { DecisionLog } from './decisions.js';
import type { ReservedEpic, ReserveEpicInput } from './epic-numbers.js';
import type { BlockedEntry, ItemSummary, ReadyEntry, Wait } from './ready.js';
import type { TaskListDocument } from './task-list.js';
import type { Claim, DependencyType, Item, ItemType, Status } from './types.js';

export interface CreateItemInput {
  type?: ItemType;
  title: string;
  description?: string;
  priority?: number;
  labels?: string[];
  /** A reference to the parent item. */
  parent?: string;
}

export interface UpdateItemInput {
  title?: string;
  description?: string;
  status?: Status;
  priority?: number;
  addLabels?: string[];
  removeLabels?: string[];
  /** A reference to the new parent, or null to detach. */
  parent?: string | null;
  /** Change the status even though someone else holds the task. */
  force?: boolean;
}

export interface ListFilter {
  type?: ItemType;
  status?: Status;
  label?: string;
  /** Reference of an epic: only items below it. */
  epic?: string;
  /** Reference of a parent: only its direct children. */
  parent?: string;
  limit?: number;
}

export interface WorkQuery {
  /** Reference of an epic. */
  epic?: string;
  label?: string;
  limit?: number;
}

export interface ItemDetails {
  item: Item;
  parent: ItemSummary | null;
  epic: ItemSummary | null;
  children: ItemSummary[];
  blockedBy: ItemSummary[];
  blocks: ItemSummary[];
  related: ItemSummary[];
  discoveredFrom: ItemSummary[];
  progress: Progress | null;
  /** Unfinished work it waits on, its own or its ancestors'. */
  waitsOn: Wait[];
  ready: boolean;
}

export interface TreeNode {
  item: Item;
  progress: Progress | null;
  children: TreeNode[];
}

export interface DependencyView {
  from: ItemSummary;
  to: ItemSummary;
  type: DependencyType;
  origin: 'user' | 'import';
}

export interface ClaimOptions {
  /** Lease length; 15 minutes when absent. */
  ttlSeconds?: number;
  /** Take it even when someone else holds it or it waits on unfinished work. */
  force?: boolean;
}

export interface ClaimResult {
  item: Item;
  claim: Claim;
  /** The actor already held it: the lease was extended. */
  renewed: boolean;
  /** Whom the claim was taken from with --force, if anyone. */
  tookOverFrom: string | null;
}

export interface ReleaseResult {
  item: Item;
  /** False when nobody held it: nothing was released. */
  released: boolean;
}

export interface CloseResult {
  item: Item;
  /** Features and epics that closed (or changed status) because of this. */
  settled: ItemSummary[];
}

export interface ImportResult {
  epic: ItemSummary;
  created: ItemSummary[];
  updated: ItemSummary[];
  unchanged: number;
  /** Tasks no longer in the file: cancelled, with a note. */
  removed: ItemSummary[];
  /** Status changes the file caused (a box ticked or unticked by hand). */
  statusChanges: { item: ItemSummary; from: Status; to: Status }[];
  dependencies: { added: number; removed: number };
}

export interface Service extends DecisionLog {
  createItem(input: CreateItemInput, actor: string): Promise<Item>;
  getItem(ref: string): Promise<ItemDetails>;
  listItems(filter?: ListFilter): Promise<Item[]>;
  tree(rootRef?: string): Promise<TreeNode[]>;
  updateItem(ref: string, change: UpdateItemInput, actor: string): Promise<CloseResult>;
  addNote(ref: string, text: string, actor: string): Promise<Item>;

  addDependency(fromRef: string, toRef: string, type: DependencyType, actor: string): Promise<DependencyView>;
  /** Removes the edges between the two items (of `type` when given); returns what was removed. */
  removeDependency(fromRef: string, toRef: string, type?: DependencyType): Promise<DependencyView[]>;
  listDependencies(ref: string): Promise<DependencyView[]>;

  ready(query?: WorkQuery): Promise<ReadyEntry[]>;
  blocked(query?: WorkQuery): Promise<BlockedEntry[]>;

  claim(ref: string, actor: string, options?: ClaimOptions): Promise<ClaimResult>;
  /** Claims the first ready task in one atomic step: two callers never get the same one. */
  claimNext(actor: string, query?: WorkQuery, options?: ClaimOptions): Promise<ClaimResult>;
  release(ref: string, actor: string, options?: { force?: boolean }): Promise<ReleaseResult>;
  done(ref: string, actor: string, options?: { force?: boolean }): Promise<CloseResult>;

  importTaskList(document: TaskListDocument, actor: string): Promise<ImportResult>;

  /** Takes the next feature number and creates its epic, in one step: two clones at once get two numbers. */
  reserveEpic(input: ReserveEpicInput, actor: string): Promise<ReservedEpic>;
}

export const DEFAULT_CLAIM_TTL_SECONDS = 15 * 60;

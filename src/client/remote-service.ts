// The Service over HTTP: each method is one request to the team server, which runs the same
// EmbeddedService there. No method makes a chain of round trips.

import type { Decision, DecisionFilter, DecisionInput } from '../core/decisions.js';
import type { ReservedEpic, ReserveEpicInput } from '../core/epic-numbers.js';
import type { BlockedEntry, ReadyEntry } from '../core/ready.js';
import type {
  ClaimOptions,
  ClaimResult,
  CloseResult,
  CreateItemInput,
  DependencyView,
  ImportResult,
  ItemDetails,
  ListFilter,
  ReleaseResult,
  Service,
  TreeNode,
  UpdateItemInput,
  WorkQuery,
} from '../core/service.js';
import type { TaskListDocument } from '../core/task-list.js';
import type { DependencyType, Item } from '../core/types.js';
import {
  connectionOf,
  type JsonRequest,
  queryString,
  requestJson,
  type ServerConnection,
} from './http-json.js';

export class RemoteService implements Service {
  private readonly base: string;
  private readonly connection: ServerConnection;

  constructor(options: { url: string; projectId: string; token: string | null; timeoutMs?: number }) {
    this.connection = connectionOf(options);
    this.base = `/api/v1/projects/${encodeURIComponent(options.projectId)}`;
  }

  private call<T>(method: JsonRequest['method'], path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.connection, { method, path: this.base + path, body });
  }

  private item(ref: string, rest = ''): string {
    return `/items/${encodeURIComponent(ref)}${rest}`;
  }

  createItem(input: CreateItemInput, actor: string): Promise<Item> {
    return this.call('POST', '/items', { input, actor });
  }

  getItem(ref: string): Promise<ItemDetails> {
    return this.call('GET', this.item(ref));
  }

  listItems(filter: ListFilter = {}): Promise<Item[]> {
    return this.call('GET', `/items${queryString({ ...filter })}`);
  }

  tree(rootRef?: string): Promise<TreeNode[]> {
    return this.call('GET', `/tree${queryString({ root: rootRef })}`);
  }

  updateItem(ref: string, change: UpdateItemInput, actor: string): Promise<CloseResult> {
    return this.call('PATCH', this.item(ref), { change, actor });
  }

  addNote(ref: string, text: string, actor: string): Promise<Item> {
    return this.call('POST', this.item(ref, '/notes'), { text, actor });
  }

  addDependency(
    fromRef: string,
    toRef: string,
    type: DependencyType,
    actor: string,
  ): Promise<DependencyView> {
    return this.call('POST', '/dependencies', { from: fromRef, to: toRef, type, actor });
  }

  removeDependency(fromRef: string, toRef: string, type?: DependencyType): Promise<DependencyView[]> {
    return this.call('POST', '/dependencies/remove', { from: fromRef, to: toRef, ...(type && { type }) });
  }

  listDependencies(ref: string): Promise<DependencyView[]> {
    return this.call('GET', this.item(ref, '/dependencies'));
  }

  ready(query: WorkQuery = {}): Promise<ReadyEntry[]> {
    return this.call('GET', `/ready${queryString({ ...query })}`);
  }

  blocked(query: WorkQuery = {}): Promise<BlockedEntry[]> {
    return this.call('GET', `/blocked${queryString({ ...query })}`);
  }

  claim(ref: string, actor: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    return this.call('POST', this.item(ref, '/claim'), { actor, ...options });
  }

  claimNext(actor: string, query: WorkQuery = {}, options: ClaimOptions = {}): Promise<ClaimResult> {
    return this.call('POST', '/claim-next', { actor, query, ...options });
  }

  release(ref: string, actor: string, options: { force?: boolean } = {}): Promise<ReleaseResult> {
    return this.call('POST', this.item(ref, '/release'), { actor, ...options });
  }

  done(ref: string, actor: string, options: { force?: boolean } = {}): Promise<CloseResult> {
    return this.call('POST', this.item(ref, '/done'), { actor, ...options });
  }

  importTaskList(document: TaskListDocument, actor: string): Promise<ImportResult> {
    return this.call('POST', '/import', { document, actor });
  }

  reserveEpic(input: ReserveEpicInput, actor: string): Promise<ReservedEpic> {
    return this.call('POST', '/epics', { input, actor });
  }

  recordDecision(input: DecisionInput, actor: string): Promise<Decision> {
    return this.call('POST', '/decisions', { input, actor });
  }

  listDecisions(filter: DecisionFilter = {}): Promise<Decision[]> {
    return this.call('GET', `/decisions${queryString({ ...filter })}`);
  }
}

// The Service over a Store, in the caller's process: reads work on snapshots, every change runs as
// one locked transaction, so concurrent processes never lose a write or share a claim.

import { claimItem, finishItem, releaseItem } from './claims.js';
import { progressOf } from './containers.js';
import { listDecisions, recordDecision } from './decision-log.js';
import type { Decision, DecisionFilter, DecisionInput } from './decisions.js';
import { addDependency, checkDependencyType, listDependencies, removeDependency } from './dependencies.js';
import { type ReservedEpic, type ReserveEpicInput, reserveEpic } from './epic-numbers.js';
import { InvalidInputError, NoReadyWorkError } from './errors.js';
import { indexOf, type TrackerIndex } from './graph.js';
import { importTaskList } from './import-task-list.js';
import { addNote, checkStatus, checkType, createItem, updateItem } from './items.js';
import {
  type BlockedEntry,
  blockedWork,
  nothingReadyReason,
  type ReadyEntry,
  readyWork,
  summarize,
  type WorkFilter,
} from './ready.js';
import { cachedReadyWork } from './ready-cache.js';
import { resolveRef } from './refs.js';
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
} from './service.js';
import type { Store } from './store.js';
import type { TaskListDocument } from './task-list.js';
import { Transaction } from './transaction.js';
import type { DependencyType, Item } from './types.js';
import { itemDetails, listItems, treeOf } from './views.js';

export type Clock = () => Date;

export class EmbeddedService implements Service {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = () => new Date(),
  ) {}

  private async snapshot(): Promise<TrackerIndex> {
    return indexOf(await this.store.read());
  }

  private change<T>(work: (tx: Transaction) => T): Promise<T> {
    return this.store.update((data) => work(new Transaction(data, this.clock())));
  }

  async createItem(input: CreateItemInput, _actor: string): Promise<Item> {
    return this.change((tx) => createItem(tx, input));
  }

  async getItem(ref: string): Promise<ItemDetails> {
    const index = await this.snapshot();
    return itemDetails(index, resolveRef(index, ref), this.clock());
  }

  async listItems(filter: ListFilter = {}): Promise<Item[]> {
    const index = await this.snapshot();
    if (filter.type) checkType(filter.type);
    if (filter.status) checkStatus(filter.status);
    checkLimit(filter.limit);
    const epicId = filter.epic ? resolveRef(index, filter.epic).id : null;
    const parentId = filter.parent ? resolveRef(index, filter.parent).id : null;
    return listItems(index, filter, epicId, parentId);
  }

  async tree(rootRef?: string): Promise<TreeNode[]> {
    const index = await this.snapshot();
    return treeOf(index, rootRef ? [resolveRef(index, rootRef)] : index.roots);
  }

  async updateItem(ref: string, change: UpdateItemInput, actor: string): Promise<CloseResult> {
    return this.change((tx) => updateItem(tx, tx.resolve(ref), change, actor));
  }

  async addNote(ref: string, text: string, actor: string): Promise<Item> {
    return this.change((tx) => addNote(tx, tx.resolve(ref), text, actor));
  }

  async addDependency(
    fromRef: string,
    toRef: string,
    type: DependencyType,
    _actor: string,
  ): Promise<DependencyView> {
    const kind = checkDependencyType(type);
    return this.change((tx) => addDependency(tx, tx.resolve(fromRef), tx.resolve(toRef), kind));
  }

  async removeDependency(fromRef: string, toRef: string, type?: DependencyType): Promise<DependencyView[]> {
    const kind = type === undefined ? undefined : checkDependencyType(type);
    return this.change((tx) => removeDependency(tx, tx.resolve(fromRef), tx.resolve(toRef), kind));
  }

  async listDependencies(ref: string): Promise<DependencyView[]> {
    const data = await this.store.read();
    const tx = new Transaction(data, this.clock());
    return listDependencies(tx, tx.resolve(ref));
  }

  async ready(query: WorkQuery = {}): Promise<ReadyEntry[]> {
    const index = await this.snapshot();
    return cachedReadyWork(index, workFilter(index, query), this.clock());
  }

  async blocked(query: WorkQuery = {}): Promise<BlockedEntry[]> {
    const index = await this.snapshot();
    return blockedWork(index, workFilter(index, query));
  }

  async claim(ref: string, actor: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    return this.change((tx) => claimItem(tx, tx.resolve(ref), actor, options));
  }

  async claimNext(actor: string, query: WorkQuery = {}, options: ClaimOptions = {}): Promise<ClaimResult> {
    return this.change((tx) => {
      const [first] = readyWork(tx.index, { ...workFilter(tx.index, query), limit: 1 }, tx.now);
      if (!first) throw new NoReadyWorkError(noReadyWorkMessage(tx.index, query));
      return claimItem(tx, first.item, actor, options);
    });
  }

  async release(ref: string, actor: string, options: { force?: boolean } = {}): Promise<ReleaseResult> {
    return this.change((tx) => releaseItem(tx, tx.resolve(ref), actor, options.force ?? false));
  }

  async done(ref: string, actor: string, options: { force?: boolean } = {}): Promise<CloseResult> {
    return this.change((tx) => finishItem(tx, tx.resolve(ref), actor, options.force ?? false));
  }

  async importTaskList(document: TaskListDocument, actor: string): Promise<ImportResult> {
    return this.change((tx) => importTaskList(tx, document, actor));
  }

  async reserveEpic(input: ReserveEpicInput, _actor: string): Promise<ReservedEpic> {
    return this.change((tx) => reserveEpic(tx, input));
  }

  async recordDecision(input: DecisionInput, actor: string): Promise<Decision> {
    return this.change((tx) => recordDecision(tx, input, actor));
  }

  async listDecisions(filter: DecisionFilter = {}): Promise<Decision[]> {
    return listDecisions(await this.snapshot(), filter);
  }
}

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new InvalidInputError(`--limit must be a whole number of at least 1; got ${limit}.`);
  }
}

function noReadyWorkMessage(index: TrackerIndex, query: WorkQuery): string {
  const scope = query.epic ? resolveRef(index, query.epic) : null;
  const reason = nothingReadyReason(scope && summarize(scope), scope && progressOf(index, scope.id));
  return `No ready work: ${reason}.`;
}

function workFilter(index: TrackerIndex, query: WorkQuery): WorkFilter {
  checkLimit(query.limit);
  const filter: WorkFilter = {};
  if (query.epic) filter.withinId = resolveRef(index, query.epic).id;
  if (query.label) filter.label = query.label;
  if (query.limit !== undefined) filter.limit = query.limit;
  return filter;
}

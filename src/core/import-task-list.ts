// Merges a spec-kit task list into the tracker: an epic, a feature per phase, a task per line, and the
// ordering spec-kit means. The file owns structure and titles; sdd owns claims, notes and statuses,
// except where the file's check box changed since the importing clone last saw it (a three-way merge).

import { settleAll } from './containers.js';
import { InvalidInputError } from './errors.js';
import { newItem, refuseWaitCycle } from './items.js';
import { type ItemSummary, summarize } from './ready.js';
import { normalizeSourceRef } from './refs.js';
import type { ImportResult } from './service.js';
import type { TaskListDocument, TaskListPhase, TaskListTask } from './task-list.js';
import { cleanTitle } from './titles.js';
import type { Transaction } from './transaction.js';
import {
  DEFAULT_PRIORITY,
  type Dependency,
  type Item,
  type ItemType,
  MAX_PRIORITY,
  MIN_PRIORITY,
  type Status,
} from './types.js';

interface Desired {
  key: string;
  type: ItemType;
  title: string;
  description: string;
  parent: string | null;
  line: number;
  order: number;
  mvp: boolean;
  priority: number;
  labels: string[];
  /** The check box, for tasks; containers have none. */
  checked: boolean | null;
  /** The merge base the client sent (TaskListTask.lastSeenChecked); undefined: the tracker's `source.checked`. */
  lastSeenChecked?: boolean | null;
}

export function importTaskList(tx: Transaction, doc: TaskListDocument, actor: string): ImportResult {
  checkDocument(doc);
  const merge = new Merge(tx, doc, actor);
  const epic = merge.upsert({
    key: doc.epicKey,
    type: 'epic',
    title: doc.epicTitle,
    description: '',
    parent: null,
    line: 1,
    order: 0,
    mvp: false,
    priority: Math.min(
      DEFAULT_PRIORITY,
      ...doc.phases.map((p) => clampPriority(p.priority ?? DEFAULT_PRIORITY)),
    ),
    labels: [],
    checked: null,
  });
  const priorities = phasePriorities(doc.phases);
  const featureIds: string[] = [];
  doc.phases.forEach((phase, i) => {
    const feature = merge.upsert({
      key: phase.key,
      type: 'feature',
      title: phase.title,
      description: '',
      parent: epic.id,
      line: phase.line,
      order: phase.line,
      mvp: phase.mvp,
      priority: priorities[i]!,
      labels: phase.kind === 'story' ? [phase.key] : [],
      checked: null,
    });
    featureIds.push(feature.id);
    merge.upsertTasks(phase.tasks, feature.id, priorities[i]!, phase.mvp);
  });
  merge.upsertTasks(doc.looseTasks, epic.id, epic.priority, false);
  merge.retireMissing();
  tx.structureChanged();
  const dependencies = merge.replaceDerivedEdges(derivedEdges(doc, merge, featureIds));
  tx.structureChanged();
  settleAll(tx.index, tx.nowIso);
  refuseWaitCycle(tx, `importing ${doc.file}`);
  return {
    epic: summarize(epic),
    created: merge.created,
    updated: merge.updated,
    unchanged: merge.unchanged,
    removed: merge.removed,
    statusChanges: merge.statusChanges,
    dependencies,
  };
}

function checkDocument(doc: TaskListDocument): void {
  if (typeof doc?.epicKey !== 'string' || doc.epicKey.trim() === '' || doc.epicKey.includes('/')) {
    throw new InvalidInputError('A task list needs its epic folder name (like 004-team-notes).');
  }
  if (!Array.isArray(doc.phases) || !Array.isArray(doc.looseTasks) || typeof doc.file !== 'string') {
    throw new InvalidInputError('A task list needs file, phases and looseTasks.');
  }
  const seen = new Set<string>();
  for (const task of [...doc.looseTasks, ...doc.phases.flatMap((p) => p.tasks)]) {
    const key = normalizeSourceRef(String(task?.ref ?? ''));
    if (!/^T\d+[a-z]?$/.test(key))
      throw new InvalidInputError(
        `${doc.file}:${task?.line}: "${task?.ref}" is not a task id like T001 (or T001a).`,
      );
    if (seen.has(key))
      throw new InvalidInputError(`${doc.file}:${task.line}: task ${task.ref} appears twice.`);
    seen.add(key);
    const base = task.lastSeenChecked;
    if (base !== undefined && base !== null && typeof base !== 'boolean')
      throw new InvalidInputError(
        `${doc.file}:${task.line}: lastSeenChecked of ${task.ref} is ${JSON.stringify(base)}; it is true, false, null or absent.`,
      );
  }
}

function clampPriority(p: number): number {
  return Math.max(MIN_PRIORITY, Math.min(MAX_PRIORITY, p));
}

/**
 * A story phase has its own priority (P1 = 1). Phases before the first story (Setup, Foundational)
 * lie on the MVP's path and take the most urgent story priority; phases after stories (Polish) the least.
 */
function phasePriorities(phases: TaskListPhase[]): number[] {
  const stories = phases
    .filter((p) => p.kind === 'story')
    .map((p) => clampPriority(p.priority ?? DEFAULT_PRIORITY));
  const most = stories.length > 0 ? Math.min(...stories) : DEFAULT_PRIORITY;
  const least = stories.length > 0 ? Math.max(...stories) : DEFAULT_PRIORITY;
  let seenStory = false;
  return phases.map((p) => {
    if (p.kind === 'story') {
      seenStory = true;
      return clampPriority(p.priority ?? DEFAULT_PRIORITY);
    }
    return seenStory ? least : most;
  });
}

type Edge = Pick<Dependency, 'from' | 'to'>;

/**
 * spec-kit's order: the phases before the first user story (Setup, Foundational) run one after another;
 * every user-story phase follows the last of them, and the stories may run side by side; a phase after
 * the first story (Polish) follows every story before it and the phase before it. Inside a phase a
 * task without [P] follows the task just before it; tasks outside any phase have no order. Phases
 * without tasks take no part: they would never close and would hold back all that follows.
 */
function derivedEdges(doc: TaskListDocument, merge: Merge, featureIds: string[]): Edge[] {
  const edges: Edge[] = [];
  let lastBeforeStories: string | null = null;
  let lastAfterStories: string | null = null;
  const stories: string[] = [];
  doc.phases.forEach((phase, i) => {
    const id = featureIds[i]!;
    if (phase.tasks.length === 0) return;
    let waitsOn: string[];
    if (phase.kind === 'story') {
      waitsOn = lastBeforeStories ? [lastBeforeStories] : [];
      stories.push(id);
    } else if (stories.length === 0) {
      waitsOn = lastBeforeStories ? [lastBeforeStories] : [];
      lastBeforeStories = id;
    } else {
      waitsOn = lastAfterStories ? [...stories, lastAfterStories] : [...stories];
      lastAfterStories = id;
    }
    for (const to of waitsOn) edges.push({ from: id, to });
  });
  for (const phase of doc.phases) {
    phase.tasks.forEach((task, i) => {
      if (i === 0 || task.parallel) return;
      edges.push({ from: merge.idOf(task.ref), to: merge.idOf(phase.tasks[i - 1]!.ref) });
    });
  }
  return edges;
}

/** What a person would call a change: a line number that moved because lines were added above is not one. */
function meaningOf(item: Item): string {
  return JSON.stringify({ ...item, source: item.source ? { ...item.source, line: 0 } : null });
}

class Merge {
  readonly created: ItemSummary[] = [];
  readonly updated: ItemSummary[] = [];
  readonly removed: ItemSummary[] = [];
  readonly statusChanges: ImportResult['statusChanges'] = [];
  unchanged = 0;
  private readonly existing = new Map<string, Item>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly tx: Transaction,
    private readonly doc: TaskListDocument,
    private readonly actor: string,
  ) {
    const epicKey = doc.epicKey.toLowerCase();
    for (const item of tx.data.items) {
      if (item.source && item.source.epicKey.toLowerCase() === epicKey) {
        this.existing.set(normalizeSourceRef(item.source.ref), item);
      }
    }
  }

  idOf(ref: string): string {
    return this.existing.get(normalizeSourceRef(ref))!.id;
  }

  upsertTasks(tasks: TaskListTask[], parent: string, priority: number, mvp: boolean): void {
    for (const task of tasks) {
      this.upsert({
        key: task.ref,
        type: 'task',
        title: task.title,
        description: task.details,
        parent,
        line: task.line,
        order: task.line,
        mvp,
        priority,
        labels: [...(task.story ? [task.story] : []), ...(task.moreStories ?? [])],
        checked: task.checked,
        lastSeenChecked: task.lastSeenChecked,
      });
    }
  }

  upsert(desired: Desired): Item {
    // The reader cleans titles; a document from elsewhere (a remote client) is held to the same rule.
    const want = { ...desired, title: cleanTitle(desired.title).title };
    const key = normalizeSourceRef(want.key);
    this.seen.add(key);
    const item = this.existing.get(key);
    if (!item) return this.create(want, key);
    const before = meaningOf(item);
    const source = item.source!;
    item.title = want.title;
    item.description = want.description;
    item.parent = want.parent;
    item.order = want.order;
    item.mvp = want.mvp;
    item.type = want.type;
    if (item.priority === source.priority) item.priority = want.priority;
    const teamLabels = item.labels.filter((l) => !(source.labels ?? []).includes(l));
    item.labels = [...new Set([...want.labels, ...teamLabels])];
    Object.assign(source, {
      file: this.doc.file,
      line: want.line,
      priority: want.priority,
      labels: want.labels,
    });
    if (source.removed) {
      delete source.removed;
      if (item.status === 'cancelled') this.changeStatus(item, 'open', 'it is back in the file');
    }
    if (want.checked !== null) {
      // A box is changed by hand when it differs from the box the importing clone saw last. With no
      // such box (a fresh clone) the file's box is no evidence at all: it may just not be pulled yet.
      const base = want.lastSeenChecked === undefined ? source.checked : want.lastSeenChecked;
      if (base !== null && want.checked !== base) {
        if (want.checked && item.status !== 'done')
          this.changeStatus(item, 'done', 'its box was ticked in the file');
        if (!want.checked && item.status === 'done')
          this.changeStatus(item, 'open', 'its box was unticked in the file');
      }
      source.checked = want.checked;
    }
    if (meaningOf(item) === before) this.unchanged++;
    else {
      item.updatedAt = this.tx.nowIso;
      this.updated.push(summarize(item));
    }
    return item;
  }

  private create(want: Desired, key: string): Item {
    const status: Status = want.checked ? 'done' : 'open';
    const item = newItem(this.tx, {
      type: want.type,
      title: want.title,
      description: want.description,
      status,
      closedAt: status === 'done' ? this.tx.nowIso : null,
      priority: want.priority,
      labels: want.labels,
      parent: want.parent,
      order: want.order,
      mvp: want.mvp,
      source: {
        file: this.doc.file,
        line: want.line,
        ref: want.key,
        epicKey: this.doc.epicKey,
        priority: want.priority,
        labels: want.labels,
        ...(want.checked !== null ? { checked: want.checked } : {}),
      },
    });
    this.existing.set(key, item);
    this.created.push(summarize(item));
    return item;
  }

  private changeStatus(item: Item, to: Status, why: string): void {
    const from = item.status;
    item.status = to;
    item.closedAt = to === 'done' || to === 'cancelled' ? this.tx.nowIso : null;
    if (to !== 'in_progress') item.claim = null;
    item.notes.push({ author: this.actor, at: this.tx.nowIso, text: `Import: ${from} → ${to}, ${why}.` });
    this.statusChanges.push({ item: summarize(item), from, to });
  }

  /** Items of this task list that are no longer in it are cancelled (not deleted: their history stays). */
  retireMissing(): void {
    for (const [key, item] of this.existing) {
      if (this.seen.has(key) || item.source?.removed || item.source?.file !== this.doc.file) continue;
      item.source.removed = true;
      if (item.status !== 'done' && item.status !== 'cancelled') {
        this.changeStatus(item, 'cancelled', `${item.source.ref} is no longer in ${this.doc.file}`);
      }
      item.updatedAt = this.tx.nowIso;
      this.removed.push(summarize(item));
    }
  }

  /** Swaps the edges an earlier import derived for this list's items for `edges`; team edges stay. */
  replaceDerivedEdges(edges: Edge[]): ImportResult['dependencies'] {
    const ours = new Set([...this.existing.values()].map((i) => i.id));
    const wanted = new Map(edges.map((e) => [`${e.from}>${e.to}`, e]));
    let removed = 0;
    const kept: Dependency[] = [];
    for (const dep of this.tx.data.dependencies) {
      const key = `${dep.from}>${dep.to}`;
      if (dep.type === 'blocks' && wanted.has(key)) {
        wanted.delete(key); // already there, from an earlier import or from a person
        kept.push(dep);
      } else if (dep.origin === 'import' && ours.has(dep.from)) {
        removed++;
      } else {
        kept.push(dep);
      }
    }
    for (const edge of wanted.values()) {
      kept.push({ ...edge, type: 'blocks', origin: 'import', createdAt: this.tx.nowIso });
    }
    this.tx.data.dependencies = kept;
    return { added: wanted.size, removed };
  }
}

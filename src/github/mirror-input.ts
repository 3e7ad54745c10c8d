// What a sync mirrors, gathered once from the tracker (through the Service, embedded or remote) and
// the sessions: plain data the planner works on without any I/O.

import type { Service } from '../core/service.js';
import type { SessionStore } from '../core/session-store.js';
import type { Item } from '../core/types.js';

export interface MirrorSession {
  id: string;
  agent: string;
  actor: string;
  status: string;
  startedAt: string;
  /** Where a teammate replays it (a team server's files), or null: `sdd replay ID` in a clone. */
  replayUrl: string | null;
}

export interface MirrorInput {
  /** Every item of the project: one missing here was deleted in sdd. */
  items: Item[];
  /** Ids of the items this sync pushes (an epic's subtree with --epic); null: all of them. */
  scope: Set<string> | null;
  /** Item id -> ids of the items that block it (`blocks` edges). */
  blockedBy: Map<string, string[]>;
  /** Item id -> its sessions, newest first. */
  sessions: Map<string, MirrorSession[]>;
  /** The repository's web address (https://github.com/owner/name), for links to spec documents. */
  repoWebUrl: string;
  /** Epic folder (004-team-notes) -> its spec documents' paths relative to the project root. */
  specDocuments: Map<string, string[]>;
}

export interface GatherOptions {
  epic?: string;
  sessions?: SessionStore | null;
  /** A session's replay address, when a team server keeps it. */
  replayUrl?: (sessionId: string) => string | null;
  repoWebUrl: string;
  specDocuments?: Map<string, string[]>;
}

export async function gatherMirrorInput(service: Service, options: GatherOptions): Promise<MirrorInput> {
  const items = await service.listItems();
  let scope: Set<string> | null = null;
  if (options.epic) {
    const [root] = await service.tree(options.epic);
    scope = new Set();
    const stack = root ? [root] : [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      scope.add(node.item.id);
      stack.push(...node.children);
    }
  }
  const blockedBy = new Map<string, string[]>();
  for (const item of items) {
    if (scope && !scope.has(item.id)) continue;
    const edges = await service.listDependencies(item.id);
    const blockers = edges.filter((e) => e.type === 'blocks' && e.from.id === item.id).map((e) => e.to.id);
    if (blockers.length > 0) blockedBy.set(item.id, blockers);
  }
  const sessions = new Map<string, MirrorSession[]>();
  for (const record of options.sessions ? await options.sessions.list() : []) {
    const list = sessions.get(record.itemId) ?? [];
    list.push({
      id: record.id,
      agent: record.agent,
      actor: record.actor,
      status: record.status,
      startedAt: record.startedAt,
      replayUrl: options.replayUrl?.(record.id) ?? null,
    });
    sessions.set(record.itemId, list);
  }
  return {
    items,
    scope,
    blockedBy,
    sessions,
    repoWebUrl: options.repoWebUrl,
    specDocuments: options.specDocuments ?? new Map(),
  };
}

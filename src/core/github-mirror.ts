// The GitHub mirror's memory: which issue each item became, what sdd last wrote there, and which
// sub-issue and dependency links it made. Kept beside the tracker (.sdd/local/ embedded, the
// server's store with one): a second sync compares against it and writes only what changed.

/** An issue's open/closed state as GitHub has it. */
export type IssueState = 'open' | 'closed';

export interface GithubMirrorEntry {
  /** sdd's id of the item; `overflow:<parent id>:<n>` for an issue sdd made to hold more sub-issues. */
  key: string;
  /** The issue's number in the repository (#12). */
  number: number;
  /** The issue's numeric id: what the sub-issue and dependency endpoints take. */
  issueId: number;
  /** Hash of the title, body, labels and state sdd last wrote; '' makes the next sync write again. */
  hash: string;
  /** The title on GitHub as of the last sync: a retitle on either side is told from it. */
  title: string;
  /** The state on GitHub as of the last sync. */
  state: IssueState;
  /** GitHub's updated_at after the last write or read: a later one means someone changed the issue. */
  remoteUpdatedAt: string;
  /** Key of the issue it is linked under as a sub-issue, or null. */
  parentKey: string | null;
  /** Keys of the issues linked as its blockers (GitHub issue dependencies). */
  blockedBy: string[];
  /** Set once the item was deleted in sdd and its issue closed with a comment. */
  orphaned?: boolean;
  /** Labels people put on the issue on GitHub (not sdd's own): kept when sdd rewrites the labels. */
  foreignLabels?: string[];
}

export interface GithubMirrorSettings {
  /** owner/name; null until `sdd github connect`. */
  repo: string | null;
  /** GitHub's API base URL (GitHub Enterprise Server: https://HOST/api/v3); null: api.github.com. */
  apiUrl: string | null;
  /** A team server syncs by itself after each change when set. */
  auto: boolean;
}

export interface GithubMirrorState extends GithubMirrorSettings {
  schema: 1;
  /** GitHub's clock at the start of the last finished sync: issues changed since then are read back. */
  lastSyncAt: string | null;
  entries: GithubMirrorEntry[];
}

export interface GithubMirrorChange {
  /** Forget every entry and the last sync first (the mirror moved to another repository). */
  reset?: boolean;
  /** Added or replaced, by key. */
  entries?: GithubMirrorEntry[];
  settings?: Partial<GithubMirrorSettings>;
  lastSyncAt?: string | null;
}

/** The port: a lowdb file (embedded and lowdb servers), a PostgreSQL row, or a team server over HTTP. */
export interface GithubMirrorStore {
  read(): Promise<GithubMirrorState>;
  /** Applies the change in one atomic step and returns the state after it. */
  write(change: GithubMirrorChange): Promise<GithubMirrorState>;
}

export function emptyMirrorState(): GithubMirrorState {
  return { schema: 1, repo: null, apiUrl: null, auto: false, lastSyncAt: null, entries: [] };
}

/** The pure step every store runs under its lock. */
export function applyMirrorChange(state: GithubMirrorState, change: GithubMirrorChange): GithubMirrorState {
  const base = change.reset ? { ...state, entries: [], lastSyncAt: null } : state;
  const next: GithubMirrorState = { ...base, ...change.settings, entries: [...base.entries] };
  if (change.lastSyncAt !== undefined) next.lastSyncAt = change.lastSyncAt;
  if (change.entries?.length) {
    const position = new Map(next.entries.map((entry, index) => [entry.key, index]));
    for (const entry of change.entries) {
      const at = position.get(entry.key);
      if (at === undefined) {
        position.set(entry.key, next.entries.length);
        next.entries.push(entry);
      } else next.entries[at] = entry;
    }
  }
  return next;
}

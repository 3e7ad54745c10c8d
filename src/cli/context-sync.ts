// Keeps a clone's .sdd/context/ files and the team server's versions in step: a document a teammate
// saved is written here, a local edit not yet on the server is saved there as the next version, and
// when both changed nothing is overwritten: the document is reported as a conflict until the person
// picks (--mine saves the local text over theirs, --theirs takes theirs and keeps a backup of the
// local text). What each file was last in step with (server version and a hash of its text) is kept
// in .sdd/local/context-sync.json.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ContextLog, ContextVersion } from '../core/context-log.js';
import { CONTEXT_NAME, contextFile, readContextFile, readContextFiles } from '../specs/context-files.js';
import { isUntouchedTemplate } from '../specs/context-templates.js';
import type { Project } from './project.js';

export type SyncAction =
  | 'pulled'
  | 'pushed'
  | 'unchanged'
  | 'conflict'
  | 'refused'
  | 'local-only'
  | 'missing';

export interface SyncEntry {
  name: string;
  action: SyncAction;
  /** The server version the file is now in step with (none for a conflict or a local-only template). */
  version: number | null;
  author: string | null;
  /** Why, for a conflict; where the local text went, for --theirs over a local edit. */
  note?: string;
}

export interface SyncOptions {
  /** Only these documents (all when absent). */
  names?: string[];
  /** For documents changed on both sides: keep the local text, or take the server's. */
  prefer?: 'mine' | 'theirs';
}

interface SyncedState {
  version: number;
  hash: string;
  author?: string;
}

type StateFile = Record<string, Record<string, SyncedState>>;

export function stateFilePath(root: string): string {
  return join(root, '.sdd', 'local', 'context-sync.json');
}

/** The state is per server and project: relinking the clone starts afresh. */
function stateKey(project: Project): string {
  return `${project.config.server ?? ''}#${project.config.projectId}`;
}

export async function readSyncState(project: Project): Promise<Record<string, SyncedState>> {
  try {
    const all = JSON.parse(await readFile(stateFilePath(project.root), 'utf8')) as StateFile;
    return all[stateKey(project)] ?? {};
  } catch {
    return {};
  }
}

async function writeSyncState(project: Project, state: Record<string, SyncedState>): Promise<void> {
  const path = stateFilePath(project.root);
  let all: StateFile = {};
  try {
    all = JSON.parse(await readFile(path, 'utf8')) as StateFile;
  } catch {
    // none yet, or unreadable: rebuilt from this sync
  }
  all[stateKey(project)] = state;
  await writeAtomic(path, `${JSON.stringify(all, null, 2)}\n`);
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A whole file or the old one, never half of one: written beside it, then renamed over it. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

export async function syncContext(
  project: Project,
  log: ContextLog,
  actor: string,
  options: SyncOptions = {},
): Promise<SyncEntry[]> {
  const root = project.root;
  const state = await readSyncState(project);
  // A name is a file name here: one a server should never send (../x) is not written.
  const server = new Map(
    (await log.listContext())
      .filter((v) => CONTEXT_NAME.test(v.name) && !v.name.includes('..'))
      .map((v) => [v.name, v]),
  );
  const local = new Map((await readContextFiles(root)).map((d) => [d.name, d.text]));
  const names = options.names ?? [...new Set([...server.keys(), ...local.keys()])].sort();
  const entries: SyncEntry[] = [];
  for (const name of names) {
    const text = local.has(name) ? local.get(name)! : await readContextFile(root, name);
    const entry = await syncOne(project, log, actor, options.prefer, {
      name,
      text,
      latest: server.get(name) ?? null,
      synced: state[name],
    });
    if (entry.action !== 'conflict' && entry.action !== 'refused' && entry.version !== null) {
      const now = await readContextFile(root, name);
      if (now !== null) {
        state[name] = {
          version: entry.version,
          hash: textHash(now),
          ...(entry.author && { author: entry.author }),
        };
      }
    }
    entries.push(entry);
  }
  await writeSyncState(project, state);
  return entries;
}

interface DocumentSides {
  name: string;
  /** The local file's text, or null when there is no file. */
  text: string | null;
  latest: ContextVersion | null;
  synced: SyncedState | undefined;
}

async function syncOne(
  project: Project,
  log: ContextLog,
  actor: string,
  prefer: SyncOptions['prefer'],
  sides: DocumentSides,
): Promise<SyncEntry> {
  const { name, text, latest, synced } = sides;
  const file = contextFile(project.root, name);
  const take = async (version: ContextVersion, action: SyncAction = 'pulled'): Promise<SyncEntry> => {
    await writeAtomic(file, version.text);
    return { name, action, version: version.version, author: version.author };
  };
  const push = async (basedOn: number): Promise<SyncEntry> => {
    try {
      const saved = await log.putContext(name, text!, actor, basedOn);
      return {
        name,
        action: saved.created ? 'pushed' : 'unchanged',
        version: saved.version.version,
        author: saved.version.author,
      };
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A token that may only read (an agent's, a viewer's) still gets the team's versions.
      if (code === 'FORBIDDEN') {
        return { name, action: 'refused', version: null, author: null, note: (error as Error).message };
      }
      if (code !== 'VERSION_CONFLICT') throw error;
      return { name, action: 'conflict', version: null, author: null, note: (error as Error).message };
    }
  };

  if (text === null) {
    if (!latest) return { name, action: 'missing', version: null, author: null };
    return take(latest);
  }
  if (!latest) {
    // sdd's own template, never filled in, is not the team's context: it stays here only.
    if (isUntouchedTemplate(name, text)) return { name, action: 'local-only', version: null, author: null };
    return push(0);
  }
  if (text === latest.text)
    return { name, action: 'unchanged', version: latest.version, author: latest.author };
  const changedHere = synced === undefined || textHash(text) !== synced.hash;
  if (!changedHere) return take(latest);
  if (synced && synced.version === latest.version) return push(latest.version);
  // A fresh clone's untouched template gives way to what the team wrote.
  if (synced === undefined && isUntouchedTemplate(name, text)) return take(latest);
  if (prefer === 'mine') return push(latest.version);
  if (prefer === 'theirs') {
    const backup = join(project.root, '.sdd', 'local', 'context-backup', `${name}-${Date.now()}.md`);
    await writeAtomic(backup, text);
    return { ...(await take(latest)), note: `your text was kept in ${backup}` };
  }
  return {
    name,
    action: 'conflict',
    version: null,
    author: null,
    note: `changed here and on the server (version ${latest.version} by ${latest.author}) since they were last in step; nothing was overwritten. \`sdd context sync --mine ${name}\` saves yours over it, \`sdd context sync --theirs ${name}\` takes theirs (yours is backed up).`,
  };
}

// opencode: its conversation is not one log but many records (the session, each message, each part of a
// message), rewritten in place as they stream. sdd cannot choose its session id, so it takes the first root
// session opencode made in this folder after the launch, and mirrors that session's records, as they change,
// into one append-only JSONL file (an upsert log: a record's last line wins) that the copier can follow.
//
// Before opencode 1.2 the records are files: <data>/storage/session/<project>/<ses>.json,
// storage/message/<ses>/<msg>.json, storage/part/<msg>/<prt>.json, read directly. From 1.2 they live in
// <data>/opencode.db (SQLite, which Node 20 cannot read), so sdd asks opencode itself:
// `opencode session list --format json` to find the session and `opencode export <id>` for its records.

import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, realpathSync, watch } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { AgentAdapter, TranscriptQuery, TranscriptSource } from './agent-adapter.js';

const run = promisify(execFile);
/** Where files cannot be watched, how often they are read again. */
const FILE_POLL_MS = 500;
/** Each look through the database starts opencode, so it is done less often. */
const DATABASE_SYNC_MS = 2000;

/** opencode's data folder: $XDG_DATA_HOME/opencode, else ~/.local/share/opencode. */
export function opencodeDataDir(env: NodeJS.ProcessEnv): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'opencode');
}

type Json = Record<string, unknown>;

/** A session as `opencode export` prints it, and as sdd assembles it from the record files. */
export interface OpencodeSnapshot {
  info: Json;
  messages: { info: Json; parts: Json[] }[];
}

/** One line of the mirror file. */
export type OpencodeRecord =
  | { type: 'session'; data: Json }
  | { type: 'message'; data: Json }
  | { type: 'part'; data: Json };

interface SessionSummary {
  id: string;
  directory: string;
  created: number;
  parentID?: unknown;
  /** The session record itself, when read from its file. */
  record?: Json;
}

export const opencodeAdapter: AgentAdapter = {
  name: 'opencode',
  title: 'opencode',
  binary: 'opencode',
  versionArgs: ['--version'],
  transcriptFormat: 'opencode',
  launch(request) {
    // `run` answers one prompt and exits; the TUI takes the first prompt with --prompt and stays.
    const command = request.headless
      ? ['opencode', 'run', ...request.extraArgs, '--', request.prompt]
      : ['opencode', ...request.extraArgs, '--prompt', request.prompt];
    return { command, conversationId: null };
  },
  async settleTranscript(prepared) {
    await (prepared as OpencodeMirror).flush();
  },
  async afterSession(prepared) {
    await (prepared as OpencodeMirror).close();
  },
  async beforeLaunch() {
    return new OpencodeMirror(await mkdtemp(join(tmpdir(), 'sdd-opencode-')));
  },
  async findTranscript(query, prepared) {
    return prepared instanceof OpencodeMirror ? prepared.find(query) : null;
  },
};

/** Keeps one opencode session's records mirrored into an append-only file while sdd runs. */
export class OpencodeMirror {
  private sessionId: string | null = null;
  private readonly written = new Map<string, string>();
  private syncing: Promise<void> = Promise.resolve();
  /** Timers and watchers that keep the mirror current, stopped by close(). */
  private readonly stoppers: (() => void)[] = [];

  constructor(private readonly folder: string) {}

  /** One last full read, once opencode has exited: nothing it wrote at the end is left out. */
  private lastSync: (() => unknown) | null = null;

  async flush(): Promise<void> {
    await this.lastSync?.();
    await this.syncing;
  }

  /** Stops following opencode and removes the mirror (the session has its own copy by then). */
  async close(): Promise<void> {
    for (const stop of this.stoppers.splice(0)) stop();
    await this.syncing;
    await rm(this.folder, { recursive: true, force: true });
  }

  async find(query: TranscriptQuery): Promise<TranscriptSource | null> {
    const store = new OpencodeStore(query);
    this.sessionId ??= await store.findSession();
    if (!this.sessionId) return null;
    const sessionId = this.sessionId;
    const path = join(this.folder, `opencode-${sessionId}.jsonl`);
    // The copier asks only until it has a file; from then on the file is kept current here.
    if (store.usesDatabase) {
      const sync = () => {
        this.syncing = this.syncing
          .then(async () => {
            const snapshot = await store.snapshot(sessionId);
            if (snapshot) await appendFile(path, this.changedLines(snapshotRecords(snapshot)));
          })
          .catch(() => undefined);
        return this.syncing;
      };
      await sync();
      this.lastSync = sync;
      const timer = setInterval(sync, DATABASE_SYNC_MS).unref();
      this.stoppers.push(() => clearInterval(timer));
    } else {
      const sync = () => this.write(path, snapshotRecords(store.snapshotFromFiles(sessionId)));
      // The watcher can read a record while opencode is still writing it; the last full read settles that.
      this.lastSync = sync;
      if (!this.watchFiles(store, sessionId, path)) {
        // No recursive watching on this system: a full read on a timer instead.
        sync();
        const timer = setInterval(sync, FILE_POLL_MS).unref();
        this.stoppers.push(() => clearInterval(timer));
      }
    }
    return { path, fromOffset: 0 };
  }

  /**
   * Mirrors each record file the moment opencode writes it, synchronously, in the watcher's callback: the
   * copier's last copy comes moments after opencode exits, and that is before any timer or promise of ours
   * would have run. The watch starts before the first full read, so nothing written in between is missed.
   */
  private watchFiles(store: OpencodeStore, sessionId: string, path: string): boolean {
    try {
      const watcher = watch(store.storage, { recursive: true, persistent: false }, (_event, name) => {
        try {
          if (name) this.write(path, store.recordsAt(String(name), sessionId));
        } catch {
          // A record caught mid-write is read whole on its next change.
        }
      });
      watcher.on('error', () => undefined);
      this.stoppers.push(() => watcher.close());
    } catch {
      return false;
    }
    this.write(path, snapshotRecords(store.snapshotFromFiles(sessionId)));
    return true;
  }

  private write(path: string, records: OpencodeRecord[]): void {
    const lines = this.changedLines(records);
    if (lines) appendFileSync(path, lines);
  }

  /** The records that are new or changed since they were last written, as lines. */
  private changedLines(records: OpencodeRecord[]): string {
    let lines = '';
    for (const record of records) {
      const key = `${record.type}:${String(record.data.id)}`;
      const line = JSON.stringify(record);
      if (this.written.get(key) === line) continue;
      this.written.set(key, line);
      lines += `${line}\n`;
    }
    return lines;
  }
}

/** A session's records in conversation order: the session, then each message followed by its parts. */
function snapshotRecords(snapshot: OpencodeSnapshot | null): OpencodeRecord[] {
  if (!snapshot) return [];
  const records: OpencodeRecord[] = [{ type: 'session', data: snapshot.info }];
  for (const message of snapshot.messages) {
    records.push({ type: 'message', data: message.info });
    for (const part of message.parts) records.push({ type: 'part', data: part });
  }
  return records;
}

/** Reads opencode's records, from its files when it keeps files, else through its own CLI. */
class OpencodeStore {
  readonly storage: string;
  readonly usesDatabase: boolean;

  constructor(private readonly query: TranscriptQuery) {
    const data = opencodeDataDir(query.env);
    this.storage = join(data, 'storage');
    // 1.2 and later keep everything in the database, even where the files of older sessions remain.
    this.usesDatabase = existsSync(join(data, 'opencode.db'));
  }

  /** The first root session opencode created in this folder since the launch. */
  async findSession(): Promise<string | null> {
    const sessions = this.usesDatabase ? await this.listedSessions() : this.sessionFiles();
    const here = new Set([this.query.cwd, realpath(this.query.cwd)]);
    const since = this.query.startedAt.getTime();
    const ours = sessions
      .filter((s) => (here.has(s.directory) || here.has(realpath(s.directory))) && s.created >= since)
      .filter((s) => s.parentID === undefined || s.parentID === null)
      .sort((a, b) => a.created - b.created);
    return ours[0]?.id ?? null;
  }

  async snapshot(sessionId: string): Promise<OpencodeSnapshot | null> {
    const { stdout } = await this.opencode(['export', sessionId]);
    const exported = JSON.parse(stdout) as OpencodeSnapshot;
    return isObject(exported.info) && Array.isArray(exported.messages) ? exported : null;
  }

  /** The whole session from its record files. */
  snapshotFromFiles(sessionId: string): OpencodeSnapshot | null {
    const info = this.sessionFiles().find((s) => s.id === sessionId)?.record;
    if (!info) return null;
    return {
      info,
      messages: readRecords(join(this.storage, 'message', sessionId)).map((message) => ({
        info: message,
        parts: readRecords(join(this.storage, 'part', String(message.id))),
      })),
    };
  }

  /** The records of this session a change at `name` (relative to the storage folder) touched. */
  recordsAt(name: string, sessionId: string): OpencodeRecord[] {
    const [kind, folder, file] = name.split(sep);
    const full = join(this.storage, name);
    const records = file ? readRecord(full) : kind === 'part' && folder ? readRecords(full) : [];
    const type =
      kind === 'session' ? 'session' : kind === 'message' ? 'message' : kind === 'part' ? 'part' : null;
    if (!type) return [];
    // A part's folder is named after its message; the record itself says which session it belongs to.
    const ours = (record: Json) => (type === 'session' ? record.id : record.sessionID) === sessionId;
    return records.filter(ours).map((data) => ({ type, data }) as OpencodeRecord);
  }

  private sessionFiles(): SessionSummary[] {
    const root = join(this.storage, 'session');
    const projects = safeReaddir(root);
    return projects
      .flatMap((project) => readRecords(join(root, project)))
      .flatMap((session) => {
        const time = isObject(session.time) ? session.time : {};
        return typeof session.id === 'string' &&
          typeof session.directory === 'string' &&
          typeof time.created === 'number'
          ? [
              {
                id: session.id,
                directory: session.directory,
                created: time.created,
                parentID: session.parentID,
                record: session,
              },
            ]
          : [];
      });
  }

  private async listedSessions(): Promise<SessionSummary[]> {
    const { stdout } = await this.opencode(['session', 'list', '--format', 'json']);
    // An empty list prints nothing at all.
    const listed: unknown = stdout.trim() === '' ? [] : JSON.parse(stdout);
    return Array.isArray(listed)
      ? listed.filter(
          (s): s is SessionSummary =>
            isObject(s) &&
            typeof s.id === 'string' &&
            typeof s.directory === 'string' &&
            typeof s.created === 'number',
        )
      : [];
  }

  private opencode(args: string[]): Promise<{ stdout: string }> {
    return run('opencode', args, {
      cwd: this.query.cwd,
      env: this.query.env,
      maxBuffer: 256 * 1024 * 1024,
      timeout: 30_000,
    });
  }
}

/** The JSON records of one folder, sorted by name (opencode's ids ascend with time); unreadable ones skipped. */
function readRecords(folder: string): Json[] {
  return safeReaddir(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => readRecord(join(folder, name)));
}

function readRecord(file: string): Json[] {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isObject(value) ? [value] : [];
  } catch {
    // Gone, or caught mid-write: its next change brings it whole.
    return [];
  }
}

function safeReaddir(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function realpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

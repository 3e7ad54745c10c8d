// Reads one opencode session's records: from its record files before 1.2 (storage/session|message|part),
// through its own CLI (`session list`, `export`) from 1.2, when everything lives in opencode.db.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { TranscriptQuery } from '../agent-adapter.js';

const run = promisify(execFile);

/** opencode's data folder: $XDG_DATA_HOME/opencode, else ~/.local/share/opencode. */
export function opencodeDataDir(env: NodeJS.ProcessEnv): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'opencode');
}

export type Json = Record<string, unknown>;

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

/** Reads opencode's records, from its files when it keeps files, else through its own CLI. */
export class OpencodeStore {
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

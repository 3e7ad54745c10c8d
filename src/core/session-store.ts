// Where recorded sessions live, behind one port: the local spool of a clone (.sdd/local/sessions/)
// and a team server (its data folder or PostgreSQL). A session is its record plus a few files that
// only ever grow (terminal.cast, events.jsonl, the transcript copies) or are written once
// (prompt.md); files travel by byte offset, so an upload that is retried never duplicates or drops
// a byte.

import type { SessionRecord, SessionStatus } from './session.js';

/**
 * The files of a session, by their path inside the session: `terminal.cast`, `events.jsonl`,
 * `prompt.md`, `transcript/<name>`. One or two segments of letters, digits, `.`, `_`, `-`; no `..`.
 * A transcript copy keeps the agent's own file name, which may start with one dot (Aider's
 * `.aider.chat.history.md`).
 */
export const SESSION_FILE_PATTERN =
  '^(?:[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}|transcript/\\.?[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}|checkpoints/[0-9]{1,6}\\.(?:bundle|diff))$';

/** Checkpoint N's git objects, as a bundle thin against checkpoint N-1 (N = 0: against the base). */
export function checkpointBundleName(index: number): string {
  return `checkpoints/${index}.bundle`;
}
/** What checkpoint N changed against N-1 (or the base), as a unified diff for display, redacted and capped. */
export function checkpointDiffName(index: number): string {
  return `checkpoints/${index}.diff`;
}
/** Session ids as newSessionId makes them (20261124-130512-a3f9), and forks' ids alike. */
export const SESSION_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$';

export interface SessionFileInfo {
  name: string;
  /** Bytes held. */
  size: number;
}

export interface SessionFilter {
  /** sdd's id of the item the sessions worked on. */
  itemId?: string;
  status?: SessionStatus;
  limit?: number;
}

export interface SessionStore {
  /** Newest first. */
  list(filter?: SessionFilter): Promise<SessionRecord[]>;
  /** The session whose id is `id`, or the one whose id starts or ends with it (NotFound, Ambiguous). */
  get(id: string): Promise<SessionRecord>;
  /** Creates the session or replaces its record (records are small; files are not in them). */
  putRecord(record: SessionRecord): Promise<void>;
  listFiles(id: string): Promise<SessionFileInfo[]>;
  /** Bytes of a file from `offset` (to the end, or `length` of them); empty past the end; NotFound for no file. */
  readFile(id: string, name: string, offset?: number, length?: number): Promise<Uint8Array>;
  /**
   * Appends `bytes` at `offset`, which must be the file's size now (0 for a new file); returns the new
   * size. Any other offset changes nothing and throws OffsetMismatchError carrying the size held, so
   * a client that lost an answer asks again from there.
   */
  appendFile(id: string, name: string, offset: number, bytes: Uint8Array): Promise<number>;
}

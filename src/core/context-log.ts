// The team context on a team server: every version of each document (constitution, product,
// tech-stack, workflow, ...) with its author, so one person's edit reaches every teammate's next
// session and nothing is ever overwritten. Two homes: the server's data folder (lowdb) and
// PostgreSQL; clients reach it over HTTP (src/client/remote-context-log.ts).

import { InvalidInputError, NotFoundError, SddError } from './errors.js';

export interface ContextVersion {
  name: string;
  /** 1, 2, 3... per document. */
  version: number;
  text: string;
  author: string;
  /** When it was saved (ISO 8601). */
  at: string;
}

/** A version without its text: what a document's history lists. */
export type ContextVersionInfo = Omit<ContextVersion, 'text'>;

export interface PutContextResult {
  version: ContextVersion;
  /** False when the text was the latest version's already: nothing new was saved. */
  created: boolean;
}

export interface ContextLog {
  /** The latest version of every document, by name. */
  listContext(): Promise<ContextVersion[]>;
  /** One version of a document, the latest when none is given; NotFound otherwise. */
  getContext(name: string, version?: number): Promise<ContextVersion>;
  /** Every version of a document, oldest first; NotFound for a document never saved. */
  contextHistory(name: string): Promise<ContextVersionInfo[]>;
  /**
   * Saves `text` as the next version, when `basedOn` is the latest version (0 for a document not
   * saved yet). A text equal to the latest version's saves nothing and returns it. Any other
   * `basedOn` saves nothing and throws VersionConflictError: someone saved a newer version first.
   */
  putContext(name: string, text: string, actor: string, basedOn: number): Promise<PutContextResult>;
}

/** Same rule as the files in .sdd/context/: letters, digits, `.`, `_`, `-`, no leading dot, no `..`. */
export const CONTEXT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
const CONTEXT_NAME = new RegExp(CONTEXT_NAME_PATTERN);

/** A context document is prose for a prompt: 256 KiB is far more than one should hold. */
export const MAX_CONTEXT_BYTES = 256 * 1024;

export function checkContextName(name: string): string {
  if (!CONTEXT_NAME.test(name) || name.includes('..')) {
    throw new InvalidInputError(
      `A context document's name is 1 to 64 letters, digits, ".", "_" or "-" (like tech-stack); got "${name}".`,
    );
  }
  return name;
}

export function checkContextText(name: string, text: string): string {
  if (utf8Length(text) > MAX_CONTEXT_BYTES) {
    throw new InvalidInputError(
      `Context document "${name}" is over ${MAX_CONTEXT_BYTES / 1024} KiB; keep context documents short (they go into every prompt).`,
    );
  }
  return text;
}

/** Bytes of `text` in UTF-8 (the core has no TextEncoder: it knows no platform). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export function checkBasedOn(basedOn: number): number {
  if (!Number.isSafeInteger(basedOn) || basedOn < 0) {
    throw new InvalidInputError(`basedOn is a version number (0 for a new document); got ${basedOn}.`);
  }
  return basedOn;
}

export function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new InvalidInputError(`A version is a whole number from 1; got ${version}.`);
  }
  return version;
}

/** Someone saved a newer version of the document than the one an edit started from. */
export class VersionConflictError extends SddError {
  constructor(latest: ContextVersionInfo, basedOn: number) {
    super(
      'VERSION_CONFLICT',
      `Context "${latest.name}" is at version ${latest.version} (${latest.author}, ${latest.at.slice(0, 16).replace('T', ' ')} UTC), newer than the version ${basedOn} this edit started from; nothing was saved. See theirs with \`sdd context show ${latest.name} --server\`, then \`sdd context sync --theirs ${latest.name}\` to take it or \`sdd context sync --mine ${latest.name}\` to save yours over it.`,
      { name: latest.name, latest: latest.version, author: latest.author, at: latest.at, basedOn },
    );
  }
}

/**
 * What a put does, given the document's versions (oldest first): the version to save, or the
 * latest one when the text is unchanged. Throws VersionConflictError on a stale `basedOn`.
 */
export function nextContextVersion(
  versions: readonly ContextVersion[],
  name: string,
  text: string,
  actor: string,
  basedOn: number,
  at: string,
): PutContextResult {
  const latest = versions[versions.length - 1];
  if (latest && latest.text === text) return { version: latest, created: false };
  if ((latest?.version ?? 0) !== basedOn) {
    if (!latest) throw new NotSavedYetError(name, basedOn);
    const { text: _text, ...info } = latest;
    throw new VersionConflictError(info, basedOn);
  }
  return { version: { name, version: basedOn + 1, text, author: actor, at }, created: true };
}

/** An edit based on a version of a document the server has never had. */
class NotSavedYetError extends SddError {
  constructor(name: string, basedOn: number) {
    super(
      'VERSION_CONFLICT',
      `Context "${name}" has no version on the server, but this edit says it started from version ${basedOn}; nothing was saved. Save it as a new document (based on version 0).`,
      { name, latest: 0, basedOn },
    );
  }
}

export function contextNotFound(name: string, version?: number): NotFoundError {
  return new NotFoundError(
    version === undefined
      ? `No context document "${name}" on the server (see \`sdd context show --server\`).`
      : `Context "${name}" has no version ${version} (see \`sdd context log ${name}\`).`,
    { name, ...(version !== undefined && { version }) },
  );
}

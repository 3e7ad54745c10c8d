// Every error sdd reports on purpose: a code, the CLI's exit code, the server's HTTP status, and a
// message that tells the person what to do next. Anything else that escapes is a bug.

export const ERROR_CODES = {
  INTERNAL: { exitCode: 1, httpStatus: 500 },
  INVALID_INPUT: { exitCode: 2, httpStatus: 400 },
  PARSE: { exitCode: 2, httpStatus: 400 },
  AMBIGUOUS: { exitCode: 2, httpStatus: 400 },
  NOT_FOUND: { exitCode: 3, httpStatus: 404 },
  ALREADY_CLAIMED: { exitCode: 4, httpStatus: 409 },
  NOT_CLAIMABLE: { exitCode: 4, httpStatus: 409 },
  NOT_READY: { exitCode: 4, httpStatus: 409 },
  CYCLE: { exitCode: 5, httpStatus: 409 },
  NO_READY_WORK: { exitCode: 6, httpStatus: 404 },
  NO_PROJECT: { exitCode: 7, httpStatus: 404 },
  LOCKED: { exitCode: 8, httpStatus: 503 },
  NOT_RUNNABLE: { exitCode: 127, httpStatus: 400 },
  ALREADY_EXISTS: { exitCode: 9, httpStatus: 409 },
  UNAUTHENTICATED: { exitCode: 10, httpStatus: 401 },
  FORBIDDEN: { exitCode: 10, httpStatus: 403 },
  TOO_LARGE: { exitCode: 2, httpStatus: 413 },
  UNREACHABLE: { exitCode: 11, httpStatus: 503 },
  /** The request itself came too slowly: the client's side of a slow link, still exit 11. */
  REQUEST_TIMEOUT: { exitCode: 11, httpStatus: 408 },
  OFFSET_MISMATCH: { exitCode: 12, httpStatus: 409 },
  /** A context document changed on the server since the version an edit started from. */
  VERSION_CONFLICT: { exitCode: 13, httpStatus: 409 },
  /** `sdd watch` of a session that is not recording now (finished, or its sdd is gone). */
  NOT_LIVE: { exitCode: 14, httpStatus: 409 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SddError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for --json output and API clients (the holder of a claim, the cycle, the bad lines...). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SddError';
    this.code = code;
    this.details = details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export class InvalidInputError extends SddError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_INPUT', message, details);
  }
}

export class NotFoundError extends SddError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', message, details);
  }
}

export class AmbiguousRefError extends SddError {
  constructor(ref: string, candidates: string[]) {
    super(
      'AMBIGUOUS',
      `"${ref}" matches ${candidates.length} items (${candidates.join(', ')}); use the full reference or sdd's id.`,
      { ref, candidates },
    );
  }
}

export class AlreadyClaimedError extends SddError {
  constructor(itemLabel: string, holder: string, expiresAt: string) {
    super(
      'ALREADY_CLAIMED',
      `${itemLabel} is claimed by ${holder} until ${readableTime(expiresAt)}; wait for it to be released or expire, or use --force.`,
      { holder, expiresAt },
    );
  }
}

/** `2026-12-01 20:58:19 UTC` for a message: the core knows no time zone, the ISO form stays in details. */
function readableTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export class NotClaimableError extends SddError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_CLAIMABLE', message, details);
  }
}

export class NotReadyError extends SddError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_READY', message, details);
  }
}

export class CycleError extends SddError {
  constructor(message: string, cycle: string[]) {
    super('CYCLE', message, { cycle });
  }
}

export class NoReadyWorkError extends SddError {
  constructor(
    message = 'No ready work: every open task is claimed or waits on something (see `sdd blocked`).',
  ) {
    super('NO_READY_WORK', message);
  }
}

export class NoProjectError extends SddError {
  constructor(dir: string) {
    super(
      'NO_PROJECT',
      `No sdd project at ${dir} or above it; run \`sdd init\` at the root of your repository.`,
    );
  }
}

/** A program sdd was asked to run is missing (exit 127, as a shell says) or cannot be run (126). */
export class NotRunnableError extends SddError {
  constructor(
    message: string,
    readonly shellExitCode: 126 | 127,
  ) {
    super('NOT_RUNNABLE', message);
  }

  override get exitCode(): number {
    return this.shellExitCode;
  }
}

export class LockedError extends SddError {
  constructor(path: string) {
    super(
      'LOCKED',
      `Could not lock ${path}: another sdd process holds it. Try again; if none is running, delete ${path}.lock.`,
    );
  }
}

export class AlreadyExistsError extends SddError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ALREADY_EXISTS', message, details);
  }
}

/** No token, or one the server does not know (or has revoked). */
export class UnauthenticatedError extends SddError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

/** A valid token whose role may not do this. */
export class ForbiddenError extends SddError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class TooLargeError extends SddError {
  constructor(message: string) {
    super('TOO_LARGE', message);
  }
}

/** The team server could not be reached, or did not answer in time. */
export class UnreachableError extends SddError {
  constructor(message: string) {
    super('UNREACHABLE', message);
  }
}

export class RequestTimeoutError extends SddError {
  constructor(message: string) {
    super('REQUEST_TIMEOUT', message);
  }
}

/** An append at another offset than the file's size: nothing was written; `held` is the size. */
export class OffsetMismatchError extends SddError {
  constructor(
    file: string,
    readonly held: number,
    offered: number,
  ) {
    super(
      'OFFSET_MISMATCH',
      `${file} holds ${held} bytes; an append at ${offered} was refused (send from ${held}).`,
      {
        file,
        held,
        offered,
      },
    );
  }
}

/** A session that is not recording now: nothing to watch live; the message points at `sdd replay`. */
export class NotLiveError extends SddError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_LIVE', message, details);
  }
}

/** A problem at one line of a spec document. */
export interface ParseProblem {
  file: string;
  line: number;
  problem: string;
}

export class ParseError extends SddError {
  readonly problems: ParseProblem[];
  constructor(problems: ParseProblem[]) {
    const lines = problems.map((p) => `${p.file}:${p.line}: ${p.problem}`);
    super('PARSE', `${problems.length} problem(s), nothing was imported:\n${lines.join('\n')}`, { problems });
    this.problems = problems;
  }
}

/** Rebuilds a typed error from its JSON form (what a remote Service receives). */
export function sddErrorFromJSON(value: {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}): SddError {
  const code = value.code && value.code in ERROR_CODES ? (value.code as ErrorCode) : 'INTERNAL';
  return new SddError(code, value.message ?? 'unknown error', value.details);
}

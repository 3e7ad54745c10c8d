// The asciicast v2 and v3 line formats: what a header and an event line must hold. Callers turn the
// problem strings returned here into `file:line: problem` errors.

export type CastVersion = 2 | 3;

export interface CastHeader {
  version: CastVersion;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
  command?: string;
  /** Seconds: players shorten longer pauses to this (asciinema's `idle_time_limit`). */
  idleTimeLimit?: number;
}

export interface CastEvent {
  /** Seconds since the start of the recording (v3 intervals already summed). */
  time: number;
  /** 'o' output, 'i' input, 'r' resize, 'm' marker, 'x' exit (v3), or a code of a later format. */
  code: string;
  data: string;
}

export interface ParsedCast {
  header: CastHeader;
  events: CastEvent[];
  /** The last line was cut short (a recording interrupted by a crash) and was left out. */
  truncated: boolean;
}

export type LineResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses the first line of a cast. */
export function parseHeaderLine(text: string): LineResult<CastHeader> {
  const value = parseJson(text);
  if (!value.ok) return value;
  const record = value.value;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return fail('the first line must be the asciicast header, a JSON object');
  }
  const fields = record as Record<string, unknown>;
  const version = fields.version;
  if (version !== 2 && version !== 3) {
    return fail(`unsupported asciicast version ${JSON.stringify(version)} (sdd reads versions 2 and 3)`);
  }
  const term = (version === 3 ? fields.term : fields) as Record<string, unknown> | undefined;
  const width = version === 3 ? term?.cols : fields.width;
  const height = version === 3 ? term?.rows : fields.height;
  const sizeNames = version === 3 ? 'term.cols and term.rows' : 'width and height';
  if (!isTerminalSize(width) || !isTerminalSize(height)) {
    return fail(`the header needs ${sizeNames} as whole numbers of at least 1`);
  }
  const header: CastHeader = { version, width, height };
  if (typeof fields.timestamp === 'number') header.timestamp = fields.timestamp;
  if (typeof fields.title === 'string') header.title = fields.title;
  if (typeof fields.command === 'string') header.command = fields.command;
  if (typeof fields.idle_time_limit === 'number' && fields.idle_time_limit > 0) {
    header.idleTimeLimit = fields.idle_time_limit;
  }
  return { ok: true, value: header };
}

/** Parses one event line into its raw time (absolute in v2, an interval in v3), code and data. */
export function parseEventLine(text: string): LineResult<CastEvent> {
  const value = parseJson(text);
  if (!value.ok) return value;
  const event = value.value;
  if (!Array.isArray(event) || event.length < 3) {
    return fail('an event must be a JSON array [time, code, data]');
  }
  const [time, code, data] = event as unknown[];
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
    return fail(`an event time must be a number of seconds of at least 0; got ${JSON.stringify(time)}`);
  }
  if (typeof code !== 'string' || code === '') {
    return fail(`an event code must be a non-empty string; got ${JSON.stringify(code)}`);
  }
  if (typeof data !== 'string') {
    return fail(`event data must be a string; got ${JSON.stringify(data)}`);
  }
  return { ok: true, value: { time, code, data } };
}

/** Whether a line carries no event: blank lines anywhere, `#` comments in v3. */
export function isSkippedLine(text: string, version: CastVersion): boolean {
  return text.trim() === '' || (version === 3 && text.startsWith('#'));
}

/** The size in an "r" event's data ("COLSxROWS"), or undefined when it is not one. */
export function parseResize(data: string): { cols: number; rows: number } | undefined {
  const match = /^(\d+)x(\d+)$/.exec(data.trim());
  if (!match) return undefined;
  const cols = Number(match[1]);
  const rows = Number(match[2]);
  return cols >= 1 && rows >= 1 ? { cols, rows } : undefined;
}

function parseJson(text: string): LineResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return fail('not valid JSON');
  }
}

function isTerminalSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

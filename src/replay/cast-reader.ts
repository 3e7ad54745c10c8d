// Reads asciicast v2 and v3 recordings: whole (parseCast, readCastFile) or streamed from any event line
// (streamCastEvents) for recordings too big to hold in memory. A last line cut by a crash is left out.

import { readFile } from 'node:fs/promises';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import {
  type CastEvent,
  type CastHeader,
  type CastVersion,
  isSkippedLine,
  type LineResult,
  type ParsedCast,
  parseEventLine,
  parseHeaderLine,
} from './cast-format.js';
import { type FileLine, readFirstLine, readLineBatches } from './file-lines.js';

export type { CastEvent, CastHeader, ParsedCast } from './cast-format.js';

/** Where to resume reading: an event line, its 1-based line number and the time of the event before it. */
export interface CastPosition {
  offset: number;
  line: number;
  time: number;
}

export interface StreamedCastEvent extends CastEvent {
  /** Byte offset of the event's line, and just past it. */
  offset: number;
  end: number;
  line: number;
}

export interface CastScanEnd {
  /** Bytes of the file looked at, cut-short last line included. */
  scannedBytes: number;
  truncated: boolean;
}

export function parseCast(text: string, fileName: string): ParsedCast {
  const lines = text.split('\n');
  const lastIsCut = !text.endsWith('\n');
  if (!lastIsCut) lines.pop();
  const headerResult = parseHeaderLine(stripCarriageReturn(lines[0] ?? ''));
  if (!headerResult.ok) throw lineError(fileName, 1, headerProblem(text, headerResult.problem));
  const header = headerResult.value;
  const decoder = new EventLineDecoder(header.version);
  const events: CastEvent[] = [];
  let truncated = false;
  for (let index = 1; index < lines.length; index++) {
    const result = decoder.decode(stripCarriageReturn(lines[index]!));
    if (result.ok) {
      if (result.value) events.push(result.value);
    } else if (lastIsCut && index === lines.length - 1) {
      truncated = true;
    } else {
      throw lineError(fileName, index + 1, result.problem);
    }
  }
  return { header, events, truncated };
}

export async function readCastFile(path: string): Promise<ParsedCast> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw notFound(error, path);
  }
  return parseCast(text, path);
}

/** The header and the byte offset of the line after it. */
export async function readCastHeader(path: string): Promise<{ header: CastHeader; eventsOffset: number }> {
  let first: FileLine | undefined;
  try {
    first = await readFirstLine(path);
  } catch (error) {
    throw notFound(error, path);
  }
  if (first) {
    const result = parseHeaderLine(first.text);
    if (!result.ok) {
      const problem = first.complete ? result.problem : 'the first line is not a complete asciicast header';
      throw lineError(path, 1, problem);
    }
    return { header: result.value, eventsOffset: first.end };
  }
  throw lineError(path, 1, 'the file is empty; an asciicast starts with a header line');
}

/**
 * Streams events in batches (one per chunk read), from the first event or from `from`. Batches keep the
 * per-event cost low for the renderer, which goes through millions of events.
 */
export async function* streamCastEventBatches(
  path: string,
  options: { from?: CastPosition } = {},
): AsyncGenerator<StreamedCastEvent[], CastScanEnd> {
  const { header, eventsOffset } = await readCastHeader(path);
  const from = options.from ?? { offset: eventsOffset, line: 2, time: 0 };
  const decoder = new EventLineDecoder(header.version, from.time);
  let lineNumber = from.line;
  let scannedBytes = from.offset;
  let truncated = false;
  for await (const lines of readLineBatches(path, from.offset)) {
    const events: StreamedCastEvent[] = [];
    for (const line of lines) {
      const result = decoder.decode(line.text);
      if (result.ok) {
        const event = result.value;
        if (event) events.push({ ...event, offset: line.offset, end: line.end, line: lineNumber });
      } else if (line.complete) {
        throw lineError(path, lineNumber, result.problem);
      } else {
        truncated = true;
      }
      scannedBytes = line.end;
      lineNumber++;
    }
    if (events.length > 0) yield events;
  }
  return { scannedBytes, truncated };
}

/** Streams events one by one without loading the file. */
export async function* streamCastEvents(
  path: string,
  options: { from?: CastPosition } = {},
): AsyncGenerator<StreamedCastEvent, CastScanEnd> {
  const batches = streamCastEventBatches(path, options);
  for (;;) {
    const next = await batches.next();
    if (next.done) return next.value;
    yield* next.value;
  }
}

/** Turns event lines into events with absolute times: v3 stores the interval since the previous event. */
class EventLineDecoder {
  constructor(
    private readonly version: CastVersion,
    private time = 0,
  ) {}

  decode(text: string): LineResult<CastEvent | undefined> {
    if (isSkippedLine(text, this.version)) return { ok: true, value: undefined };
    const result = parseEventLine(text);
    if (!result.ok) return result;
    if (this.version === 3) {
      // Rounded to microseconds (the format's precision) so long sums of intervals do not drift.
      this.time = Math.round((this.time + result.value.time) * 1e6) / 1e6;
      result.value.time = this.time;
    }
    return result;
  }
}

function headerProblem(text: string, problem: string): string {
  if (text === '') return 'the file is empty; an asciicast starts with a header line';
  return text.includes('\n') ? problem : `${problem} (the header line is cut short)`;
}

function stripCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function lineError(file: string, line: number, problem: string): InvalidInputError {
  return new InvalidInputError(`${file}:${line}: ${problem}`, { file, line, problem });
}

/** A missing file as NotFoundError; any other failure to read as it is. */
function notFound(error: unknown, path: string): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
  return new NotFoundError(`No recording at ${path}; check the path or the session id.`, { path });
}

// Shared pieces of the transcript parsers: splitting a log into numbered lines, reading JSON without
// throwing, and building the entries every parser emits the same way.

import type { TranscriptEntry } from './agent-adapter.js';

export interface NumberedLine {
  /** 1-based. */
  number: number;
  /** The line without its line ending. */
  text: string;
}

/** Lines of a log; the newline that ends the last line does not make an extra empty line. */
export function numberedLines(text: string): NumberedLine[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const parts = body.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((line, index) => ({
    number: index + 1,
    text: line.endsWith('\r') ? line.slice(0, -1) : line,
  }));
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The line as a JSON object, or null when it is not one (malformed, truncated, an array, a bare value). */
export function parseJsonObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function stringField(record: JsonObject, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' ? value : null;
}

/** ISO form of a time written as an ISO string or epoch milliseconds; null when it is not a time. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function unknownEntry(line: NumberedLine, file: string, time: string | null = null): TranscriptEntry {
  const recordType = recordTypeOf(parseJsonObject(line.text));
  return {
    kind: 'unknown',
    time,
    model: null,
    text: '',
    ...(recordType !== undefined && { recordType }),
    raw: line.text,
    source: { file, line: line.number },
  };
}

/** Harness text or a bookkeeping record: kept, said by nobody, shown only when asked for. */
export function metaEntry(
  text: string,
  source: { file: string; line: number },
  time: string | null,
  recordType?: string,
): TranscriptEntry {
  return {
    kind: 'meta',
    time,
    model: null,
    text,
    ...(recordType !== undefined && { recordType }),
    source: { file: source.file, line: source.line },
  };
}

/**
 * What a record calls itself, so a reader learns which record sdd did not understand without its raw JSON:
 * its type (or record_type), with the payload's type for enveloped records (event_msg/shiny_new_event), or
 * the operator key of an operation line ($unknownOp).
 */
export function recordTypeOf(record: JsonObject | null): string | undefined {
  if (!record) return undefined;
  const type = stringField(record, 'type') ?? stringField(record, 'record_type');
  if (type !== null) {
    const inner = isObject(record.payload) ? stringField(record.payload, 'type') : null;
    return inner === null ? type : `${type}/${inner}`;
  }
  return Object.keys(record).find((key) => key.startsWith('$'));
}

const SUMMARY_LENGTH = 160;

/** One line that says what a tool call does, for lists and timelines; the full input stays in tool.input. */
export function summarizeToolCall(name: string, input: unknown): string {
  const detail = typeof input === 'string' ? input : JSON.stringify(input ?? null);
  const oneLine = `${name} ${detail.replace(/\s+/g, ' ')}`.trim();
  return oneLine.length > SUMMARY_LENGTH ? `${oneLine.slice(0, SUMMARY_LENGTH - 1)}…` : oneLine;
}

/** Tool inputs logged as JSON text become values; anything else stays the string it was. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

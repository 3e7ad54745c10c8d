// Reads a Gemini CLI chat recording (~/.gemini/tmp/<project>/chats/session-<time>-<id8>.jsonl, or the legacy
// .json holding one ConversationRecord) into the normal form, replaying the log as Gemini CLI does on resume.

import type { Transcript, TranscriptEntry } from '../agent-adapter.js';
import {
  isObject,
  type JsonObject,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  stringField,
  unknownEntry,
} from '../transcript-lines.js';
import { geminiMessageEntries } from './message.js';

/**
 * The JSONL log is an upsert log: a message is appended again, whole, each time its tool calls, results or
 * tokens change, and keeps its first place (Gemini CLI's loader fills a Map by id). Each slot is one
 * message by id, or entries that are not messages (notes, unknown lines) which nothing later removes.
 */
type Slot =
  | { id: string; message: JsonObject; line: NumberedLine }
  | { id: null; entries: TranscriptEntry[] };

export function parseGeminiTranscript(text: string, file: string): Transcript {
  const legacy = parseLegacy(text);
  if (legacy) return legacyTranscript(legacy, text, file);

  let slots: Slot[] = [];
  let conversationId: string | null = null;
  const note = (line: NumberedLine, message: string) =>
    slots.push({ id: null, entries: [systemEntry(message, file, line.number)] });

  for (const line of numberedLines(text)) {
    const record = parseJsonObject(line.text);
    if (!record) {
      slots.push({ id: null, entries: [unknownEntry(line, file)] });
    } else if (typeof record.$rewindTo === 'string') {
      // Gemini CLI removes the target message and everything after it; an unknown target empties the chat.
      const target = record.$rewindTo;
      const from = slots.findIndex((slot) => slot.id === target);
      const removed = slots.filter(
        (slot, index) => slot.id !== null && (from === -1 || index >= from),
      ).length;
      slots = slots.filter((slot, index) => slot.id === null || (from !== -1 && index < from));
      note(line, `Conversation rewound to before message ${target}; ${removed} message(s) removed`);
    } else if (typeof record.id === 'string') {
      const existing = slots.find((slot) => slot.id === record.id);
      if (existing && existing.id !== null) Object.assign(existing, { message: record, line });
      else slots.push({ id: record.id, message: record, line });
    } else if (isObject(record.$set)) {
      conversationId = stringField(record.$set, 'sessionId') ?? conversationId;
      if (Array.isArray(record.$set.messages)) {
        const replaced = replaceMessages(slots, record.$set.messages, line);
        slots = replaced.slots;
        if (replaced.changes) note(line, `Gemini CLI rewrote the conversation history: ${replaced.changes}`);
      }
    } else if (typeof record.sessionId === 'string') {
      conversationId = record.sessionId;
    } else {
      slots.push({ id: null, entries: [unknownEntry(line, file)] });
    }
  }
  const entries = slots.flatMap((slot) => {
    if (slot.id === null) return slot.entries;
    const source = { file, line: slot.line.number };
    return geminiMessageEntries(slot.message, source) ?? [unknownEntry(slot.line, file)];
  });
  return { agent: 'gemini', conversationId, entries };
}

/**
 * $set.messages is Gemini CLI rewriting the whole history (after compression or masking): its loader takes
 * that list as the conversation. Messages it keeps stay in place, the others go, new ones come here.
 */
function replaceMessages(
  slots: Slot[],
  messages: unknown[],
  line: NumberedLine,
): { slots: Slot[]; changes: string } {
  const next = messages.filter(isObject).filter((message) => typeof message.id === 'string');
  const ids = new Set(next.map((message) => message.id));
  const kept = slots.filter((slot) => slot.id === null || ids.has(slot.id));
  const removed = slots.length - kept.length;
  let added = 0;
  for (const message of next) {
    const existing = kept.find((slot) => slot.id === message.id);
    if (existing && existing.id !== null) Object.assign(existing, { message, line });
    else {
      kept.push({ id: String(message.id), message, line });
      added += 1;
    }
  }
  return {
    slots: kept,
    changes: removed > 0 || added > 0 ? `${removed} message(s) removed, ${added} added` : '',
  };
}

function parseLegacy(text: string): JsonObject | null {
  if (!text.trimStart().startsWith('{')) return null;
  const record = parseJsonObject(text);
  return record && Array.isArray(record.messages) ? record : null;
}

function legacyTranscript(record: JsonObject, text: string, file: string): Transcript {
  const messages = record.messages as unknown[];
  const entries: TranscriptEntry[] = [];
  let searchFrom = 0;
  for (const message of messages) {
    const id = isObject(message) ? stringField(message, 'id') : null;
    const position = id === null ? -1 : findId(text, id, searchFrom);
    if (position !== -1) searchFrom = position + 1;
    const lineNumber = position === -1 ? 1 : lineOf(text, position);
    const raw = JSON.stringify(message);
    const line = { number: lineNumber, text: raw };
    const read = isObject(message) ? geminiMessageEntries(message, { file, line: lineNumber }) : null;
    entries.push(...(read ?? [unknownEntry(line, file)]));
  }
  return { agent: 'gemini', conversationId: stringField(record, 'sessionId'), entries };
}

/** Where the message's "id" is written, so a legacy entry points at its line in the pretty-printed file. */
function findId(text: string, id: string, from: number): number {
  const pattern = new RegExp(
    `"id"\\s*:\\s*${JSON.stringify(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    'g',
  );
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < position;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
  }
  return line;
}

function systemEntry(text: string, file: string, line: number): TranscriptEntry {
  return { kind: 'system', time: null, model: null, text, source: { file, line } };
}

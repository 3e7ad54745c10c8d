// Reads sdd's mirror of an opencode session (adapters/opencode/mirror.ts) into the normal form. Each line is one of
// opencode's own records, {type: 'session' | 'message' | 'part', data}, written again whole each time it
// changed: the last line of a record wins and keeps the place of its first; parts gather under their message.

import type { Transcript, TranscriptEntry } from '../agent-adapter.js';
import {
  isObject,
  isoTime,
  type JsonObject,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  stringField,
  summarizeToolCall,
  unknownEntry,
} from '../transcript-lines.js';

/** Parts with nothing for the conversation: step markers, file snapshots, agent switches. */
const SILENT_PARTS = new Set(['step-start', 'step-finish', 'snapshot', 'patch', 'agent', 'retry']);

interface Versioned {
  record: JsonObject;
  line: NumberedLine;
}

interface MessageSlot {
  id: string;
  info: Versioned | null;
  parts: Map<string, Versioned>;
}

type Slot = { message: MessageSlot } | { entries: TranscriptEntry[] };

export function parseOpencodeTranscript(text: string, file: string): Transcript {
  const slots: Slot[] = [];
  const messages = new Map<string, MessageSlot>();
  let conversationId: string | null = null;
  const messageSlot = (id: string): MessageSlot => {
    let slot = messages.get(id);
    if (!slot) {
      slot = { id, info: null, parts: new Map() };
      messages.set(id, slot);
      slots.push({ message: slot });
    }
    return slot;
  };

  for (const line of numberedLines(text)) {
    const record = parseJsonObject(line.text);
    const type = record ? stringField(record, 'type') : null;
    const data = record && isObject(record.data) ? record.data : null;
    const id = data ? stringField(data, 'id') : null;
    if (type === 'session' && id) {
      conversationId ??= id;
    } else if (type === 'message' && id) {
      messageSlot(id).info = { record: data!, line };
    } else if (type === 'part' && id && stringField(data!, 'messageID')) {
      messageSlot(stringField(data!, 'messageID')!).parts.set(id, { record: data!, line });
    } else {
      slots.push({ entries: [unknownEntry(line, file)] });
    }
  }
  const entries = slots.flatMap((slot) =>
    'entries' in slot ? slot.entries : messageEntries(slot.message, file),
  );
  return { agent: 'opencode', conversationId, entries };
}

function messageEntries(message: MessageSlot, file: string): TranscriptEntry[] {
  const info = message.info?.record ?? {};
  const role = stringField(info, 'role');
  const model = role === 'assistant' ? stringField(info, 'modelID') : null;
  const created = isObject(info.time) ? isoTime(info.time.created) : null;
  const entries: TranscriptEntry[] = [];
  for (const { record: part, line } of message.parts.values()) {
    const at = (time: string | null, kind: TranscriptEntry['kind'], text: string): TranscriptEntry => ({
      kind,
      time: time ?? created,
      model: kind === 'assistant' || kind === 'thinking' || kind === 'tool_call' ? model : null,
      text,
      source: { file, line: line.number },
    });
    // A part whose message never came: whose words they are is unknown, so it stays as written.
    if (role !== 'user' && role !== 'assistant') {
      entries.push(unknownEntry(line, file));
      continue;
    }
    const partType = stringField(part, 'type');
    const partTime = isObject(part.time) ? isoTime(part.time.start) : null;
    if (partType === 'text') {
      const text = stringField(part, 'text') ?? '';
      // Text opencode added itself (file contents it read in, reminders) is not something the person said.
      const kind = part.synthetic === true ? 'meta' : role === 'assistant' ? 'assistant' : 'user';
      if (text.trim() !== '') entries.push(at(partTime, kind, text.trim()));
    } else if (partType === 'reasoning') {
      const text = stringField(part, 'text') ?? '';
      if (text.trim() !== '') entries.push(at(partTime, 'thinking', text.trim()));
    } else if (partType === 'tool') {
      entries.push(...toolEntries(part, at));
    } else if (partType === 'file') {
      const name = stringField(part, 'filename') ?? stringField(part, 'url') ?? 'file';
      entries.push(at(partTime, role === 'assistant' ? 'assistant' : 'user', `[file: ${name}]`));
    } else if (partType === 'compaction') {
      entries.push(at(partTime, 'system', 'Conversation compacted'));
    } else if (partType === 'subtask') {
      entries.push(at(partTime, 'system', `Subtask: ${stringField(part, 'description') ?? ''}`.trim()));
    } else if (!SILENT_PARTS.has(partType ?? '')) {
      entries.push(unknownEntry(line, file, partTime ?? created));
    }
  }
  const error = isObject(info.error) ? info.error : null;
  if (error && message.info) {
    const detail = isObject(error.data) ? stringField(error.data, 'message') : null;
    entries.push({
      kind: 'system',
      time: isObject(info.time) ? (isoTime(info.time.completed) ?? created) : created,
      model: null,
      text: `Error: ${[stringField(error, 'name'), detail].filter(Boolean).join(': ')}`,
      source: { file, line: message.info.line.number },
    });
  }
  return entries;
}

function toolEntries(
  part: JsonObject,
  at: (time: string | null, kind: TranscriptEntry['kind'], text: string) => TranscriptEntry,
): TranscriptEntry[] {
  const name = stringField(part, 'tool') ?? 'unknown';
  const callId = stringField(part, 'callID');
  const state = isObject(part.state) ? part.state : {};
  const time = isObject(state.time) ? state.time : {};
  const input = state.input ?? null;
  const entries: TranscriptEntry[] = [
    {
      ...at(isoTime(time.start), 'tool_call', summarizeToolCall(name, input)),
      tool: { name, callId, input },
    },
  ];
  const status = stringField(state, 'status');
  if (status === 'completed' || status === 'error') {
    const text = (status === 'error' ? stringField(state, 'error') : stringField(state, 'output')) ?? '';
    entries.push({
      ...at(isoTime(time.end), 'tool_result', text),
      result: { callId, isError: status === 'error' },
    });
  }
  return entries;
}

// Turns one Gemini CLI MessageRecord ({id, timestamp, type, content, toolCalls, thoughts, tokens, model})
// into normal-form entries; shared by the JSONL log and the legacy single-JSON session file.

import type { TranscriptEntry } from '../agent-adapter.js';
import { isObject, isoTime, type JsonObject, stringField, summarizeToolCall } from '../transcript-lines.js';

const SYSTEM_TYPES = new Set(['info', 'error', 'warning']);
/** Tool call states after which the call has an outcome worth an entry. */
const FINISHED_STATUSES = new Set(['success', 'error', 'cancelled']);

export interface MessageSource {
  file: string;
  line: number;
}

/** Entries for a message; null when its type or shape is not one Gemini CLI writes. */
export function geminiMessageEntries(message: JsonObject, source: MessageSource): TranscriptEntry[] | null {
  const type = stringField(message, 'type');
  const time = isoTime(message.timestamp);
  const at = { file: source.file, line: source.line };
  if (type === 'user') return userEntries(message.content, time, at);
  if (type !== null && SYSTEM_TYPES.has(type)) {
    const text = partsText(message.content);
    return [
      { kind: 'system', time, model: null, text: type === 'info' ? text : `${type}: ${text}`, source: at },
    ];
  }
  if (type !== 'gemini') return null;
  const model = stringField(message, 'model');
  const entries: TranscriptEntry[] = [];
  const thinking = thoughtsText(message.thoughts, message.content);
  if (thinking !== null) {
    const thoughtTime =
      Array.isArray(message.thoughts) && isObject(message.thoughts[0])
        ? isoTime(message.thoughts[0].timestamp)
        : null;
    entries.push({ kind: 'thinking', time: thoughtTime ?? time, model, text: thinking, source: at });
  }
  const text = partsText(message.content);
  // A turn that only called tools is recorded with empty content: no empty assistant entry for it.
  if (text !== '') entries.push({ kind: 'assistant', time, model, text, source: at });
  const toolCalls = message.toolCalls ?? [];
  if (!Array.isArray(toolCalls)) return null;
  for (const call of toolCalls) {
    if (!isObject(call) || stringField(call, 'name') === null) return null;
    entries.push(...toolCallEntries(call, time, model, at));
  }
  return entries;
}

/**
 * Gemini CLI sends the workspace it starts in (date, folders, files) as the first user turn, wrapped in
 * <session_context>: the harness speaking, so meta, apart from what the person typed in the same message.
 */
const INJECTED_USER_TEXT = ['<session_context>'];

function userEntries(content: unknown, time: string | null, at: MessageSource): TranscriptEntry[] {
  const parts = typeof content === 'string' ? [content] : partList(content);
  const injected = (part: unknown) => {
    const text = partsText(part).trimStart();
    return INJECTED_USER_TEXT.some((marker) => text.startsWith(marker));
  };
  const context = partsText(parts.filter(injected));
  const said = partsText(parts.filter((part) => !injected(part)));
  const source = { file: at.file, line: at.line };
  const entries: TranscriptEntry[] = [];
  if (context !== '') entries.push({ kind: 'meta', time, model: null, text: context, source });
  if (said !== '' || context === '') entries.push({ kind: 'user', time, model: null, text: said, source });
  return entries;
}

/** The model's thoughts: the message's thoughts list ({subject, description}) and any parts marked thought. */
function thoughtsText(thoughts: unknown, content: unknown): string | null {
  const summaries = (Array.isArray(thoughts) ? thoughts : []).filter(isObject).map((thought) => {
    const subject = stringField(thought, 'subject');
    const description = stringField(thought, 'description') ?? '';
    return subject ? `${subject}: ${description}`.trim() : description;
  });
  const parts = partList(content)
    .filter((part) => isObject(part) && part.thought === true)
    .map((part) => (isObject(part) ? (stringField(part, 'text') ?? '') : ''));
  const all = [...summaries, ...parts].filter((text) => text !== '');
  return all.length > 0 ? all.join('\n\n') : null;
}

function partList(content: unknown): unknown[] {
  return Array.isArray(content) ? content : content === undefined || content === null ? [] : [content];
}

function toolCallEntries(
  call: JsonObject,
  messageTime: string | null,
  model: string | null,
  at: { file: string; line: number },
): TranscriptEntry[] {
  const name = stringField(call, 'name') ?? 'unknown';
  const callId = stringField(call, 'id');
  const time = isoTime(call.timestamp) ?? messageTime;
  const input = call.args ?? null;
  const entries: TranscriptEntry[] = [
    {
      kind: 'tool_call',
      time,
      model,
      text: summarizeToolCall(name, input),
      tool: { name, callId, input },
      source: at,
    },
  ];
  const status = stringField(call, 'status');
  const hasResult = call.result !== undefined && call.result !== null;
  if (hasResult || (status !== null && FINISHED_STATUSES.has(status))) {
    const display = typeof call.resultDisplay === 'string' ? call.resultDisplay : '';
    entries.push({
      kind: 'tool_result',
      time,
      model: null,
      text: hasResult ? resultText(call.result) : display,
      result: { callId, isError: status === 'error' || status === 'cancelled' },
      source: at,
    });
  }
  return entries;
}

/** Text of a PartListUnion: a string, one Part, or a list of them. */
export function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  return partList(content)
    .map((part) => {
      if (typeof part === 'string') return part;
      if (!isObject(part)) return '';
      const text = stringField(part, 'text');
      if (text !== null) return part.thought === true ? '' : text;
      const media = Object.keys(part)[0];
      return media ? `[${media}]` : '';
    })
    .filter((text) => text !== '')
    .join('\n');
}

/** A tool's result is a functionResponse part whose response holds output or error; other parts are text. */
function resultText(result: unknown): string {
  const parts = Array.isArray(result) ? result : [result];
  return parts
    .map((part) => {
      if (isObject(part) && isObject(part.functionResponse)) {
        const response = part.functionResponse.response;
        if (!isObject(response)) return JSON.stringify(response ?? null);
        return stringField(response, 'output') ?? stringField(response, 'error') ?? JSON.stringify(response);
      }
      return partsText(part);
    })
    .join('\n');
}

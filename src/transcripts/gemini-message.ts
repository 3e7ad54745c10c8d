// Turns one Gemini CLI MessageRecord ({id, timestamp, type, content, toolCalls, thoughts, tokens, model})
// into normal-form entries; shared by the JSONL log and the legacy single-JSON session file.

import type { TranscriptEntry } from '../core/transcript.js';
import { isObject, isoTime, type JsonObject, stringField, summarizeToolCall } from './transcript-lines.js';

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
  if (type === 'user')
    return [{ kind: 'user', time, model: null, text: partsText(message.content), source: at }];
  if (type !== null && SYSTEM_TYPES.has(type)) {
    const text = partsText(message.content);
    return [
      { kind: 'system', time, model: null, text: type === 'info' ? text : `${type}: ${text}`, source: at },
    ];
  }
  if (type !== 'gemini') return null;
  const model = stringField(message, 'model');
  const entries: TranscriptEntry[] = [];
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
  const parts = Array.isArray(content) ? content : content === undefined || content === null ? [] : [content];
  return parts
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

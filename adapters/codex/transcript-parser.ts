// Reads a Codex CLI rollout ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl) into the normal
// form: {timestamp, type, payload} lines, or the older bare lines written before session_meta existed.

import type { Transcript, TranscriptEntry } from '../agent-adapter.js';
import {
  isObject,
  isoTime,
  type JsonObject,
  metaEntry,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  stringField,
  unknownEntry,
} from '../transcript-lines.js';
import { type ItemContext, isInjectedText, responseItemEntries } from './response-item.js';

/**
 * event_msg lines that repeat what response_item lines already hold (the agent's messages, reasoning, command
 * begin/end, patches): skipped, the response items being the one copy shown. The user's turns are the
 * exception: user_message holds what the person typed, where user-role items mix it with injected context.
 */
const REPEATED_EVENTS = new Set([
  'agent_message',
  'agent_message_delta',
  'agent_reasoning',
  'agent_reasoning_delta',
  'agent_reasoning_raw_content',
  'agent_reasoning_raw_content_delta',
  'agent_reasoning_section_break',
  'exec_command_begin',
  'exec_command_output_delta',
  'exec_command_end',
  'patch_apply_begin',
  'patch_apply_end',
  'mcp_tool_call_begin',
  'mcp_tool_call_end',
  'web_search_begin',
  'web_search_end',
  'view_image_tool_call',
  'turn_diff',
  'plan_update',
  'item_started',
  'item_completed',
  'context_compacted',
]);

/** Codex's bookkeeping, as events or as records of their own: one meta line each. */
const BOOKKEEPING = new Set([
  'token_count',
  'task_started',
  'task_complete',
  'turn_started',
  'turn_complete',
  'additional_tools',
  'world_state',
  'thread_settings_applied',
]);

/** Events that say something no response item does: the harness speaking, shown as system entries. */
const HARNESS_EVENTS = new Set(['error', 'warning', 'stream_error', 'turn_aborted', 'background_event']);

interface ParsedLine {
  line: NumberedLine;
  record: JsonObject | null;
}

export function parseCodexTranscript(text: string, file: string): Transcript {
  const entries: TranscriptEntry[] = [];
  let conversationId: string | null = null;
  let model: string | null = null;
  const lines: ParsedLine[] = numberedLines(text).map((line) => ({
    line,
    record: parseJsonObject(line.text),
  }));
  const userTurns = userMessages(lines);

  for (const { line, record } of lines) {
    if (!record) {
      entries.push(unknownEntry(line, file));
      continue;
    }
    const type = stringField(record, 'type');
    const time = isoTime(record.timestamp);
    const context: ItemContext = { file, line: line.number, time, model, userTurns };

    if (isObject(record.payload) && type !== null) {
      const payload = record.payload;
      if (type === 'session_meta') {
        conversationId ??= stringField(payload, 'id');
        // Read for the conversation id and model, as turn_context is for the model: no entry of its own.
        model = stringField(payload, 'model') ?? model;
      } else if (type === 'turn_context') {
        // The model can change between turns (/model): it holds for the entries that follow.
        model = stringField(payload, 'model') ?? model;
      } else if (type === 'response_item') {
        entries.push(...(responseItemEntries(payload, context) ?? [unknownEntry(line, file, time)]));
      } else if (type === 'event_msg') {
        entries.push(...eventEntries(payload, line, context));
      } else if (type === 'compacted') {
        const message = stringField(payload, 'message');
        entries.push(
          systemEntry(
            message ? `Conversation compacted; summary:\n${message}` : 'Conversation compacted',
            context,
          ),
        );
      } else if (BOOKKEEPING.has(type)) {
        entries.push(metaEntry(type, at(context), time, type));
      } else {
        entries.push(unknownEntry(line, file, time));
      }
      continue;
    }
    entries.push(
      ...oldRolloutLine(record, line, context, () => {
        conversationId ??= stringField(record, 'id');
      }),
    );
  }
  return { agent: 'codex', conversationId, entries };
}

/** What the person typed, from the user_message events; null for rollouts that have none (older ones). */
function userMessages(lines: ParsedLine[]): Set<string> | null {
  const turns = new Set<string>();
  let found = false;
  for (const { record } of lines) {
    if (!record || stringField(record, 'type') !== 'event_msg' || !isObject(record.payload)) continue;
    if (stringField(record.payload, 'type') !== 'user_message') continue;
    found = true;
    turns.add((stringField(record.payload, 'message') ?? '').trim());
  }
  return found ? turns : null;
}

/** Rollouts written before the envelope: a bare {id, timestamp, instructions} first line, state markers, bare items. */
function oldRolloutLine(
  record: JsonObject,
  line: NumberedLine,
  context: ItemContext,
  takeSessionId: () => void,
): TranscriptEntry[] {
  if (stringField(record, 'type') === null && stringField(record, 'id') !== null && 'timestamp' in record) {
    takeSessionId();
    return [];
  }
  if (stringField(record, 'record_type') === 'state') return [];
  return responseItemEntries(record, context) ?? [unknownEntry(line, context.file, context.time)];
}

function eventEntries(payload: JsonObject, line: NumberedLine, context: ItemContext): TranscriptEntry[] {
  const type = stringField(payload, 'type');
  if (type === 'user_message') return [userTurn(payload, context)];
  if (type !== null && REPEATED_EVENTS.has(type)) return [];
  if (type !== null && HARNESS_EVENTS.has(type)) {
    const detail = stringField(payload, 'message') ?? stringField(payload, 'reason');
    return [systemEntry(detail ? `${type}: ${detail}` : type, context)];
  }
  if (type !== null && BOOKKEEPING.has(type))
    return [metaEntry(bookkeepingLine(type, payload), at(context), context.time, `event_msg/${type}`)];
  return [unknownEntry(line, context.file, context.time)];
}

/** A user turn; some versions also sent the injected context as user_message, marked by a kind. */
function userTurn(payload: JsonObject, context: ItemContext): TranscriptEntry {
  const message = stringField(payload, 'message') ?? '';
  const images = [payload.images, payload.local_images].filter(Array.isArray).flat().length;
  const text = images > 0 ? `${message}\n[${images} image(s)]` : message;
  const kind = stringField(payload, 'kind');
  const injected = (kind !== null && kind !== 'plain') || isInjectedText(message);
  return {
    kind: injected ? 'meta' : 'user',
    time: context.time,
    model: null,
    text,
    source: at(context),
  };
}

function bookkeepingLine(type: string, payload: JsonObject): string {
  if (type !== 'token_count') return type;
  const info = isObject(payload.info) ? payload.info : {};
  const usage = isObject(info.total_token_usage) ? info.total_token_usage : {};
  return typeof usage.total_tokens === 'number' ? `token_count: ${usage.total_tokens} tokens in all` : type;
}

function at(context: ItemContext): { file: string; line: number } {
  return { file: context.file, line: context.line };
}

function systemEntry(text: string, context: ItemContext): TranscriptEntry {
  return { kind: 'system', time: context.time, model: null, text, source: at(context) };
}
